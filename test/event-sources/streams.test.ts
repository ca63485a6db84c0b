import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DynamoStreamSource, KinesisStreamSource, ServerlessFunction, StreamSourceOptions } from '../../src';
import { entry, makeUnbundledApp, streamTable } from '../helpers';


function setup() {
  const { stack } = makeUnbundledApp();
  const table = streamTable(stack, 'Orders', dynamodb.StreamViewType.NEW_AND_OLD_IMAGES);
  const stream = new kinesis.Stream(stack, 'Clicks');
  const fn = new ServerlessFunction(stack, 'Processor', { entry });
  return { stack, table, stream, fn };
}

describe('DynamoStreamSource and KinesisStreamSource', () => {
  test('safe defaults: latest, bisect, bounded retries and age, an encrypted failure bucket, partial batch responses', () => {
    const { stack, table, stream, fn } = setup();
    fn.addEventSource(new DynamoStreamSource(table));
    fn.addEventSource(new KinesisStreamSource(stream));
    const template = Template.fromStack(stack);
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(2);
    for (const mapping of mappings) {
      expect(mapping.Properties).toMatchObject({
        StartingPosition: 'LATEST',
        BatchSize: 100,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 2,
        MaximumRecordAgeInSeconds: 3600,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: expect.anything() } },
      });
      expect(JSON.stringify(mapping.Properties.FunctionName)).toContain(stack.getLogicalId(fn.alias.node.defaultChild as any));
    }
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'PutRequests' }, 2);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('dynamodb:GetRecords');
    expect(policies).toContain('kinesis:GetRecords');
  });

  test('user-supplied options and failure queue are used', () => {
    const { stack, table, fn } = setup();
    const failures = new sqs.Queue(stack, 'MyFailures');
    fn.addEventSource(new DynamoStreamSource(table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 50,
      maxBatchingWindow: Duration.seconds(5),
      bisectBatchOnError: false,
      retryAttempts: 10,
      maxRecordAge: Duration.days(1),
      onFailureQueue: failures,
      parallelizationFactor: 4,
      tumblingWindow: Duration.seconds(60),
      reportBatchItemFailures: false,
    }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 5,
      BisectBatchOnFunctionError: false,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 86400,
      ParallelizationFactor: 4,
      TumblingWindowInSeconds: 60,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyFailures'), 'Arn'] } } },
      FunctionResponseTypes: Match.absent(),
    });
    template.resourceCountIs('AWS::SQS::Queue', 1);
  });

  test('an enhanced fan-out consumer can read the Kinesis stream', () => {
    const { stack, stream, fn } = setup();
    fn.addEventSource(new KinesisStreamSource(stream, { enhancedFanOut: true }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Kinesis::StreamConsumer', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ClicksConsumer'), 'ConsumerARN'] },
    });
  });

  test('fails if the table has no stream', () => {
    const { stack, fn } = setup();
    const plain = new dynamodb.Table(stack, 'Plain', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    expect(() => fn.addEventSource(new DynamoStreamSource(plain))).toThrow(
      /^Stack\/Processor: DynamoStreamSource: the table Stack\/Plain has no stream: set `stream` .* on the table$/,
    );
  });

  test.each<[string, StreamSourceOptions, RegExp]>([
    ['the batch size is 0', { batchSize: 0 }, /`KinesisStreamSource\(Stack\/Clicks\).batchSize` must be a whole number from 1 to 10000, got 0/],
    ['retries are negative', { retryAttempts: -1 }, /`KinesisStreamSource\(Stack\/Clicks\).retryAttempts` must be a whole number from 0 to 10000, got -1/],
    ['the parallelization factor is 11', { parallelizationFactor: 11 }, /`KinesisStreamSource\(Stack\/Clicks\).parallelizationFactor` must be a whole number from 1 to 10, got 11/],
    ['the batching window is over 300 seconds', { maxBatchingWindow: Duration.minutes(6) }, /`KinesisStreamSource\(Stack\/Clicks\).maxBatchingWindow` must be whole seconds from 0 to 300, got 6 minutes/],
    ['the record age is under a minute', { maxRecordAge: Duration.seconds(30) }, /`KinesisStreamSource\(Stack\/Clicks\).maxRecordAge` must be whole seconds from 60 to 604800, got 30 seconds/],
    ['the tumbling window is over 15 minutes', { tumblingWindow: Duration.minutes(16) }, /`KinesisStreamSource\(Stack\/Clicks\).tumblingWindow` must be whole seconds from 0 to 900, got 16 minutes/],
  ])('fails if %s', (_name, options, message) => {
    const { stream, fn } = setup();
    expect(() => fn.addEventSource(new KinesisStreamSource(stream, options))).toThrow(message);
  });
});
