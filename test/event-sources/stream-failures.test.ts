import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cwactions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DynamoStreamSource, KinesisStreamSource, ServerlessFunction, StreamFailureDestination } from '../../src';
import { entry, makeUnbundledApp, streamTable } from '../helpers';


function setup(props: { alarmAction?: boolean; fnId?: string; scope?: (s: Construct) => Construct } = {}) {
  const { stack } = makeUnbundledApp();
  const table = streamTable(stack, 'Orders', dynamodb.StreamViewType.NEW_AND_OLD_IMAGES);
  const stream = new kinesis.Stream(stack, 'Clicks');
  const topic = new sns.Topic(stack, 'OnCall');
  const action = props.alarmAction ? new cwactions.SnsAction(topic) : undefined;
  const fn = new ServerlessFunction(props.scope?.(stack) ?? stack, props.fnId ?? 'Processor', { entry, alarms: { action } });
  return { stack, table, stream, fn, topic };
}

const topicRef = { Ref: Match.stringLikeRegexp('^OnCall') };

describe('stream sources keep failed records', () => {
  test('the default on-failure destination is an encrypted, SSL-only, private S3 bucket with a lifecycle retention', () => {
    const { stack, table, stream, fn } = setup();
    fn.addEventSource(new DynamoStreamSource(table));
    fn.addEventSource(new KinesisStreamSource(stream));
    const template = Template.fromStack(stack);
    for (const mapping of Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))) {
      const destination = mapping.Properties.DestinationConfig.OnFailure.Destination;
      expect(destination['Fn::GetAtt'][1]).toBe('Arn');
      expect(template.toJSON().Resources[destination['Fn::GetAtt'][0]].Type).toBe('AWS::S3::Bucket');
    }
    template.resourceCountIs('AWS::SQS::Queue', 0);
    template.resourcePropertiesCountIs('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 14, Status: 'Enabled' })] },
      MetricsConfigurations: [{ Id: 'FailedBatches' }],
    }, 2);
    template.resourcePropertiesCountIs('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    }, 2);
  });

  test('the role may only put objects in (and list) the failure bucket', () => {
    const { stack, table, fn } = setup();
    fn.addEventSource(new DynamoStreamSource(table));
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => JSON.stringify(s.Action).includes('s3:'));
    const actions = statements.flatMap((s: any) => [].concat(s.Action)).sort();
    expect(actions).toEqual(['s3:ListBucket', 's3:PutObject']);
  });

  test('an alarm fires on the first failed batch written to the bucket, with the function\'s alarm action', () => {
    const { stack, table, fn } = setup({ alarmAction: true });
    fn.addEventSource(new DynamoStreamSource(table));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/S3',
      MetricName: 'PutRequests',
      Dimensions: Match.arrayWith([{ Name: 'FilterId', Value: 'FailedBatches' }]),
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topicRef],
    });
  });

  test('a user-supplied bucket is used, with kms:GenerateDataKey on its key', () => {
    const { stack, table, fn } = setup();
    const bucket = new s3.Bucket(stack, 'Mine', { encryption: s3.BucketEncryption.KMS });
    fn.addEventSource(new DynamoStreamSource(table, { onFailure: StreamFailureDestination.bucket(bucket) }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Mine'), 'Arn'] } } },
    });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).toContain('kms:GenerateDataKey');
  });

  test('a queue or a topic can still be chosen (metadata only)', () => {
    const { stack, table, stream, fn } = setup();
    fn.addEventSource(new DynamoStreamSource(table, { onFailure: StreamFailureDestination.queue(new sqs.Queue(stack, 'Q')) }));
    fn.addEventSource(new KinesisStreamSource(stream, { onFailure: StreamFailureDestination.topic(new sns.Topic(stack, 'T')) }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('sqs:SendMessage');
    expect(policies).toContain('sns:Publish');
  });

  test.each([
    ['a FIFO queue', (s: Construct) => StreamFailureDestination.queue(new sqs.Queue(s, 'F', { fifo: true }))],
    ['a FIFO topic', (s: Construct) => StreamFailureDestination.topic(new sns.Topic(s, 'F', { fifo: true }))],
  ])('fails if the failure destination is %s', (_name, make) => {
    const { stack, table, fn } = setup();
    expect(() => fn.addEventSource(new DynamoStreamSource(table, { onFailure: make(stack) }))).toThrow(
      /^Stack\/Processor: `DynamoStreamSource\(Stack\/Orders\)\.onFailure` must be a standard \(not FIFO\) (queue|topic): Lambda cannot send to FIFO destinations, got Stack\/F/,
    );
  });

  test('fails if the legacy onFailureQueue is a FIFO queue', () => {
    const { stack, stream, fn } = setup();
    const fifo = new sqs.Queue(stack, 'F', { fifo: true });
    expect(() => fn.addEventSource(new KinesisStreamSource(stream, { onFailureQueue: fifo }))).toThrow(/`KinesisStreamSource\(Stack\/Clicks\)\.onFailureQueue` must be a standard \(not FIFO\) queue/);
  });

  test('fails if both onFailure and onFailureQueue are set', () => {
    const { stack, stream, fn } = setup();
    const q = new sqs.Queue(stack, 'Q');
    expect(() => fn.addEventSource(new KinesisStreamSource(stream, { onFailureQueue: q, onFailure: StreamFailureDestination.queue(q) })))
      .toThrow(/`KinesisStreamSource\(Stack\/Clicks\)\.onFailureQueue` cannot be combined with `onFailure`/);
  });
});

