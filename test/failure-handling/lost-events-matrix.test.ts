/**
 * Issue 24 (events lost although the README says nothing is): bad configurations that lose events or fail every
 * delivery, tried through this library's sources and through aws-cdk-lib's own constructs bound to a
 * ServerlessFunction, each with the AWS documentation line it rests on; and valid configurations that must pass.
 */
import { App, Duration, PhysicalName, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwactions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as signer from 'aws-cdk-lib/aws-signer';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  EventBridgeSource, FailureDestination, ProvisionedConcurrency, ScheduleSource, ServerlessFunction, ServerlessFunctionProps, SnsSource, SqsSource,
} from '../../src';
import { entry, makeUnbundledApp, streamTable, unbundledFunction } from '../helpers';


/** A stack with a function whose alarms run an SNS action, as most apps configure them. */
function setup(props: Partial<ServerlessFunctionProps> = {}) {
  const { app, stack } = makeUnbundledApp();
  const oncall = new sns.Topic(stack, 'OnCall');
  const fn = new ServerlessFunction(stack, 'Fn', { entry, alarms: { action: new cwactions.SnsAction(oncall) }, ...props });
  return { app, stack, fn, oncall };
}

const fifoQueue = (s: Construct, id = 'Fifo') => new sqs.Queue(s, id, { fifo: true });
const standardQueue = (s: Construct, id = 'Dlq') => new sqs.Queue(s, id);
const nightly = () => scheduler.ScheduleExpression.rate(Duration.days(1));

/** A bad configuration, what AWS says about it, and what the synth must do. */
interface BadRow {
  readonly name: string;
  /** The AWS documentation line the rule rests on. */
  readonly aws: string;
  readonly build: (c: ReturnType<typeof setup>) => void;
  /** An error matching this, or a warning with this id. */
  readonly error?: RegExp;
  readonly warning?: string;
  readonly props?: Partial<ServerlessFunctionProps>;
}

// AWS, Lambda developer guide (invocation-async-retain-records): "Amazon SQS – A standard SQS queue", "Amazon SNS –
// A standard SNS topic", "Amazon S3 – An Amazon S3 bucket (on failure only)"; "This can happen if your configuration
// includes an unsupported destination type, such as an Amazon SQS FIFO queue or an Amazon SNS FIFO topic."
const LAMBDA_DESTINATIONS = 'Lambda: "Amazon SQS – A standard SQS queue ... Amazon S3 – An Amazon S3 bucket (on failure only)"';
// AWS, CloudFormation AWS::Lambda::EventInvokeConfig DestinationConfig: "When using an Amazon SQS queue as a
// destination, FIFO queues cannot be used."
const EVENT_INVOKE_CONFIG = 'CloudFormation EventInvokeConfig: "When using an Amazon SQS queue as a destination, FIFO queues cannot be used."';
// AWS, EventBridge user guide (rule-dlq): "EventBridge DLQs are standard Amazon SQS queues that EventBridge uses to
// store events that couldn't successfully be delivered to a target."
const EVENTBRIDGE_DLQ = 'EventBridge: "EventBridge DLQs are standard Amazon SQS queues"';
// AWS, EventBridge Scheduler user guide (configuring-schedule-dlq): "EventBridge Scheduler does not support using a
// FIFO queue as your schedule's DLQ."
const SCHEDULER_DLQ = 'Scheduler: "EventBridge Scheduler does not support using a FIFO queue as your schedule\'s DLQ."';
// AWS, SNS developer guide (sns-dead-letter-queues): "The Amazon SNS subscription and Amazon SQS queue must be under
// the same AWS account and Region." / "FIFO topic subscriptions use FIFO queues, and standard topic subscriptions use
// standard queues." / "To use an encrypted Amazon SQS queue as a dead-letter queue, you must use a custom KMS with a
// key policy that grants the Amazon SNS service principal access to AWS KMS API actions."
const SNS_SAME_ENV = 'SNS: "The Amazon SNS subscription and Amazon SQS queue must be under the same AWS account and Region."';
const SNS_FIFO = 'SNS: "FIFO topic subscriptions use FIFO queues, and standard topic subscriptions use standard queues."';
const SNS_KMS = 'SNS: "you must use a custom KMS with a key policy that grants the Amazon SNS service principal access"';
// AWS, SNS dead-letter queue configuration: "To give Amazon SNS principal access to the Amazon SQS API action, set the
// following queue policy" (sqs:SendMessage for sns.amazonaws.com with aws:SourceArn the topic).
const SNS_POLICY = 'SNS: "To give Amazon SNS principal access to the Amazon SQS API action, set the following queue policy"';
// AWS, Lambda developer guide (tenant-isolation-invoke): "When invoking a function that has tenant isolation enabled,
// you must provide a tenant-id parameter." and "You can't use HTTP APIs to invoke tenant-isolated Lambda functions".
const TENANT = 'Lambda: "When invoking a function that has tenant isolation enabled, you must provide a tenant-id parameter."';
// AWS, Lambda API CodeSigningPolicies: "If you set the policy to Enforce, Lambda blocks the deployment request if
// signature validation checks fail."
const SIGNING = 'Lambda: "If you set the policy to Enforce, Lambda blocks the deployment request if signature validation checks fail."';

