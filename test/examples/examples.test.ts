import { execFileSync, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { invokeInLambdaRuntime, runInLambdaRuntime, RuntimeOptions } from '../../src/testing';
import { dynamoStreamEvent, eventBridgeEvent, functionUrlEvent, kinesisEvent, s3Event, snsEvent, sqsEvent } from '../harness/events';
import { freshCache } from '../helpers';

const REPO = path.join(__dirname, '..', '..');
const EXAMPLES = path.join(REPO, 'examples');

/** Synthesize one example with the real CDK CLI, through the same script the README runs. */
function synthExample(name: string): { template: any; outdir: string; output: string } {
  const result = spawnSync(process.execPath, [path.join(EXAMPLES, 'synth-all.mjs'), '--fresh-cache', name], { encoding: 'utf8' });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0) {
    throw new Error(`synthesizing examples/${name} failed:\n${output}`);
  }
  const outdir = path.join(EXAMPLES, name, 'cdk.out');
  const [templateFile] = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
  return { template: JSON.parse(fs.readFileSync(path.join(outdir, templateFile), 'utf8')), outdir, output };
}

/** The first function whose logical ID starts with a prefix. */
function functionOf(example: { template: any }, prefix: string): any {
  const [, fn] = Object.entries<any>(example.template.Resources)
    .find(([id, r]) => id.startsWith(prefix) && r.Type === 'AWS::Lambda::Function')!;
  return fn;
}

/** The staged bundle of the first function whose logical ID starts with a prefix. */
function bundleOf(example: { template: any; outdir: string }, prefix: string): string {
  return path.join(example.outdir, `asset.${functionOf(example, prefix).Properties.Code.S3Key.replace(/\.zip$/, '')}`);
}

/**
 * How Lambda would run that function: its bundle, handler, memory, runtime, layers (from their staged assets) and
 * environment. Values CloudFormation resolves at deploy time (table names, queue URLs) get a stand-in.
 */
function runtimeOf(example: { template: any; outdir: string }, prefix: string): RuntimeOptions {
  const props = functionOf(example, prefix).Properties;
  const environment = Object.fromEntries(Object.entries<any>(props.Environment?.Variables ?? {})
    .map(([k, v]) => [k, typeof v === 'string' ? v : `resolved-at-deploy:${JSON.stringify(v)}`]));
  // Layers defined in the app, from their staged assets (published layers, referenced by ARN, are stood in by tests).
  const layerDirs = (props.Layers ?? []).filter((layer: any) => layer.Ref).map((layer: any) => {
    const content = example.template.Resources[layer.Ref].Properties.Content;
    return path.join(example.outdir, `asset.${content.S3Key.replace(/\.zip$/, '')}`);
  });
  return {
    bundleDir: bundleOf(example, prefix),
    handler: props.Handler,
    environment,
    layerDirs,
    memorySize: props.MemorySize,
    runtime: props.Runtime,
    functionName: prefix,
  };
}

/** Invoke a function of an example once in the Lambda runtime client. */
function invoke(example: { template: any; outdir: string }, prefix: string, event: unknown): Promise<any> {
  return invokeInLambdaRuntime(runtimeOf(example, prefix), event);
}

test('every example\'s cdk.json carries exactly the feature flags `cdk init` writes for the pinned CLI', () => {
  const cdkInit = JSON.parse(fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'cdk-init-context.json'), 'utf8'));
  const apps = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'cdk.json')));
  for (const app of apps) {
    expect({ app, context: JSON.parse(fs.readFileSync(path.join(EXAMPLES, app, 'cdk.json'), 'utf8')).context }).toEqual({ app, context: cdkInit });
  }
});

test('every example has a cdk.json and is indexed in examples/README.md', () => {
  const index = fs.readFileSync(path.join(EXAMPLES, 'README.md'), 'utf8');
  const apps = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'cdk.json')));
  expect(apps.length).toBeGreaterThan(0);
  for (const app of apps) {
    expect(fs.existsSync(path.join(EXAMPLES, app, 'cdk.json'))).toBe(true);
    expect(index).toContain(`(./${app}/)`);
  }
});

