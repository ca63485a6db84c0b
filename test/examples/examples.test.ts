import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { invokeBundle } from '../helpers';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

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

/** The staged bundle of the first function whose logical ID starts with a prefix. */
function bundleOf(example: { template: any; outdir: string }, prefix: string): string {
  const [, fn] = Object.entries<any>(example.template.Resources)
    .find(([id, r]) => id.startsWith(prefix) && r.Type === 'AWS::Lambda::Function')!;
  return path.join(example.outdir, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
}

test('every example has a cdk.json and is indexed in examples/README.md', () => {
  const index = fs.readFileSync(path.join(EXAMPLES, 'README.md'), 'utf8');
  const apps = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'app.ts')));
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

  test('its bundle creates an order', () => {
    const bundle = bundleOf(example, 'CreateOrder');
    const event = {
      version: '2.0',
      rawPath: '/',
      isBase64Encoded: false,
      body: JSON.stringify({ customerId: 'c-1', items: [{ sku: 'book', quantity: 2 }] }),
    };
    const environment = Object.values<any>(example.template.Resources)
      .find((r) => r.Type === 'AWS::Lambda::Function').Properties.Environment.Variables;
    const { result } = invokeBundle(bundle, 'handler', event, environment);
    expect(result.statusCode).toEqual(201);
    expect(JSON.parse(result.body)).toMatchObject({ id: expect.stringMatching(/^ord-[0-9a-f-]{36}$/), customerId: 'c-1' });
  });

  test('its bundle rejects an invalid order', () => {
    const { result } = invokeBundle(bundleOf(example, 'CreateOrder'), 'handler', { body: '{"customerId":""}' });
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

  test('its bundle quotes a price and rejects a bad query', () => {
    const bundle = bundleOf(example, 'Quotes');
    const ok = invokeBundle(bundle, 'handler', { queryStringParameters: { days: '10' } }).result;
    expect(ok.statusCode).toEqual(200);
    expect(JSON.parse(ok.body)).toEqual({ price: 130, validUntil: '2026-01-11', version: 'local' });
    expect(invokeBundle(bundle, 'handler', { queryStringParameters: { days: '99' } }).result.statusCode).toEqual(400);
  });
});

describe('shared-layer', () => {
  let example: ReturnType<typeof synthExample>;
  beforeAll(() => {
    example = synthExample('shared-layer');
  });

  /** Run a bundle with the example's layer on the module path, as Lambda mounts it under /opt/nodejs. */
  function invokeWithLayer(prefix: string, event: unknown): any {
    const layer: any = Object.values<any>(example.template.Resources).find((r) => r.Type === 'AWS::Lambda::LayerVersion');
    const layerDir = path.join(example.outdir, `asset.${layer.Properties.Content.S3Key.replace(/\.zip$/, '')}`);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-example-layer-'));
    fs.cpSync(path.join(layerDir, 'nodejs', 'node_modules'), path.join(root, 'node_modules'), { recursive: true });
    fs.cpSync(bundleOf(example, prefix), path.join(root, 'task'), { recursive: true });
    const script = `const m = await import(${JSON.stringify(path.join(root, 'task', 'index.mjs'))}); process.stdout.write(JSON.stringify(await m.handler(${JSON.stringify(event)})));`;
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
  }

  test('both bundles leave the layer\'s packages out and run with the layer', () => {
    expect(fs.readFileSync(path.join(bundleOf(example, 'Schedule'), 'index.mjs'), 'utf8')).toMatch(/from"date-fns"/);
    expect(fs.readFileSync(path.join(bundleOf(example, 'Backoff'), 'index.mjs'), 'utf8')).toMatch(/from"ms"/);
    expect(invokeWithLayer('Schedule', { orderedOn: '2026-01-02', businessDays: 3 })).toEqual({ deliverOn: '2026-01-07' });
    expect(invokeWithLayer('Backoff', { attempt: 3 })).toEqual({ waitMs: 8000, human: '8 seconds' });
  });

  test('the layer is built for arm64 and the function runtime', () => {
    const layer: any = Object.values<any>(example.template.Resources).find((r) => r.Type === 'AWS::Lambda::LayerVersion');
    expect(layer.Properties.CompatibleArchitectures).toEqual(['arm64']);
    expect(layer.Properties.CompatibleRuntimes).toEqual(['nodejs24.x']);
  });
});

