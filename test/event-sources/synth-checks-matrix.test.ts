import * as path from 'path';
import { App, Duration, SecretValue, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventtargets from 'aws-cdk-lib/aws-events-targets';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Deployment, EventBridgeSource, LoadBalancerTarget, SnsSource, SnsSourceOptions } from '../../src';
import { ErrorCase, failureOf, matrixContext, MatrixContext, WarningCase } from '../harness/matrix';
import { entry } from '../helpers';

/**
 * Issue 24 (caught at synth): bad configurations of aws-cdk-lib's own sources bound to a function, SNS filter policies,
 * EventBridge patterns, layers, target groups, secrets and durations. Each fails at synth with the construct path, the
 * prop, what is allowed and the value given, or (quota-dependent, or accepted by AWS but harmful) warns with a stable
 * id; each valid configuration beside them synthesizes without an error. The AWS documentation line each rule rests
 * on is quoted beside its rows.
 */

const ENV = { account: '123456789012', region: 'us-east-1' };

/** A function `Fn` with a 30 s timeout, in a stack with an account and Region. */
function context(): MatrixContext {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Stack', { env: ENV });
  return matrixContext(app, stack, { entry, timeout: Duration.seconds(30) });
}

const queue = (stack: Stack, props: sqs.QueueProps = {}) => new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.minutes(5), ...props });
const topic = (stack: Stack) => new sns.Topic(stack, 'Topic');
const mapping = (c: MatrixContext, props: Partial<lambda.EventSourceMappingProps> = {}) =>
  new lambda.EventSourceMapping(c.stack, 'ByHand', { target: c.fn().alias, eventSourceArn: queue(c.stack).queueArn, ...props });
const filters = (n: number) => Array.from({ length: n }, (_, i) => lambda.FilterCriteria.filter({ body: { kind: lambda.FilterRule.isEqual(`k${i}`) } }));
const subscribe = (c: MatrixContext, options: SnsSourceOptions) => c.fn().addEventSource(new SnsSource(topic(c.stack), options));
const strings = (n: number) => sns.SubscriptionFilter.stringFilter({ allowlist: Array.from({ length: n }, (_, i) => `v${i}`) });
const leaf = (n: number) => sns.FilterOrPolicy.filter(strings(n));
const layerArn = (c: MatrixContext, id: string, region = 'us-east-1') => lambda.LayerVersion.fromLayerVersionArn(c.stack, id, `arn:aws:lambda:${region}:123456789012:layer:${id}:1`);
const layers = (c: MatrixContext, n: number) => Array.from({ length: n }, (_, i) => layerArn(c, `L${i}`));

