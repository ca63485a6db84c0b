import { CfnResource, Token } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Warning } from '../core/problems';

/**
 * The rules AWS documents for the queues, topics and buckets that keep a function's failed events, whoever wires them
 * (this library's sources, aws-cdk-lib's constructs, or L1 resources). Pure: the facts come from the constructs (see
 * `queueFacts`) or from the synthesized resources (see `destination-watch.ts`).
 */

/** Which service writes to a destination, and so which rules apply. */
export enum DestinationWriter {
  /** An SNS subscription's dead-letter queue (its redrive policy). */
  SNS = 'sns',
  /** An EventBridge rule target's dead-letter queue. */
  EVENTS = 'events',
  /** An EventBridge Scheduler schedule's dead-letter queue. */
  SCHEDULER = 'scheduler',
  /** The on-failure destination of asynchronous invocation. */
  ON_FAILURE = 'onFailure',
  /** The on-success destination of asynchronous invocation. */
  ON_SUCCESS = 'onSuccess',
  /** The function's own dead-letter queue or topic (`deadLetterQueue`, `deadLetterTopic`). */
  FUNCTION_DLQ = 'functionDlq',
  /** The on-failure destination of an event source mapping (streams, Kafka). */
  MAPPING = 'mapping',
  /** The dead-letter queue of an SQS queue the function polls (its redrive policy). */
  REDRIVE = 'redrive',
}

/** What is known of a destination at synth. Undefined values are unknown (tokens, imports). */
export interface DestinationFacts {
  /** How messages name it: its construct path, or its ARN. */
  readonly name: string;
  /** The service of its ARN: `sqs`, `sns`, `s3`, `lambda`, `events`. */
  readonly service?: string;
  readonly fifo?: boolean;
  /** Encrypted with the AWS managed SQS key (`alias/aws/sqs`). */
  readonly awsManagedKey?: boolean;
  readonly region?: string;
  readonly account?: string;
  /** A resource of this app (so its resource policy is written here), not an import. */
  readonly inApp: boolean;
}

/** Who sends to the destination (for SNS: the topic). */
export interface DestinationSource {
  /** How the destination is named in messages: the prop, and what it belongs to. */
  readonly prop: string;
  readonly writer: DestinationWriter;
  /** The topic's path or ARN (SNS), or the polled queue's path (redrive). */
  readonly sourceName?: string;
  /** Whether the topic is FIFO (SNS). */
  readonly sourceFifo?: boolean;
  /** The subscription's region and account, which are the topic's (SNS); the polled queue's (redrive). */
  readonly sourceRegion?: string;
  readonly sourceAccount?: string;
}

/** Why each service refuses a FIFO destination, as AWS documents it. */
const FIFO_REASONS: Record<string, string> = {
  [DestinationWriter.EVENTS]: 'EventBridge dead-letter queues are standard SQS queues (PutTargets fails with "SQS FIFO is not supported by Dead Letter Queues")',
  [DestinationWriter.SCHEDULER]: 'EventBridge Scheduler does not support a FIFO queue as a schedule\'s dead-letter queue',
  [DestinationWriter.ON_FAILURE]: 'Lambda sends invocation records only to standard queues and topics (a FIFO one fails every delivery, counted in DestinationDeliveryFailures)',
  [DestinationWriter.ON_SUCCESS]: 'Lambda sends invocation records only to standard queues and topics (a FIFO one fails every delivery, counted in DestinationDeliveryFailures)',
  [DestinationWriter.FUNCTION_DLQ]: 'a function\'s dead-letter queue is a standard SQS queue or a standard SNS topic',
  [DestinationWriter.MAPPING]: 'Lambda cannot send to FIFO destinations',
};

/**
 * What AWS would refuse (problems) or silently lose (warnings) about a destination.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
 */
