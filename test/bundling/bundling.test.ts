import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { BundleCacheContext, OutputFormat, ServerlessFunction } from '../../src';
import { bundleDirOf, captureSummary, invokeBundle, makeApp, makeProject, makeUnbundledApp } from '../helpers';

/** A CommonJS-only package (no `module` or `exports` field) that relies on `__dirname`. */
const CJS_ONLY_PACKAGE = {
  'node_modules/cjs-only/package.json': JSON.stringify({ name: 'cjs-only', version: '1.0.0', main: 'lib/index.js' }),
  'node_modules/cjs-only/lib/index.js': [
    "const path = require('path');",
    "const { EventEmitter } = require('events');",
    'exports.greet = (name) => `hello ${name}`;',
    'exports.where = () => path.basename(__dirname);',
    'exports.Emitter = EventEmitter;',
  ].join('\n'),
};

const HANDLER = {
  'src/data.json': JSON.stringify({ greeting: 'hi', numbers: [1, 2, 3] }),
  'src/lazy.ts': 'export const lazyValue = 42;\n',
  'src/orders.ts': [
    "import { greet, where, Emitter } from 'cjs-only';",
    "import data from './data.json';",
    'export const schema = { id: "string" };',
    'export const handler = async (event: { name: string }) => {',
    "  const { lazyValue } = await import('./lazy');",
    '  return {',
    '    greeting: greet(event.name),',
    '    packageDir: where(),',
    '    dirname: typeof __dirname,',
    '    filename: __filename.endsWith("index.mjs") || __filename.endsWith("index.js"),',
    '    json: data.numbers.length,',
    '    lazyValue,',
    '    emitter: typeof new Emitter().on,',
    '  };',
    '};',
  ].join('\n'),
};