const BAD: BadRow[] = [
  // FIFO queues and topics, everywhere a failed event can be sent.
  {
    name: 'ScheduleSource with a FIFO dead-letter queue',
    aws: SCHEDULER_DLQ,
    error: /`ScheduleSource\(rate\(1 day\)\)\.deadLetterQueue` must be a standard \(not FIFO\) queue: EventBridge Scheduler does not support/,
    build: ({ stack, fn }) => fn.addEventSource(new ScheduleSource(nightly(), { deadLetterQueue: fifoQueue(stack) })),
  },
  {
    name: 'SnsSource (standard topic) with a FIFO dead-letter queue',
    aws: SNS_FIFO,
    error: /`SnsSource\(Stack\/Orders\)\.deadLetterQueue` must be a standard queue like its topic Stack\/Orders/,
    build: ({ stack, fn }) => fn.addEventSource(new SnsSource(new sns.Topic(stack, 'Orders'), { deadLetterQueue: fifoQueue(stack) })),
  },
  {
    name: 'EventBridgeSource with a FIFO dead-letter queue',
    aws: EVENTBRIDGE_DLQ,
    error: /`EventBridgeSource\.deadLetterQueue` must be a standard \(not FIFO\) queue: EventBridge dead-letter queues are standard SQS queues/,
    build: ({ stack, fn }) => fn.addEventSource(new EventBridgeSource({ eventPattern: { source: ['shop'] }, deadLetterQueue: fifoQueue(stack) })),
  },
  {
    name: 'onFailure: a FIFO queue',
    aws: EVENT_INVOKE_CONFIG,
    error: /`onFailure` of `Stack\/Fn\/LiveAlias\/EventInvokeConfig` must be a standard \(not FIFO\) queue: Lambda sends invocation records only to standard queues and topics/,
    props: {},
    build: () => undefined,
  },
  { name: 'onSuccess: a FIFO queue', aws: EVENT_INVOKE_CONFIG, error: /`onSuccess` of `Stack\/Fn\/LiveAlias\/EventInvokeConfig` must be a standard \(not FIFO\) queue/, build: () => undefined },
  { name: 'onFailure: a FIFO topic', aws: LAMBDA_DESTINATIONS, error: /`onFailure` of `Stack\/Fn\/LiveAlias\/EventInvokeConfig` must be a standard \(not FIFO\) topic/, build: () => undefined },
  { name: 'deadLetterQueue (the function\'s): a FIFO queue', aws: LAMBDA_DESTINATIONS, error: /`deadLetterQueue` \(or `deadLetterTopic`\) of the function `Stack\/Fn` must be a standard \(not FIFO\) queue/, build: () => undefined },
  { name: 'deadLetterTopic (the function\'s): a FIFO topic', aws: LAMBDA_DESTINATIONS, error: /`deadLetterQueue` \(or `deadLetterTopic`\) of the function `Stack\/Fn` must be a standard \(not FIFO\) topic/, build: () => undefined },
  {
    name: 'aws-cdk-lib DynamoEventSource with onFailure SqsDlq(FIFO)',
    aws: LAMBDA_DESTINATIONS,
    error: /`onFailure` of the event source mapping `Stack\/Fn\/LiveAlias\/DynamoDBEventSource:StackTable[0-9A-F]+` must be a standard \(not FIFO\) queue: Lambda cannot send to FIFO destinations/,
    build: ({ stack, fn }) => fn.addEventSource(new sources.DynamoEventSource(streamTable(stack), {
      startingPosition: lambda.StartingPosition.LATEST, onFailure: new sources.SqsDlq(fifoQueue(stack)), retryAttempts: 2,
    })),
  },
  {
    name: 'aws-cdk-lib KinesisEventSource with onFailure SnsDlq(FIFO topic)',
    aws: LAMBDA_DESTINATIONS,
    error: /must be a standard \(not FIFO\) topic: Lambda cannot send to FIFO destinations, got Stack\/FifoTopic/,
    build: ({ stack, fn }) => fn.addEventSource(new sources.KinesisEventSource(new kinesis.Stream(stack, 'Clicks'), {
      startingPosition: lambda.StartingPosition.LATEST, onFailure: new sources.SnsDlq(new sns.Topic(stack, 'FifoTopic', { fifo: true })), retryAttempts: 2,
    })),
  },
  {
    name: 'aws-cdk-lib LambdaSubscription with a FIFO dead-letter queue',
    aws: SNS_FIFO,
    error: /`deadLetterQueue` of the SNS subscription `Stack\/Fn\/LiveAlias\/Orders` must be a standard queue like its topic Stack\/Orders/,
    build: ({ stack, fn }) => new sns.Topic(stack, 'Orders').addSubscription(new subscriptions.LambdaSubscription(fn.alias, { deadLetterQueue: fifoQueue(stack) })),
  },
  {
    name: 'aws-cdk-lib events target LambdaFunction with a FIFO dead-letter queue',
    aws: EVENTBRIDGE_DLQ,
    error: /`deadLetterQueue` of target 0 \(Target0\) of the rule `Stack\/Nightly` must be a standard \(not FIFO\) queue/,
    build: ({ stack, fn }) => new events.Rule(stack, 'Nightly', {
      schedule: events.Schedule.rate(Duration.days(1)), targets: [new eventTargets.LambdaFunction(fn.alias, { deadLetterQueue: fifoQueue(stack) })],
    }),
  },
  {
    name: 'aws-cdk-lib scheduler target LambdaInvoke with a FIFO dead-letter queue',
    aws: SCHEDULER_DLQ,
    error: /`deadLetterQueue` of the schedule `Stack\/Nightly` must be a standard \(not FIFO\) queue/,
    build: ({ stack, fn }) => new scheduler.Schedule(stack, 'Nightly', {
      schedule: nightly(), target: new schedulerTargets.LambdaInvoke(fn.alias, { deadLetterQueue: fifoQueue(stack) }),
    }),
  },
  // S3 on success.
  { name: 'onSuccess: FailureDestination.bucket', aws: LAMBDA_DESTINATIONS, error: /`onSuccess` of `Stack\/Fn\/LiveAlias\/EventInvokeConfig` cannot be an S3 bucket: Lambda sends records to a bucket on failure only/, build: () => undefined },
  { name: 'onSuccess: aws-cdk-lib S3Destination', aws: LAMBDA_DESTINATIONS, error: /`onSuccess` of `Stack\/Fn\/LiveAlias\/EventInvokeConfig` cannot be an S3 bucket/, build: () => undefined },
  // SNS: the dead-letter queue's account, Region and key.
  {
    name: 'SnsSource on a topic in another Region, default dead-letter queue',
    aws: SNS_SAME_ENV,
    error: /`SnsSource\(Stack\/Remote\)\.deadLetterQueue` must be given for a topic in another account or Region \(topic in 111111111111\/us-east-1, function in 111111111111\/eu-west-1\)/,
    build: ({ stack, fn }) => fn.addEventSource(new SnsSource(sns.Topic.fromTopicArn(stack, 'Remote', 'arn:aws:sns:us-east-1:111111111111:orders'))),
  },
  {
    name: 'SnsSource on a topic in another account, default dead-letter queue',
    aws: SNS_SAME_ENV,
    error: /`SnsSource\(Stack\/Remote\)\.deadLetterQueue` must be given for a topic in another account or Region \(topic in 222222222222\/eu-west-1/,
    build: ({ stack, fn }) => fn.addEventSource(new SnsSource(sns.Topic.fromTopicArn(stack, 'Remote', 'arn:aws:sns:eu-west-1:222222222222:orders'))),
  },
  {
    name: 'SnsSource with a dead-letter queue in another Region than the topic',
    aws: SNS_SAME_ENV,
    error: /`SnsSource\(Stack\/Orders\)\.deadLetterQueue` must be in the account and Region of the subscription \(111111111111\/eu-west-1, the topic's\)/,
    build: ({ stack, fn }) => fn.addEventSource(new SnsSource(new sns.Topic(stack, 'Orders'), {
      deadLetterQueue: sqs.Queue.fromQueueArn(stack, 'Far', 'arn:aws:sqs:us-east-1:111111111111:far'),
    })),
  },
  {
    name: 'SnsSource with a dead-letter queue encrypted with the AWS managed key',
    aws: SNS_KMS,
    error: /`SnsSource\(Stack\/Orders\)\.deadLetterQueue` is encrypted with the AWS managed key \(alias\/aws\/sqs\)/,
    build: ({ stack, fn }) => fn.addEventSource(new SnsSource(new sns.Topic(stack, 'Orders'), {
      deadLetterQueue: new sqs.Queue(stack, 'Kms', { encryption: sqs.QueueEncryption.KMS_MANAGED }),
    })),
  },
  {
    name: 'aws-cdk-lib LambdaSubscription with a dead-letter queue encrypted with the AWS managed key',
    aws: SNS_KMS,
    error: /`deadLetterQueue` of the SNS subscription `Stack\/Fn\/LiveAlias\/Orders` is encrypted with the AWS managed key/,
    build: ({ stack, fn }) => new sns.Topic(stack, 'Orders').addSubscription(new subscriptions.LambdaSubscription(fn.alias, {
      deadLetterQueue: new sqs.Queue(stack, 'Kms', { encryption: sqs.QueueEncryption.KMS_MANAGED }),
    })),
  },
  // Imported dead-letter queues: their policy is not written by this app.
  {
    name: 'SnsSource with an imported dead-letter queue',
    aws: SNS_POLICY,
    warning: 'cdk-lambda-kit:importedDeadLetterQueue',
    build: ({ stack, fn }) => fn.addEventSource(new SnsSource(new sns.Topic(stack, 'Orders'), {
      deadLetterQueue: sqs.Queue.fromQueueArn(stack, 'Imported', 'arn:aws:sqs:eu-west-1:111111111111:orders-dlq'),
    })),
  },
  {
    name: 'EventBridgeSource with an imported dead-letter queue',
    aws: EVENTBRIDGE_DLQ,
    warning: 'cdk-lambda-kit:importedDeadLetterQueue',
    build: ({ stack, fn }) => fn.addEventSource(new EventBridgeSource({
      eventPattern: { source: ['shop'] }, deadLetterQueue: sqs.Queue.fromQueueArn(stack, 'Imported', 'arn:aws:sqs:eu-west-1:111111111111:rules-dlq'),
    })),
  },
  // aws-cdk-lib deliveries without a dead-letter queue: undeliverable events are dropped.
  {
    name: 'aws-cdk-lib LambdaSubscription without a dead-letter queue',
    aws: SNS_SAME_ENV,
    warning: 'cdk-lambda-kit:deliveryWithoutDeadLetterQueue',
    build: ({ stack, fn }) => new sns.Topic(stack, 'Orders').addSubscription(new subscriptions.LambdaSubscription(fn.alias)),
  },
  {
    name: 'aws-cdk-lib events target LambdaFunction without a dead-letter queue',
    aws: EVENTBRIDGE_DLQ,
    warning: 'cdk-lambda-kit:deliveryWithoutDeadLetterQueue',
    build: ({ stack, fn }) => new events.Rule(stack, 'Nightly', { schedule: events.Schedule.rate(Duration.days(1)), targets: [new eventTargets.LambdaFunction(fn.alias)] }),
  },
  {
    name: 'aws-cdk-lib scheduler target LambdaInvoke without a dead-letter queue',
    aws: SCHEDULER_DLQ,
    warning: 'cdk-lambda-kit:deliveryWithoutDeadLetterQueue',
    build: ({ stack, fn }) => new scheduler.Schedule(stack, 'Nightly', { schedule: nightly(), target: new schedulerTargets.LambdaInvoke(fn.alias) }),
  },
  // Tenant isolation behind sources that send no tenant id.
  {
    name: 'tenancyConfig with an SqsSource',
    aws: TENANT,
    props: { tenancyConfig: lambda.TenancyConfig.PER_TENANT },
    error: /`tenancyConfig` is PER_TENANT, so every invocation must carry a tenant id, but .*the event source mapping Stack\/Fn\/LiveAlias\/SqsEventSource:StackWork[0-9A-F]+/,
    build: ({ stack, fn }) => fn.addEventSource(new SqsSource(new sqs.Queue(stack, 'Work', { visibilityTimeout: Duration.minutes(5) }))),
  },
  {
    name: 'tenancyConfig with an SnsSource',
    aws: TENANT,
    props: { tenancyConfig: lambda.TenancyConfig.PER_TENANT },
    error: /`tenancyConfig` is PER_TENANT, so every invocation must carry a tenant id, but .*SnsSource\(Stack\/Orders\)/,
    build: ({ stack, fn }) => fn.addEventSource(new SnsSource(new sns.Topic(stack, 'Orders'))),
  },
  {
    name: 'tenancyConfig with an aws-cdk-lib EventBridge rule',
    aws: TENANT,
    props: { tenancyConfig: lambda.TenancyConfig.PER_TENANT },
    error: /`tenancyConfig` is PER_TENANT, so every invocation must carry a tenant id, but .*events\.amazonaws\.com/,
    build: ({ stack, fn }) => new events.Rule(stack, 'Nightly', { schedule: events.Schedule.rate(Duration.days(1)), targets: [new eventTargets.LambdaFunction(fn.alias)] }),
  },
  {
    name: 'tenancyConfig with a function URL',
    aws: TENANT,
    props: { tenancyConfig: lambda.TenancyConfig.PER_TENANT, functionUrl: {} },
    error: /`functionUrl` cannot be used with `tenancyConfig`: a function URL sends no tenant id/,
    build: () => undefined,
  },
  {
    name: 'tenancyConfig with provisioned concurrency',
    aws: 'aws-cdk-lib TenancyConfig: "This is incompatible with: SnapStart, Provisioned Concurrency, Function URLs"',
    props: { tenancyConfig: lambda.TenancyConfig.PER_TENANT, provisionedConcurrency: ProvisionedConcurrency.fixed(2) },
    error: /`provisionedConcurrency` cannot be used with `tenancyConfig`/,
    build: () => undefined,
  },
  // Code signing that blocks every deploy of a bundle nobody signs.
  {
    name: 'codeSigningConfig with untrustedArtifactOnDeployment ENFORCE',
    aws: SIGNING,
    error: /`codeSigningConfig` enforces signatures \(untrustedArtifactOnDeployment ENFORCE\)/,
    build: () => undefined,
  },
];

/** Rows whose bad value is a function prop, built before the function. */
function propsFor(name: string, stack: Stack): Partial<ServerlessFunctionProps> {
  switch (name) {
    case 'onFailure: a FIFO queue': return { onFailure: FailureDestination.queue(fifoQueue(stack)), asyncInvocation: true };
    case 'onSuccess: a FIFO queue': return { onSuccess: FailureDestination.queue(fifoQueue(stack)), asyncInvocation: true };
    case 'onFailure: a FIFO topic': return { onFailure: FailureDestination.topic(new sns.Topic(stack, 'F', { fifo: true })), asyncInvocation: true };
    case 'deadLetterQueue (the function\'s): a FIFO queue': return { deadLetterQueue: fifoQueue(stack) };
    case 'deadLetterTopic (the function\'s): a FIFO topic': return { deadLetterTopic: new sns.Topic(stack, 'F', { fifo: true }) };
    case 'onSuccess: FailureDestination.bucket': return { onSuccess: FailureDestination.bucket(new s3.Bucket(stack, 'B')), asyncInvocation: true };
    case 'onSuccess: aws-cdk-lib S3Destination': return { onSuccess: new destinations.S3Destination(new s3.Bucket(stack, 'B')), asyncInvocation: true };
    case 'codeSigningConfig with untrustedArtifactOnDeployment ENFORCE': return {
      codeSigningConfig: new lambda.CodeSigningConfig(stack, 'Signing', {
        signingProfiles: [new signer.SigningProfile(stack, 'Profile', { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA })],
        untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.ENFORCE,
      }),
    };
    default: return {};
  }
}

/** The environment the cross-account and cross-Region rows need. */
function setupRow(row: BadRow) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const oncall = new sns.Topic(stack, 'OnCall');
  const build = () => {
    const fn = new ServerlessFunction(stack, 'Fn', {
      entry, alarms: { action: new cwactions.SnsAction(oncall) }, ...row.props, ...propsFor(row.name, stack),
    });
    row.build({ app, stack, fn, oncall });
    return Template.fromStack(stack);
  };
  return { stack, build };
}

describe('bad configurations that lose events are rejected clearly, or warned where AWS accepts them', () => {
  test.each(BAD.filter((r) => r.error).map((r) => [r.name, r] as const))('fails if %s', (_name, row) => {
    expect(row.aws).toMatch(/"/);
    const { build } = setupRow(row);
    let message = '';
    try {
      build();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(row.error!);
    // The library's format: the construct path first.
    expect(message).toMatch(/^Stack\/Fn: /);
  });

  test.each(BAD.filter((r) => r.warning).map((r) => [r.name, r] as const))('warns if %s', (_name, row) => {
    expect(row.aws).toMatch(/"/);
    const { stack, build } = setupRow(row);
    build();
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp(`\\[ack: ${row.warning}\\]`));
  });

  test('the tally: every bad configuration tried is rejected or warned', () => {
    // 31 rows here; see docs/failure-handling.md for what each rests on.
    expect(BAD).toHaveLength(31);
  });
});

/** The alarms of a template that run the action and watch a metric with this dimension value. */
function alarmsOn(template: Template, metricName: string, dimension: unknown, action: unknown) {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm', {
    Properties: {
      MetricName: metricName,
      Dimensions: Match.arrayWith([Match.objectLike({ Value: dimension })]),
      AlarmActions: Match.arrayWith([action]),
    },
  }));
}

