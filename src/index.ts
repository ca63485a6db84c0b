export * from './bundling/bundling-options';
export * from './bundling/bundle-cache-context';
export * from './function/serverless-function';
