import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DependencyLayer, OutputFormat, ServerlessFunction } from '../../src';
import { invokeInLambdaRuntime, runInLambdaRuntime, RuntimeOptions, runtimeOptionsOf } from '../../src/testing';
import { makeApp, makeProject, makeUnbundledApp } from '../helpers';

/** Bundle one handler with ServerlessFunction (real esbuild) and describe how Lambda would run it. */
function bundled(source: string, options: { format?: OutputFormat; externalModules?: string[] } = {}): RuntimeOptions {
  const root = makeProject({ 'src/handler.ts': source });
  const { app, stack } = makeApp();
  const fn = new ServerlessFunction(stack, 'Fn', {
    entry: `${root}/src/handler.ts`,
    environment: { TABLE_NAME: 'orders' },
    bundling: { format: options.format, externalModules: options.externalModules },
    // A layer of unknown contents: a module left external is then a warning, not a synth error.
    layers: options.externalModules ? [lambda.LayerVersion.fromLayerVersionArn(stack, 'Layer', 'arn:aws:lambda:us-east-1:123456789012:layer:l:1')] : undefined,
  });
  app.synth();
  return runtimeOptionsOf(fn, { layerDirs: [], functionName: 'test-function' });
}

describe('the local Lambda runtime', () => {
  test('runs a bundle in the official runtime client with Lambda\'s context and variables, warm across invocations', async () => {
    // GIVEN
    const options = bundled(`
      let invocations = 0;
      export const handler = async (event: { n: number }, context: any) => ({
        n: event.n,
        invocations: ++invocations,
        requestId: context.awsRequestId,
        functionName: context.functionName,
        remaining: context.getRemainingTimeInMillis() > 0,
        table: process.env.TABLE_NAME,
        region: process.env.AWS_REGION,
        taskRoot: process.env.LAMBDA_TASK_ROOT === process.cwd(),
      });
    `);

    // WHEN
    const run = await runInLambdaRuntime(options, [{ n: 1 }, { n: 2 }]);

    // THEN
    expect(run.initError).toBeUndefined();
    expect(run.invocations.map((i) => i.result)).toEqual([
      { n: 1, invocations: 1, requestId: run.invocations[0].requestId, functionName: 'test-function', remaining: true, table: 'orders', region: 'us-east-1', taskRoot: true },
      { n: 2, invocations: 2, requestId: run.invocations[1].requestId, functionName: 'test-function', remaining: true, table: 'orders', region: 'us-east-1', taskRoot: true },
    ]);
  });

  test('an error thrown by the handler is posted with its type, and the environment keeps serving', async () => {
    const options = bundled(`
      class OrderRejected extends Error { name = 'OrderRejected'; }
      export const handler = async (event: { ok: boolean }) => { if (!event.ok) { throw new OrderRejected('total is negative'); } return 'accepted'; };
    `);

    const run = await runInLambdaRuntime(options, [{ ok: false }, { ok: true }]);

    expect(run.invocations[0].error).toMatchObject({ errorType: 'OrderRejected', errorMessage: 'total is negative' });
    expect(run.invocations[1].result).toEqual('accepted');
  });

  test('a wrong handler name surfaces as Runtime.HandlerNotFound at init', async () => {
    const options = bundled('export const handler = async () => 1;');

    const run = await runInLambdaRuntime({ ...options, handler: 'index.main' }, [{}]);

    expect(run.invocations).toEqual([]);
    expect(run.initError).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.main is undefined or not exported' });
  });

  test('a missing handler file surfaces as Runtime.ImportModuleError at init', async () => {
    const options = bundled('export const handler = async () => 1;');

    const run = await runInLambdaRuntime({ ...options, handler: 'app.handler' }, [{}]);

    expect(run.initError).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: expect.stringMatching(/Cannot find module 'app'/) });
  });

  test('a CommonJS bundle whose external module nobody provides surfaces as Runtime.ImportModuleError', async () => {
    const options = bundled(`
      import leftPad from 'left-pad';
      export const handler = async () => leftPad('7', 3, '0');
    `, { format: OutputFormat.CJS, externalModules: ['left-pad'] });

    const run = await runInLambdaRuntime(options, [{}]);

    expect(run.initError).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: expect.stringMatching(/Cannot find module 'left-pad'/) });
  });

  test('an ES module bundle whose external package nobody provides fails at init, naming the package', async () => {
    const options = bundled(`
      import leftPad from 'left-pad';
      export const handler = async () => leftPad('7', 3, '0');
    `, { externalModules: ['left-pad'] });

    const run = await runInLambdaRuntime(options, [{}]);

    expect(run.invocations).toEqual([]);
    expect(run.initError?.errorMessage).toMatch(/Cannot find package 'left-pad' imported from .*\/var\/task\/index\.mjs/);
  });

  test('runtimeOptionsOf reads a synthesized function, its environment and its dependency layer', async () => {
    // GIVEN a function whose bundle leaves `ms` to a DependencyLayer
    const root = makeProject({ 'src/handler.ts': 'import ms from "ms";\nexport const handler = async () => ({ wait: ms("2 minutes"), stage: process.env.STAGE });\n' });
    const { app, stack } = makeApp();
    const layer = new DependencyLayer(stack, 'Deps', { dependencies: { ms: '2.1.3' } });
    const fn = new ServerlessFunction(stack, 'Fn', { entry: `${root}/src/handler.ts`, layers: [layer], environment: { STAGE: 'test' } });
    app.synth();

    // WHEN
    const options = runtimeOptionsOf(fn);

    // THEN
    expect(options).toMatchObject({ handler: 'index.handler', runtime: 'nodejs24.x', memorySize: 1024, functionName: 'Fn', environment: { STAGE: 'test' } });
    expect(options.layerDirs).toHaveLength(1);
    expect(await invokeInLambdaRuntime(options, {})).toEqual({ wait: 120000, stage: 'test' });
  });

  test('runtimeOptionsOf finds the function\'s bundle and its layer in the root assembly when the stack is in a Stage', async () => {
    // GIVEN a service stage, as CDK Pipelines apps have: aws-cdk-lib stages its assets in the root assembly
    const root = makeProject({ 'src/handler.ts': 'import ms from "ms";\nexport const handler = async () => ({ wait: ms("1 minute"), stage: process.env.STAGE });\n' });
    const { app } = makeApp();
    const prod = new Stage(app, 'Prod');
    const stack = new Stack(prod, 'Service');
    const layer = new DependencyLayer(stack, 'Deps', { dependencies: { ms: '2.1.3' } });
    const fn = new ServerlessFunction(stack, 'Fn', { entry: `${root}/src/handler.ts`, layers: [layer], environment: { STAGE: 'prod' } });
    app.synth();

    // WHEN
    const options = runtimeOptionsOf(fn);

    // THEN
    expect(options.bundleDir.startsWith(prod.outdir)).toBe(false);
    expect(options.layerDirs).toHaveLength(1);
    expect(await invokeInLambdaRuntime(options, {})).toEqual({ wait: 60000, stage: 'prod' });
  });

  test('runtimeOptionsOf fails if the stack was not bundled, naming the stack and the context that skipped it', () => {
    const { stack } = makeUnbundledApp();
    const fn = new ServerlessFunction(stack, 'Fn', { entry: `${makeProject({ 'src/h.ts': 'export const handler = async () => 1;' })}/src/h.ts` });
    expect(() => runtimeOptionsOf(fn)).toThrow(/^Stack\/Fn: the code of this function was not bundled: its stack Stack is not among the stacks selected for bundling \(context `aws:cdk:bundling-stacks`\)/);
  });

  test('runtimeOptionsOf fails if the staged asset is gone, saying what it looked for and where', () => {
    const { app, stack } = makeApp();
    const fn = new ServerlessFunction(stack, 'Fn', { entry: `${makeProject({ 'src/h.ts': 'export const handler = async () => 1;' })}/src/h.ts` });
    app.synth();
    fs.rmSync(runtimeOptionsOf(fn).bundleDir, { recursive: true });
    expect(() => runtimeOptionsOf(fn)).toThrow(/^Stack\/Fn: the staged asset of its code \(asset\.[0-9a-f]{64}\) was not found in \S+: call app\.synth\(\) \(or Template\.fromStack\) first$/);
  });
});