describe('orders-api', () => {
  let example: ReturnType<typeof synthExample>;
  beforeAll(() => {
    example = synthExample('orders-api');
  });

  test('synthesizes with the CDK CLI, the schema validator and cfn-lint', () => {
    expect(example.output).toMatch(/ok {3}orders-api/);
    expect(example.output).toMatch(/1 passed, 0 failed/);
  });

  test('its bundle creates an order in the Lambda runtime', async () => {
    const event = functionUrlEvent({ method: 'POST', body: JSON.stringify({ customerId: 'c-1', items: [{ sku: 'book', quantity: 2 }] }) });
    const result = await invoke(example, 'CreateOrder', event);
    expect(result.statusCode).toEqual(201);
    expect(JSON.parse(result.body)).toMatchObject({ id: expect.stringMatching(/^ord-[0-9a-f-]{36}$/), customerId: 'c-1' });
  });

  test('its bundle rejects an invalid order', async () => {
    const result = await invoke(example, 'CreateOrder', functionUrlEvent({ method: 'POST', body: '{"customerId":""}' }));
    expect(result.statusCode).toEqual(400);
    expect(JSON.parse(result.body).message).toEqual('invalid order');
  });
});

describe('canary-api', () => {
  let example: ReturnType<typeof synthExample>;
  beforeAll(() => {
    example = synthExample('canary-api');
  });

  test('synthesizes with an autoscaled alias with schedules, a canary deployment and a function URL', () => {
    expect(example.output).toMatch(/ok {3}canary-api/);
    const types = Object.values<any>(example.template.Resources).map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining([
      'AWS::Lambda::Alias', 'AWS::ApplicationAutoScaling::ScalableTarget', 'AWS::CodeDeploy::DeploymentGroup', 'AWS::Lambda::Url',
    ]));
    const target = Object.values<any>(example.template.Resources).find((r) => r.Type === 'AWS::ApplicationAutoScaling::ScalableTarget');
    expect(target.Properties.ScheduledActions.map((a: any) => a.ScheduledActionName)).toEqual(['WeekdayMorning', 'WeekdayEvening']);
  });

  test('its bundle quotes a price and rejects a bad query', async () => {
    const ok = await invoke(example, 'Quotes', functionUrlEvent({ query: { days: '10' } }));
    expect(ok.statusCode).toEqual(200);
    expect(JSON.parse(ok.body)).toEqual({ price: 130, validUntil: '2026-01-11', version: '1' });
    expect((await invoke(example, 'Quotes', functionUrlEvent({ query: { days: '99' } }))).statusCode).toEqual(400);
  });
});

describe('shared-layer', () => {
  let example: ReturnType<typeof synthExample>;
  beforeAll(() => {
    example = synthExample('shared-layer');
  });

  test('both bundles leave the layer\'s packages out and run with the layer', async () => {
    expect(fs.readFileSync(path.join(bundleOf(example, 'Schedule'), 'index.mjs'), 'utf8')).toMatch(/from"date-fns"/);
    expect(fs.readFileSync(path.join(bundleOf(example, 'Backoff'), 'index.mjs'), 'utf8')).toMatch(/from"ms"/);
    expect(await invoke(example, 'Schedule', { orderedOn: '2026-01-02', businessDays: 3 })).toEqual({ deliverOn: '2026-01-07' });
    expect(await invoke(example, 'Backoff', { attempt: 3 })).toEqual({ waitMs: 8000, human: '8 seconds' });
  });

  test('without its layer the bundle fails to initialize, naming the missing package', async () => {
    await expect(invokeInLambdaRuntime({ ...runtimeOf(example, 'Backoff'), layerDirs: [] }, {}))
      .rejects.toThrow(/Cannot find package 'ms'/);
  });

  test('the layer is built for arm64 and the function runtime', () => {
    const layer: any = Object.values<any>(example.template.Resources).find((r) => r.Type === 'AWS::Lambda::LayerVersion');
    expect(layer.Properties.CompatibleArchitectures).toEqual(['arm64']);
    expect(layer.Properties.CompatibleRuntimes).toEqual(['nodejs24.x']);
  });
});

