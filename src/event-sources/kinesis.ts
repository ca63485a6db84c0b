import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisConsumerEventSource, KinesisEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { StreamSourceOptions } from './stream';
import { streamProps } from '../private/streams';
import { functionOf } from '../private/targets';

/** Options of a {@link KinesisStreamSource}. */
export interface KinesisStreamSourceOptions extends StreamSourceOptions {
  /**
   * Read through an enhanced fan-out consumer: dedicated throughput per shard and lower latency, at extra cost.
   *
   * @default false
   * @see https://docs.aws.amazon.com/streams/latest/dev/enhanced-consumers.html
   */
  readonly enhancedFanOut?: boolean;
}

/**
 * A Kinesis data stream as an event source, with the same safe defaults as {@link DynamoStreamSource} and an
 * optional enhanced fan-out consumer.
 */
export class KinesisStreamSource implements lambda.IEventSource {
  constructor(public readonly stream: kinesis.IStream, private readonly options: KinesisStreamSourceOptions = {}) {}

  public bind(target: lambda.IFunction): void {
    const name = `KinesisStreamSource(${this.stream.node.path})`;
    const props = streamProps(target, `${this.stream.node.id}Stream`, name, this.options);
    if (this.options.enhancedFanOut) {
      const fn = functionOf(target);
      const consumer = new kinesis.StreamConsumer(fn, `${this.stream.node.id}Consumer`, {
        stream: this.stream,
        streamConsumerName: `${fn.node.id}-${this.stream.node.id}`.slice(0, 128),
      });
      new KinesisConsumerEventSource(consumer, props).bind(target);
    } else {
      new KinesisEventSource(this.stream, props).bind(target);
    }
  }
}
