import { Duration, Lazy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { EventBridgeSource, ServerlessFunction } from '../../src';
import { checkEventPattern } from '../../src/event-sources/eventbridge';
import { entry, makeUnbundledApp, unbundledFunction } from '../helpers';

const orderPlaced: events.EventPattern = { source: ['shop.orders'], detailType: ['Order Placed'] };

describe('EventBridgeSource', () => {
  test('defaults: a rule on the default bus, the alias as target with a retry policy and a dead-letter queue, async failure handling engaged', () => {
    const { stack, fn } = unbundledFunction({}, 'Billing');
    const source = new EventBridgeSource({ eventPattern: orderPlaced });
    fn.addEventSource(source);
    const template = Template.fromStack(stack);
    const aliasRef = { Ref: stack.getLogicalId(fn.alias.node.defaultChild as any) };
    const [ruleId] = Object.keys(template.findResources('AWS::Events::Rule'));
    const [dlqId] = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => /^BillingRule[0-9A-F]{8}DeadLetterQueue/.test(id));
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: { 'source': ['shop.orders'], 'detail-type': ['Order Placed'] },
      Targets: [Match.objectLike({
        Arn: aliasRef,
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
      })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com', FunctionName: aliasRef, SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'sqs:SendMessage',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
        })]),
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }] });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BillingAsyncFailureQueue'), 'Arn'] } } },
    });
    expect(source.rule).toBeDefined();
  });

  test('user-supplied options are used: bus, retry policy, input, dead-letter queue, id', () => {
    const { stack, fn } = unbundledFunction({}, 'Billing');
    const bus = new events.EventBus(stack, 'Bus');
    const queue = new sqs.Queue(stack, 'Mine');
    fn.addEventSource(new EventBridgeSource({
      id: 'OrderPlaced',
      eventPattern: { ...orderPlaced, detail: { total: [{ numeric: ['>', 100] }] } as any },
      eventBus: bus,
      description: 'big orders',
      retryAttempts: 2,
      maxEventAge: Duration.minutes(5),
      event: events.RuleTargetInput.fromEventPath('$.detail'),
      deadLetterQueue: queue,
    }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: stack.getLogicalId(bus.node.defaultChild as any) },
      Description: 'big orders',
      Targets: [Match.objectLike({
        InputPath: '$.detail',
        RetryPolicy: { MaximumEventAgeInSeconds: 300, MaximumRetryAttempts: 2 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as any), 'Arn'] } },
      })],
    });
    expect(fn.node.tryFindChild('OrderPlaced')).toBeDefined();
  });

  test('an existing rule gets the alias as its target', () => {
    const { stack, fn } = unbundledFunction({}, 'Billing');
    const rule = new events.Rule(stack, 'Nightly', { eventPattern: orderPlaced });
    fn.addEventSource(new EventBridgeSource({ rule }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { Ref: stack.getLogicalId(fn.alias.node.defaultChild as any) }, DeadLetterConfig: Match.anyValue() })],
    });
    expect(Object.keys(template.findResources('AWS::SQS::Queue')).some((id) => /^BillingNightly[0-9A-F]{8}DeadLetterQueue/.test(id))).toBe(true);
  });

  test('the dead-letter queue alarm runs the function\'s alarm action', () => {
    const { stack } = makeUnbundledApp();
    const pager = new sns.Topic(stack, 'Pager');
    const fn = new ServerlessFunction(stack, 'Billing', { entry, alarms: { action: new actions.SnsAction(pager) } });
    fn.addEventSource(new EventBridgeSource({ eventPattern: orderPlaced }));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BillingRule'), 'QueueName'] } }],
      AlarmActions: [{ Ref: stack.getLogicalId(pager.node.defaultChild as any) }],
    });
  });

  test('fails if the retry policy is out of range', () => {
    const { fn } = unbundledFunction({}, 'Billing');
    expect(() => fn.addEventSource(new EventBridgeSource({ eventPattern: orderPlaced, retryAttempts: -1, maxEventAge: Duration.days(2) })))
      .toThrow(/^Stack\/Billing: 2 problems:\n {2}- `EventBridgeSource\.retryAttempts` must be a whole number from 0 to 185, got -1\n {2}- `EventBridgeSource\.maxEventAge` must be whole seconds from 60 seconds to 24 hours, got 2 days$/);
  });

  test('fails if neither a pattern nor a rule is given, or both', () => {
    const { stack, fn } = unbundledFunction({}, 'Billing');
    expect(() => fn.addEventSource(new EventBridgeSource({}))).toThrow(/`EventBridgeSource\.eventPattern` or `rule` must be given, got neither/);
    const rule = new events.Rule(stack, 'Nightly', { eventPattern: orderPlaced });
    expect(() => fn.addEventSource(new EventBridgeSource({ rule, eventPattern: orderPlaced })))
      .toThrow(/`EventBridgeSource\(Stack\/Nightly\)\.rule` cannot be combined with `eventPattern` or `eventBus`/);
  });

  test('fails if the event pattern is invalid', () => {
    const { fn } = unbundledFunction({}, 'Billing');
    expect(() => fn.addEventSource(new EventBridgeSource({ eventPattern: { source: [] } })))
      .toThrow(/^Stack\/Billing: `EventBridgeSource\.eventPattern` source must list at least one value \(an empty array matches nothing\), got \[\]$/);
  });

  test('fails if the same pattern is added twice without an id', () => {
    const { fn } = unbundledFunction({}, 'Billing');
    fn.addEventSource(new EventBridgeSource({ eventPattern: orderPlaced }));
    expect(() => fn.addEventSource(new EventBridgeSource({ eventPattern: orderPlaced }))).toThrow(/is already on this function \(as Rule[0-9A-F]{8}\)/);
  });

  test('tokens are not judged: retryAttempts, maxEventAge, values in the pattern', () => {
    const { stack, fn } = unbundledFunction({}, 'Billing');
    const bucket = new s3.Bucket(stack, 'Uploads');
    fn.addEventSource(new EventBridgeSource({
      eventPattern: { source: ['aws.s3'], detail: { bucket: { name: [bucket.bucketName] } } },
      retryAttempts: Lazy.number({ produce: () => 4 }),
      maxEventAge: Duration.seconds(Lazy.number({ produce: () => 90 })),
    }));
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ RetryPolicy: { MaximumEventAgeInSeconds: 90, MaximumRetryAttempts: 4 } })],
    });
  });
});