/** A stand-in for DynamoDB's endpoint: answers GetItem, and records what it was asked. */
async function fakeDynamoDb(): Promise<{ endpoint: string; requests: Array<{ target?: string; body: any }>; close: () => void }> {
  const requests: Array<{ target?: string; body: any }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ target: req.headers['x-amz-target'] as string | undefined, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ Item: { id: { S: 'o-1' }, customer: { S: 'Ada' } } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => server.close() };
}

/** Lambda's Node.js runtimes ship the AWS SDK for JavaScript v3; the bundle leaves `@aws-sdk/*` to them. */
const SDK_HANDLER = `
  import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
  const client = new DynamoDBClient({ endpoint: process.env.DDB_ENDPOINT });
  export const handler = async (event: { id: string }) => {
    const out = await client.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { id: { S: event.id } } }));
    return { customer: out.Item?.customer?.S };
  };
`;

describe('what the runtime provides', () => {
  test('a handler using @aws-sdk/client-dynamodb runs with the SDK the runtime provides (the project\'s)', async () => {
    const ddb = await fakeDynamoDb();
    try {
      const options = bundled(SDK_HANDLER);
      expect(fs.readFileSync(path.join(options.bundleDir, 'index.mjs'), 'utf8')).toMatch(/from"@aws-sdk\/client-dynamodb"/);

      const result = await invokeInLambdaRuntime({ ...options, environment: { ...options.environment, DDB_ENDPOINT: ddb.endpoint } }, { id: 'o-1' });

      expect(result).toEqual({ customer: 'Ada' });
      expect(ddb.requests).toEqual([{ target: 'DynamoDB_20120810.GetItem', body: { TableName: 'orders', Key: { id: { S: 'o-1' } } } }]);
    } finally {
      ddb.close();
    }
  });

  test('fails at init, naming the package, when the SDK is not provided', async () => {
    const options = bundled(SDK_HANDLER);
    const run = await runInLambdaRuntime({ ...options, provideSdk: false }, [{ id: 'o-1' }]);
    expect(run.initError?.errorMessage).toMatch(/Cannot find package '@aws-sdk\/client-dynamodb'/);
  });

  test('an SDK client the project has not installed: the error says where the SDK comes from, and `sdkModulesDir` (the fix) works', async () => {
    const options = bundled(`
      import { SFNClient } from '@aws-sdk/client-sfn';
      export const handler = async () => ({ client: typeof SFNClient });
    `);
    await expect(invokeInLambdaRuntime(options, {})).rejects.toThrow(
      /Cannot find package '@aws-sdk\/client-sfn'[^\n]*\n\(the Node.js runtimes provide @aws-sdk\/client-sfn; here it comes from the project's node_modules: `npm install --save-dev @aws-sdk\/client-sfn`, or pass `sdkModulesDir`\)/);

    // Following the fix: a node_modules directory holding it (here a stand-in package).
    const sdk = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-sdk-'));
    fs.mkdirSync(path.join(sdk, '@aws-sdk', 'client-sfn'), { recursive: true });
    fs.writeFileSync(path.join(sdk, '@aws-sdk', 'client-sfn', 'package.json'), JSON.stringify({ name: '@aws-sdk/client-sfn', version: '3.0.0', main: 'index.js' }));
    fs.writeFileSync(path.join(sdk, '@aws-sdk', 'client-sfn', 'index.js'), 'exports.SFNClient = class SFNClient {};\n');
    expect(await invokeInLambdaRuntime({ ...options, sdkModulesDir: sdk }, {})).toEqual({ client: 'function' });
  });

  test('fails if `sdkModulesDir` holds no @aws-sdk packages, naming the directory', async () => {
    const options = bundled('export const handler = async () => 1;');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-sdk-'));
    await expect(runInLambdaRuntime({ ...options, sdkModulesDir: empty }, [{}])).rejects.toThrow(
      `\`sdkModulesDir\` must be a node_modules directory holding @aws-sdk packages, got ${empty} (no @aws-sdk in it)`);
  });
});

describe('layers in the local runtime', () => {
  /** A layer directory with one package; its nodejs/node_modules a symbolic link to an install elsewhere if asked. */
  function layerWith(name: string, options: { symlinked?: boolean } = {}): string {
    const install = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-install-'));
    const modules = path.join(install, 'node_modules');
    fs.mkdirSync(path.join(modules, name), { recursive: true });
    fs.writeFileSync(path.join(modules, name, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
    fs.writeFileSync(path.join(modules, name, 'index.js'), `exports.greet = (n) => \`${name} says hello to \${n}\`;\n`);
    const layer = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-layer-'));
    fs.mkdirSync(path.join(layer, 'nodejs'));
    if (options.symlinked) {
      fs.symlinkSync(modules, path.join(layer, 'nodejs', 'node_modules'), 'dir');
    } else {
      fs.renameSync(modules, path.join(layer, 'nodejs', 'node_modules'));
    }
    return layer;
  }

  const LAYER_HANDLER = `
    import * as fs from 'fs';
    import * as path from 'path';
    import { greet as first } from 'first';
    import { greet as second } from 'second';
    export const handler = async () => ({
      greetings: [first('you'), second('you')],
      modules: fs.realpathSync(path.join(process.env.LAMBDA_TASK_ROOT!, '..', 'node_modules')),
    });
  `;

  test('layers whose nodejs/node_modules is a symbolic link are merged like the others (it failed with ENOTDIR)', async () => {
    const options = bundled(LAYER_HANDLER, { externalModules: ['first', 'second'] });
    for (const layerDirs of [[layerWith('first', { symlinked: true }), layerWith('second')], [layerWith('first'), layerWith('second', { symlinked: true })]]) {
      const result = await invokeInLambdaRuntime({ ...options, layerDirs }, {});
      expect(result.greetings).toEqual(['first says hello to you', 'second says hello to you']);
    }
  });

  test('the merged layers are built once per layer set and reused by later invocations', async () => {
    const options = bundled(LAYER_HANDLER, { externalModules: ['first', 'second'] });
    const layerDirs = [layerWith('first'), layerWith('second')];
    const first = await invokeInLambdaRuntime({ ...options, layerDirs }, {});
    const second = await invokeInLambdaRuntime({ ...options, layerDirs }, {});
    const otherSet = await invokeInLambdaRuntime({ ...options, layerDirs: [layerWith('first'), layerWith('second')] }, {});
    expect(second.modules).toEqual(first.modules);
    expect(otherSet.modules).not.toEqual(first.modules);
  });

  test('fails if a layer directory has no nodejs/node_modules, naming it', async () => {
    const options = bundled('export const handler = async () => 1;');
    const notALayer = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-layer-'));
    await expect(runInLambdaRuntime({ ...options, layerDirs: [notALayer] }, [{}])).rejects.toThrow(
      `a layer directory must hold nodejs/node_modules (as Lambda's Node.js runtimes read it), got ${notALayer}`);
  });
});
