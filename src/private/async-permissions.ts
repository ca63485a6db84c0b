import { Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** Services that invoke Lambda asynchronously, by service principal. */
const ASYNC_PRINCIPALS = /^(s3|sns|events|iot|ses|config|codecommit|cloudformation|logs(\.[a-z0-9-]+)?)\.amazonaws\.com$/;

/**
 * Which of an alias and its unqualified function a service that invokes asynchronously was allowed to invoke.
 * Permissions may live anywhere in the app (aws-cdk-lib puts an EventBridge rule's beside the rule), so the whole app
 * is searched.
 */
export function asyncPermissions(fn: lambda.IFunction, alias: lambda.IAlias): { alias: boolean; unqualified: boolean } {
  const permissions = fn.node.root.node.findAll().filter((c): c is lambda.CfnPermission => c instanceof lambda.CfnPermission
    && typeof c.principal === 'string' && !Token.isUnresolved(c.principal) && ASYNC_PRINCIPALS.test(c.principal));
  const targets = (references: string[]) => permissions.some((permission) => {
    const stack = Stack.of(permission);
    const target = JSON.stringify(stack.resolve(permission.functionName));
    return references.some((reference) => JSON.stringify(stack.resolve(reference)) === target);
  });
  return {
    alias: targets([alias.functionArn, alias.functionName]),
    unqualified: targets([fn.functionArn, fn.functionName]),
  };
}