describe('bundling', () => {
  test('an ESM handler importing a CommonJS-only package, JSON and a dynamic import runs from its bundle', () => {
    // GIVEN
    const root = makeProject({ ...CJS_ONLY_PACKAGE, ...HANDLER });
    const { app, stack } = makeApp();

    // WHEN
    new ServerlessFunction(stack, 'Orders', { entry: path.join(root, 'src/orders.ts') });
    const dir = bundleDirOf(app, stack, 'Orders');

    // THEN
    expect(fs.readdirSync(dir)).toEqual(['index.mjs']);
    const { result, dir: taskRoot } = invokeBundle(dir, 'handler', { name: 'orders' });
    expect(result).toEqual({
      greeting: 'hello orders',
      packageDir: path.basename(taskRoot),
      dirname: 'string',
      filename: true,
      json: 3,
      lazyValue: 42,
      emitter: 'function',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
    });
  });

  test('a module that declares its own __dirname and require keeps them', () => {
    const root = makeProject({
      'src/own.mjs': [
        "import { createRequire } from 'node:module';",
        "import { fileURLToPath } from 'node:url';",
        "import path from 'node:path';",
        'const require = createRequire(import.meta.url);',
        'const __dirname = path.dirname(fileURLToPath(import.meta.url)) + "/mine";',
        "export const handler = async () => ({ dir: __dirname.endsWith('/mine'), os: typeof require('os').cpus });",
      ].join('\n'),
    });
    const { app, stack } = makeApp();
    new ServerlessFunction(stack, 'Own', { entry: path.join(root, 'src/own.mjs'), bundling: { minify: false } });
    expect(invokeBundle(bundleDirOf(app, stack, 'Own'), 'handler').result).toEqual({ dir: true, os: 'function' });
  });

  test('CommonJS output is index.js and runs', () => {
    const root = makeProject({ ...CJS_ONLY_PACKAGE, ...HANDLER });
    const { app, stack } = makeApp();
    new ServerlessFunction(stack, 'Orders', { entry: path.join(root, 'src/orders.ts'), bundling: { format: OutputFormat.CJS } });
    const dir = bundleDirOf(app, stack, 'Orders');
    expect(fs.readdirSync(dir)).toEqual(['index.js']);
    expect(invokeBundle(dir, 'handler', { name: 'cjs' }).result.greeting).toEqual('hello cjs');
  });

  test('@aws-sdk/* is external by default and bundled when asked', () => {
    const root = makeProject({
      'node_modules/@aws-sdk/client-fake/package.json': JSON.stringify({ name: '@aws-sdk/client-fake', main: 'index.js' }),
      'node_modules/@aws-sdk/client-fake/index.js': 'exports.FakeClient = class FakeClient { name() { return "fake-sdk-body"; } };',
      'src/sdk.ts': "import { FakeClient } from '@aws-sdk/client-fake';\nexport const handler = async () => new FakeClient().name();\n",
    });
    const { app, stack } = makeApp();
    new ServerlessFunction(stack, 'External', { entry: path.join(root, 'src/sdk.ts') });
    new ServerlessFunction(stack, 'Bundled', { entry: path.join(root, 'src/sdk.ts'), bundling: { bundleAwsSdk: true } });
    const external = fs.readFileSync(path.join(bundleDirOf(app, stack, 'External'), 'index.mjs'), 'utf8');
    const bundled = fs.readFileSync(path.join(bundleDirOf(app, stack, 'Bundled'), 'index.mjs'), 'utf8');
    expect(external).toMatch(/from"@aws-sdk\/client-fake"/);
    expect(external).not.toContain('fake-sdk-body');
    expect(bundled).toContain('fake-sdk-body');
  });

  test('externalModules, define, banner, footer, keepNames and loader reach esbuild', () => {
    const root = makeProject({
      'src/query.sql': 'SELECT 1',
      'src/opts.ts': [
        "import query from './query.sql';",
        "import 'left-out';",
        'declare const STAGE: string;',
        'export class NamedThing {}',
        'export const handler = async () => ({ stage: STAGE, query, name: NamedThing.name });',
      ].join('\n'),
    });
    const { app, stack } = makeApp();
    new ServerlessFunction(stack, 'Opts', {
      entry: path.join(root, 'src/opts.ts'),
      // A layer of unknown contents may provide `left-out`: a warning, not an error (see the layer tests).
      layers: [lambda.LayerVersion.fromLayerVersionArn(stack, 'Provides', 'arn:aws:lambda:us-east-1:123456789012:layer:left-out:1')],
      bundling: {
        externalModules: ['left-out'],
        define: { STAGE: JSON.stringify('prod') },
        loader: { '.sql': 'text' },
        banner: '/* banner-text */',
        footer: '/* footer-text */',
        keepNames: true,
      },
    });
    const code = fs.readFileSync(path.join(bundleDirOf(app, stack, 'Opts'), 'index.mjs'), 'utf8');
    expect(code).toContain('/* banner-text */');
    expect(code.trimEnd().endsWith('/* footer-text */')).toBe(true);
    expect(code).toMatch(/import"left-out"/);
    expect(code).toContain('"prod"');
    expect(code).toContain('SELECT 1');
    expect(code).toContain('"NamedThing"');
  });

  test('source maps are linked and turn on --enable-source-maps', () => {
    const root = makeProject(HANDLER);
    const { app, stack } = makeApp();
    new ServerlessFunction(stack, 'Mapped', {
      entry: path.join(root, 'src/lazy.ts'),
      handler: 'lazyValue',
      bundling: { sourceMap: true },
      environment: { NODE_OPTIONS: '--max-old-space-size=512' },
    });
    const dir = bundleDirOf(app, stack, 'Mapped');
    expect(fs.readdirSync(dir)).toEqual(['index.mjs', 'index.mjs.map']);
    expect(fs.readFileSync(path.join(dir, 'index.mjs'), 'utf8')).toContain('//# sourceMappingURL=index.mjs.map');
    const map = JSON.parse(fs.readFileSync(path.join(dir, 'index.mjs.map'), 'utf8'));
    expect(map.sources.some((s: string) => s.endsWith('src/lazy.ts'))).toBe(true);
    expect(map.sourcesContent).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { NODE_OPTIONS: '--max-old-space-size=512 --enable-source-maps' } },
    });
  });

  test('all functions of an app are bundled in one esbuild pass per option group', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) {
      files[`src/fn${i}.ts`] = `export const handler = async () => ${i};\n`;
    }
    const root = makeProject(files);
    const { app, stack } = makeApp();
    const stack2 = new Stack(app, 'Second');
    for (let i = 0; i < 4; i++) {
      new ServerlessFunction(i % 2 ? stack : stack2, `Fn${i}`, { entry: path.join(root, `src/fn${i}.ts`) });
    }
    new ServerlessFunction(stack, 'Cjs4', { entry: path.join(root, 'src/fn4.ts'), bundling: { format: OutputFormat.CJS } });
    new ServerlessFunction(stack, 'Cjs5', { entry: path.join(root, 'src/fn5.ts'), bundling: { format: OutputFormat.CJS } });

    const lines = captureSummary(() => app.synth());

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cdk-lambda-kit: 6 bundles for 6 functions \(6 built, 0 from cache\) in [\d.]+s, 2 esbuild passes; report: \/.*bundle-report\.md$/);
  });

  test('functions with the same entry and options share one bundle', () => {
    const root = makeProject(HANDLER);
    const { app, stack } = makeApp();
    new ServerlessFunction(stack, 'A', { entry: path.join(root, 'src/lazy.ts'), handler: 'lazyValue' });
    new ServerlessFunction(stack, 'B', { entry: path.join(root, 'src/lazy.ts'), handler: 'lazyValue' });
    const lines = captureSummary(() => app.synth());
    expect(lines[0]).toMatch(/1 bundle for 2 functions \(1 built, 0 from cache\) in [\d.]+s, 1 esbuild pass;/);
  });

  test('stacks not selected for bundling are not bundled, and still synthesize', () => {
    const root = makeProject(HANDLER);
    const { app, stack } = makeUnbundledApp();
    new ServerlessFunction(stack, 'Skipped', { entry: path.join(root, 'src/lazy.ts'), handler: 'lazyValue' });
    const lines = captureSummary(() => {
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('^[0-9a-f]{64}\\.zip$') },
      });
    });
    expect(lines).toEqual([]);
    expect(fs.readdirSync(app.outdir).filter((f) => f.startsWith('asset.'))).toEqual([]);
  });

  test('the bundle is described by aws:asset metadata for SAM and other local tools', () => {
    const root = makeProject(HANDLER);
    const { app, stack } = makeApp({ context: { [cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true } });
    new ServerlessFunction(stack, 'Meta', { entry: path.join(root, 'src/lazy.ts'), handler: 'lazyValue' });
    const template = Template.fromStack(stack);
    const [resource] = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(resource.Metadata).toMatchObject({
      'aws:asset:path': expect.stringMatching(/^asset\.[0-9a-f]{64}$/),
      'aws:asset:is-bundled': true,
      'aws:asset:property': 'Code',
    });
    expect(fs.existsSync(path.join(app.outdir, resource.Metadata['aws:asset:path'], 'index.mjs'))).toBe(true);
  });

  test('a code change publishes a new version', () => {
    const root = makeProject({ 'src/v.ts': 'export const handler = async () => 1;\n' });
    const logicalIdOfVersion = () => {
      const { stack } = makeApp();
      new ServerlessFunction(stack, 'V', { entry: path.join(root, 'src/v.ts') }).currentVersion;
      return Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Version'))[0];
    };
    const before = logicalIdOfVersion();
    fs.writeFileSync(path.join(root, 'src/v.ts'), 'export const handler = async () => 2;\n');
    expect(logicalIdOfVersion()).not.toEqual(before);
  });

  test('a bundle report, with a metafile per function, is written into the cloud assembly', () => {
    const root = makeProject({ ...CJS_ONLY_PACKAGE, ...HANDLER });
    const { app, stack } = makeApp();
    new ServerlessFunction(stack, 'Orders', { entry: path.join(root, 'src/orders.ts') });
    app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'lambda-kit', 'bundle-report.json'), 'utf8'));
    expect(report.bundles).toHaveLength(1);
    expect(report.bundles[0]).toMatchObject({ functions: ['Stack/Orders'], entry: 'src/orders.ts', state: 'built' });
    expect(report.bundles[0].topModules.map((m: any) => m.module)).toContain('cjs-only');
    const metafile = JSON.parse(fs.readFileSync(path.join(app.outdir, 'lambda-kit', report.bundles[0].metafile), 'utf8'));
    expect(Object.keys(metafile.inputs)).toEqual(expect.arrayContaining(['src/orders.ts', 'node_modules/cjs-only/lib/index.js']));
    expect(fs.readFileSync(path.join(app.outdir, 'lambda-kit', 'bundle-report.md'), 'utf8')).toContain('| Stack/Orders | src/orders.ts |');
  });

  test('usable wherever aws-cdk-lib takes a lambda.IFunction', () => {
    const root = makeProject(HANDLER);
    const { stack } = makeUnbundledApp();
    const fn: lambda.IFunction = new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/lazy.ts'), handler: 'lazyValue' });
    new sns.Topic(stack, 'Topic').addSubscription(new subscriptions.LambdaSubscription(fn));
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda' });
  });
});

