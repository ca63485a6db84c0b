import * as lambda from 'aws-cdk-lib/aws-lambda';
import { grantIndex, referencesIn } from './invokers';

/** Services that invoke Lambda asynchronously, by service principal. */
const ASYNC_PRINCIPALS = /^(s3|sns|events|iot|ses|config|codecommit|cloudformation|logs(\.[a-z0-9-]+)?)\.amazonaws\.com$/;

/**
 * Which of an alias and its unqualified function a service that invokes asynchronously was allowed to invoke.
 * Permissions may live anywhere in the app (aws-cdk-lib puts an EventBridge rule's beside the rule), so the app's
 * index of permissions is searched.
 */
export function asyncPermissions(fn: lambda.IFunction, alias: lambda.IAlias): { alias: boolean; unqualified: boolean } {
  const permissions = grantIndex(fn).permissions.filter((p) => ASYNC_PRINCIPALS.test(p.principal));
  const targets = (references: string[]) => permissions.some((p) => referencesIn(p.stack, references)?.includes(p.target));
  return {
    alias: targets([alias.functionArn, alias.functionName]),
    unqualified: targets([fn.functionArn, fn.functionName]),
  };
}
