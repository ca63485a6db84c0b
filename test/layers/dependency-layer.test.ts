import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BundleCacheContext, DependencyLayer, ServerlessFunction } from '../../src';
import { bundleDirOf, entry, freshCache, makeApp, makeProject, makeUnbundledApp, unbundledFunction } from '../helpers';

/** A handler that uses `ms`, which the layer provides. */
const HANDLER = { 'src/uses-ms.ts': "import ms from 'ms';\nexport const handler = async () => ({ ms: ms('2h') });\n" };

/** Run a bundle the way Lambda would with the layer attached: the layer's node_modules on the module path. */
function invokeWithLayer(bundleDir: string, layerNodeModules: string): any {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-layer-run-'));
  fs.cpSync(layerNodeModules, path.join(root, 'node_modules'), { recursive: true });
  fs.cpSync(bundleDir, path.join(root, 'task'), { recursive: true });
  const script = `const m = await import(${JSON.stringify(path.join(root, 'task', 'index.mjs'))}); process.stdout.write(JSON.stringify(await m.handler({})));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: path.join(root, 'task'), encoding: 'utf8' }));
}

describe('DependencyLayer', () => {
  const cacheDir = freshCache();

  test('installs the packages into nodejs/node_modules, for arm64 and the newest runtime by default', () => {
    const { stack } = makeApp({ cacheDir });
    const layer = new DependencyLayer(stack, 'Deps', { dependencies: { ms: '2.1.3' } });
    expect(layer.modules).toEqual(['ms']);
    expect(layer.moduleVersions).toEqual({ ms: '2.1.3' });
    expect(layer.sizeBytes).toBeGreaterThan(1000);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::LayerVersion', {
      CompatibleArchitectures: ['arm64'],
      CompatibleRuntimes: ['nodejs24.x'],
      Description: 'npm: ms',
    });
    const installed = path.join(cacheDir, 'layers');
    const [dir] = fs.readdirSync(installed);
    expect(fs.existsSync(path.join(installed, dir, 'nodejs', 'node_modules', 'ms', 'package.json'))).toBe(true);
  });

  test('installs native packages for the target platform, not the machine that synthesizes', () => {
    const { stack } = makeApp({ cacheDir });
    new DependencyLayer(stack, 'Arm', { dependencies: { esbuild: '0.28.2' } });
    new DependencyLayer(stack, 'X86', { dependencies: { esbuild: '0.28.2' }, architecture: lambda.Architecture.X86_64 });
    const dirs = fs.readdirSync(path.join(cacheDir, 'layers')).map((d) => path.join(cacheDir, 'layers', d, 'nodejs', 'node_modules', '@esbuild'));
    const platforms = dirs.filter((d) => fs.existsSync(d)).map((d) => fs.readdirSync(d).join(',')).sort();
    expect(platforms).toEqual(['linux-arm64', 'linux-x64']);
  });

  test('the asset hash depends only on the packages, architecture and runtime; the cache skips reinstalling', () => {
    const ownCache = freshCache();
    const hashOf = (props: ConstructorParameters<typeof DependencyLayer>[2]) => {
      const { stack } = makeApp({ cacheDir: ownCache });
      const layer = new DependencyLayer(stack, 'Deps', props);
      const template = Template.fromStack(stack).toJSON();
      const resource: any = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::Lambda::LayerVersion');
      return { key: resource.Properties.Content.S3Key, layer };
    };
    const first = hashOf({ dependencies: { ms: '2.1.3' } });
    const [installed] = fs.readdirSync(path.join(ownCache, 'layers')).filter((d) => /^[0-9a-f]{64}$/.test(d));
    const cached = path.join(ownCache, 'layers', installed, 'nodejs', 'node_modules', 'ms', 'package.json');
    const inode = fs.statSync(cached).ino;
    const second = hashOf({ dependencies: { ms: '2.1.3' } });
    expect(second.key).toEqual(first.key);
    expect(fs.statSync(cached).ino).toEqual(inode);
    expect(hashOf({ dependencies: { ms: '2.1.3' }, architecture: lambda.Architecture.X86_64 }).key).not.toEqual(first.key);
    expect(hashOf({ dependencies: { ms: '2.1.3' }, runtime: lambda.Runtime.NODEJS_22_X }).key).not.toEqual(first.key);
  });

  test('a package.json with its lock file is installed exactly (npm ci)', () => {
    const project = makeProject({ 'layer/package.json': JSON.stringify({ name: 'layer', dependencies: { ms: '^2.1.0' } }) });
    execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: path.join(project, 'layer') });
    const lock = JSON.parse(fs.readFileSync(path.join(project, 'layer', 'package-lock.json'), 'utf8'));
    const { stack } = makeApp({ cacheDir });
    const layer = new DependencyLayer(stack, 'FromLock', { packageJson: path.join(project, 'layer', 'package.json') });
    expect(layer.modules).toEqual(['ms']);
    expect(layer.moduleVersions.ms).toEqual(lock.packages['node_modules/ms'].version);
  });

  test('a function using the layer leaves its packages out, and its bundle runs with the layer', () => {
    const root = makeProject(HANDLER);
    const { app, stack } = makeApp({ cacheDir });
    const layer = new DependencyLayer(stack, 'Deps', { dependencies: { ms: '2.1.3' } });
    new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/uses-ms.ts'), layers: [layer] });
    const bundle = bundleDirOf(app, stack, 'Fn');
    const code = fs.readFileSync(path.join(bundle, 'index.mjs'), 'utf8');
    expect(code).toMatch(/from"ms"/);
    const layerDir = path.join(cacheDir, 'layers', fs.readdirSync(path.join(cacheDir, 'layers')).find((d) =>
      fs.existsSync(path.join(cacheDir, 'layers', d, 'nodejs', 'node_modules', 'ms')) && !d.includes('tmp'))!);
    expect(invokeWithLayer(bundle, path.join(layerDir, 'nodejs', 'node_modules'))).toEqual({ ms: 7_200_000 });
  });

  test('warns with a stable id when the project resolves another version than the layer provides', () => {
    const root = makeProject({ ...HANDLER, 'node_modules/ms/package.json': JSON.stringify({ name: 'ms', version: '2.1.2', main: 'index.js' }), 'node_modules/ms/index.js': 'module.exports = () => 1;' });
    const { stack } = makeApp({ cacheDir });
    const layer = new DependencyLayer(stack, 'Deps', { dependencies: { ms: '2.1.3' } });
    new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/uses-ms.ts'), layers: [layer] });
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp('the layer provides ms@2.1.3, but this function\'s workspace locks ms@2.1.2.*\\[ack: cdk-lambda-kit:layerVersionSkew\\]'));
  });
});

describe('layer checks', () => {
  test('fails if an external module is provided by neither the runtime nor a layer', () => {
    const root = makeProject({
      'src/left.ts': "import pad from 'left-pad';\nimport { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const handler = async () => [pad, DynamoDBClient];\n",
      // Installed in the project: left out, it would be missing at run time.
      'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/left-pad': { version: '1.3.0' } } }),
    });
    const { app, stack } = makeApp();
    new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/left.ts'), bundling: { externalModules: ['left-pad'] } });
    expect(() => app.synth()).toThrow(/\[Stack\/Fn\] the bundle imports left-pad but leaves it out \(external\), and neither the runtime nor a dependency layer provides it/);
  });

  test('only warns when a layer of unknown contents may provide it', () => {
    const root = makeProject({ 'src/left.ts': "import pad from 'left-pad';\nexport const handler = async () => pad;\n" });
    const { stack } = makeApp();
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Shared', 'arn:aws:lambda:us-east-1:123456789012:layer:shared:3');
    new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/left.ts'), bundling: { externalModules: ['left-pad'] }, layers: [layer] });
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp('left-pad.*\\[ack: cdk-lambda-kit:externalNotProvided\\]'));
  });

  test('fails if a dependency layer is built for another architecture or runtime', () => {
    const { stack } = makeUnbundledApp();
    const arm = new DependencyLayer(stack, 'Arm', { dependencies: { ms: '2.1.3' } });
    const old = new DependencyLayer(stack, 'Old', { dependencies: { ms: '2.1.3' }, runtime: lambda.Runtime.NODEJS_20_X, architecture: lambda.Architecture.X86_64 });
    expect(() => new ServerlessFunction(stack, 'Fn', { entry, architecture: lambda.Architecture.X86_64, layers: [arm, old] })).toThrow(
      /^Stack\/Fn: 2 problems:\n {2}- `layers`: Stack\/Arm is built for arm64, not for the function's x86_64\n {2}- `layers`: Stack\/Old is compatible with nodejs20.x, not with the function's nodejs24.x$/,
    );
  });

  test('fails if the function and its dependency layers are over 250 MB unzipped', () => {
    const root = makeProject(HANDLER);
    const { app, stack } = makeApp();
    const layer = new DependencyLayer(stack, 'Deps', { dependencies: { ms: '2.1.3' } });
    // Stand in for a 260 MB install without downloading one.
    Object.defineProperty(layer, 'sizeBytes', { value: 260 * 1024 * 1024 });
    new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/uses-ms.ts'), layers: [layer] });
    expect(() => app.synth()).toThrow(/\[Stack\/Fn\] the function and its layers must be at most 250 MB unzipped \(Lambda's limit\), got 260\.\d MB/);
  });

  test('fails if a dependency layer is added after construction', () => {
    const { stack, fn } = unbundledFunction();
    expect(() => fn.addLayers(new DependencyLayer(stack, 'Late', { dependencies: { ms: '2.1.3' } })))
      .toThrow(/^Stack\/Fn: `addLayers` cannot add the DependencyLayer Stack\/Late after construction: pass it in `layers`/);
    fn.addLayers(lambda.LayerVersion.fromLayerVersionArn(stack, 'Other', 'arn:aws:lambda:us-east-1:123456789012:layer:other:1'));
  });

  test.each<[string, ConstructorParameters<typeof DependencyLayer>[2], RegExp]>([
    ['neither dependencies nor packageJson is set', {}, /^Stack\/Bad: exactly one of `dependencies` and `packageJson` must be set, got neither$/],
    ['both are set', { dependencies: { ms: '1' }, packageJson: 'package.json' }, /exactly one of `dependencies` and `packageJson` must be set/],
    ['a dependency name is not an npm name', { dependencies: { 'Not A Name': '1' } }, /`dependencies` keys must be npm package names, got "Not A Name"/],
    ['no dependency is named', { dependencies: {} }, /`dependencies` must name at least one package/],
    ['the package.json is missing', { packageJson: 'nowhere/package.json' }, /`packageJson` must be a readable package.json, got nowhere\/package.json/],
    ['the runtime is not Node.js', { dependencies: { ms: '1' }, runtime: lambda.Runtime.PYTHON_3_13 }, /`runtime` must be a Node.js runtime, got python3.13/],
  ])('fails if %s', (_name, props, message) => {
    const { stack } = makeUnbundledApp();
    expect(() => new DependencyLayer(stack, 'Bad', props)).toThrow(message);
  });

  test('fails with npm\'s own words when a package cannot be installed', () => {
    const { stack } = makeApp({ context: { [BundleCacheContext.ENABLED]: false } });
    expect(() => new DependencyLayer(stack, 'Missing', { dependencies: { 'cdk-lambda-kit-no-such-package-4242': '1.0.0' } }))
      .toThrow(/^Stack\/Missing: installing the layer's packages with `npm install --omit=dev --os=linux --cpu=arm64 .*` failed:\n.*(404|E404|Not Found)/s);
  });
});