describe('checkEventPattern', () => {
  const valid: any[] = [
    { 'source': ['shop'], 'detail-type': ['A', 'B'] },
    { detail: { state: [{ 'anything-but': ['pending', 'failed'] }], total: [{ numeric: ['>', 0, '<=', 5] }] } },
    { detail: { key: [{ prefix: 'in/' }, { suffix: { 'equals-ignore-case': '.PNG' } }, { wildcard: '*/lib/*' }] } },
    { detail: { ip: [{ cidr: '10.0.0.0/24' }], gone: [{ exists: false }], name: [{ 'equals-ignore-case': 'x' }, null, 1, true] } },
    { source: ['shop'], $or: [{ detail: { a: ['1'] } }, { detail: { b: ['2'] } }] },
    { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
  ];
  test.each(valid)('accepts %j', (p) => expect(checkEventPattern('p', p)).toEqual([]));

  const invalid: Array<[any, RegExp]> = [
    [{}, /must match on at least one field, got an empty pattern/],
    [{ sources: ['shop'] }, /top-level fields must be among version, id, detail-type, source, account, time, region, resources, detail, got "sources"/],
    [{ source: 'shop' }, /source must be an array of values or a nested object, got "shop"/],
    [{ detail: { state: [] } }, /detail\.state must list at least one value/],
    [{ detail: { state: [{ startsWith: 'a' }] } }, /detail\.state content filters must be one of prefix, suffix, anything-but, numeric, exists, cidr, equals-ignore-case, wildcard, got \{"startsWith":"a"\}/],
    [{ detail: { n: [{ numeric: ['>', '5'] }] } }, /numeric must be one comparison/],
    [{ detail: { n: [{ numeric: ['!=', 5] }] } }, /numeric must be one comparison/],
    [{ detail: { n: [{ exists: 'yes' }] } }, /exists must be true or false/],
    [{ detail: { n: [{ prefix: 5 }] } }, /prefix must be a string or \{ "equals-ignore-case": string \}/],
    [{ detail: { n: [{ 'anything-but': { contains: 'x' } }] } }, /anything-but must be a value, an array of values, or one of prefix, suffix, equals-ignore-case, wildcard/],
    [{ detail: { n: [['nested']] } }, /values must be strings, numbers, booleans, null or content filters/],
    [{ $or: [{ source: ['a'] }] }, /\$or must be an array of at least two patterns/],
  ];
  test.each(invalid)('fails if the pattern is %j', (p, message) => {
    expect(checkEventPattern('p', p).join('\n')).toMatch(message);
  });
});
