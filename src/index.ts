export * from './bundling/bundling-options';
export * from './bundling/bundle-cache-context';
export * from './deployment/deployment';
export * from './deployment/provisioned-concurrency';
export * from './function/serverless-function';
export * from './monitoring/function-alarms';
export * from './layers/dependency-layer';