describe('every dead-letter queue and failure destination that can receive an event of the function has an alarm running alarms.action', () => {
  const queueName = (stack: Stack, q: sqs.IQueue) => ({ 'Fn::GetAtt': [stack.getLogicalId(q.node.defaultChild as sqs.CfnQueue), 'QueueName'] });
  const actionRef = (stack: Stack, topic: sns.Topic) => ({ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) });
  const CASES: [string, (c: ReturnType<typeof setup>, dlq: sqs.Queue) => void, Partial<ServerlessFunctionProps>?][] = [
    ['a user dead-letter queue of SnsSource', ({ stack, fn }, dlq) => fn.addEventSource(new SnsSource(new sns.Topic(stack, 'Orders'), { deadLetterQueue: dlq }))],
    ['a user dead-letter queue of EventBridgeSource', ({ fn }, dlq) => fn.addEventSource(new EventBridgeSource({ eventPattern: { source: ['shop'] }, deadLetterQueue: dlq }))],
    ['a user dead-letter queue of ScheduleSource', ({ fn }, dlq) => fn.addEventSource(new ScheduleSource(nightly(), { deadLetterQueue: dlq }))],
    ['a user queue as onFailure', () => undefined, { asyncInvocation: true }],
    ['the function\'s own deadLetterQueue', () => undefined],
    ['an aws-cdk-lib LambdaSubscription\'s dead-letter queue', ({ stack, fn }, dlq) => new sns.Topic(stack, 'Orders').addSubscription(new subscriptions.LambdaSubscription(fn.alias, { deadLetterQueue: dlq }))],
    ['an aws-cdk-lib events target\'s dead-letter queue', ({ stack, fn }, dlq) => new events.Rule(stack, 'Nightly', {
      schedule: events.Schedule.rate(Duration.days(1)), targets: [new eventTargets.LambdaFunction(fn.alias, { deadLetterQueue: dlq })],
    })],
    ['an aws-cdk-lib scheduler target\'s dead-letter queue', ({ stack, fn }, dlq) => new scheduler.Schedule(stack, 'Nightly', {
      schedule: nightly(), target: new schedulerTargets.LambdaInvoke(fn.alias, { deadLetterQueue: dlq }),
    })],
    ['an aws-cdk-lib DynamoEventSource\'s SqsDlq', ({ stack, fn }, dlq) => fn.addEventSource(new sources.DynamoEventSource(streamTable(stack), {
      startingPosition: lambda.StartingPosition.LATEST, onFailure: new sources.SqsDlq(dlq), retryAttempts: 2,
    }))],
    ['the redrive dead-letter queue of an aws-cdk-lib SqsEventSource\'s queue', ({ stack, fn }, dlq) => fn.addEventSource(new sources.SqsEventSource(
      new sqs.Queue(stack, 'Work', { visibilityTimeout: Duration.minutes(5), deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } })))],
  ];

  test.each(CASES)('%s', (name, wire) => {
    const { app, stack } = makeUnbundledApp();
    void app;
    const oncall = new sns.Topic(stack, 'OnCall');
    const dlq = standardQueue(stack, 'UserDlq');
    const extra: Partial<ServerlessFunctionProps> = name === 'a user queue as onFailure'
      ? { asyncInvocation: true, onFailure: FailureDestination.queue(dlq) }
      : name === 'the function\'s own deadLetterQueue' ? { deadLetterQueue: dlq } : {};
    const fn = new ServerlessFunction(stack, 'Fn', { entry, alarms: { action: new cwactions.SnsAction(oncall) }, ...extra });
    wire({ app, stack, fn, oncall }, dlq);
    const template = Template.fromStack(stack);
    expect(alarmsOn(template, 'ApproximateNumberOfMessagesVisible', queueName(stack, dlq), actionRef(stack, oncall))).toHaveLength(1);
  });

  test('a topic as onFailure gets an alarm on what is published to it', () => {
    const { stack } = makeUnbundledApp();
    const oncall = new sns.Topic(stack, 'OnCall');
    const failures = new sns.Topic(stack, 'Failures');
    new ServerlessFunction(stack, 'Fn', { entry, asyncInvocation: true, onFailure: FailureDestination.topic(failures), alarms: { action: new cwactions.SnsAction(oncall) } });
    const template = Template.fromStack(stack);
    expect(alarmsOn(template, 'NumberOfMessagesPublished', { 'Fn::GetAtt': [stack.getLogicalId(failures.node.defaultChild as sns.CfnTopic), 'TopicName'] }, actionRef(stack, oncall))).toHaveLength(1);
  });

  test('a queue the library created already has its alarm: none is added twice', () => {
    const { stack, fn } = setup();
    fn.addEventSource(new SnsSource(new sns.Topic(stack, 'Orders')));
    const template = Template.fromStack(stack);
    const dlq = (fn.node.findAll().find((c) => c instanceof sqs.Queue && c.node.id.startsWith('Orders')) as sqs.Queue);
    expect(alarmsOn(template, 'ApproximateNumberOfMessagesVisible', queueName(stack, dlq), { Ref: stack.getLogicalId(fn.node.scope!.node.findChild('OnCall').node.defaultChild as sns.CfnTopic) })).toHaveLength(1);
  });

  test('a queue in another stack of the same environment is watched from the stack that wires it', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const shared = new Stack(app, 'Shared');
    const dlq = standardQueue(shared, 'SharedDlq');
    const orders = new sns.Topic(shared, 'Orders');
    const stack = new Stack(app, 'Stack');
    const oncall = new sns.Topic(stack, 'OnCall');
    const fn = new ServerlessFunction(stack, 'Fn', { entry, alarms: { action: new cwactions.SnsAction(oncall) } });
    fn.addEventSource(new SnsSource(orders, { deadLetterQueue: dlq }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::ImportValue': Match.stringLikeRegexp('SharedDlq') } }],
      AlarmActions: [actionRef(stack, oncall)],
    });
  });

  test('with alarms turned off, no alarm is added on user queues', () => {
    const { stack } = makeUnbundledApp();
    const dlq = standardQueue(stack, 'UserDlq');
    new ServerlessFunction(stack, 'Fn', { entry, alarms: { enabled: false }, deadLetterQueue: dlq });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });
});

