import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SqsSource, SqsSourceOptions } from './sqs';
import { failureQueueProps } from '../failure-handling/failure-queue';
import { acknowledgeFailureQueue } from '../private/acknowledgements';
import { checkIntegerRange } from '../private/limits';
import { formatProblems } from '../private/problems';
import { timeoutOf } from '../private/targets';

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
   * How long a message waits on the work queue, 60 seconds to 14 days.
   *
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
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
    const timeout = timeoutOf(props.consumer) ?? Duration.seconds(3);
    const problems = [
      checkIntegerRange('maxReceiveCount', props.maxReceiveCount, 1, 1000),
      timeout.isUnresolved() ? '`consumer` must have a concrete timeout (the visibility timeout is derived from it), got a token' : undefined,
    ].filter((p): p is string => p !== undefined);
    if (problems.length > 0) {
      throw new Error(formatProblems(this.node.path, problems));
    }
    const window = props.maxBatchingWindow && !props.maxBatchingWindow.isUnresolved() ? props.maxBatchingWindow.toSeconds() : 0;
    const fifo = props.fifo ? true : undefined;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', { ...failureQueueProps(), fifo });
    acknowledgeFailureQueue(this.deadLetterQueue, `the dead-letter queue of ${this.node.path}/Queue`);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      fifo,
      retentionPeriod: props.retentionPeriod,
      visibilityTimeout: Duration.seconds(Math.min(6 * timeout.toSeconds() + window, 43_200)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
    this.deadLetterQueueAlarm = new cloudwatch.Alarm(this, 'DeadLetterQueueAlarm', {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Messages failed processing and are on ${this.deadLetterQueue.node.path}`,
    });

    props.consumer.addEventSource(new SqsSource(this.queue, props));
  }
}
