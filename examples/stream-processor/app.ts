import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { DynamoStreamSource, KinesisStreamSource, ServerlessFunction } from 'cdk-lambda-kit';

/**
 * Stream processing with safe defaults: a DynamoDB table's changes and a Kinesis click stream, each read with bisect
 * on error, bounded retries and record age, partial batch responses, an iterator-age alarm, and failed batches (the whole records) kept 14
 * days in an encrypted, private S3 bucket with an alarm on the first one.
 */
const app = new App();
const stack = new Stack(app, 'StreamProcessor');

const table = new dynamodb.Table(stack, 'Orders', {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  removalPolicy: RemovalPolicy.RETAIN,
});

const clicks = new kinesis.Stream(stack, 'Clicks', { encryption: kinesis.StreamEncryption.MANAGED });

new ServerlessFunction(stack, 'TableChanges', {
  entry: path.join(__dirname, 'src', 'table-changes.ts'),
  events: [new DynamoStreamSource(table)],
});

new ServerlessFunction(stack, 'ClickCounter', {
  entry: path.join(__dirname, 'src', 'clicks.ts'),
  events: [new KinesisStreamSource(clicks, { batchSize: 500 })],
});

app.synth();
