// Test helpers for functions built with cdk-lambda-kit, for TypeScript and JavaScript test suites. Not part of the
// jsii API (they spawn processes and are asynchronous): import them from 'cdk-lambda-kit/lib/testing'.
export * from './lambda-runtime';
