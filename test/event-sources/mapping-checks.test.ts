import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, KinesisEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DynamoStreamSource, KinesisStreamSource, ServerlessFunction, SqsSource } from '../../src';
import { checkFifoBinding, checkQueueBinding, checkStreamBinding } from '../../src/event-sources/mapping-checks';
import { readmeFunction, streamTable } from '../helpers';


describe('aws-cdk-lib\'s own event sources bound to a ServerlessFunction get the same checks', () => {
  test('fails if an SqsEventSource queue\'s visibility timeout (10 s) is under the function\'s timeout (30 s), as in the README', () => {
    // GIVEN
    const { app, stack, fn } = readmeFunction();
    const queue = new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(10) });

    // WHEN
    fn.addEventSource(new SqsEventSource(queue));

    // THEN
    expect(() => app.synth()).toThrow(/^Stack\/Orders: the visibility timeout of Stack\/Queue \(10 seconds\) must be at least the function's timeout \(30 seconds\): AWS rejects the event source mapping$/);
  });

  test('fails the same way for a mapping on the alias, on the function, or made by hand', () => {
    for (const bind of [
      (fn: ServerlessFunction, q: sqs.Queue) => fn.alias.addEventSource(new SqsEventSource(q)),
      (fn: ServerlessFunction, q: sqs.Queue) => lambda.Function.prototype.addEventSource.call(fn, new SqsEventSource(q)),
      (fn: ServerlessFunction, q: sqs.Queue) => new lambda.EventSourceMapping(fn.stack, 'ByHand', { target: fn, eventSourceArn: q.queueArn }),
    ]) {
      const { app, stack, fn } = readmeFunction();
      bind(fn, new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(10) }));
      expect(() => app.synth()).toThrow(/visibility timeout of Stack\/Queue \(10 seconds\) must be at least the function's timeout/);
    }
  });

  test('fails if a FIFO queue\'s mapping has more than 10 per batch or a batching window (aws-cdk-lib checks only its own class)', () => {
    const { app, stack, fn } = readmeFunction();
    const queue = new sqs.Queue(stack, 'Queue', { fifo: true, visibilityTimeout: Duration.minutes(3) });
    new lambda.EventSourceMapping(stack, 'ByHand', { target: fn.alias, eventSourceArn: queue.queueArn, batchSize: 20, maxBatchingWindow: Duration.seconds(5) });
    expect(() => app.synth()).toThrow(new RegExp('^Stack/Orders: 2 problems:\n' +
      '  - `Stack/ByHand.batchSize` must be .*10.*, got 20\n' +
      '  - `Stack/ByHand.maxBatchingWindow` cannot be used with a FIFO queue, got 5 seconds$'));
  });

  test('warns as SqsSource does: short visibility timeout for the advice, and no redrive policy', () => {
    const { stack, fn } = readmeFunction();
    fn.addEventSource(new SqsEventSource(new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(60) })));
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Orders', Match.stringLikeRegexp('visibility timeout of Stack/Queue \\(60 seconds\\) is under 6 × .*\\[ack: cdk-lambda-kit:sqsVisibilityTimeout\\]'));
    annotations.hasWarning('/Stack/Orders', Match.stringLikeRegexp('Stack/Queue has no redrive policy.*\\[ack: cdk-lambda-kit:queueWithoutRedrive\\]'));
  });

  test('a well-made queue on an SqsEventSource synthesizes without a warning', () => {
    const { stack, fn } = readmeFunction();
    const dlq = new sqs.Queue(stack, 'Dlq');
    fn.addEventSource(new SqsEventSource(new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.minutes(3), deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } })));
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-lambda-kit:'));
  });

  test('SqsSource still warns once, not twice', () => {
    const { stack, fn } = readmeFunction();
    fn.addEventSource(new SqsSource(new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(60) })));
    expect(Annotations.fromStack(stack).findWarning('/Stack/Orders', Match.stringLikeRegexp('queueWithoutRedrive'))).toHaveLength(1);
  });

  test('warns if a DynamoEventSource retries forever and keeps nothing it gives up on (aws-cdk-lib\'s defaults)', () => {
    const { stack, fn } = readmeFunction();
    const table = streamTable(stack);
    fn.addEventSource(new DynamoEventSource(table, { startingPosition: lambda.StartingPosition.LATEST }));
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Orders', Match.stringLikeRegexp('of Stack/Table until its records expire.*\\[ack: cdk-lambda-kit:unboundedStreamRetries\\]'));
    annotations.hasWarning('/Stack/Orders', Match.stringLikeRegexp('no on-failure destination: records of Stack/Table.*\\[ack: cdk-lambda-kit:streamWithoutOnFailure\\]'));
  });

  test('a KinesisEventSource with bounded retries and an on-failure queue synthesizes without a warning', () => {
    const { stack, fn } = readmeFunction();
    fn.addEventSource(new KinesisEventSource(new kinesis.Stream(stack, 'Clicks'), {
      startingPosition: lambda.StartingPosition.LATEST, retryAttempts: 3, onFailure: new SqsDlq(new sqs.Queue(stack, 'Failed')),
    }));
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-lambda-kit:(unboundedStreamRetries|streamWithoutOnFailure)'));
  });

  test('warns about a KinesisEventSource without an on-failure destination', () => {
    const { stack, fn } = readmeFunction();
    fn.addEventSource(new KinesisEventSource(new kinesis.Stream(stack, 'Clicks'), { startingPosition: lambda.StartingPosition.LATEST, retryAttempts: 3 }));
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Orders', Match.stringLikeRegexp('streamWithoutOnFailure'));
    annotations.hasNoWarning('/Stack/Orders', Match.stringLikeRegexp('unboundedStreamRetries'));
  });

  test('this library\'s stream sources pass the checks', () => {
    const { stack, fn } = readmeFunction();
    const table = streamTable(stack);
    fn.addEventSource(new DynamoStreamSource(table));
    fn.addEventSource(new KinesisStreamSource(new kinesis.Stream(stack, 'Clicks'), { enhancedFanOut: true }));
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-lambda-kit:'));
  });

  test('a mapping of a plain lambda.Function is not judged', () => {
    const { app, stack } = readmeFunction();
    const plain = new lambda.Function(stack, 'Plain', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=1'), timeout: Duration.seconds(30) });
    plain.addEventSource(new SqsEventSource(new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(10) })));
    expect(() => app.synth()).not.toThrow();
  });
});

