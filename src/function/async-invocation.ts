import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { asyncPermissions } from './async-permissions';
import { hasDeadLetterQueue } from './prop-checks';
import { FailureDestination } from '../failure-handling/failure-destination';
import { createFailureQueue } from '../failure-handling/failure-queue';
import { FunctionAlarms } from '../monitoring/function-alarms';

/** The props of a ServerlessFunction that asynchronous invocation is configured from (see `asyncInvocation`). */
export interface AsyncInvocationProps extends lambda.FunctionOptions {
  readonly asyncInvocation?: boolean;
}

/**
 * Asynchronous invocation of a ServerlessFunction: whether it is invoked asynchronously (said by its props, by the
 * sources that record it, or by the permissions of services that invoke asynchronously), and, once that is decided,
 * its configuration on the alias with the default failure destination.
 */
export class AsyncInvocation {
  private readonly reasons: string[] = [];
  /** Whether the function is invoked asynchronously, once decided. */
  private decided?: boolean;
  private _failureQueue?: sqs.Queue;

  constructor(private readonly props: AsyncInvocationProps) {}

  /** The queue failed asynchronous events go to, when `configure` created it. */
  public get failureQueue(): sqs.IQueue | undefined {
    return this._failureQueue;
  }

  /** What this library's sources said invokes the function asynchronously. */
  public get sourceReasons(): string[] {
    return [...this.reasons];
  }

  /** Record that a source invokes the function asynchronously. */
  public markInvokedAsynchronously(reason: string): void {
    this.reasons.push(reason);
  }

  /**
   * Configure asynchronous invocation on the alias: the user's settings, and the default failure destination when
   * the function is invoked asynchronously and has none.
   */
  public configure(fn: lambda.Function, alias: lambda.Alias, alarms: FunctionAlarms | undefined): boolean {
    if (this.decided !== undefined) {
      return this.decided;
    }
    const p = this.props;
    const permissions = p.asyncInvocation === undefined ? asyncPermissions(fn, alias) : { alias: false, unqualified: false };
    const invokedAsync = p.asyncInvocation ?? (this.reasons.length > 0 || permissions.alias || permissions.unqualified);
    const configured = p.retryAttempts !== undefined || p.maxEventAge !== undefined || p.onSuccess !== undefined || p.onFailure !== undefined;
    this.decided = invokedAsync;
    if (!invokedAsync && !configured) {
      return invokedAsync;
    }
    let onFailure = p.onFailure;
    const extraAlarms: cloudwatch.Alarm[] = [];
    if (invokedAsync && !onFailure && !hasDeadLetterQueue(p)) {
      const created = createFailureQueue(fn, 'AsyncFailureQueue', fn);
      this._failureQueue = created.queue;
      extraAlarms.push(created.alarm);
      onFailure = FailureDestination.queue(created.queue);
    }
    const options: lambda.EventInvokeConfigOptions = {
      retryAttempts: p.retryAttempts,
      maxEventAge: p.maxEventAge,
      onSuccess: p.onSuccess,
      onFailure,
    };
    // Configure where the invocations arrive: the alias (our sources, and the default), and the unqualified
    // function ($LATEST) too when a service was allowed to invoke it directly.
    if (!permissions.unqualified || permissions.alias || this.reasons.length > 0 || p.asyncInvocation !== undefined || configured) {
      alias.configureAsyncInvoke(options);
    }
    if (permissions.unqualified) {
      fn.configureAsyncInvoke(options);
    }
    if (invokedAsync) {
      alarms?._addAsyncAlarms(fn, onFailure !== undefined || p.onSuccess !== undefined, extraAlarms);
    }
    return invokedAsync;
  }
}
