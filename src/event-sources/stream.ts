import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { StreamFailureDestination } from '../failure-handling/stream-failure-destination';

/** Options shared by DynamoDB Streams and Kinesis sources. */
export interface StreamSourceOptions {
  /**
   * Where reading starts when the mapping is created: LATEST or TRIM_HORIZON; AT_TIMESTAMP for Kinesis only, with
   * `startingPositionTimestamp`.
   *
   * @default lambda.StartingPosition.LATEST
   */
  readonly startingPosition?: lambda.StartingPosition;

  /**
   * Records per invocation, 1 to 10,000.
   *
   * @default 100
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-eventsourcemapping.html
   */
  readonly batchSize?: number;

  /**
   * How long to gather records before invoking, 0 to 300 seconds.
   *
   * @default - no batching window
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-eventsourcemapping.html
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * Split a failing batch in two and retry each half, to isolate the bad record.
   *
   * @default true
   */
  readonly bisectBatchOnError?: boolean;

  /**
   * Retries of a failing batch, 0 to 10,000. Bounded by default: an unbounded retry blocks the shard until the
   * record expires.
   *
   * @default 2
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-eventsourcemapping.html
   */
  readonly retryAttempts?: number;

  /**
   * Records older than this are sent to the failure destination instead of being retried, 60 seconds to 7 days.
   *
   * @default Duration.hours(1)
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-eventsourcemapping.html
   */
  readonly maxRecordAge?: Duration;

  /**
   * Where a batch that could not be processed goes.
   *
   * Only a bucket keeps the records themselves; a queue or a topic receives metadata only (shard and sequence
   * numbers), from which the records must be read again before the stream drops them (24 hours for DynamoDB
   * Streams). FIFO queues and topics are refused (Lambda cannot send to them).
   *
   * @default - an S3 bucket created beside the function: encrypted, SSL-only, public access blocked, objects
   * expired after 14 days, and an alarm (with the function's alarm action) on the first failed batch written
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
   */
  readonly onFailure?: StreamFailureDestination;

  /**
   * An SQS queue for failed batches: receives metadata only (shard and sequence numbers), not the records.
   *
   * @default - see `onFailure`
   * @deprecated use `onFailure: StreamFailureDestination.queue(queue)`
   */
  readonly onFailureQueue?: sqs.IQueue;

  /**
   * Alarm on the function's `IteratorAge` (the age of the last record read from its streams), at half the age at
   * which records are given up: `maxRecordAge`, or the stream's retention when that is shorter (24 hours for
   * DynamoDB Streams, the Kinesis stream's retention period). The alarm runs the function's alarm action.
   *
   * @default true
   */
  readonly iteratorAgeAlarm?: boolean;

  /**
   * Batches processed concurrently per shard, 1 to 10.
   *
   * @default 1
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-eventsourcemapping.html
   */
  readonly parallelizationFactor?: number;

  /**
   * A tumbling window for aggregations, 0 to 900 seconds.
   *
   * @default - none
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-eventsourcemapping.html
   */
  readonly tumblingWindow?: Duration;

  /**
   * Let the handler return `batchItemFailures`, so that a batch is retried from the first failed record.
   *
   * @default true
   */
  readonly reportBatchItemFailures?: boolean;

  /**
   * Event filter patterns, built with `lambda.FilterCriteria.filter(...)`.
   *
   * @default - every record
   */
  readonly filters?: Array<{ [key: string]: any }>;

  /**
   * Whether the mapping polls.
   *
   * @default true
   */
  readonly enabled?: boolean;
}
