import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { StreamSourceOptions } from './stream';
import { streamProps } from './stream-props';
import { formatProblems } from '../core/problems';
import { functionOf } from '../core/targets';

/**
 * A DynamoDB table's stream as an event source, with safe defaults: bisect on error, two retries, records older than
 * an hour given up, failed batches (the whole records) kept 14 days in an encrypted S3 bucket with an alarm, partial
 * batch responses on, an alarm on the iterator age. A table without a
 * stream is an error.
 */
export class DynamoStreamSource implements lambda.IEventSource {
  constructor(public readonly table: dynamodb.ITable, private readonly options: StreamSourceOptions = {}) {}

  public bind(target: lambda.IFunction): void {
    if (!this.table.tableStreamArn) {
      throw new Error(formatProblems(functionOf(target).node.path, [
        `DynamoStreamSource: the table ${this.table.node.path} has no stream: set \`stream\` (for example StreamViewType.NEW_AND_OLD_IMAGES) on the table`,
      ]));
    }
    const name = `DynamoStreamSource(${this.table.node.path})`;
    new DynamoEventSource(this.table, streamProps(target, `${this.table.node.id}Stream`, name, this.options, {
      kind: 'dynamodb',
      // DynamoDB Streams keep records 24 hours.
      retention: Duration.hours(24),
    })).bind(target);
  }
}
