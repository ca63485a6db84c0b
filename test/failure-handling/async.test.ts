import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { FailureDestination, ServerlessFunction, ServerlessFunctionProps, SqsSource } from '../../src';
import { entry, makeUnbundledApp, unbundledFunction } from '../helpers';


describe('asynchronous invocation: nothing lost by default, nothing created that cannot receive', () => {
  test('a function invoked only synchronously or by polling gets no failure queue', () => {
    const { stack } = makeUnbundledApp();
    const dlq = new sqs.Queue(stack, 'Dlq');
    const queue = new sqs.Queue(stack, 'Work', { visibilityTimeout: Duration.minutes(5), deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    const fn = new ServerlessFunction(stack, 'Worker', { entry, functionUrl: {}, events: [new SqsSource(queue)] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
    template.resourceCountIs('AWS::SQS::Queue', 2);
    expect(fn.failureQueue).toBeUndefined();
  });

  test('an EventBridge rule on the alias is detected: the default failure queue is created on the alias, with alarms', () => {
    const { stack, fn } = unbundledFunction({}, 'Handler');
    new events.Rule(stack, 'Nightly', { schedule: events.Schedule.rate(Duration.days(1)), targets: [new targets.LambdaFunction(fn.alias)] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      Qualifier: { 'Fn::Select': Match.arrayWith([Match.objectLike({ 'Fn::Split': Match.arrayWith([{ Ref: Match.stringLikeRegexp('LiveAlias') }]) })]) },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HandlerAsyncFailureQueue'), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', { PolicyDocument: Match.objectLike({ Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny' })]) }) });
    for (const metric of ['AsyncEventsDropped', 'DestinationDeliveryFailures', 'ApproximateNumberOfMessagesVisible']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: metric });
    }
    expect(fn.failureQueue).toBeDefined();
    expect(fn.alarms!.all).toHaveLength(6);
  });

  test('an SNS subscription to the unqualified function is detected: failures of $LATEST go to the queue', () => {
    const { stack, fn } = unbundledFunction({}, 'Handler');
    new sns.Topic(stack, 'Topic').addSubscription(new subscriptions.LambdaSubscription(fn));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      Qualifier: '$LATEST',
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HandlerAsyncFailureQueue'), 'Arn'] } } },
    });
    expect(fn.failureQueue).toBeDefined();
  });

  test('asyncInvocation: true creates the failure queue at construction; false turns detection off', () => {
    const { stack } = makeUnbundledApp();
    const eager = new ServerlessFunction(stack, 'Eager', { entry, asyncInvocation: true });
    expect(eager.failureQueue).toBeDefined();
    const off = new ServerlessFunction(stack, 'Off', { entry, asyncInvocation: false });
    new sns.Topic(stack, 'Topic').addSubscription(new subscriptions.LambdaSubscription(off.alias));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
  });

  test('user-supplied retries, age and destinations are used on the alias, and no default queue is made', () => {
    const { stack } = makeUnbundledApp();
    const bucket = new s3.Bucket(stack, 'Failures');
    const topic = new sns.Topic(stack, 'Done');
    new ServerlessFunction(stack, 'Handler', {
      entry,
      asyncInvocation: true,
      retryAttempts: 0,
      maxEventAge: Duration.minutes(5),
      onFailure: FailureDestination.bucket(bucket),
      onSuccess: FailureDestination.topic(topic),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      Qualifier: { 'Fn::Select': Match.arrayWith([Match.objectLike({ 'Fn::Split': Match.arrayWith([{ Ref: Match.stringLikeRegexp('LiveAlias') }]) })]) },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Failures'), 'Arn'] } },
        OnSuccess: { Destination: { Ref: Match.stringLikeRegexp('^Done') } },
      },
    });
    template.resourceCountIs('AWS::SQS::Queue', 0);
  });

  test('every destination kind binds', () => {
    const { stack } = makeUnbundledApp();
    const other = new ServerlessFunction(stack, 'Other', { entry });
    const kinds = [
      FailureDestination.queue(new sqs.Queue(stack, 'Q')),
      FailureDestination.eventBus(new events.EventBus(stack, 'Bus')),
      FailureDestination.lambdaFunction(other),
    ];
    kinds.forEach((onFailure, i) => new ServerlessFunction(stack, `Fn${i}`, { entry, asyncInvocation: true, onFailure }));
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::EventInvokeConfig', 3);
  });

  test('onFailure together with a dead-letter queue is allowed (Lambda takes destinations in addition to a DLQ)', () => {
    const { stack } = makeUnbundledApp();
    const destination = new sqs.Queue(stack, 'Destination');
    new ServerlessFunction(stack, 'Handler', { entry, asyncInvocation: true, deadLetterQueueEnabled: true, onFailure: FailureDestination.queue(destination) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { DeadLetterConfig: { TargetArn: Match.anyValue() } });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Destination'), 'Arn'] } } },
    });
  });

  test.each<[string, Partial<ServerlessFunctionProps>, RegExp]>([
    ['retries are over 2', { retryAttempts: 3 }, /`retryAttempts` must be a whole number from 0 to 2, got 3/],
    ['the event age is under a minute', { maxEventAge: Duration.seconds(30) }, /`maxEventAge` must be whole seconds from 60 seconds to 6 hours, got 30 seconds/],
    ['the event age is over 6 hours', { maxEventAge: Duration.hours(7) }, /`maxEventAge` must be whole seconds from 60 seconds to 6 hours, got 7 hours/],
  ])('fails if %s', (_name, props, message) => {
    const { stack } = makeUnbundledApp();
    expect(() => new ServerlessFunction(stack, 'Handler', { entry, ...props })).toThrow(message);
  });
});
