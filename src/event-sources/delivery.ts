import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { checkIntegerRange, formatDuration } from '../core/limits';
import { createFailureQueue } from '../failure-handling/failure-queue';

/**
 * Helpers of the sources a service delivers to (EventBridge Scheduler, EventBridge rules, SNS subscriptions): the
 * retry policy those services share, the dead-letter queue of the delivery, and the alarm action of the function.
 */

/** What an invoker should call: the alias of a ServerlessFunction (anything with an `alias`), else the function given. */
export function invokerOf(fn: lambda.IFunction): lambda.IFunction {
  const alias = (fn as { alias?: unknown }).alias;
  return alias instanceof lambda.Alias ? alias : fn;
}

export { stableId } from '../core/ids';

/**
 * The retry policy EventBridge and EventBridge Scheduler share: 0 to 185 retry attempts, and a maximum event age of
 * 60 seconds to 24 hours in whole seconds.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html
 * @see https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html
 */
export function checkRetryPolicy(source: string, retryAttempts: number | undefined, maxEventAge: Duration | undefined): string[] {
  const problems = [checkIntegerRange(`${source}.retryAttempts`, retryAttempts, 0, 185)];
  if (maxEventAge && !maxEventAge.isUnresolved()) {
    const ms = maxEventAge.toMilliseconds();
    if (ms % 1000 !== 0 || ms < 60_000 || ms > 86_400_000) {
      problems.push(`\`${source}.maxEventAge\` must be whole seconds from 60 seconds to 24 hours, got ${formatDuration(maxEventAge)}`);
    }
  }
  return problems.filter((p): p is string => p !== undefined);
}

/** A whole number of minutes from min to max, given as a Duration. */
export function checkMinutes(prop: string, value: Duration | undefined, min: number, max: number): string | undefined {
  if (value === undefined || value.isUnresolved()) {
    return undefined;
  }
  const ms = value.toMilliseconds();
  if (ms % 60_000 !== 0 || ms < min * 60_000 || ms > max * 60_000) {
    return `\`${prop}\` must be whole minutes from ${min} to ${max} minutes, got ${formatDuration(value)}`;
  }
  return undefined;
}

/**
 * The dead-letter queue of a delivery: the one given, or a new one beside `scope` (encrypted, SSL-only, 14 days,
 * an alarm on its depth with the function's alarm action).
 */
export function deliveryDeadLetterQueue(scope: Construct, id: string, target: lambda.IFunction, given: sqs.IQueue | undefined):
{ queue: sqs.IQueue; alarm?: cloudwatch.Alarm } {
  if (given) {
    return { queue: given };
  }
  return createFailureQueue(scope, id, target);
}

/**
 * An event source a service delivers to the function (an EventBridge rule, an EventBridge Scheduler schedule, an SNS
 * subscription), with a dead-letter queue for what the service could not deliver. What binding creates is read
 * through getters, set by `bind()` only.
 */
export abstract class DeliveredEventSource implements lambda.IEventSource {
  private delivery?: { readonly queue: sqs.IQueue; readonly alarm?: cloudwatch.Alarm };

  /** Where what could not be delivered goes, once bound. */
  public get deadLetterQueue(): sqs.IQueue | undefined {
    return this.delivery?.queue;
  }

  /** The alarm on the dead-letter queue this source created (none on a queue you passed), once bound. */
  public get deadLetterQueueAlarm(): cloudwatch.Alarm | undefined {
    return this.delivery?.alarm;
  }

  public abstract bind(target: lambda.IFunction): void;

  /**
   * Set up the dead-letter queue of the delivery to `target`: `given`, or a new one beside `scope` (encrypted,
   * SSL-only, 14 days, an alarm on its depth with the function's alarm action).
   */
  protected deliverFailuresTo(scope: Construct, id: string, target: lambda.IFunction, given?: sqs.IQueue): sqs.IQueue {
    this.delivery = deliveryDeadLetterQueue(scope, id, target, given);
    return this.delivery.queue;
  }
}

/** Whether a value is a token (and so cannot be judged at synth). */
export function isToken(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value);
}
