import { Duration, Token } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisConsumerEventSource, KinesisEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { StreamSourceOptions } from './stream';
import { consumerName, streamProps } from './stream-props';
import { functionOf } from '../core/targets';

/** Options of a {@link KinesisStreamSource}. */
export interface KinesisStreamSourceOptions extends StreamSourceOptions {
  /**
   * Read through an enhanced fan-out consumer: dedicated throughput per shard and lower latency, at extra cost.
   *
   * @default false
   * @see https://docs.aws.amazon.com/streams/latest/dev/enhanced-consumers.html
   */
  readonly enhancedFanOut?: boolean;

  /**
   * With `startingPosition` AT_TIMESTAMP, the time to start reading from, in Unix seconds. Required with
   * AT_TIMESTAMP, not allowed otherwise.
   *
   * @default - none
   * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html#lambda-CreateEventSourceMapping-request-StartingPositionTimestamp
   */
  readonly startingPositionTimestamp?: number;
}

/**
 * A Kinesis data stream as an event source, with the same safe defaults as {@link DynamoStreamSource} and an
 * optional enhanced fan-out consumer.
 */
export class KinesisStreamSource implements lambda.IEventSource {
  constructor(public readonly stream: kinesis.IStream, private readonly options: KinesisStreamSourceOptions = {}) {}

  public bind(target: lambda.IFunction): void {
    const name = `KinesisStreamSource(${this.stream.node.path})`;
    const props = streamProps(target, `${this.stream.node.id}Stream`, name, this.options, {
      kind: 'kinesis',
      retention: kinesisRetention(this.stream),
      startingPositionTimestamp: this.options.startingPositionTimestamp,
    });
    if (this.options.enhancedFanOut) {
      const fn = functionOf(target);
      const consumer = new kinesis.StreamConsumer(fn, `${this.stream.node.id}Consumer`, {
        stream: this.stream,
        streamConsumerName: consumerName(fn, this.stream),
      });
      new KinesisConsumerEventSource(consumer, { ...props, startingPositionTimestamp: this.options.startingPositionTimestamp }).bind(target);
    } else {
      new KinesisEventSource(this.stream, { ...props, startingPositionTimestamp: this.options.startingPositionTimestamp }).bind(target);
    }
  }
}

/** The stream's retention period when it is known (24 hours, Kinesis' default, when not set). */
function kinesisRetention(stream: kinesis.IStream): Duration | undefined {
  if (!(stream instanceof kinesis.Stream)) {
    return undefined;
  }
  const hours = (stream.node.defaultChild as kinesis.CfnStream).retentionPeriodHours;
  if (hours === undefined) {
    return Duration.hours(24);
  }
  return Token.isUnresolved(hours) ? undefined : Duration.hours(hours);
}