describe('the pure checks', () => {
  test('queue: visibility under the timeout is a problem; under 6 × timeout + window a warning; no redrive a warning', () => {
    expect(checkQueueBinding({ queuePath: 'Q', visibilitySeconds: 10, timeoutSeconds: 30, windowSeconds: 0, hasRedrivePolicy: true }).problems).toHaveLength(1);
    expect(checkQueueBinding({ queuePath: 'Q', visibilitySeconds: 180, timeoutSeconds: 30, windowSeconds: 5, hasRedrivePolicy: true }).warnings.map((w) => w.id)).toEqual(['cdk-lambda-kit:sqsVisibilityTimeout']);
    expect(checkQueueBinding({ queuePath: 'Q', visibilitySeconds: 185, timeoutSeconds: 30, windowSeconds: 5, hasRedrivePolicy: false }).warnings.map((w) => w.id)).toEqual(['cdk-lambda-kit:queueWithoutRedrive']);
    expect(checkQueueBinding({ queuePath: 'Q', visibilitySeconds: undefined, timeoutSeconds: 30, windowSeconds: 0 })).toEqual({ problems: [], warnings: [] });
  });

  test('FIFO: at most 10 per batch, no window', () => {
    expect(checkFifoBinding({ mappingPath: 'M', batchSize: 10, windowSeconds: 0 })).toEqual([]);
    expect(checkFifoBinding({ mappingPath: 'M', batchSize: 11, windowSeconds: 1 })).toHaveLength(2);
  });

  test('stream: either bound on retries is enough; the destination is separate', () => {
    expect(checkStreamBinding({ mappingPath: 'M', sourcePath: 'S', maxRecordAgeSeconds: 3600, hasOnFailure: true })).toEqual([]);
    expect(checkStreamBinding({ mappingPath: 'M', sourcePath: 'S', retryAttempts: -1, maxRecordAgeSeconds: -1, hasOnFailure: true }).map((w) => w.id)).toEqual(['cdk-lambda-kit:unboundedStreamRetries']);
  });
});
