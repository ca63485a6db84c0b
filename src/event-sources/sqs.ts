import { Annotations, Duration, Names, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { checkQueueBinding } from './mapping-checks';
import { checkIntegerRange, checkWholeDuration, formatDuration } from '../core/limits';
import { formatProblems } from '../core/problems';
import { functionOf, timeoutOf } from '../core/targets';
import { acknowledgeSqsMapping } from '../monitoring/acknowledgements';
import { createFunctionAlarm, firstOccurrence } from '../monitoring/alarm-action';

/** Options of an {@link SqsSource}. */
export interface SqsSourceOptions {
  /**
   * Messages per invocation: 1 to 10,000; at most 10 for FIFO queues and without a batching window.
   *
   * @default 10
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
   */
  readonly batchSize?: number;

  /**
   * How long to gather messages before invoking, 0 to 300 seconds. Not for FIFO queues.
   *
   * @default - no batching window
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * Let the handler return `batchItemFailures`, so that only failed messages are retried.
   *
   * @default true
   */
  readonly reportBatchItemFailures?: boolean;

  /**
   * The most concurrent invocations this source drives, 2 to 1,000.
   *
   * @default - no limit besides the function's concurrency
   */
  readonly maxConcurrency?: number;

  /**
   * Event filter patterns, built with `lambda.FilterCriteria.filter(...)`; only matching messages invoke the function
   * (others are deleted).
   *
   * @default - every message
   * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
   */
  readonly filters?: Array<{ [key: string]: any }>;

  /**
   * Whether the mapping polls.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Alarm on the queue's `ApproximateAgeOfOldestMessage` at half its retention period (4 days, SQS's default, when
   * the retention of an imported queue is unknown): messages are piling up and will expire unprocessed. The alarm runs
   * the function's alarm action.
   *
   * @default true
   */
  readonly messageAgeAlarm?: boolean;
}

/** SQS's default message retention, in seconds (4 days). */
const DEFAULT_RETENTION_SECONDS = 345_600;

/** The queues already bound to each function, to refuse the same queue twice. */
const boundQueues = new WeakMap<object, Set<unknown>>();

/** A key that is the same for two references to one queue: its ARN when known, else the construct. */
function queueKey(queue: sqs.IQueue): unknown {
  return Token.isUnresolved(queue.queueArn) ? queue : queue.queueArn;
}

/**
 * An SQS queue as an event source, with partial batch responses on by default and the queue checked against the
 * function at synth: a visibility timeout shorter than the function's timeout is an error (AWS rejects the mapping),
 * shorter than six timeouts plus the batching window a warning, FIFO rules enforced, and a queue without a redrive
 * policy warned about (messages retried until their retention ends, then lost).
 */
export class SqsSource implements lambda.IEventSource {
  constructor(public readonly queue: sqs.IQueue, private readonly options: SqsSourceOptions = {}) {}

  public bind(target: lambda.IFunction): void {
    const fn = functionOf(target);
    const o = this.options;
    const queuePath = this.queue.node.path;
    const fifo = this.queue.fifo;
    const window = o.maxBatchingWindow;
    const windowSeconds = window && !window.isUnresolved() ? window.toMilliseconds() / 1000 : 0;
    const problems: (string | undefined)[] = [
      checkIntegerRange(`SqsSource(${queuePath}).batchSize`, o.batchSize, 1, fifo || !window ? 10 : 10000),
      checkIntegerRange(`SqsSource(${queuePath}).maxConcurrency`, o.maxConcurrency, 2, 1000),
    ];
    if (problems[0] && !fifo && !window && o.batchSize !== undefined && o.batchSize > 10) {
      problems[0] += ' (more than 10 needs a `maxBatchingWindow`)';
    }
    if (window && !window.isUnresolved()) {
      if (fifo) {
        problems.push(`\`SqsSource(${queuePath}).maxBatchingWindow\` cannot be used with a FIFO queue, got ${formatDuration(window)}`);
      } else {
        problems.push(checkWholeDuration(`SqsSource(${queuePath}).maxBatchingWindow`, window, 'seconds', 0, 300));
      }
    }

    const timeout = timeoutOf(target);
    const cfnQueue = this.queue instanceof sqs.Queue ? this.queue.node.defaultChild as sqs.CfnQueue : undefined;
    if (cfnQueue) {
      const visibility = cfnQueue.visibilityTimeout ?? 30;
      const findings = checkQueueBinding({
        queuePath,
        visibilitySeconds: Token.isUnresolved(visibility) ? undefined : visibility,
        hasRedrivePolicy: cfnQueue.redrivePolicy !== undefined,
        timeoutSeconds: timeout && !timeout.isUnresolved() ? timeout.toSeconds() : undefined,
        windowSeconds,
      });
      problems.push(...findings.problems);
      for (const warning of findings.warnings) {
        Annotations.of(fn).addWarningV2(warning.id, warning.message);
      }
    }
    const bound = boundQueues.get(fn) ?? new Set<unknown>();
    if (bound.has(queueKey(this.queue))) {
      problems.push(`\`SqsSource(${queuePath})\` must be added once per function, got it a second time: one mapping already polls this queue`);
    }
    const found = problems.filter((p): p is string => p !== undefined);
    if (found.length > 0) {
      throw new Error(formatProblems(fn.node.path, found));
    }

    new SqsEventSource(this.queue, {
      batchSize: o.batchSize ?? 10,
      maxBatchingWindow: window,
      reportBatchItemFailures: o.reportBatchItemFailures ?? true,
      maxConcurrency: o.maxConcurrency,
      filters: o.filters,
      enabled: o.enabled,
    }).bind(target);
    bound.add(queueKey(this.queue));
    boundQueues.set(fn, bound);
    const mapping = target.node.children.filter((c) => c instanceof lambda.EventSourceMapping).pop();
    if (mapping) {
      acknowledgeSqsMapping(mapping);
    }
    if (o.messageAgeAlarm ?? true) {
      const retention = cfnQueue?.messageRetentionPeriod ?? DEFAULT_RETENTION_SECONDS;
      if (!Token.isUnresolved(retention)) {
        const metric = this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' });
        createFunctionAlarm(fn as unknown as Construct, `MessageAgeAlarm${Names.nodeUniqueId(this.queue.node)}`, target, firstOccurrence(metric,
          `The oldest message on ${queuePath} is half its retention period old (${retention} seconds): messages will expire unprocessed`,
          Math.floor(retention / 2)));
      }
    }
  }
}
