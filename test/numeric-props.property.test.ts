import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as fc from 'fast-check';
import {
  Deployment, DynamoStreamSource, EventBridgeSource, ProvisionedConcurrency, ScheduleSource, ServerlessFunction, ServerlessFunctionProps, SqsSource,
  WorkerQueue,
} from '../src';
import { entry, streamTable } from './helpers';

/**
 * Property tests of every numeric prop: any value in the documented range synthesizes a template that passes
 * aws-cdk-lib's CloudFormation schema validator (`@aws-cdk/core:validateAgainstDefaultRules`) and carries the value;
 * any value out of range, or not whole where whole numbers are required, is rejected with a message naming the prop.
 */


interface NumericProp {
  /** The prop, as error messages name it. */
  readonly prop: string;
  readonly min: number;
  readonly max: number;
  /** Whether only whole numbers are allowed. */
  readonly integer: boolean;
  /** A Duration or Size: aws-cdk-lib itself refuses negative amounts, so those are not generated. */
  readonly amount?: boolean;
  /** Build a stack using the value. */
  readonly build: (stack: Stack, value: number) => void;
  /** Where the value lands in the template (resource type and a reader of its properties). */
  readonly type: string;
  readonly read: (properties: any) => unknown;
  /** What `read` returns for the value. @default the value */
  readonly expected?: (value: number) => unknown;
}

const fn = (stack: Stack, props: Partial<ServerlessFunctionProps> = {}) => new ServerlessFunction(stack, 'Fn', { entry, ...props });
const seconds = (v: number) => Duration.millis(Math.round(v * 1000));
const stream = (stack: Stack, options: object) => fn(stack).addEventSource(new DynamoStreamSource(streamTable(stack), options));
const everyHour = scheduler.ScheduleExpression.rate(Duration.hours(1));
const queue = (stack: Stack) => new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.minutes(15) });