describe('queue-worker', () => {
  let example: ReturnType<typeof synthExample>;
  beforeAll(() => {
    example = synthExample('queue-worker');
  });

  test('the queue is made for the function and the mapping reports batch item failures', () => {
    const queues = Object.values<any>(example.template.Resources).filter((r) => r.Type === 'AWS::SQS::Queue');
    expect(queues.map((q) => q.Properties.VisibilityTimeout).filter(Boolean)).toEqual([125]);
    const mapping = Object.values<any>(example.template.Resources).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
    expect(mapping.Properties).toMatchObject({ BatchSize: 25, MaximumBatchingWindowInSeconds: 5, FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  test('its bundle reports only the bad messages as failures', async () => {
    const result = await invoke(example, 'ProcessOrders', sqsEvent([
      { messageId: 'm1', body: '{"orderId":"o-1","total":10}' },
      { messageId: 'm2', body: 'not json' },
      { messageId: 'm3', body: '{"orderId":"","total":1}' },
    ]));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }], processed: ['o-1'] });
  });
});

describe('stream-processor', () => {
  let example: ReturnType<typeof synthExample>;
  beforeAll(() => {
    example = synthExample('stream-processor');
  });

  test('both mappings have the safe defaults and an on-failure queue', () => {
    const mappings = Object.values<any>(example.template.Resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(2);
    for (const m of mappings) {
      expect(m.Properties).toMatchObject({ BisectBatchOnFunctionError: true, MaximumRetryAttempts: 2, MaximumRecordAgeInSeconds: 3600 });
      expect(m.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
    }
  });

  test('the table-changes bundle counts changes and reports incomplete records', async () => {
    const result = await invoke(example, 'TableChanges', dynamoStreamEvent([
      { eventName: 'INSERT', sequenceNumber: '1', keys: { pk: { S: '1' } }, newImage: { pk: { S: '1' } } },
      { eventName: 'MODIFY', sequenceNumber: '2', keys: { pk: { S: '2' } }, newImage: { pk: { S: '2' } } },
      { eventName: 'REMOVE', sequenceNumber: '3', keys: { pk: { S: '3' } } },
      { eventName: 'INSERT', sequenceNumber: '4', keys: { pk: { S: '4' } } },
    ]));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '4' }], counts: { INSERT: 1, MODIFY: 1, REMOVE: 1 } });
  });

  test('the click bundle decodes Kinesis records and reports bad ones', async () => {
    const result = await invoke(example, 'ClickCounter', kinesisEvent([
      { sequenceNumber: '1', data: '{"page":"/home"}' },
      { sequenceNumber: '2', data: '{"page":"/home"}' },
      { sequenceNumber: '3', data: 'garbage' },
    ]));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '3' }], pages: { '/home': 2 } });
  });
});

describe('s3-pipeline', () => {
  let example: ReturnType<typeof synthExample>;
  beforeAll(() => {
    example = synthExample('s3-pipeline');
  });

  test('S3 invokes the aliases asynchronously, so each function has a failure queue', () => {
    const configs = Object.values<any>(example.template.Resources).filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig');
    expect(configs).toHaveLength(2);
    const notifications = Object.values<any>(example.template.Resources).find((r) => r.Type === 'Custom::S3BucketNotifications');
    expect(notifications.Properties.NotificationConfiguration.LambdaFunctionConfigurations).toHaveLength(2);
  });

  test('its bundle classifies uploads', async () => {
    const result = await invoke(example, 'Classify', s3Event([
      { bucket: 'uploads', key: 'incoming/cat+photo.JPG', size: 1200 },
      { bucket: 'uploads', key: 'reports/q1.csv', size: 300 },
    ]));
    expect(result).toEqual([
      { bucket: 'uploads', key: 'incoming/cat photo.JPG', size: 1200, kind: 'image', next: 'image/cat photo.JPG' },
      { bucket: 'uploads', key: 'reports/q1.csv', size: 300, kind: 'table', next: 'table/q1.csv' },
    ]);
  });
});