describe('bundling errors', () => {
  test('fails if the handler is not exported, listing the exports', () => {
    const root = makeProject({ ...CJS_ONLY_PACKAGE, ...HANDLER });
    const { app, stack } = makeApp();
    new ServerlessFunction(stack, 'Orders', { entry: path.join(root, 'src/orders.ts'), handler: 'main' });
    expect(() => app.synth()).toThrow(/\[Stack\/Orders\] `handler` "main" is not exported by src\/orders.ts \(exports: handler, schema\)/);
  });

  test('fails if the handler is not exported with CommonJS output too', () => {
    const root = makeProject({ ...CJS_ONLY_PACKAGE, ...HANDLER });
    const { app, stack } = makeApp();
    new ServerlessFunction(stack, 'Orders', { entry: path.join(root, 'src/orders.ts'), handler: 'main', bundling: { format: OutputFormat.CJS } });
    expect(() => app.synth()).toThrow(/`handler` "main" is not exported by src\/orders.ts \(exports: handler, schema\)/);
  });

  test('fails if a CommonJS entry is bundled as ESM, with a hint', () => {
    const root = makeProject({ 'src/old.js': 'exports.handler = async () => 1;\n' });
    const { app, stack } = makeApp();
    new ServerlessFunction(stack, 'Old', { entry: path.join(root, 'src/old.js') });
    expect(() => app.synth()).toThrow(/"handler" is not exported by src\/old.js \(exports: default\) — the entry looks like CommonJS/);
  });

  test('fails with every failing function at once, naming construct paths and entries; the others still bundle', () => {
    const root = makeProject({
      'src/good.ts': 'export const handler = async () => 1;\n',
      'src/missing-import.ts': "import { x } from './nowhere';\nexport const handler = async () => x;\n",
      'src/syntax.ts': 'export const handler = async () => {;\n',
    });
    const { app, stack } = makeApp();
    new ServerlessFunction(stack, 'Good', { entry: path.join(root, 'src/good.ts') });
    new ServerlessFunction(stack, 'MissingImport', { entry: path.join(root, 'src/missing-import.ts') });
    new ServerlessFunction(stack, 'Syntax', { entry: path.join(root, 'src/syntax.ts') });
    let message = '';
    const lines = captureSummary(() => {
      try {
        app.synth();
      } catch (e) {
        message = (e as Error).message;
      }
    });
    expect(message).toMatch(/\[Stack\/MissingImport\] bundling src\/missing-import.ts failed with esbuild:\n\s+src\/missing-import.ts:1:\d+: Could not resolve ".\/nowhere"/);
    expect(message).toMatch(/\[Stack\/Syntax\] bundling src\/syntax.ts failed with esbuild:\n\s+src\/syntax.ts:\d+:\d+: /);
    expect(message).not.toContain('Stack/Good');
    expect(lines[0]).toMatch(/3 bundles for 3 functions \(1 built, 0 from cache, 2 failed\) in [\d.]+s, 4 esbuild passes;/);
  });

  test('warns with a stable id when the bundle is over its size budget', () => {
    const root = makeProject({ ...CJS_ONLY_PACKAGE, ...HANDLER });
    const { stack } = makeApp();
    new ServerlessFunction(stack, 'Big', {
      entry: path.join(root, 'src/orders.ts'),
      bundling: { sizeBudget: Size.bytes(100) },
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Big', Match.stringLikeRegexp('over `bundling.sizeBudget` of 100 B.*\\[ack: cdk-lambda-kit:bundleSizeBudget\\]'));
  });
});

describe('cloud assembly location', () => {
  test('a relative outdir (as the CDK CLI passes it) is resolved against the working directory', () => {
    const root = makeProject({ 'src/rel.ts': 'export const handler = async () => "rel";\n' });
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-cwd-'));
    const previous = process.cwd();
    process.chdir(cwd);
    try {
      const app = new App({ outdir: 'cdk.out', context: { [BundleCacheContext.ENABLED]: false } });
      const stack = new Stack(app, 'Rel');
      new ServerlessFunction(stack, 'Rel', { entry: path.join(root, 'src/rel.ts') });
      const dir = bundleDirOf(app, stack, 'Rel');
      expect(path.isAbsolute(dir) ? dir : path.resolve(dir)).toContain(path.join(cwd, 'cdk.out', 'asset.'));
      expect(invokeBundle(path.resolve(dir), 'handler').result).toEqual('rel');
    } finally {
      process.chdir(previous);
    }
  });
});
