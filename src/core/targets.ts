import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

/** The function behind an event source's target (an alias, a version or the function itself). */
export function functionOf(target: lambda.IFunction): lambda.IFunction {
  if (target instanceof lambda.Alias) {
    return target.version.lambda;
  }
  if (target instanceof lambda.Version) {
    return target.lambda;
  }
  return target;
}

/** The function's timeout, when it is known (Lambda's default of 3 seconds when unset). */
export function timeoutOf(target: lambda.IFunction): Duration | undefined {
  const fn = functionOf(target);
  if (fn instanceof lambda.Function) {
    return fn.timeout ?? Duration.seconds(3);
  }
  return undefined;
}

/** Something that can be told it is invoked asynchronously (a ServerlessFunction). */
export interface AsyncInvocationAware {
  _markInvokedAsynchronously(reason: string): void;
}

/** Tell the function behind a target that a source invokes it asynchronously, if it wants to know. */
export function markInvokedAsynchronously(target: lambda.IFunction, reason: string): void {
  const fn = functionOf(target) as IConstruct & Partial<AsyncInvocationAware>;
  fn._markInvokedAsynchronously?.(reason);
}