describe('event-routes', () => {
  let example: ReturnType<typeof synthExample>;
  beforeAll(() => {
    example = synthExample('event-routes');
  });

  const resources = (type: string) => Object.entries<any>(example.template.Resources).filter(([, r]) => r.Type === type);
  const aliasOf = (prefix: string) => ({ Ref: resources('AWS::Lambda::Alias').find(([id]) => id.startsWith(prefix))![0] });

  test('synthesizes with the CDK CLI, the schema validator and cfn-lint; every source goes through the alias', () => {
    expect(example.output).toMatch(/ok {3}event-routes/);
    const orders = aliasOf('Orders');
    const [, subscription] = resources('AWS::SNS::Subscription')[0];
    expect(subscription.Properties).toMatchObject({ Protocol: 'lambda', Endpoint: orders, RedrivePolicy: { deadLetterTargetArn: expect.anything() } });
    const [, rule] = resources('AWS::Events::Rule')[0];
    expect(rule.Properties.Targets[0]).toMatchObject({
      Arn: orders, RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 7200 }, DeadLetterConfig: expect.anything(),
    });
    const [, schedule] = resources('AWS::Scheduler::Schedule')[0];
    expect(schedule.Properties).toMatchObject({ ScheduleExpressionTimezone: 'Europe/Paris', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 } });
    expect(schedule.Properties.Target).toMatchObject({ Arn: orders, DeadLetterConfig: expect.anything() });
    const [, integration] = resources('AWS::ApiGatewayV2::Integration')[0];
    expect(integration.Properties.IntegrationUri).toEqual(aliasOf('Status'));
    const apiPermission = resources('AWS::Lambda::Permission').map(([, p]) => p.Properties).find((p) => p.Principal === 'apigateway.amazonaws.com');
    expect(apiPermission.FunctionName).toEqual(aliasOf('Status'));
    expect(JSON.stringify(apiPermission.SourceArn)).toContain('/*/*/orders/{id}/status');
    // Three dead-letter queues of deliveries and the function's failure queue, each alarmed.
    expect(resources('AWS::SQS::Queue')).toHaveLength(4);
  });

  test('its bundle handles a refund from SNS, a large order from EventBridge and the nightly schedule', async () => {
    const refund = await invoke(example, 'Orders', snsEvent({ message: JSON.stringify({ orderId: 'ord-1', amount: 25 }), attributes: { reason: 'damaged' } }));
    expect(refund).toEqual({ kind: 'refunds', handled: [{ orderId: 'ord-1', amount: 25, reason: 'damaged' }] });
    const order = await invoke(example, 'Orders', eventBridgeEvent({ source: 'shop.orders', detailType: 'Order Placed', detail: { orderId: 'ord-2', total: 1500 } }));
    expect(order).toEqual({ kind: 'large-order', handled: [{ orderId: 'ord-2', review: 'manual' }] });
    expect(await invoke(example, 'Orders', { report: 'nightly' })).toEqual({ kind: 'report', handled: [] });
  });

  test('its HTTP bundle answers a status request', async () => {
    const event = { ...functionUrlEvent({ path: '/orders/ord-7/status' }), routeKey: 'GET /orders/{id}/status', pathParameters: { id: 'ord-7' } };
    const result = await invoke(example, 'Status', event);
    expect(result.statusCode).toEqual(200);
    expect(JSON.parse(result.body)).toEqual({ id: 'ord-7', status: 'shipped' });
  });
});

describe('production-service', () => {
  let example: ReturnType<typeof synthExample>;
  beforeAll(() => {
    example = synthExample('production-service');
  });

  test('uses everything: VPC, autoscaled alias with schedules, canary, dependency layer, alarms paging on-call', () => {
    const resources = Object.values<any>(example.template.Resources);
    const types = resources.map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining([
      'AWS::EC2::VPC', 'AWS::ApplicationAutoScaling::ScalableTarget', 'AWS::CodeDeploy::DeploymentGroup', 'AWS::Lambda::LayerVersion', 'AWS::Lambda::Url',
    ]));
    // The service's functions (cdk init's restrictDefaultSecurityGroup flag adds a custom resource handler beside them).
    const functions = resources.filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:asset:is-bundled'] === true);
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn.Properties.VpcConfig.SubnetIds).toBeDefined();
      expect(fn.Properties.Layers).toHaveLength(1);
    }
    const alarms = resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.AlarmActions);
    expect(alarms.length).toBeGreaterThanOrEqual(6);
  });

  test('its API bundle leaves date-fns to the layer and answers', async () => {
    expect(fs.readFileSync(path.join(bundleOf(example, 'Api'), 'index.mjs'), 'utf8')).toMatch(/from"date-fns"/);
    const result = await invoke(example, 'Api', functionUrlEvent({ method: 'POST', body: '{"id":"o-9","express":true}' }));
    expect(result.statusCode).toEqual(202);
    expect(JSON.parse(result.body)).toMatchObject({ id: 'o-9', deliverBy: '2026-01-06' });
  });

  test('its fulfilment bundle, behind the VPC and the layer, reports late orders for retry', async () => {
    const result = await invoke(example, 'Fulfil', sqsEvent([
      { messageId: 'on-time', body: '{"deliverBy":"2026-01-08"}' },
      { messageId: 'late', body: '{"deliverBy":"2026-01-02"}' },
    ]));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'late' }] });
  });
});

