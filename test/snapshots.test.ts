import { Duration, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  DependencyLayer, DynamoStreamSource, EventBridgeSource, FailureDestination, FunctionAlarms, KinesisStreamSource, S3Source, ScheduleSource,
  ServerlessFunction, SnsSource, SqsSource, WorkerQueue,
} from '../src';
import { addedResources, entry, makeUnbundledApp, scrubbed, streamTable, unbundledFunction } from './helpers';

/**
 * Snapshots of every top-level construct and event source other than ServerlessFunction (test/function), with
 * defaults and with everything on. A source's snapshot holds only what it adds to a function's template. Drift
 * fails CI (jest runs with --ci); after an intended change, regenerate with `npx jest test/snapshots.test.ts --ci=false -u`
 * and review the diff.
 */


/** A stack with one function; `add` attaches what the snapshot is about. */
function withFunction(add: (stack: Stack, fn: ServerlessFunction) => void): { stack: Stack; baseline: Stack } {
  const make = () => unbundledFunction({ timeout: Duration.seconds(10) });
  const { stack, fn } = make();
  add(stack, fn);
  return { stack, baseline: make().stack };
}

describe('WorkerQueue', () => {
  test('snapshot: defaults', () => {
    const { stack, baseline } = withFunction((s, fn) => new WorkerQueue(s, 'Jobs', { consumer: fn }));
    expect(scrubbed(addedResources(stack, baseline))).toMatchSnapshot();
  });

  test('snapshot: everything on', () => {
    const { stack, baseline } = withFunction((s, fn) => new WorkerQueue(s, 'Jobs', {
      consumer: fn,
      fifo: true,
      maxReceiveCount: 3,
      retentionPeriod: Duration.days(7),
      batchSize: 5,
      maxConcurrency: 20,
      filters: [lambda.FilterCriteria.filter({ body: { kind: lambda.FilterRule.isEqual('order') } })],
    }));
    expect(scrubbed(addedResources(stack, baseline))).toMatchSnapshot();
  });
});

describe('SqsSource', () => {
  test('snapshot: everything on, on a queue with a dead-letter queue', () => {
    const { stack, baseline } = withFunction((s, fn) => {
      const deadLetterQueue = new sqs.Queue(s, 'Dlq');
      const queue = new sqs.Queue(s, 'Orders', { visibilityTimeout: Duration.minutes(2), deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 5 } });
      fn.addEventSource(new SqsSource(queue, { batchSize: 100, maxBatchingWindow: Duration.seconds(5), maxConcurrency: 10, enabled: false }));
    });
    expect(scrubbed(addedResources(stack, baseline))).toMatchSnapshot();
  });
});

describe('DynamoStreamSource and KinesisStreamSource', () => {
  test('snapshot: defaults', () => {
    const { stack, baseline } = withFunction((s, fn) => {
      const table = streamTable(s);
      fn.addEventSource(new DynamoStreamSource(table));
      fn.addEventSource(new KinesisStreamSource(new kinesis.Stream(s, 'Clicks')));
    });
    expect(scrubbed(addedResources(stack, baseline))).toMatchSnapshot();
  });

  test('snapshot: everything on', () => {
    const { stack, baseline } = withFunction((s, fn) => {
      const table = streamTable(s, 'Table', dynamodb.StreamViewType.NEW_AND_OLD_IMAGES);
      const onFailureQueue = new sqs.Queue(s, 'Failures');
      fn.addEventSource(new DynamoStreamSource(table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 500,
        maxBatchingWindow: Duration.seconds(10),
        retryAttempts: 5,
        maxRecordAge: Duration.hours(2),
        parallelizationFactor: 4,
        tumblingWindow: Duration.minutes(1),
        onFailureQueue,
        filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT') })],
      }));
      fn.addEventSource(new KinesisStreamSource(new kinesis.Stream(s, 'Clicks'), { enhancedFanOut: true, batchSize: 1000 }));
    });
    expect(scrubbed(addedResources(stack, baseline))).toMatchSnapshot();
  });
});

describe('S3Source', () => {
  test('snapshot: defaults (an S3 notification, asynchronous, so a failure queue)', () => {
    const { stack, baseline } = withFunction((s, fn) => fn.addEventSource(new S3Source(new s3.Bucket(s, 'Uploads'))));
    expect(scrubbed(addedResources(stack, baseline))).toMatchSnapshot();
  });

  test('snapshot: through EventBridge with key filters and your own failure destination', () => {
    const { stack } = makeUnbundledApp();
    const { stack: baseline } = makeUnbundledApp();
    const failures = new sns.Topic(stack, 'Failures');
    new ServerlessFunction(baseline, 'Fn', { entry, timeout: Duration.seconds(10), onFailure: FailureDestination.topic(new sns.Topic(baseline, 'Failures')), retryAttempts: 1 });
    const fn = new ServerlessFunction(stack, 'Fn', { entry, timeout: Duration.seconds(10), onFailure: FailureDestination.topic(failures), retryAttempts: 1 });
    fn.addEventSource(new S3Source(new s3.Bucket(stack, 'Uploads'), {
      events: [s3.EventType.OBJECT_CREATED, s3.EventType.OBJECT_REMOVED],
      filters: [{ prefix: 'in/', suffix: '.jpg' }, { prefix: 'raw/' }],
      viaEventBridge: true,
    }));
    expect(scrubbed(addedResources(stack, baseline))).toMatchSnapshot();
  });
});