const errors: ErrorCase[] = [
  // Lambda (services-sqs-parameters): "BatchSize ... For standard queues, the maximum is 10,000. For FIFO queues, the
  // maximum is 10." GetEventSourceMapping: "When you set BatchSize to a value greater than 10, you must set
  // MaximumBatchingWindowInSeconds to at least 1."
  { name: 'a bare mapping reads 20 messages a batch with no window', build: (c) => mapping(c, { batchSize: 20 }), path: 'Stack/Fn', prop: '`Stack/ByHand.maxBatchingWindow`', allowed: 'at least 1 second when `batchSize` is over 10', given: 'got 20 messages' },
  { name: 'a mapping on an imported queue reads 11 a batch with no window', build: (c) => new lambda.EventSourceMapping(c.stack, 'ByHand', { target: c.fn(), eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:jobs', batchSize: 11 }), path: 'Stack/Fn', prop: '`Stack/ByHand.maxBatchingWindow`', allowed: 'at least 1 second', given: 'got 11' },
  { name: 'a bare mapping reads 20,000 messages a batch (CloudFormation\'s schema)', build: (c) => mapping(c, { batchSize: 20_000, maxBatchingWindow: Duration.seconds(5) }), path: 'Stack/ByHand', prop: '`BatchSize`', allowed: 'maximum of 10000', given: '20000' },
  // Lambda (invocation-eventfiltering): "By default, you can define up to five different filters for a single event
  // source mapping." ... "you can request a quota increase for up to 10 filters for each event source."
  { name: 'a mapping has 11 filters', build: (c) => mapping(c, { filters: filters(11) }), path: 'Stack/Fn', prop: '`Stack/ByHand.filters`', allowed: 'at most 10 filters', given: 'got 11' },
  { name: 'a filter pattern is not JSON', build: (c) => mapping(c, { filters: [{ pattern: '{body:' }] }), path: 'Stack/Fn', prop: '`Stack/ByHand.filters[0]`', allowed: 'must be a JSON pattern', given: 'got "{body:"' },
  { name: 'a filter is a bare object, not made with FilterCriteria.filter', build: (c) => mapping(c, { filters: [{ body: { kind: ['a'] } }] }), path: 'Stack/Fn', prop: '`Stack/ByHand.filters[0]`', allowed: 'made with lambda.FilterCriteria.filter(...)', given: 'got {"body":{"kind":["a"]}}' },
  { name: 'a filter pattern is empty', build: (c) => mapping(c, { filters: [lambda.FilterCriteria.filter({})] }), path: 'Stack/Fn', prop: '`Stack/ByHand.filters[0]`', allowed: 'at least one field', given: 'got an empty pattern' },
  { name: 'a filter uses a content filter Lambda does not know', build: (c) => mapping(c, { filters: [lambda.FilterCriteria.filter({ body: { kind: [{ 'begins-with': 'a' }] } })] }), path: 'Stack/Fn', prop: '`Stack/ByHand.filters[0]`', allowed: 'content filters must be one of', given: 'got {"begins-with":"a"}' },
  { name: 'a filter lists no value', build: (c) => mapping(c, { filters: [lambda.FilterCriteria.filter({ body: { kind: [] } })] }), path: 'Stack/Fn', prop: '`Stack/ByHand.filters[0]`', allowed: 'at least one value', given: 'got []' },
  // Lambda (services-sqs-configure): the queue's visibility timeout must be at least the function's timeout; a queue
  // of another stack (Fn::ImportValue) gets the same check.
  {
    name: 'an SqsEventSource queue of another stack has a visibility timeout under the function\'s timeout',
    build: (c) => {
      const other = new Stack(c.app, 'Other', { env: ENV });
      c.fn().addEventSource(new SqsEventSource(new sqs.Queue(other, 'Queue', { visibilityTimeout: Duration.seconds(10) })));
    },
    path: 'Stack/Fn',
    prop: 'visibility timeout of Other/Queue',
    allowed: 'must be at least the function\'s timeout',
    given: '(10 seconds)',
  },
  // Lambda reads queues and streams of its own region (the event source ARN's region is the function's).
  { name: 'a mapping reads a queue of another region', build: (c) => new lambda.EventSourceMapping(c.stack, 'ByHand', { target: c.fn(), eventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:jobs' }), path: 'Stack/Fn', prop: '`Stack/ByHand.eventSourceArn`', allowed: 'in the function\'s region (us-east-1)', given: 'in eu-west-1' },
  {
    name: 'a KinesisEventSource reads a stream of another region',
    build: (c) => c.fn().addEventSource(new KinesisEventSource(kinesis.Stream.fromStreamArn(c.stack, 'S', 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks'), { startingPosition: lambda.StartingPosition.LATEST })),
    path: 'Stack/Fn',
    prop: '.eventSourceArn`',
    allowed: 'in the function\'s region (us-east-1)',
    given: 'in eu-west-1',
  },
  // CloudFormation's resource schemas, through aws-cdk-lib's validator, for the resources of the function and bound
  // to it (errors whatever `@aws-cdk/core:validateAgainstDefaultRules` says).
  { name: 'an escape hatch sets 64 MB of memory', build: (c) => (c.fn().node.defaultChild as lambda.CfnFunction).addPropertyOverride('MemorySize', 64), path: 'Stack/Fn', prop: '`MemorySize`', allowed: 'minimum of 128', given: '64' },
  { name: 'an escape hatch sets a 901 s timeout', build: (c) => (c.fn().node.defaultChild as lambda.CfnFunction).addPropertyOverride('Timeout', 901), path: 'Stack/Fn', prop: '`Timeout`', allowed: 'exceeds maximum 900', given: '901' },
  {
    name: 'the queue a mapping reads has a 13-hour visibility timeout by escape hatch',
    build: (c) => {
      const q = queue(c.stack);
      (q.node.defaultChild as sqs.CfnQueue).addPropertyOverride('VisibilityTimeout', 50_000);
      c.fn().addEventSource(new SqsEventSource(q));
    },
    path: 'Stack/Queue',
    prop: '`VisibilityTimeout`',
    allowed: 'maximum of 43200',
    given: '50000',
  },
  // SNS (subscription-filter-policy-constraints): "A filter policy can have a maximum of five keys." "The total
  // combination of values in a filter policy must not exceed 150." "For numeric matching, the value can range from
  // -10^9 to 10^9 (-1 billion to 1 billion), with five digits of accuracy after the decimal point."
  {
    name: 'an SNS filter policy has six keys',
    build: (c) => subscribe(c, { filterPolicy: Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, strings(1)])) }),
    path: 'Stack/Fn',
    prop: '`SnsSource(Stack/Topic).filterPolicy`',
    allowed: 'at most 5 keys',
    given: 'got 6',
  },
  {
    name: 'an SNS filter policy has 180 combinations of values',
    build: (c) => subscribe(c, { filterPolicy: { a: strings(6), b: strings(6), c: strings(5) } }),
    path: 'Stack/Fn',
    prop: '`SnsSource(Stack/Topic).filterPolicy`',
    allowed: 'at most 150 combinations',
    given: 'got 180',
  },
  {
    name: 'an SNS numeric range goes down',
    build: (c) => subscribe(c, { filterPolicy: { price: sns.SubscriptionFilter.numericFilter({ between: { start: 10, stop: 5 } }) } }),
    path: 'Stack/Fn',
    prop: '`SnsSource(Stack/Topic).filterPolicy`',
    allowed: 'from a lower bound',
    given: 'got [">=",10,"<=",5]',
  },
  {
    name: 'an SNS numeric value is over a billion',
    build: (c) => subscribe(c, { filterPolicy: { price: sns.SubscriptionFilter.numericFilter({ greaterThan: 2e9 }) } }),
    path: 'Stack/Fn',
    prop: '`SnsSource(Stack/Topic).filterPolicy`',
    allowed: 'from -1000000000 to 1000000000',
    given: 'got 2000000000',
  },
  {
    name: 'an SNS numeric value has six decimals',
    build: (c) => subscribe(c, { filterPolicy: { price: sns.SubscriptionFilter.numericFilter({ allowlist: [1.123456] }) } }),
    path: 'Stack/Fn',
    prop: '`SnsSource(Stack/Topic).filterPolicy`',
    allowed: 'at most five decimals',
    given: 'got 1.123456',
  },
  {
    name: 'an SNS allowlist is empty',
    build: (c) => subscribe(c, { filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: [] }) } }),
    path: 'Stack/Fn',
    prop: '`SnsSource(Stack/Topic).filterPolicy`',
    allowed: 'at least one value',
    given: 'got []',
  },
  {
    name: 'an SNS condition uses an operator SNS does not know',
    build: (c) => subscribe(c, { filterPolicy: { kind: new sns.SubscriptionFilter([{ 'begins-with': 'order' }]) } }),
    path: 'Stack/Fn',
    prop: '`SnsSource(Stack/Topic).filterPolicy`',
    allowed: 'conditions must use prefix',
    given: 'got {"begins-with":"order"}',
  },
  {
    name: 'an SNS body policy has six nested keys',
    build: (c) => subscribe(c, {
      filterPolicyWithMessageBody: {
        order: sns.FilterOrPolicy.policy({ a: leaf(1), b: leaf(1), c: leaf(1) }),
        customer: sns.FilterOrPolicy.policy({ d: leaf(1), e: leaf(1), f: leaf(1) }),
      },
    }),
    path: 'Stack/Fn',
    prop: '`SnsSource(Stack/Topic).filterPolicyWithMessageBody`',
    allowed: 'at most 5 keys',
    given: 'got 6',
  },
  // EventBridge (eb-event-patterns, eb-create-pattern-operators): values are arrays; numeric ranges go from a lower
  // bound to a higher one. eb-quota: "Targets per rule: 5".
  { name: 'an EventBridge pattern has an empty nested object', build: (c) => c.fn().addEventSource(new EventBridgeSource({ eventPattern: { source: ['shop'], detail: { order: {} } } })), path: 'Stack/Fn', prop: '`EventBridgeSource.eventPattern`', allowed: 'at least one field', given: 'got {}' },
  { name: 'an EventBridge numeric range goes down', build: (c) => c.fn().addEventSource(new EventBridgeSource({ eventPattern: { source: ['shop'], detail: { price: [{ numeric: ['>', 10, '<', 5] }] } } })), path: 'Stack/Fn', prop: '`EventBridgeSource.eventPattern`', allowed: 'a range', given: 'got {"numeric":[">",10,"<",5]}' },
  {
    name: 'a rule gets a sixth target',
    build: (c) => {
      const rule = new events.Rule(c.stack, 'Rule', { eventPattern: { source: ['shop'] } });
      for (let i = 0; i < 5; i++) {
        rule.addTarget(new eventtargets.SqsQueue(new sqs.Queue(c.stack, `Q${i}`)));
      }
      c.fn().addEventSource(new EventBridgeSource({ rule }));
    },
    // Checked for every rule that invokes the function, whichever class made it, at the function's path.
    path: 'Stack/Fn',
    prop: '`targets` of the rule `Stack/Rule`',
    allowed: 'at most 5',
    given: 'got 6',
  },
  // Lambda (adding-layers): "You can add up to five layers to a Lambda function."
  { name: 'four layers with insightsVersion and paramsAndSecrets', build: (c) => c.fn({ layers: layers(c, 4), insightsVersion: lambda.LambdaInsightsVersion.VERSION_1_0_333_0, paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion.fromVersion(lambda.ParamsAndSecretsVersions.V1_0_103) }), path: 'Stack/Fn', prop: '`layers`', allowed: 'at most 3 layers with `insightsVersion`, `paramsAndSecrets`', given: 'got 4 in `layers`' },
  { name: 'five layers with adotInstrumentation', build: (c) => c.fn({ layers: layers(c, 5), adotInstrumentation: { layerVersion: lambda.AdotLayerVersion.fromJavaScriptSdkLayerVersion(lambda.AdotLambdaLayerJavaScriptSdkVersion.LATEST), execWrapper: lambda.AdotLambdaExecWrapper.REGULAR_HANDLER } }), path: 'Stack/Fn', prop: '`layers`', allowed: 'at most 4 layers with `adotInstrumentation`', given: 'got 5 in `layers`' },
  { name: 'addLayers adds a sixth layer', build: (c) => c.fn({ layers: layers(c, 5) }).addLayers(layerArn(c, 'Extra')), path: 'Stack/Fn', prop: '`addLayers`', allowed: 'Lambda\'s limit is 5', given: 'to the 5 the function has' },
  { name: 'a layer of another region', build: (c) => c.fn({ layers: [layerArn(c, 'Eu', 'eu-west-1')] }), path: 'Stack/Fn', prop: '`layers`', allowed: 'not in the function\'s region (us-east-1)', given: 'is in eu-west-1' },
  // ELB (lambda-functions): "The Lambda function and target group must be in the same account and in the same Region."
  {
    name: 'a target group of another region',
    build: (c) => {
      const fn = c.fn();
      const eu = new Stack(c.app, 'Eu', { env: { ...ENV, region: 'eu-west-1' } });
      new elbv2.ApplicationTargetGroup(eu, 'Group', { targets: [new LoadBalancerTarget(fn)] });
    },
    path: 'Stack/Fn/LiveAlias',
    prop: '`LoadBalancerTarget`',
    allowed: 'in the region of target group Eu/Group (eu-west-1)',
    given: 'in us-east-1',
  },
  // Messages name the prop the user wrote, and quote durations exactly.
  { name: 'a `secrets` key is not a variable name', build: (c) => c.fn({ secrets: { 'db-secret': new secretsmanager.Secret(c.stack, 'S') } }), path: 'Stack/Fn', prop: '`secrets` keys', allowed: 'must start with a letter', given: 'got "db-secret"' },
  { name: 'a `parameters` key is reserved by Lambda', build: (c) => c.fn({ parameters: { AWS_REGION: ssm.StringParameter.fromStringParameterName(c.stack, 'P', '/x') } }), path: 'Stack/Fn', prop: '`parameters`', allowed: 'must not set "AWS_REGION"', given: 'which Lambda reserves' },
  { name: 'a timeout of 90.5 seconds', build: (c) => c.fn({ timeout: Duration.seconds(90.5) }), path: 'Stack/Fn', prop: '`timeout`', allowed: 'whole seconds', given: 'got 90.5 seconds' },
  { name: 'a canary interval of 3661 seconds', build: (c) => c.fn({ deployment: Deployment.canary({ percentage: 10, interval: Duration.seconds(3661) }) }), path: 'Stack/Fn', prop: '`deployment (canary).interval`', allowed: 'whole minutes', given: 'got 1 hour 1 minute 1 second' },
  { name: 'a maximum event age of 3600.5 seconds', build: (c) => c.fn({ maxEventAge: Duration.seconds(3600.5) }), path: 'Stack/Fn', prop: '`maxEventAge`', allowed: 'whole seconds', given: 'got 3600.5 seconds' },
];

const warnings: WarningCase[] = [
  // Quota-dependent: warnings with stable ids.
  { name: 'a mapping has 6 filters, over the default quota of 5', build: (c) => mapping(c, { filters: filters(6) }), id: 'cdk-lambda-kit:eventFilterQuota' },
  // Lambda (configuration-concurrency): "You can reserve up to the Unreserved account concurrency value that is shown,
  // minus 100 for functions that don't have reserved concurrency." Lambda quotas: "Concurrent executions: 1,000".
  { name: 'reserved concurrency of 950, over the default quota', build: (c) => c.fn({ reservedConcurrentExecutions: 950 }), id: 'cdk-lambda-kit:reservedConcurrencyQuota' },
  // EventBridge (eb-quota): "Event pattern size ... 2048 ... The maximum size, in characters, of an event pattern."
  { name: 'an event pattern of over 2048 characters', build: (c) => c.fn().addEventSource(new EventBridgeSource({ eventPattern: { source: ['shop'], detailType: Array.from({ length: 120 }, (_, i) => `OrderPlacedInRegion${i}`) } })), id: 'cdk-lambda-kit:eventPatternSize' },
  // Lambda accepts a layer of another architecture; its native code cannot load.
  { name: 'a layer built for x86_64 on an arm64 function', build: (c) => c.fn({ layers: [new lambda.LayerVersion(c.stack, 'X86', { code: lambda.Code.fromAsset(path.dirname(entry)), compatibleArchitectures: [lambda.Architecture.X86_64] })] }), id: 'cdk-lambda-kit:layerArchitecture' },
  // Credentials in plain text. CloudFormation (dynamic-references-secretsmanager): "the secret value may show up in the
  // service whose resource it's being used in. Review your usage to avoid leaking secret data."
  { name: 'a password inside a connection string', build: (c) => c.fn({ environment: { DATABASE_URL: 'postgres://orders:Xk9#pLq2@db.internal:5432/orders' } }), id: 'cdk-lambda-kit:plaintextSecret' },
  { name: 'a DB_PASS variable', build: (c) => c.fn({ environment: { DB_PASS: 'Xk9pLq2vR' } }), id: 'cdk-lambda-kit:plaintextSecret' },
  { name: 'a GitHub token under any name', build: (c) => c.fn({ environment: { GH: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a' } }), id: 'cdk-lambda-kit:plaintextSecret' },
  { name: 'an AWS access key id under any name', build: (c) => c.fn({ environment: { UPLOADER: 'AKIAIOSFODNN7EXAMPLE' } }), id: 'cdk-lambda-kit:plaintextSecret' },
  { name: 'a Secrets Manager value resolved into the environment', build: (c) => c.fn({ environment: { DB_PASSWORD: new secretsmanager.Secret(c.stack, 'Db').secretValueFromJson('password').unsafeUnwrap() } }), id: 'cdk-lambda-kit:plaintextSecret' },
  { name: 'a SecretValue.unsafePlainText under a neutral name', build: (c) => c.fn({ environment: { STRIPE: SecretValue.secretsManager('stripe').unsafeUnwrap() } }), id: 'cdk-lambda-kit:plaintextSecret' },
];

/** Valid configurations next to the rules above: each synthesizes without an error or a warning of these ids. */
const valid: Array<{ name: string; build: (c: MatrixContext) => void }> = [
  { name: 'a mapping reads 100 a batch with a 5 s window (the fix the message suggests)', build: (c) => mapping(c, { batchSize: 100, maxBatchingWindow: Duration.seconds(5) }) },
  { name: 'a mapping reads 10 a batch with no window', build: (c) => mapping(c, { batchSize: 10 }) },
  { name: 'a mapping reads 10,000 a batch with a window', build: (c) => mapping(c, { batchSize: 10_000, maxBatchingWindow: Duration.seconds(5) }) },
  { name: 'five filters, and many patterns combined with $or (the fix the message suggests)', build: (c) => mapping(c, { filters: [...filters(4), lambda.FilterCriteria.filter({ body: { $or: Array.from({ length: 11 }, (_, i) => ({ kind: [`k${i}`] })) } })] }) },
  { name: 'filters with prefix, numeric ranges, exists and anything-but', build: (c) => mapping(c, { filters: [lambda.FilterCriteria.filter({ body: { kind: [{ prefix: 'order' }], total: [{ numeric: ['>=', 0, '<', 100] }], note: [{ exists: false }], state: [{ 'anything-but': ['void'] }] } })] }) },
  { name: 'a queue of another stack with a long visibility timeout', build: (c) => { const other = new Stack(c.app, 'Other', { env: ENV }); c.fn().addEventSource(new SqsEventSource(new sqs.Queue(other, 'Queue', { visibilityTimeout: Duration.minutes(5) }))); } },
  { name: 'a queue of the function\'s region by ARN', build: (c) => new lambda.EventSourceMapping(c.stack, 'ByHand', { target: c.fn(), eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:jobs', batchSize: 10 }) },
  { name: 'an SNS policy at the limits: five keys, 150 combinations, numbers to five decimals', build: (c) => subscribe(c, { filterPolicy: { a: strings(5), b: strings(5), c: strings(6), d: sns.SubscriptionFilter.numericFilter({ between: { start: -1e9, stop: 1e9 } }), e: sns.SubscriptionFilter.numericFilter({ allowlist: [1.12345] }) } }) },
  { name: 'an SNS body policy with five nested keys', build: (c) => subscribe(c, { filterPolicyWithMessageBody: { order: sns.FilterOrPolicy.policy({ a: leaf(3), b: leaf(1) }), customer: sns.FilterOrPolicy.policy({ c: leaf(1), d: leaf(1), e: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.existsFilter()) }) } }) },
  { name: 'an EventBridge pattern with ranges, wildcards and anything-but prefix', build: (c) => c.fn().addEventSource(new EventBridgeSource({ eventPattern: { source: ['shop'], detail: { price: [{ numeric: ['>=', 0, '<=', 100] }], sku: [{ wildcard: 'A*-*' }], state: [{ 'anything-but': { prefix: 'test' } }] } } })) },
  { name: 'a rule with five targets, the function one of them', build: (c) => { const rule = new events.Rule(c.stack, 'Rule', { eventPattern: { source: ['shop'] } }); for (let i = 0; i < 4; i++) rule.addTarget(new eventtargets.SqsQueue(new sqs.Queue(c.stack, `Q${i}`))); c.fn().addEventSource(new EventBridgeSource({ rule })); } },
  { name: 'three layers with insightsVersion and paramsAndSecrets (five in all)', build: (c) => c.fn({ layers: layers(c, 3), insightsVersion: lambda.LambdaInsightsVersion.VERSION_1_0_333_0, paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion.fromVersion(lambda.ParamsAndSecretsVersions.V1_0_103) }) },
  { name: 'a layer of the function\'s region and an arm64 layer', build: (c) => c.fn({ layers: [layerArn(c, 'Here'), new lambda.LayerVersion(c.stack, 'Arm', { code: lambda.Code.fromAsset(path.dirname(entry)), compatibleArchitectures: [lambda.Architecture.ARM_64, lambda.Architecture.X86_64] })] }) },
  { name: 'a target group of the function\'s region', build: (c) => new elbv2.ApplicationTargetGroup(c.stack, 'Group', { targets: [new LoadBalancerTarget(c.fn())] }) },
  { name: 'a timeout of 90 seconds', build: (c) => c.fn({ timeout: Duration.seconds(90) }) },
  { name: 'reserved concurrency of 900', build: (c) => c.fn({ reservedConcurrentExecutions: 900 }) },
  {
    name: 'names and settings of credentials that are not credentials',
    build: (c) => c.fn({
      environment: {
        TOKEN_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123',
        JWT_SECRET_NAME: 'prod/orders/jwt',
        DB_SECRET: 'prod/orders/db-credentials',
        PASSWORD_POLICY: 'min-length-12',
        DATABASE_URL: 'postgres://db.internal:5432/orders',
        CACHE_URL: 'redis://${REDIS_USER}:${REDIS_PASSWORD}@cache.internal:6379',
        OAUTH_TOKEN_ENDPOINT: 'https://auth.example.com/oauth2/token',
        API_KEY_HEADER: 'x-api-key',
        DB_USER: 'orders',
        SECRETS_MANAGER_TTL: '300',
      },
    }),
  },
  { name: 'a secret and a parameter passed as references', build: (c) => c.fn({ secrets: { DB_SECRET_ARN: new secretsmanager.Secret(c.stack, 'S') }, parameters: { FLAGS: ssm.StringParameter.fromStringParameterName(c.stack, 'P', '/flags') } }) },
];

/** Run a case and return the error message it fails with, or undefined when it synthesizes. */
const IDS = [...new Set(warnings.map((w) => w.id))];

test('the count: bad configurations tried, rejected clearly or warned, and valid ones accepted', () => {
  // 36 errors and 10 warnings of this issue's half (caught at synth), 18 valid configurations beside them.
  expect(new Set([...errors, ...warnings].map((c) => c.name)).size).toEqual(errors.length + warnings.length);
  expect({ errors: errors.length, warnings: warnings.length, valid: valid.length }).toEqual({ errors: 36, warnings: 10, valid: 18 });
});

describe.each(errors)('fails if $name', (c) => {
  test('with the construct path, the prop, what is allowed and the value given', () => {
    const message = failureOf(context(), c.build);
    expect(message).toBeDefined();
    expect(message!.startsWith(`${c.path}: `) || message!.includes(`\n${c.path}: `) || message!.includes(`[${c.path}] `)).toBe(true);
    expect(message).toContain(c.prop);
    expect(message).toContain(c.allowed);
    expect(message).toContain(c.given);
  });
});

describe.each(warnings)('warns if $name', (c) => {
  test('with a stable id', () => {
    const ctx = context();
    expect(failureOf(ctx, c.build)).toBeUndefined();
    Annotations.fromStack(ctx.stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp(`\\[ack: ${c.id}\\]`));
  });
});

describe.each(valid)('accepts $name', (c) => {
  test('without an error or a warning of these checks', () => {
    const ctx = context();
    expect(failureOf(ctx, c.build)).toBeUndefined();
    for (const id of IDS) {
      expect(Annotations.fromStack(ctx.stack).findWarning('*', Match.stringLikeRegexp(`\\[ack: ${id}\\]`))).toEqual([]);
    }
  });
});