describe('pipeline-stages', () => {
  const cwd = path.join(EXAMPLES, 'pipeline-stages');
  /** Run the pinned CDK CLI in the example, into a fresh output directory with a fresh bundle cache. */
  function cdk(...args: string[]): { outdir: string; output: string } {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-stages-'));
    const cacheDir = freshCache();
    const result = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'aws-cdk', 'bin', 'cdk'), ...args, '--output', outdir,
      '-c', `@cdk-lambda-kit/bundling:cacheDir=${cacheDir}`], { cwd, encoding: 'utf8' });
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.status !== 0) {
      throw new Error(`cdk ${args.join(' ')} in examples/pipeline-stages failed:\n${output}`);
    }
    return { outdir, output };
  }
  /** A stage's template in a cloud assembly. */
  function templateOf(outdir: string, stage: string): any {
    const dir = path.join(outdir, `assembly-${stage}`);
    const [file] = fs.readdirSync(dir).filter((f) => f.endsWith('.template.json'));
    return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  }
  const assetOf = (outdir: string, s3Key: string) => path.join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
  const resourcesOf = (template: any, type: string) => Object.values<any>(template.Resources).filter((r) => r.Type === type);

  test('cdk ls lists the service stack of both stages', () => {
    const { output } = cdk('ls');
    expect(output).toMatch(/^Dev\/Service \(Dev-Service\)$/m);
    expect(output).toMatch(/^Prod\/Service \(Prod-Service\)$/m);
  });

  test('cdk synth synthesizes both stages, with the validator and cfn-lint, bundles and layers in the root assembly', () => {
    const result = spawnSync(process.execPath, [path.join(EXAMPLES, 'synth-all.mjs'), '--fresh-cache', 'pipeline-stages'], { encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toMatch(/ok {3}pipeline-stages \([0-9.]+s, 2 templates/);
    const outdir = path.join(cwd, 'cdk.out');
    for (const stage of ['Dev', 'Prod']) {
      const template = templateOf(outdir, stage);
      const functions = resourcesOf(template, 'AWS::Lambda::Function').filter((f) => f.Properties.Runtime === 'nodejs24.x');
      expect(functions).toHaveLength(2);
      for (const fn of functions) {
        expect(fs.existsSync(path.join(assetOf(outdir, fn.Properties.Code.S3Key), 'index.mjs'))).toBe(true);
        expect(fn.Properties.Layers).toHaveLength(1);
      }
      const [layer] = resourcesOf(template, 'AWS::Lambda::LayerVersion');
      expect(fs.existsSync(path.join(assetOf(outdir, layer.Properties.Content.S3Key), 'nodejs', 'node_modules', 'ms', 'package.json'))).toBe(true);
    }
  });

  test('cdk synth -e \'Prod/*\' bundles only Prod\'s functions, and stages Prod\'s layer with its packages', () => {
    const { outdir } = cdk('synth', '-e', 'Prod/*', '--quiet');
    const prod = templateOf(outdir, 'Prod');
    const dev = templateOf(outdir, 'Dev');
    const code = (t: any) => resourcesOf(t, 'AWS::Lambda::Function').filter((f) => f.Properties.Runtime === 'nodejs24.x').map((f) => f.Properties.Code.S3Key);
    for (const key of code(prod)) {
      expect(fs.existsSync(path.join(assetOf(outdir, key), 'index.mjs'))).toBe(true);
    }
    for (const key of code(dev)) {
      expect(code(prod)).not.toContain(key);
      expect(fs.existsSync(path.join(assetOf(outdir, key), 'index.mjs'))).toBe(false);
    }
    const [layer] = resourcesOf(prod, 'AWS::Lambda::LayerVersion');
    expect(fs.existsSync(path.join(assetOf(outdir, layer.Properties.Content.S3Key), 'nodejs', 'node_modules', 'ms', 'package.json'))).toBe(true);
    expect(fs.existsSync(path.join(assetOf(outdir, layer.Properties.Content.S3Key), 'nodejs', 'node_modules', 'date-fns', 'package.json'))).toBe(true);
  });
});

/**
 * Determinism: each example, synthesized above with an empty bundle cache, synthesizes again (another empty cache)
 * and from a copy of the repository in another directory to identical templates, asset manifests and assets: same
 * asset hashes, same bytes. Anything that leaks an absolute path, a timestamp or an ordering into a bundle fails here.
 * Runs last in this file, after every example's first synthesis.
 */
describe('powertools-service', () => {
  let example: ReturnType<typeof synthExample>;
  beforeAll(() => {
    example = synthExample('powertools-service');
  });

  /** The official Powertools layer, stood in by the repository's devDependencies at the layer's version. */
  function powertoolsLayer(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'powertools-layer-'));
    for (const pkg of ['@aws-lambda-powertools/logger', '@aws-lambda-powertools/metrics', '@aws-lambda-powertools/commons', '@aws/lambda-invoke-store']) {
      fs.cpSync(path.join(REPO, 'node_modules', pkg), path.join(dir, 'nodejs', 'node_modules', pkg), { recursive: true });
    }
    return dir;
  }

  test('the function has the Powertools environment and the pinned layer, and its bundle leaves Powertools out', () => {
    const props = functionOf(example, 'Checkout').Properties;
    expect(props.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'checkout', POWERTOOLS_METRICS_NAMESPACE: 'Shop', POWERTOOLS_LOG_LEVEL: 'INFO' });
    expect(JSON.stringify(props.Layers)).toContain(':094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:50');
    const bundle = fs.readFileSync(path.join(bundleOf(example, 'Checkout'), 'index.mjs'), 'utf8');
    expect(bundle).toMatch(/from"@aws-lambda-powertools\/logger"/);
    expect(bundle).toMatch(/from"@aws-lambda-powertools\/metrics"/);
    expect(example.output).not.toMatch(/powertoolsVersionSkew/);
  });

  test('its bundle logs and emits metrics through the layer\'s packages in the Lambda runtime', async () => {
    const run = await runInLambdaRuntime({ ...runtimeOf(example, 'Checkout'), layerDirs: [powertoolsLayer()] }, [{ orderId: 'o-1', items: 3 }]);
    expect(run.invocations[0].result).toEqual({ orderId: 'o-1', service: 'checkout' });
    expect(run.logs).toMatch(/"message":"checkout".*"service":"checkout"|"service":"checkout".*"message":"checkout"/);
    expect(run.logs).toMatch(/"Namespace":"Shop"/);
    expect(run.logs).toMatch(/"ItemsSold":3/);
  });
});

