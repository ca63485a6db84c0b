import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SqsSource, SqsSourceOptions } from './sqs';
import { checkIntegerRange, checkWholeDuration, formatDuration } from '../core/limits';
import { formatProblems } from '../core/problems';
import { timeoutOf } from '../core/targets';
import { enforceTemplateRules } from '../core/template-rules';
import { createDepthAlarm, failureQueueProps } from '../failure-handling/failure-queue';
import { acknowledgeFailureQueue } from '../monitoring/acknowledgements';

/** Properties of a {@link WorkerQueue}. */
export interface WorkerQueueProps extends SqsSourceOptions {
  /**
   * The function that processes the messages. It is subscribed through its alias when it is a ServerlessFunction.
   */
  readonly consumer: lambda.IFunction;

  /**
   * Receives before a message moves to the dead-letter queue, 1 to 1,000.
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /**
   * Make both queues FIFO.
   *
   * @default false
   */
  readonly fifo?: boolean;

  /**
   * How long a message waits on the work queue, 60 seconds to 14 days, and at least the visibility timeout ×
   * `maxReceiveCount` (else messages expire before they reach the dead-letter queue: an error, or a warning
   * `cdk-lambda-kit:retentionBelowRedrive` when you set both this and `maxReceiveCount`).
   *
   * @default Duration.days(4)
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
   */
  readonly retentionPeriod?: Duration;
}

/** A message can be received `maxReceiveCount` times, each after a visibility timeout, before it moves to the DLQ. */
function retentionBelowRedrive(props: WorkerQueueProps, visibilitySeconds: number): string | undefined {
  const retention = props.retentionPeriod ?? Duration.days(4);
  const receives = props.maxReceiveCount ?? 5;
  if (retention.isUnresolved() || retention.toSeconds() >= visibilitySeconds * receives) {
    return undefined;
  }
  return `\`retentionPeriod\` (${formatDuration(retention)}) must be at least the visibility timeout × \`maxReceiveCount\` ` +
    `(${visibilitySeconds} seconds × ${receives} = ${Duration.seconds(visibilitySeconds * receives).toHumanString()}): ` +
    'a message that keeps failing would expire before it reaches the dead-letter queue; raise `retentionPeriod` or lower `maxReceiveCount`';
}

/**
 * A work queue and its dead-letter queue, correct by construction for a consumer function: the visibility timeout is
 * six times the function's timeout plus the batching window (AWS's guidance), both queues are encrypted and SSL-only,
 * failed messages move to the dead-letter queue after `maxReceiveCount` receives and stay 14 days, and an alarm fires
 * when any message reaches it.
 */
export class WorkerQueue extends Construct {
  /** The queue producers send to. */
  public readonly queue: sqs.Queue;

  /** Where messages go after `maxReceiveCount` failed receives. */
  public readonly deadLetterQueue: sqs.Queue;

  /** Fires when a message is on the dead-letter queue. */
  public readonly deadLetterQueueAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: WorkerQueueProps) {
    super(scope, id);
    enforceTemplateRules(this);
    const timeout = timeoutOf(props.consumer) ?? Duration.seconds(3);
    const window = props.maxBatchingWindow && !props.maxBatchingWindow.isUnresolved() ? props.maxBatchingWindow.toSeconds() : 0;
    const problems = [
      checkIntegerRange('maxReceiveCount', props.maxReceiveCount, 1, 1000),
      // SQS's limits on retention.
      checkWholeDuration('retentionPeriod', props.retentionPeriod, 'seconds', 60, 1_209_600, '60 seconds to 14 days'),
      timeout.isUnresolved() ? '`consumer` must have a concrete timeout (the visibility timeout is derived from it), got a token' : undefined,
    ].filter((p): p is string => p !== undefined);
    const visibility = timeout.isUnresolved() ? undefined : Math.min(6 * timeout.toSeconds() + window, 43_200);
    const redrive = problems.length === 0 && visibility !== undefined ? retentionBelowRedrive(props, visibility) : undefined;
    if (redrive && props.retentionPeriod !== undefined && props.maxReceiveCount !== undefined) {
      Annotations.of(this).addWarningV2('cdk-lambda-kit:retentionBelowRedrive', redrive);
    } else if (redrive) {
      problems.push(redrive);
    }
    if (problems.length > 0) {
      throw new Error(formatProblems(this.node.path, problems));
    }
    const fifo = props.fifo ? true : undefined;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', { ...failureQueueProps(), fifo });
    acknowledgeFailureQueue(this.deadLetterQueue, `the dead-letter queue of ${this.node.path}/Queue`);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      fifo,
      retentionPeriod: props.retentionPeriod,
      visibilityTimeout: Duration.seconds(visibility!),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
    this.deadLetterQueueAlarm = createDepthAlarm(this, 'DeadLetterQueueAlarm', this.deadLetterQueue, props.consumer,
      `Messages failed processing and are on ${this.deadLetterQueue.node.path}`);

    props.consumer.addEventSource(new SqsSource(this.queue, props));
  }
}
