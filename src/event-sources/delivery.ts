import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { checkIntegerRange, checkWholeDuration } from '../core/limits';
import { formatProblems } from '../core/problems';
import { markInvokedAsynchronously } from '../core/targets';
import { DestinationSource, destinationFindings, queueFacts } from '../failure-handling/destination-rules';
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
 * The retry policy of an EventBridge rule's target or an EventBridge Scheduler schedule: how the service retries an
 * invocation Lambda refused before the event goes to the dead-letter queue.
 */
export interface RetryPolicyOptions {
  /**
   * How many times EventBridge (or EventBridge Scheduler) retries an invocation Lambda refused (throttled, or the
   * service unavailable), 0 to 185. Errors thrown by the function are retried by Lambda's own asynchronous retries.
   * EventBridge Scheduler documents the same range in https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html.
   *
   * @default 185
   * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html
   */
  readonly retryAttempts?: number;

  /**
   * How long EventBridge (or EventBridge Scheduler) keeps retrying, whole seconds from 60 seconds to 24 hours.
   * EventBridge Scheduler documents the same range in https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html.
   *
   * @default Duration.hours(24)
   * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html
   */
  readonly maxEventAge?: Duration;
}

/**
 * The retry policy EventBridge and EventBridge Scheduler share: 0 to 185 retry attempts, and a maximum event age of
 * 60 seconds to 24 hours in whole seconds.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html
 * @see https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html
 */
export function checkRetryPolicy(source: string, { retryAttempts, maxEventAge }: RetryPolicyOptions): string[] {
  const problems = [
    checkIntegerRange(`${source}.retryAttempts`, retryAttempts, 0, 185),
    checkWholeDuration(`${source}.maxEventAge`, maxEventAge, 'seconds', 60, 86_400, '60 seconds to 24 hours'),
  ];
  return problems.filter((p): p is string => p !== undefined);
}

/** What a delivered source found while binding, and where its undeliverable events go. */
export interface DeliveryCheck {
  /** How messages name the source: `SnsSource(Stack/Topic)`. */
  readonly source: string;
  /** What is wrong with the source's other options. */
  readonly problems: string[];
  /** Who writes to the dead-letter queue (and, for SNS, what is known of the topic); the prop is `<source>.deadLetterQueue`. */
  readonly writer: Omit<DestinationSource, 'prop'>;
  /** The dead-letter queue given, if any. */
  readonly deadLetterQueue?: sqs.IQueue;
  /** The construct ID of the dead-letter queue created when none is given. */
  readonly queueId: string;
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
    this.delivery = given ? { queue: given } : createFailureQueue(scope, id, target);
    return this.delivery.queue;
  }

  /**
   * Bind the delivery to `target`: fail with every problem of the source and of its dead-letter queue (checked
   * against what the writing service documents) at once, warn what the queue's checks found, tell the function it is
   * invoked asynchronously, and set up the dead-letter queue beside `fn`.
   *
   * @internal
   */
  protected _bindDelivery(target: lambda.IFunction, fn: Construct, check: DeliveryCheck): sqs.IQueue {
    const findings = check.deadLetterQueue
      ? destinationFindings({ ...check.writer, prop: `${check.source}.deadLetterQueue` }, queueFacts(check.deadLetterQueue))
      : { problems: [], warnings: [] };
    const problems = [...check.problems, ...findings.problems];
    if (problems.length > 0) {
      throw new Error(formatProblems(fn.node.path, problems));
    }
    for (const w of findings.warnings) {
      Annotations.of(fn).addWarningV2(w.id, w.message);
    }
    markInvokedAsynchronously(target, check.source);
    return this.deliverFailuresTo(fn, check.queueId, target, check.deadLetterQueue);
  }
}

/** Whether a value is a token (and so cannot be judged at synth). */
export function isToken(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value);
}