describe('starter', () => {
  let example: ReturnType<typeof synthExample>;
  beforeAll(() => {
    example = synthExample('starter');
  });

  test('synthesizes a function URL, a stream consumer, a queue worker, a schedule and a layer', () => {
    expect(example.output).toMatch(/ok {3}starter/);
    // Its layer and its project agree on date-fns: a newcomer's first synth has no warning.
    // (the CLI keeps each stack's annotations in `<stack>.metadata.json`).
    const metadata = JSON.parse(fs.readFileSync(path.join(example.outdir, 'OrdersService.metadata.json'), 'utf8'));
    const warnings = Object.values<any>(metadata).flat().filter((m: any) => m.type === 'aws:cdk:warning').map((m: any) => m.data);
    expect(warnings).toEqual([]);
    const types = Object.values<any>(example.template.Resources).map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining([
      'AWS::Lambda::Url', 'AWS::Lambda::EventSourceMapping', 'AWS::SQS::Queue', 'AWS::Scheduler::Schedule', 'AWS::Lambda::LayerVersion',
    ]));
    expect(types.filter((t) => t === 'AWS::Lambda::Function')).toHaveLength(4);
  });

  test('its bundles answer in the Lambda runtime, the layer\'s packages included', async () => {
    expect(fs.readFileSync(path.join(bundleOf(example, 'ProcessOrder'), 'index.mjs'), 'utf8')).toMatch(/from"date-fns"/);
    expect((await invoke(example, 'Api', functionUrlEvent({ method: 'POST', body: '{"customerId":""}' }))).statusCode).toEqual(400);
    const sent = Date.UTC(2026, 0, 2);
    const worker = await invoke(example, 'ProcessOrder', { Records: [{ messageId: 'm-1', body: '{"orderId":"ord-1"}', attributes: { SentTimestamp: String(sent) } }] });
    expect(worker).toEqual({ batchItemFailures: [], shipping: { 'ord-1': '2026-01-06' } });
    expect(await invoke(example, 'NightlyReport', { report: 'nightly', now: '2026-03-01T03:00:00Z' })).toEqual({ report: 'nightly', covers: '2026-02-28' });
    const created = await invoke(example, 'OrderEvents', { Records: [{ eventName: 'INSERT', dynamodb: { SequenceNumber: '1', NewImage: { pk: { S: 'ord-9' } } } }] });
    expect(created).toEqual({ batchItemFailures: [], created: ['ord-9'] });
  });
});

