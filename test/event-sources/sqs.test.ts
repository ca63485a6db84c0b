import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ServerlessFunction, ServerlessFunctionProps, SqsSource, SqsSourceOptions, WorkerQueue } from '../../src';
import { entry, makeUnbundledApp, unbundledFunction } from '../helpers';


function setup(queueProps: sqs.QueueProps = {}, fnProps: Partial<ServerlessFunctionProps> = {}) {
  const { stack } = makeUnbundledApp();
  const dlq = new sqs.Queue(stack, 'Dlq');
  const queue = new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.minutes(3), deadLetterQueue: { queue: dlq, maxReceiveCount: 3 }, ...queueProps });
  const fn = new ServerlessFunction(stack, 'Worker', { entry, timeout: Duration.seconds(30), ...fnProps });
  return { stack, queue, fn };
}

describe('SqsSource', () => {
  test('defaults: batch of 10, partial batch responses, through the alias, consume grant scoped to the queue', () => {
    const { stack, queue, fn } = setup();
    fn.addEventSource(new SqsSource(queue));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Queue'), 'Arn'] },
      FunctionName: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
    });
    expect(JSON.stringify(template.findResources('AWS::Lambda::EventSourceMapping'))).toContain(stack.getLogicalId(fn.alias.node.defaultChild as any));
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('sqs:ReceiveMessage');
    expect(policies).not.toMatch(/"Resource":"\*"[^}]*sqs:/);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-lambda-kit:'));
  });

  test('user-supplied options are used', () => {
    const { stack, queue, fn } = setup();
    fn.addEventSource(new SqsSource(queue, {
      batchSize: 500,
      maxBatchingWindow: Duration.seconds(20),
      reportBatchItemFailures: false,
      maxConcurrency: 5,
      filters: [lambda.FilterCriteria.filter({ body: { type: lambda.FilterRule.isEqual('order') } })],
      enabled: false,
    }));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 20,
      FunctionResponseTypes: Match.absent(),
      ScalingConfig: { MaximumConcurrency: 5 },
      FilterCriteria: { Filters: [{ Pattern: '{"body":{"type":["order"]}}' }] },
      Enabled: false,
    });
  });

  test('warns when the visibility timeout is under 6 × the timeout plus the window', () => {
    const { stack, queue, fn } = setup({ visibilityTimeout: Duration.seconds(60) });
    fn.addEventSource(new SqsSource(queue));
    Annotations.fromStack(stack).hasWarning('/Stack/Worker', Match.stringLikeRegexp('visibility timeout of Stack/Queue \\(60 seconds\\) is under 6 × .* \\(180 seconds\\).*\\[ack: cdk-lambda-kit:sqsVisibilityTimeout\\]'));
  });

  test('warns with a stable id when the queue has no redrive policy', () => {
    const { stack } = makeUnbundledApp();
    const queue = new sqs.Queue(stack, 'Bare', { visibilityTimeout: Duration.minutes(5) });
    new ServerlessFunction(stack, 'Worker', { entry, events: [new SqsSource(queue)] });
    Annotations.fromStack(stack).hasWarning('/Stack/Worker', Match.stringLikeRegexp('Stack/Bare has no redrive policy.*\\[ack: cdk-lambda-kit:queueWithoutRedrive\\]'));
  });

  test.each<[string, sqs.QueueProps, SqsSourceOptions, RegExp]>([
    ['the visibility timeout is shorter than the function timeout', { visibilityTimeout: Duration.seconds(10) }, {},
      /^Stack\/Worker: the visibility timeout of Stack\/Queue \(10 seconds\) must be at least the function's timeout \(30 seconds\): AWS rejects the event source mapping$/],
    ['a batch over 10 has no batching window', {}, { batchSize: 50 }, /`SqsSource\(Stack\/Queue\).batchSize` must be a whole number from 1 to 10, got 50 \(more than 10 needs a `maxBatchingWindow`\)/],
    ['a batch is over 10,000', {}, { batchSize: 20000, maxBatchingWindow: Duration.seconds(1) }, /`SqsSource\(Stack\/Queue\).batchSize` must be a whole number from 1 to 10000, got 20000/],
    ['a FIFO queue gets a batch over 10', { fifo: true }, { batchSize: 20 }, /`SqsSource\(Stack\/Queue.fifo\)|batchSize` must be a whole number from 1 to 10, got 20/],
    ['a FIFO queue gets a batching window', { fifo: true }, { maxBatchingWindow: Duration.seconds(5) }, /`SqsSource\(.*\).maxBatchingWindow` cannot be used with a FIFO queue, got 5 seconds/],
    ['the batching window is over 5 minutes', {}, { maxBatchingWindow: Duration.seconds(301) }, /`SqsSource\(Stack\/Queue\).maxBatchingWindow` must be whole seconds from 0 to 300, got 5 minutes 1 second/],
    ['the maximum concurrency is 1', {}, { maxConcurrency: 1 }, /`SqsSource\(Stack\/Queue\).maxConcurrency` must be a whole number from 2 to 1000, got 1/],
  ])('fails if %s', (_name, queueProps, options, message) => {
    const { queue, fn } = setup(queueProps);
    expect(() => fn.addEventSource(new SqsSource(queue, options))).toThrow(message);
  });
});

describe('WorkerQueue', () => {
  test('creates the queue and its dead-letter queue correctly for the consumer', () => {
    const { stack, fn } = unbundledFunction({ timeout: Duration.seconds(20) }, 'Worker');
    const work = new WorkerQueue(stack, 'Orders', { consumer: fn, maxBatchingWindow: Duration.seconds(10) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 130,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true });
    template.resourcePropertiesCountIs('AWS::SQS::QueuePolicy', { PolicyDocument: Match.objectLike({ Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) }) }, 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { MaximumBatchingWindowInSeconds: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(work.deadLetterQueueAlarm).toBeDefined();
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-lambda-kit:'));
  });

  test('fails if maxReceiveCount is out of range', () => {
    const { stack, fn } = unbundledFunction({}, 'Worker');
    expect(() => new WorkerQueue(stack, 'Orders', { consumer: fn, maxReceiveCount: 0 })).toThrow(/^Stack\/Orders: `maxReceiveCount` must be a whole number from 1 to 1000, got 0$/);
  });
});