describe('asynchronous invokers the library did not know: detected from IAM grants and from every asynchronous principal', () => {
  test('EventBridge Scheduler through aws-cdk-lib LambdaInvoke (an IAM role, no resource permission) gets the failure queue and alarms', () => {
    // AWS, Lambda developer guide (with-eventbridge-scheduler): "When you set up EventBridge Scheduler with Lambda,
    // EventBridge Scheduler invokes your Lambda function asynchronously."
    const { stack, fn } = setup();
    const dlq = standardQueue(stack);
    new scheduler.Schedule(stack, 'Nightly', { schedule: nightly(), target: new schedulerTargets.LambdaInvoke(fn.alias, { deadLetterQueue: dlq }) });
    const template = Template.fromStack(stack);
    expect(fn.failureQueue).toBeDefined();
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AsyncEventsDropped' });
  });

  test('a CloudWatch alarm\'s LambdaAction (lambda.alarms.cloudwatch.amazonaws.com) gets the failure queue and alarms', () => {
    // AWS, CloudWatch user guide (alarms-and-actions-Lambda): "CloudWatch alarms guarantees an asynchronous invocation
    // of the Lambda function for a given state change"; the permission is for lambda.alarms.cloudwatch.amazonaws.com.
    const { stack, fn } = setup();
    const alarm = new cloudwatch.Alarm(stack, 'QueueDeep', {
      metric: new sqs.Queue(stack, 'Work').metricApproximateNumberOfMessagesVisible(), threshold: 100, evaluationPeriods: 1,
    });
    alarm.addAlarmAction(new cwactions.LambdaAction(fn.alias));
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    expect(fn.failureQueue).toBeDefined();
  });

  test('a role the library cannot place (a user role allowed to invoke) is not guessed: asyncInvocation declares it', () => {
    const { stack, fn } = setup();
    const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    fn.alias.grantInvoke(role);
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
    // The documented fix: declare it.
    const declared = setup({ asyncInvocation: true });
    expect(declared.fn.failureQueue).toBeDefined();
  });
});

