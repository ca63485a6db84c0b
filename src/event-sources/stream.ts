import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/** Options shared by DynamoDB Streams and Kinesis sources. */
export interface StreamSourceOptions {
  /**
   * Where reading starts when the mapping is created.
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
   * Where records that could not be processed go.
   *
   * @default - an encrypted, SSL-only SQS queue with 14 days of retention is created
   */
  readonly onFailureQueue?: sqs.IQueue;

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