describe('DependencyLayer', () => {
  test('snapshot: defaults', () => {
    const { stack } = makeUnbundledApp();
    new DependencyLayer(stack, 'Deps', { dependencies: { ms: '2.1.3' } });
    expect(scrubbed(Template.fromStack(stack))).toMatchSnapshot();
  });

  test('snapshot: everything on', () => {
    const { stack } = makeUnbundledApp();
    new DependencyLayer(stack, 'Deps', {
      dependencies: { 'ms': '2.1.3', 'date-fns': '^4.1.0' },
      architecture: lambda.Architecture.X86_64,
      runtime: lambda.Runtime.NODEJS_22_X,
      runInstallScripts: true,
      description: 'Shared packages',
      layerVersionName: 'shared-deps',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    expect(scrubbed(Template.fromStack(stack))).toMatchSnapshot();
  });
});

describe('FunctionAlarms', () => {
  test('snapshot: defaults, on a function\'s alias', () => {
    const { stack } = makeUnbundledApp();
    new ServerlessFunction(stack, 'Fn', { entry });
    expect(scrubbed(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))).toMatchSnapshot();
  });

  test('snapshot: everything on, as a construct of its own', () => {
    const { stack, fn } = unbundledFunction({ alarms: { enabled: false } });
    new FunctionAlarms(stack, 'Alarms', {
      alias: fn.alias,
      timeout: Duration.seconds(30),
      provisionedConcurrency: true,
      action: new actions.SnsAction(new sns.Topic(stack, 'OnCall')),
      errorsThreshold: 5,
      throttlesThreshold: 10,
      durationThresholdPercent: 75,
    });
    expect(scrubbed(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))).toMatchSnapshot();
  });
});

/** Like withFunction, with the function's alarms running an action (an SNS topic `Pager`, in both stacks). */
function withPagedFunction(add: (stack: Stack, fn: ServerlessFunction) => void): { stack: Stack; baseline: Stack } {
  const make = () => {
    const { stack } = makeUnbundledApp();
    const pager = new sns.Topic(stack, 'Pager');
    const fn = new ServerlessFunction(stack, 'Fn', { entry, timeout: Duration.seconds(10), alarms: { action: new actions.SnsAction(pager) } });
    return { stack, fn };
  };
  const { stack, fn } = make();
  add(stack, fn);
  return { stack, baseline: make().stack };
}

describe('ScheduleSource', () => {
  test('snapshot: defaults', () => {
    const everyFiveMinutes = scheduler.ScheduleExpression.rate(Duration.minutes(5));
    const { stack, baseline } = withFunction((_s, fn) => fn.addEventSource(new ScheduleSource(everyFiveMinutes)));
    expect(scrubbed(addedResources(stack, baseline))).toMatchSnapshot();
  });

  test('snapshot: everything on', () => {
    const { stack, baseline } = withPagedFunction((s, fn) => fn.addEventSource(new ScheduleSource(
      scheduler.ScheduleExpression.cron({ minute: '0', hour: '8', weekDay: 'MON-FRI', timeZone: TimeZone.EUROPE_PARIS }), {
        id: 'WeekdayMorning',
        input: { report: 'daily' },
        timeWindow: Duration.minutes(15),
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
        description: 'weekday report',
        scheduleGroup: new scheduler.ScheduleGroup(s, 'Reports'),
        enabled: false,
      })));
    expect(scrubbed(addedResources(stack, baseline))).toMatchSnapshot();
  });
});

describe('SnsSource', () => {
  test('snapshot: defaults', () => {
    const { stack, baseline } = withFunction((s, fn) => fn.addEventSource(new SnsSource(new sns.Topic(s, 'Orders'))));
    expect(scrubbed(addedResources(stack, baseline))).toMatchSnapshot();
  });

  test('snapshot: everything on', () => {
    const { stack, baseline } = withPagedFunction((s, fn) => fn.addEventSource(new SnsSource(new sns.Topic(s, 'Orders'), {
      filterPolicyWithMessageBody: { kind: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.stringFilter({ allowlist: ['created'] })) },
      deadLetterQueue: new sqs.Queue(s, 'OwnDeadLetterQueue'),
    })));
    expect(scrubbed(addedResources(stack, baseline))).toMatchSnapshot();
  });
});

describe('EventBridgeSource', () => {
  test('snapshot: defaults', () => {
    const { stack, baseline } = withFunction((_s, fn) => fn.addEventSource(new EventBridgeSource({ eventPattern: { source: ['shop.orders'] } })));
    expect(scrubbed(addedResources(stack, baseline))).toMatchSnapshot();
  });

  test('snapshot: everything on', () => {
    const { stack, baseline } = withPagedFunction((s, fn) => fn.addEventSource(new EventBridgeSource({
      id: 'BigOrders',
      eventPattern: { source: ['shop.orders'], detailType: ['Order Placed'], detail: { total: events.Match.greaterThan(100) } },
      eventBus: new events.EventBus(s, 'Bus'),
      description: 'orders over 100',
      event: events.RuleTargetInput.fromEventPath('$.detail'),
      retryAttempts: 5,
      maxEventAge: Duration.hours(2),
    })));
    expect(scrubbed(addedResources(stack, baseline))).toMatchSnapshot();
  });
});