describe('construct ids come from paths: same ids in different scopes do not collide', () => {
  test('two topics named the same in different scopes, both SnsSources of one function', () => {
    // AWS allows both: topics are named by ARN, not by construct id.
    const { stack, fn } = setup();
    const a = new Construct(stack, 'A');
    const b = new Construct(stack, 'B');
    fn.addEventSource(new SnsSource(new sns.Topic(a, 'Topic')));
    fn.addEventSource(new SnsSource(new sns.Topic(b, 'Topic')));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    expect(Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => /Topic[0-9A-F]{8}DeadLetterQueue/.test(id))).toHaveLength(2);
  });

  test('two rules named the same in different scopes, both EventBridgeSources of one function', () => {
    const { stack, fn } = setup();
    for (const scope of [new Construct(stack, 'A'), new Construct(stack, 'B')]) {
      fn.addEventSource(new EventBridgeSource({ rule: new events.Rule(scope, 'Rule', { eventPattern: { source: ['shop'] } }) }));
    }
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => /Rule[0-9A-F]{8}DeadLetterQueue/.test(id))).toHaveLength(2);
  });
});

describe('valid configurations pass', () => {
  test('SnsSource on a topic in another Region, following the fix: a queue in the topic\'s environment with a generated name', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const topicEnv = new Stack(app, 'TopicEnv', { env: { account: '111111111111', region: 'us-east-1' } });
    const topic = new sns.Topic(topicEnv, 'Orders', { topicName: PhysicalName.GENERATE_IF_NEEDED });
    const dlq = new sqs.Queue(topicEnv, 'OrdersDlq', { queueName: PhysicalName.GENERATE_IF_NEEDED, encryption: sqs.QueueEncryption.SQS_MANAGED });
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    const fn = new ServerlessFunction(stack, 'Fn', { entry });
    fn.addEventSource(new SnsSource(topic, { deadLetterQueue: dlq }));
    const template = Template.fromStack(stack);
    const [subscription] = Object.values(template.findResources('AWS::SNS::Subscription'));
    expect(subscription.Properties.Region).toBe('us-east-1');
    // The queue's ARN is written out from its generated name: a cross-environment reference CloudFormation can deploy.
    expect(JSON.stringify(subscription.Properties.RedrivePolicy.deadLetterTargetArn)).toMatch(/:sqs:us-east-1:111111111111:topicenv/);
    // The alarm cannot be in this Region: it is said, not silently skipped.
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp('cdk-lambda-kit:unwatchedFailureDestination'));
  });

  test.each([
    ['onFailure: a bucket', (s: Stack) => ({ onFailure: FailureDestination.bucket(new s3.Bucket(s, 'B')), asyncInvocation: true })],
    ['onSuccess: a standard queue, onFailure: a standard topic', (s: Stack) => ({
      onSuccess: FailureDestination.queue(new sqs.Queue(s, 'Ok')), onFailure: FailureDestination.topic(new sns.Topic(s, 'Ko')), asyncInvocation: true,
    })],
    ['deadLetterQueue: a standard queue', (s: Stack) => ({ deadLetterQueue: new sqs.Queue(s, 'Dlq') })],
    ['codeSigningConfig with WARN (the default)', (s: Stack) => ({
      codeSigningConfig: new lambda.CodeSigningConfig(s, 'Signing', {
        signingProfiles: [new signer.SigningProfile(s, 'Profile', { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA })],
      }),
    })],
    ['tenancyConfig behind an API Gateway REST API', (s: Stack) => ({ tenancyConfig: lambda.TenancyConfig.PER_TENANT, _rest: s })],
  ] as [string, (s: Stack) => any][])('%s', (_name, props) => {
    const { stack } = makeUnbundledApp();
    const { _rest, ...p } = props(stack);
    const fn = new ServerlessFunction(stack, 'Fn', { entry, ...p });
    if (_rest) {
      new apigateway.LambdaRestApi(stack, 'Api', { handler: fn.alias });
    }
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test.each([
    ['SQS-managed encryption', (s: Stack) => new sqs.Queue(s, 'Dlq', { encryption: sqs.QueueEncryption.SQS_MANAGED })],
    ['a customer managed key', (s: Stack) => new sqs.Queue(s, 'Dlq', { encryption: sqs.QueueEncryption.KMS })],
  ] as [string, (s: Stack) => sqs.Queue][])('SnsSource with a dead-letter queue under %s', (_name, make) => {
    const { stack, fn } = unbundledFunction();
    fn.addEventSource(new SnsSource(new sns.Topic(stack, 'Orders'), { deadLetterQueue: make(stack) }));
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
