import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { Deployment, DynamoStreamSource, KinesisStreamSource, S3Source, ServerlessFunction, SqsSource, WorkerQueue } from '../../src';
import { entry, makeUnbundledApp, unbundledFunction } from '../helpers';


/** Findings of both packs, as `<rule id> <construct path>`, checked after synthesis (aspects have run). */
function findings(stack: Stack): string[] {
  Template.fromStack(stack);
  return [new AwsSolutionsChecks(), new ServerlessChecks()]
    .flatMap((pack) => pack.validateScope(stack).violations)
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${(r as any).constructPath}`));
}

describe('cdk-nag AwsSolutions and Serverless packs', () => {
  test('plain aws-cdk-lib (Function + SqsEventSource + DLQ) has findings of both packs', () => {
    // GIVEN: what the rest of this file must beat, and proof that the packs check something
    const { stack } = makeUnbundledApp();
    const fn = new lambda.Function(stack, 'Plain', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
    const deadLetterQueue = new sqs.Queue(stack, 'Dlq');
    fn.addEventSource(new SqsEventSource(new sqs.Queue(stack, 'Queue', { deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 3 } })));

    // WHEN
    const found = findings(stack);

    // THEN
    expect(found.filter((f) => f.startsWith('AwsSolutions-')).length).toBeGreaterThanOrEqual(3);
    expect(found.filter((f) => f.startsWith('Serverless-')).length).toBeGreaterThanOrEqual(5);
  });

  test('a ServerlessFunction with a WorkerQueue has none', () => {
    const { stack, fn } = unbundledFunction({}, 'Worker');
    new WorkerQueue(stack, 'Jobs', { consumer: fn });

    expect(findings(stack)).toEqual([]);
  });

  test('every capability on (VPC, canary, URL, streams, S3, S3 via EventBridge, async failure queue) has none', () => {
    const { stack } = makeUnbundledApp();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, flowLogs: { All: {} } });
    const table = new dynamodb.Table(stack, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      stream: dynamodb.StreamViewType.NEW_IMAGE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    const stream = new kinesis.Stream(stack, 'Clicks', { encryption: kinesis.StreamEncryption.MANAGED });
    const logsBucket = new s3.Bucket(stack, 'Logs', { enforceSSL: true });
    Validations.of(logsBucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'the access-log bucket' });
    const bucket = new s3.Bucket(stack, 'Uploads', { enforceSSL: true, serverAccessLogsBucket: logsBucket });
    const fn = new ServerlessFunction(stack, 'Api', {
      entry,
      vpc,
      deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(5) }),
      functionUrl: {},
      events: [new DynamoStreamSource(table), new KinesisStreamSource(stream), new S3Source(bucket)],
    });
    fn.addEventSource(new S3Source(new s3.Bucket(stack, 'Reports', { enforceSSL: true, serverAccessLogsBucket: logsBucket }), { viaEventBridge: true }));

    expect(findings(stack)).toEqual([]);
    expect(fn.failureQueue).toBeDefined();
  });

  test('the function\'s role writes to its own log group only, instead of AWSLambdaBasicExecutionRole', () => {
    const { stack, fn } = unbundledFunction({}, 'Orders');

    const template = Template.fromStack(stack);
    const role = Object.values<any>(template.findResources('AWS::IAM::Role'))[0];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' },
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: stack.resolve(fn.logGroup.logGroupArn) },
        ],
      },
    });
  });

  test('a role you pass is left as it is', () => {
    const { stack } = makeUnbundledApp();
    const role = new iam.Role(stack, 'Mine', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    });
    new ServerlessFunction(stack, 'Orders', { entry, role });

    const template = Template.fromStack(stack).toJSON();
    expect(template.Resources[stack.getLogicalId(role.node.defaultChild as iam.CfnRole)].Properties.ManagedPolicyArns).toHaveLength(1);
    expect(findings(stack)).toContain('AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] Stack/Mine/Resource');
  });

  test('a wildcard statement you add is still reported: the acknowledgement covers only actions without resource-level permissions', () => {
    const { stack, fn } = unbundledFunction({}, 'Orders');
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));

    expect(findings(stack)).toEqual(['AwsSolutions-IAM5[Resource::*] Stack/Orders/ServiceRole/DefaultPolicy/Resource']);
  });

  test('an SQS queue of your own without a dead-letter queue is still reported', () => {
    const { stack } = makeUnbundledApp();
    const queue = new sqs.Queue(stack, 'Bare', { enforceSSL: true });
    new ServerlessFunction(stack, 'Orders', { entry, events: [] }).addEventSource(new SqsSource(queue));

    expect(findings(stack)).toEqual(expect.arrayContaining(['AwsSolutions-SQS3 Stack/Bare/Resource', 'Serverless-SQSRedrivePolicy Stack/Bare/Resource']));
  });

  test('an alarm without actions is not a finding of either pack (alarms are created for you)', () => {
    const { stack, fn } = unbundledFunction({}, 'Orders');
    expect(fn.alarms?.errors).toBeInstanceOf(cloudwatch.Alarm);
    expect(findings(stack)).toEqual([]);
  });
});