describe('determinism', () => {
  const apps = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'cdk.json'))).sort();

  /** Synthesize one example of a repository into `outdir` with a fresh cache. */
  function synth(repo: string, name: string, outdir: string): Promise<void> {
    const cacheDir = freshCache();
    const cdk = path.join(repo, 'node_modules', 'aws-cdk', 'bin', 'cdk');
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [cdk, 'synth', '--quiet', '--output', outdir, '-c', `@cdk-lambda-kit/bundling:cacheDir=${cacheDir}`], {
        cwd: path.join(repo, 'examples', name),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`synthesizing ${repo}/examples/${name} failed:\n${stderr}`))));
    });
  }

  /** Run tasks two at a time (the machine has two cores). */
  async function twoAtATime(tasks: Array<() => Promise<void>>): Promise<void> {
    const queue = [...tasks];
    await Promise.all([0, 1].map(async () => {
      for (let task = queue.shift(); task; task = queue.shift()) {
        await task();
      }
    }));
  }

  /**
   * sha256 of every deployed file of a cloud assembly, by relative path: the templates, the asset manifests, and every
   * file of the assets they list (an output directory may also hold assets of earlier runs).
   */
  function fingerprint(outdir: string): Record<string, string> {
    const result: Record<string, string> = {};
    const add = (file: string) => {
      result[path.relative(outdir, file)] = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    };
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          walk(full);
        } else {
          add(full);
        }
      }
    };
    // Asset manifests of the root assembly and of its stages (`assembly-<stage>/`, whose sources are `../asset.<hash>`).
    const assemblies = ['.', ...fs.readdirSync(outdir).filter((d) => d.startsWith('assembly-'))];
    const manifests = assemblies.flatMap((dir) => fs.readdirSync(path.join(outdir, dir)).filter((f) => f.endsWith('.assets.json')).map((f) => path.join(dir, f)));
    for (const manifest of manifests) {
      add(path.join(outdir, manifest));
      for (const asset of Object.values<any>(JSON.parse(fs.readFileSync(path.join(outdir, manifest), 'utf8')).files ?? {})) {
        const source = path.join(outdir, path.dirname(manifest), asset.source.path);
        if (fs.statSync(source).isDirectory()) {
          walk(source);
        } else {
          add(source);
        }
      }
    }
    return result;
  }

  /** A copy of the repository's tracked files in another directory, sharing node_modules through hard links. */
  function copyOfRepository(): string {
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-copy-')), 'cdk-lambda-kit');
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of files) {
      if (fs.existsSync(path.join(REPO, file))) {
        fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
        fs.copyFileSync(path.join(REPO, file), path.join(copy, file));
      }
    }
    execFileSync('cp', ['-al', path.join(REPO, 'node_modules'), path.join(copy, 'node_modules')]);
    return copy;
  }

  test('every example synthesizes to identical templates and assets, again and from another directory', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-determinism-'));
    const copy = copyOfRepository();
    const out = (run: string, name: string) => path.join(work, run, name);
    await twoAtATime(apps.flatMap((name) => [
      () => synth(REPO, name, out('again', name)),
      () => synth(copy, name, out('copy', name)),
    ]));

    for (const name of apps) {
      const first = fingerprint(path.join(EXAMPLES, name, 'cdk.out'));
      expect(Object.keys(first).filter((f) => f.startsWith('asset.')).length).toBeGreaterThan(0);
      expect({ name, files: fingerprint(out('again', name)) }).toEqual({ name, files: first });
      expect({ name, files: fingerprint(out('copy', name)) }).toEqual({ name, files: first });
    }
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  }, 1_500_000);
});
