import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BundleCacheContext, DependencyLayer, ServerlessFunction } from '../../src';
import { workspaceVersions } from '../../src/bundling/install/workspace-versions';
import { invokeInLambdaRuntime, runtimeOptionsOf } from '../../src/testing';
import { MANAGERS, Manager, monorepo } from '../harness/monorepo';
import { captureSummary, freshCache } from '../helpers';

/**
 * A monorepo under each package manager (test/fixtures/monorepo): the root locks debug 4.4.3 and ms 2.1.3 (hoisted
 * under npm and Yarn classic), the api workspace locks debug 4.3.4 and ms 2.1.2. What ships is what the function's
 * own workspace locks (the defect: npm and Yarn shipped the hoisted 4.4.3; pnpm and PnP failed the synth).
 */

const HOST = process.arch === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64;

/** The api function (nodeModules: debug; ms from a layer of a workspace package.json) and the other workspace's. */
function synth(root: string, cacheDir: string) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-out-'));
  const app = new App({ outdir, context: { [BundleCacheContext.DIRECTORY]: cacheDir } });
  const stack = new Stack(app, 'Stack');
  const layer = new DependencyLayer(stack, 'Deps', { packageJson: path.join(root, 'packages/layer-deps/package.json'), architecture: HOST });
  const api = new ServerlessFunction(stack, 'Api', {
    entry: path.join(root, 'packages/api/src/handler.mjs'),
    architecture: HOST,
    layers: [layer],
    bundling: { nodeModules: ['debug'] },
  });
  const other = new ServerlessFunction(stack, 'Other', { entry: path.join(root, 'packages/other/src/handler.mjs'), architecture: HOST, layers: [layer] });
  let line = '';
  [line] = captureSummary(() => app.synth());
  const keyOf = (fn: ServerlessFunction) => stack.resolve((fn.node.defaultChild as lambda.CfnFunction).code).s3Key as string;
  const bundleOf = (fn: ServerlessFunction) => path.join(outdir, `asset.${keyOf(fn).replace(/\.zip$/, '')}`);
  return { stack, layer, api, other, line, apiKey: keyOf(api), apiBundle: bundleOf(api) };
}

const versionIn = (dir: string, module: string) => JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', module, 'package.json'), 'utf8')).version;

describe.each(MANAGERS)('a monorepo installed with %s', (manager: Manager) => {
  let root: string;
  beforeAll(() => {
    root = monorepo(manager);
  });

  test('each workspace resolves the versions its own lock entries name', () => {
    expect(workspaceVersions(['debug', 'ms', '@acme/shared'], path.join(root, 'packages/api/src')).versions)
      .toEqual({ 'debug': '4.3.4', 'ms': '2.1.2', '@acme/shared': '1.0.0' });
    expect(workspaceVersions(['debug', 'ms'], root).versions).toEqual({ debug: '4.4.3', ms: '2.1.3' });
    expect(workspaceVersions(['ms'], path.join(root, 'packages/layer-deps')).versions).toEqual({ ms: '2.1.2' });
    expect(workspaceVersions(['left-pad'], path.join(root, 'packages/api')).unresolved).toEqual(['left-pad']);
  });

  test('synthesizes cold, warm and after an edit, ships the locked versions, and runs in the runtime client', async () => {
    const cacheDir = freshCache();
    const cold = synth(root, cacheDir);
    expect(cold.line).toMatch(/2 built/);
    expect(versionIn(cold.apiBundle, 'debug')).toEqual('4.3.4');
    expect(cold.layer.moduleVersions).toEqual({ ms: '2.1.2' });
    // The other workspace locks ms 2.1.3: it runs against the layer's 2.1.2, and is told so.
    Annotations.fromStack(cold.stack).hasWarning('/Stack/Other', Match.stringLikeRegexp(
      'the layer provides ms@2\\.1\\.2, but this function\'s workspace locks ms@2\\.1\\.3.*\\[ack: cdk-lambda-kit:layerVersionSkew\\]'));
    Annotations.fromStack(cold.stack).hasNoWarning('/Stack/Api', Match.stringLikeRegexp('layerVersionSkew'));
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(cold.api), {}))
      .toEqual({ greeting: 'hello api', debug: '4.3.4', ms: '2.1.2', oneDay: 86_400_000 });

    const warm = synth(root, cacheDir);
    expect(warm.line).toMatch(/2 from cache/);
    expect(warm.apiKey).toEqual(cold.apiKey);

    fs.writeFileSync(path.join(root, 'packages/shared/index.js'), 'exports.greet = (name) => `hi ${name}`;\n');
    const edited = synth(root, cacheDir);
    expect(edited.apiKey).not.toEqual(cold.apiKey);
    expect(versionIn(edited.apiBundle, 'debug')).toEqual('4.3.4');
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(edited.api), {}))
      .toEqual({ greeting: 'hi api', debug: '4.3.4', ms: '2.1.2', oneDay: 86_400_000 });
  });
});
