import { CloudFormationValidatePlugin, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ServerlessFunction } from '../../src';
import { entry, readmeFunction } from '../helpers';

/**
 * CloudFormation's resource schemas, through aws-cdk-lib's template validator, as errors for the resources of this
 * library and those bound to its functions, whatever `@aws-cdk/core:validateAgainstDefaultRules` says.
 */


describe('CloudFormation schema findings on resources of the library, and bound to its functions, are errors', () => {
  test('fails if a bare EventSourceMapping on the function reads 20,000 messages a batch (aws-cdk-lib accepts it)', () => {
    // AWS (CreateEventSourceMapping, BatchSize): "Amazon Simple Queue Service - Default 10. For standard queues the max
    // is 10,000. For FIFO queues the max is 10."
    const { app, stack, fn } = readmeFunction();
    const queue = new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.minutes(5) });
    new lambda.EventSourceMapping(stack, 'ByHand', { target: fn.alias, eventSourceArn: queue.queueArn, batchSize: 20_000, maxBatchingWindow: Duration.seconds(5) });
    expect(() => app.synth()).toThrow(/^Stack\/ByHand: `BatchSize` of the AWS::Lambda::EventSourceMapping \(bound to Stack\/Orders\): 20000 is greater than the maximum of 10000\. CloudFormation refuses it at deploy \(rule F3034/m);
  });

  test('fails if an escape hatch sets a value the schema refuses on the function itself, with the flag off or on', () => {
    // AWS (Lambda quotas): "Function memory allocation: 128 MB to 10,240 MB, in 1-MB increments."
    for (const flag of [false, true]) {
      const { app, fn } = readmeFunction({ '@aws-cdk/core:validateAgainstDefaultRules': flag });
      (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride('MemorySize', 64);
      expect(() => app.synth()).toThrow(/^Stack\/Orders: `MemorySize` of the AWS::Lambda::Function: 64 is less than the minimum of 128/m);
    }
  });

  test('fails for the queue a mapping on the function reads, under the queue\'s path', () => {
    // AWS (AWS::SQS::Queue, MessageRetentionPeriod): "an integer from 60 seconds (1 minute) to 1,209,600 seconds (14 days)".
    const { app, stack, fn } = readmeFunction();
    const queue = new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.minutes(5) });
    (queue.node.defaultChild as sqs.CfnQueue).addPropertyOverride('MessageRetentionPeriod', 10);
    fn.addEventSource(new SqsEventSource(queue));
    expect(() => app.synth()).toThrow(/^Stack\/Queue: `MessageRetentionPeriod` of the AWS::SQS::Queue \(bound to Stack\/Orders\): 10 is less than the minimum of 60/m);
  });

  test('collects every finding of the stack into one error', () => {
    const { app, stack, fn } = readmeFunction();
    (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride('MemorySize', 64);
    const queue = new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.minutes(5) });
    new lambda.EventSourceMapping(stack, 'ByHand', { target: fn, eventSourceArn: queue.queueArn, batchSize: 20_000, maxBatchingWindow: Duration.seconds(5) });
    expect(() => app.synth()).toThrow(/Stack\/Orders: `MemorySize`[^\n]*\nStack\/ByHand: `BatchSize`/);
  });

  test('leaves resources that have nothing to do with the library to aws-cdk-lib (a warning without the flag)', () => {
    const { app, stack } = readmeFunction();
    const other = new sqs.Queue(stack, 'Unrelated');
    (other.node.defaultChild as sqs.CfnQueue).addPropertyOverride('MessageRetentionPeriod', 10);
    expect(() => app.synth()).not.toThrow();
  });

  test('an acknowledgement of the rule on the resource is respected', () => {
    const { app, fn } = readmeFunction();
    (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride('MemorySize', 64);
    Validations.of(fn).acknowledge({ id: 'CloudFormation-Validate::F3034', reason: 'testing the acknowledgement' });
    expect(() => app.synth()).not.toThrow();
  });

  test('a valid function with its sources synthesizes without an error', () => {
    const { app, stack, fn } = readmeFunction();
    const queue = new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.minutes(5) });
    new lambda.EventSourceMapping(stack, 'ByHand', { target: fn.alias, eventSourceArn: queue.queueArn, batchSize: 10_000, maxBatchingWindow: Duration.seconds(5) });
    expect(() => app.synth()).not.toThrow();
  });

  test('the validator runs once per template: aws-cdk-lib\'s own run reuses the report', () => {
    type PluginClass = { prototype: { validate: (...a: unknown[]) => unknown }; _disposeSingleton(): void };
    const plugin = CloudFormationValidatePlugin as unknown as PluginClass;
    plugin._disposeSingleton();
    const spy = jest.spyOn(plugin.prototype, 'validate');
    try {
      const { app, stack, fn } = readmeFunction();
      const two = new Stack(app, 'Two');
      new ServerlessFunction(two, 'Other', { entry });
      new sqs.Queue(stack, 'Queue');
      void fn;
      app.synth();
      // Once per stack (this library, right after each template is written), none for aws-cdk-lib's run.
      expect(spy.mock.calls.map((c) => (c[0] as { stackTemplates: unknown[] }).stackTemplates.length)).toEqual([1, 1]);
    } finally {
      spy.mockRestore();
      plugin._disposeSingleton();
    }
  });
});