const PROPS: NumericProp[] = [
  { prop: 'memorySize', min: 128, max: 10240, integer: true, build: (s, v) => fn(s, { memorySize: v }), type: 'AWS::Lambda::Function', read: (p) => p.MemorySize },
  { prop: 'timeout', amount: true, min: 1, max: 900, integer: true, build: (s, v) => fn(s, { timeout: seconds(v) }), type: 'AWS::Lambda::Function', read: (p) => p.Timeout },
  { prop: 'ephemeralStorageSize', amount: true, min: 512, max: 10240, integer: true, build: (s, v) => fn(s, { ephemeralStorageSize: Size.kibibytes(Math.round(v * 1024)) }), type: 'AWS::Lambda::Function', read: (p) => p.EphemeralStorage.Size },
  { prop: 'reservedConcurrentExecutions', min: 0, max: 1_000_000, integer: true, build: (s, v) => fn(s, { reservedConcurrentExecutions: v }), type: 'AWS::Lambda::Function', read: (p) => p.ReservedConcurrentExecutions },
  { prop: 'retryAttempts', min: 0, max: 2, integer: true, build: (s, v) => fn(s, { retryAttempts: v, asyncInvocation: true }), type: 'AWS::Lambda::EventInvokeConfig', read: (p) => p.MaximumRetryAttempts },
  { prop: 'maxEventAge', amount: true, min: 60, max: 21_600, integer: true, build: (s, v) => fn(s, { maxEventAge: seconds(v), asyncInvocation: true }), type: 'AWS::Lambda::EventInvokeConfig', read: (p) => p.MaximumEventAgeInSeconds },
  { prop: 'provisionedConcurrency (fixed)', min: 1, max: 100_000, integer: true, build: (s, v) => fn(s, { provisionedConcurrency: ProvisionedConcurrency.fixed(v) }), type: 'AWS::Lambda::Alias', read: (p) => p.ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions },
  {
    prop: 'provisionedConcurrency.utilizationTarget',
    min: 0.1,
    max: 0.9,
    integer: false,
    build: (s, v) => fn(s, { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 10, utilizationTarget: v }) }),
    type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
    read: (p) => p.TargetTrackingScalingPolicyConfiguration.TargetValue,
  },
  { prop: 'alarms.errorsThreshold', min: 1, max: 1_000_000, integer: true, build: (s, v) => fn(s, { alarms: { errorsThreshold: v, throttles: false, duration: false } }), type: 'AWS::CloudWatch::Alarm', read: (p) => p.Threshold },
  {
    prop: 'alarms.durationThresholdPercent',
    min: 1,
    max: 100,
    integer: false,
    build: (s, v) => fn(s, { timeout: Duration.seconds(100), alarms: { durationThresholdPercent: v, errors: false, throttles: false } }),
    type: 'AWS::CloudWatch::Alarm',
    read: (p) => p.Threshold,
    expected: (v) => Math.round(v * 1000),
  },
  {
    prop: 'deployment (canary).percentage',
    min: 1,
    max: 99,
    integer: true,
    build: (s, v) => fn(s, { deployment: Deployment.canary({ percentage: v, interval: Duration.minutes(7) }) }),
    type: 'AWS::CodeDeploy::DeploymentConfig',
    read: (p) => p.TrafficRoutingConfig.TimeBasedCanary.CanaryPercentage,
  },
  {
    prop: 'deployment (linear).interval',
    amount: true,
    min: 1,
    max: 2880,
    integer: true,
    build: (s, v) => fn(s, { deployment: Deployment.linear({ percentage: 7, interval: Duration.seconds(Math.round(v * 60)) }) }),
    type: 'AWS::CodeDeploy::DeploymentConfig',
    read: (p) => p.TrafficRoutingConfig.TimeBasedLinear.LinearInterval,
  },
  { prop: 'SqsSource(Stack/Queue).batchSize', min: 1, max: 10, integer: true, build: (s, v) => fn(s).addEventSource(new SqsSource(queue(s), { batchSize: v })), type: 'AWS::Lambda::EventSourceMapping', read: (p) => p.BatchSize },
  {
    prop: 'SqsSource(Stack/Queue).maxBatchingWindow',
    amount: true,
    min: 0,
    max: 300,
    integer: true,
    build: (s, v) => fn(s).addEventSource(new SqsSource(queue(s), { maxBatchingWindow: seconds(v) })),
    type: 'AWS::Lambda::EventSourceMapping',
    read: (p) => p.MaximumBatchingWindowInSeconds ?? 0,
  },
  { prop: 'SqsSource(Stack/Queue).maxConcurrency', min: 2, max: 1000, integer: true, build: (s, v) => fn(s).addEventSource(new SqsSource(queue(s), { maxConcurrency: v })), type: 'AWS::Lambda::EventSourceMapping', read: (p) => p.ScalingConfig.MaximumConcurrency },
  { prop: 'DynamoStreamSource(Stack/Table).batchSize', min: 1, max: 10_000, integer: true, build: (s, v) => stream(s, { batchSize: v }), type: 'AWS::Lambda::EventSourceMapping', read: (p) => p.BatchSize },
  { prop: 'DynamoStreamSource(Stack/Table).retryAttempts', min: 0, max: 10_000, integer: true, build: (s, v) => stream(s, { retryAttempts: v }), type: 'AWS::Lambda::EventSourceMapping', read: (p) => p.MaximumRetryAttempts },
  { prop: 'DynamoStreamSource(Stack/Table).parallelizationFactor', min: 1, max: 10, integer: true, build: (s, v) => stream(s, { parallelizationFactor: v }), type: 'AWS::Lambda::EventSourceMapping', read: (p) => p.ParallelizationFactor },
  { prop: 'DynamoStreamSource(Stack/Table).maxRecordAge', amount: true, min: 60, max: 604_800, integer: true, build: (s, v) => stream(s, { maxRecordAge: seconds(v) }), type: 'AWS::Lambda::EventSourceMapping', read: (p) => p.MaximumRecordAgeInSeconds },
  {
    prop: 'DynamoStreamSource(Stack/Table).tumblingWindow',
    amount: true,
    min: 0,
    max: 900,
    integer: true,
    build: (s, v) => stream(s, { tumblingWindow: seconds(v) }),
    type: 'AWS::Lambda::EventSourceMapping',
    read: (p) => p.TumblingWindowInSeconds ?? 0,
  },
  {
    prop: 'maxReceiveCount',
    min: 1,
    max: 1000,
    integer: true,
    build: (s, v) => new WorkerQueue(s, 'Jobs', { consumer: fn(s), maxReceiveCount: v }),
    type: 'AWS::SQS::Queue',
    read: (p) => p.RedrivePolicy?.maxReceiveCount,
  },
  { prop: 'ScheduleSource(rate(1 hour)).retryAttempts', min: 0, max: 185, integer: true, build: (s, v) => fn(s).addEventSource(new ScheduleSource(everyHour, { retryAttempts: v })), type: 'AWS::Scheduler::Schedule', read: (p) => p.Target.RetryPolicy.MaximumRetryAttempts },
  { prop: 'ScheduleSource(rate(1 hour)).maxEventAge', amount: true, min: 60, max: 86_400, integer: true, build: (s, v) => fn(s).addEventSource(new ScheduleSource(everyHour, { maxEventAge: seconds(v) })), type: 'AWS::Scheduler::Schedule', read: (p) => p.Target.RetryPolicy.MaximumEventAgeInSeconds },
  { prop: 'ScheduleSource(rate(1 hour)).timeWindow', amount: true, min: 1, max: 1440, integer: true, build: (s, v) => fn(s).addEventSource(new ScheduleSource(everyHour, { timeWindow: seconds(v * 60) })), type: 'AWS::Scheduler::Schedule', read: (p) => p.FlexibleTimeWindow.MaximumWindowInMinutes },
  { prop: 'EventBridgeSource.retryAttempts', min: 0, max: 185, integer: true, build: (s, v) => fn(s).addEventSource(new EventBridgeSource({ eventPattern: { source: ['shop'] }, retryAttempts: v })), type: 'AWS::Events::Rule', read: (p) => p.Targets[0].RetryPolicy.MaximumRetryAttempts },
  { prop: 'EventBridgeSource.maxEventAge', amount: true, min: 60, max: 86_400, integer: true, build: (s, v) => fn(s).addEventSource(new EventBridgeSource({ eventPattern: { source: ['shop'] }, maxEventAge: seconds(v) })), type: 'AWS::Events::Rule', read: (p) => p.Targets[0].RetryPolicy.MaximumEventAgeInSeconds },
];