export function destinationFindings(source: DestinationSource, d: DestinationFacts): { problems: string[]; warnings: Warning[] } {
  const problems: string[] = [];
  const warnings: Warning[] = [];
  const kind = d.service === 'sns' ? 'topic' : 'queue';
  const reason = FIFO_REASONS[source.writer];
  if (reason && d.fifo === true && (d.service === 'sqs' || d.service === 'sns')) {
    problems.push(`\`${source.prop}\` must be a standard (not FIFO) ${kind}: ${reason}, got ${d.name}`);
  }
  if (source.writer === DestinationWriter.ON_SUCCESS && d.service === 's3') {
    problems.push(`\`${source.prop}\` cannot be an S3 bucket: Lambda sends records to a bucket on failure only; use a queue, topic, function or event bus, got ${d.name}`);
  }
  if (source.writer === DestinationWriter.SNS) {
    if (d.fifo !== undefined && source.sourceFifo !== undefined && d.fifo !== source.sourceFifo) {
      problems.push(`\`${source.prop}\` must be a ${source.sourceFifo ? 'FIFO' : 'standard'} queue like its topic ${source.sourceName}: ` +
        `FIFO topic subscriptions use FIFO queues, and standard topic subscriptions use standard queues; got the ${d.fifo ? 'FIFO' : 'standard'} queue ${d.name}`);
    }
    if (d.awsManagedKey) {
      problems.push(`\`${source.prop}\` is encrypted with the AWS managed key (alias/aws/sqs), whose key policy cannot grant SNS the use of it: ` +
        `SNS cannot write undeliverable messages there. Use \`encryption: QueueEncryption.SQS_MANAGED\`, or a customer managed key whose policy allows sns.amazonaws.com; got ${d.name}`);
    }
    const regionDiffers = d.region !== undefined && source.sourceRegion !== undefined && d.region !== source.sourceRegion;
    const accountDiffers = d.account !== undefined && source.sourceAccount !== undefined && d.account !== source.sourceAccount;
    if (regionDiffers || accountDiffers) {
      problems.push(`\`${source.prop}\` must be in the account and Region of the subscription (${source.sourceAccount}/${source.sourceRegion}, the topic's): ` +
        `the Amazon SNS subscription and Amazon SQS queue must be under the same AWS account and Region; got ${d.name} in ${d.account ?? '?'}/${d.region ?? '?'}`);
    }
  }
  if (source.writer === DestinationWriter.REDRIVE) {
    const regionDiffers = d.region !== undefined && source.sourceRegion !== undefined && d.region !== source.sourceRegion;
    const accountDiffers = d.account !== undefined && source.sourceAccount !== undefined && d.account !== source.sourceAccount;
    if (regionDiffers || accountDiffers) {
      problems.push(`\`${source.prop}\` must be in the account and Region of the queue (${source.sourceAccount}/${source.sourceRegion}): ` +
        `a dead-letter queue must be created using the same AWS account and Region as the source queue; got ${d.name} in ${d.account ?? '?'}/${d.region ?? '?'}`);
    }
  }
  if ((source.writer === DestinationWriter.SNS || source.writer === DestinationWriter.EVENTS) && !d.inApp && d.service === 'sqs') {
    const principal = source.writer === DestinationWriter.SNS ? 'sns.amazonaws.com' : 'events.amazonaws.com';
    warnings.push({
      id: 'cdk-lambda-kit:importedDeadLetterQueue',
      message: `${source.prop} is ${d.name}, a queue this app does not define, so its queue policy is not written here: unless it allows ` +
        `${principal} sqs:SendMessage (with aws:SourceArn the ${source.writer === DestinationWriter.SNS ? 'topic' : 'rule'}), undeliverable events are lost. ` +
        'Add that statement to the queue\'s policy where the queue is defined, then acknowledge this warning',
    });
  }
  return { problems, warnings };
}

/** The facts of a queue construct (created here or imported). */
export function queueFacts(queue: sqs.IQueue): DestinationFacts {
  return {
    name: queue.node.path,
    service: 'sqs',
    fifo: queue.fifo,
    awsManagedKey: queue.encryptionType === sqs.QueueEncryption.KMS_MANAGED,
    region: known(queue.env.region),
    account: known(queue.env.account),
    inApp: CfnResource.isCfnResource(queue.node.defaultChild),
  };
}

/** A string that is not a token. */
export function known(value: string | undefined): string | undefined {
  return value === undefined || Token.isUnresolved(value) ? undefined : value;
}

/**
 * SNS delivers from a FIFO topic to SQS queues only: a function subscribed to one fails at deploy.
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/fifo-message-delivery.html
 */
export function fifoTopicProblem(subject: string, topic: string): string {
  return `${subject} cannot subscribe a function to the FIFO topic ${topic}: SNS FIFO topics deliver only to SQS queues ` +
    '("To fan out messages from Amazon SNS FIFO topics to AWS Lambda functions ... subscribe Amazon SQS FIFO or standard queues to the topic. ' +
    'Then configure the queues to trigger the functions"). Subscribe a queue to the topic and give the function an SqsSource on that queue';
}