describe('stream age alarms', () => {
  test('an IteratorAge alarm at half the record age limit, on every qualifier, with the alarm action', () => {
    const { stack, table, fn } = setup({ alarmAction: true });
    fn.addEventSource(new DynamoStreamSource(table, { maxRecordAge: Duration.hours(2) }));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: Match.anyValue() }],
      Statistic: 'Maximum',
      Threshold: 3_600_000,
      AlarmActions: [topicRef],
    });
  });

  test('the IteratorAge threshold is bounded by the stream retention', () => {
    const { stack, fn } = setup();
    const stream = new kinesis.Stream(stack, 'Short', { retentionPeriod: Duration.hours(24) });
    fn.addEventSource(new KinesisStreamSource(stream, { maxRecordAge: Duration.days(7) }));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Threshold: 12 * 3_600_000 });
  });

  test('the IteratorAge alarm can be turned off', () => {
    const { stack, table, fn } = setup();
    fn.addEventSource(new DynamoStreamSource(table, { iteratorAgeAlarm: false }));
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge' }, 0);
  });
});

describe('starting positions and consumers', () => {
  test('AT_TIMESTAMP for Kinesis takes a timestamp', () => {
    const { stack, stream, fn } = setup();
    const startingPosition = lambda.StartingPosition.AT_TIMESTAMP;
    fn.addEventSource(new KinesisStreamSource(stream, { startingPosition, startingPositionTimestamp: 1_700_000_000 }));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', { StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: 1_700_000_000 });
  });

  test('fails if AT_TIMESTAMP for Kinesis has no timestamp', () => {
    const { stream, fn } = setup();
    expect(() => fn.addEventSource(new KinesisStreamSource(stream, { startingPosition: lambda.StartingPosition.AT_TIMESTAMP })))
      .toThrow(/^Stack\/Processor: `KinesisStreamSource\(Stack\/Clicks\)\.startingPositionTimestamp` must be set with AT_TIMESTAMP/);
  });

  test('fails if a DynamoDB stream starts AT_TIMESTAMP', () => {
    const { table, fn } = setup();
    expect(() => fn.addEventSource(new DynamoStreamSource(table, { startingPosition: lambda.StartingPosition.AT_TIMESTAMP })))
      .toThrow(/^Stack\/Processor: `DynamoStreamSource\(Stack\/Orders\)\.startingPosition` must be LATEST or TRIM_HORIZON \(DynamoDB Streams do not support AT_TIMESTAMP\), got AT_TIMESTAMP/);
  });

  test('enhanced fan-out consumer names are valid and unique per stream', () => {
    const { stack } = makeUnbundledApp();
    const stream = new kinesis.Stream(stack, 'Clicks');
    const a = new ServerlessFunction(new Construct(stack, 'A'), 'Orders API', { entry });
    const b = new ServerlessFunction(new Construct(stack, 'B'), 'Orders API', { entry });
    a.addEventSource(new KinesisStreamSource(stream, { enhancedFanOut: true }));
    b.addEventSource(new KinesisStreamSource(stream, { enhancedFanOut: true }));
    const names = Object.values(Template.fromStack(stack).findResources('AWS::Kinesis::StreamConsumer')).map((c: any) => c.Properties.ConsumerName);
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    for (const name of names) {
      expect(name).toMatch(/^[a-zA-Z0-9_.-]{1,128}$/);
    }
  });
});