/** A stack with bundling skipped and the CloudFormation schema validator on. */
function validatedStack(): { app: App; stack: Stack } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:validateAgainstDefaultRules': true } });
  return { app, stack: new Stack(app, 'Stack') };
}

/** Valid values: the range, its bounds, and fractions where they are allowed. */
function valid(p: NumericProp): fc.Arbitrary<number> {
  return p.integer
    ? fc.integer({ min: p.min, max: p.max })
    : fc.double({ min: p.min, max: p.max, noNaN: true }).map((v) => Math.round(v * 1000) / 1000).filter((v) => v >= p.min && v <= p.max);
}

/** Invalid values: below, above, and fractions where only whole numbers are allowed. */
function invalid(p: NumericProp): fc.Arbitrary<number> {
  const lowest = p.amount ? 0 : -1_000_000;
  const outside = [fc.integer({ min: Math.floor(p.max) + 1, max: Math.floor(p.max) * 10 + 1000 })];
  if (Math.ceil(p.min) - 1 >= lowest) {
    outside.push(fc.integer({ min: lowest, max: Math.ceil(p.min) - 1 }));
  }
  if (p.integer && p.max > p.min) {
    outside.push(fc.integer({ min: p.min, max: p.max - 1 }).map((v) => v + 0.5));
  }
  return fc.oneof(...outside);
}

describe.each(PROPS)('$prop', (p) => {
  test(`every value from ${p.min} to ${p.max} synthesizes a valid template that carries it`, () => {
    fc.assert(fc.property(valid(p), (value) => {
      const { app, stack } = validatedStack();
      p.build(stack, value);
      const template = app.synth().getStackByName(stack.stackName).template;
      const carried = Object.values<any>(template.Resources).filter((r) => r.Type === p.type).map((r) => p.read(r.Properties));
      expect(carried).toContainEqual((p.expected ?? ((v: number) => v))(value));
    }), { numRuns: 20, examples: [[p.min], [p.max]] });
  });

  test('every value outside the range is rejected, naming the prop', () => {
    fc.assert(fc.property(invalid(p), (value) => {
      const { app, stack } = validatedStack();
      expect(() => {
        p.build(stack, value);
        app.synth();
      }).toThrow(`\`${p.prop}\``);
    }), { numRuns: 60, examples: [...(p.min > 0 || !p.amount ? [[p.min - (p.integer ? 1 : 0.01)]] : []), [p.max + (p.integer ? 1 : 0.01)]] });
  });
});