/** Minimal records in the shape each service sends (the fields these handlers read, plus identity fields). */
const sqsRecord = (messageId: string, body: string) => ({ messageId, receiptHandle: 'rh', body, attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:q', awsRegion: 'us-east-1' });

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

  test('its bundle reports only the bad messages as failures', () => {
    const { result } = invokeBundle(bundleOf(example, 'ProcessOrders'), 'handler', {
      Records: [sqsRecord('m1', '{"orderId":"o-1","total":10}'), sqsRecord('m2', 'not json'), sqsRecord('m3', '{"orderId":"","total":1}')],
    });
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

  test('the table-changes bundle counts changes and reports incomplete records', () => {
    const record = (eventName: string, seq: string, image?: object) => ({ eventName, eventSource: 'aws:dynamodb', dynamodb: { SequenceNumber: seq, Keys: { pk: { S: seq } }, ...(image ? { NewImage: image } : {}) } });
    const { result } = invokeBundle(bundleOf(example, 'TableChanges'), 'handler', {
      Records: [record('INSERT', '1', { pk: { S: '1' } }), record('MODIFY', '2', { pk: { S: '2' } }), record('REMOVE', '3'), record('INSERT', '4')],
    });
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '4' }], counts: { INSERT: 1, MODIFY: 1, REMOVE: 1 } });
  });

  test('the click bundle decodes Kinesis records and reports bad ones', () => {
    const record = (seq: string, data: string) => ({ eventSource: 'aws:kinesis', kinesis: { sequenceNumber: seq, partitionKey: 'p', data: Buffer.from(data).toString('base64') } });
    const { result } = invokeBundle(bundleOf(example, 'ClickCounter'), 'handler', {
      Records: [record('1', '{"page":"/home"}'), record('2', '{"page":"/home"}'), record('3', 'garbage')],
    });
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

  test('its bundle classifies uploads', () => {
    const record = (key: string, size: number) => ({ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'uploads' }, object: { key, size } } });
    const { result } = invokeBundle(bundleOf(example, 'Classify'), 'handler', {
      Records: [record('incoming/cat+photo.JPG', 1200), record('reports/q1.csv', 300)],
    });
    expect(result).toEqual([
      { bucket: 'uploads', key: 'incoming/cat photo.JPG', size: 1200, kind: 'image', next: 'image/cat photo.JPG' },
      { bucket: 'uploads', key: 'reports/q1.csv', size: 300, kind: 'table', next: 'table/q1.csv' },
    ]);
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
    const functions = resources.filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Runtime === 'nodejs24.x');
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn.Properties.VpcConfig.SubnetIds).toBeDefined();
      expect(fn.Properties.Layers).toHaveLength(1);
    }
    const alarms = resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.AlarmActions);
    expect(alarms.length).toBeGreaterThanOrEqual(6);
  });

  test('its API bundle leaves date-fns to the layer and answers', () => {
    const bundle = bundleOf(example, 'Api');
    expect(fs.readFileSync(path.join(bundle, 'index.mjs'), 'utf8')).toMatch(/from"date-fns"/);
    const layer: any = Object.values<any>(example.template.Resources).find((r) => r.Type === 'AWS::Lambda::LayerVersion');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-prod-'));
    fs.cpSync(path.join(example.outdir, `asset.${layer.Properties.Content.S3Key.replace(/\.zip$/, '')}`, 'nodejs', 'node_modules'), path.join(root, 'node_modules'), { recursive: true });
    fs.cpSync(bundle, path.join(root, 'task'), { recursive: true });
    const script = `const m = await import(${JSON.stringify(path.join(root, 'task', 'index.mjs'))}); process.stdout.write(JSON.stringify(await m.handler({ body: '{"id":"o-9","express":true}' })));`;
    const result = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
    expect(result.statusCode).toEqual(202);
    expect(JSON.parse(result.body)).toMatchObject({ id: 'o-9', deliverBy: '2026-01-06' });
  });
});
