import * as fs from 'fs';
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
