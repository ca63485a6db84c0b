import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ServerlessFunction } from '../../src';
import { invokeInLambdaRuntime, runtimeOptionsOf } from '../../src/testing';
import { captureSummary, makeApp, makeProject } from '../helpers';

/**
 * Issue 23: what cannot be bundled ships installed beside the bundle, automatically (the machinery of native addons:
 * `bundling.installNativeModules`, on by default, is the one opt-out).
 *
 * A bundled package that loads its optional peers through `require(<variable>)` (sequelize: `require(moduleName)`,
 * "Please install pg package manually") gets the optional peers the project has installed, when the bundle does not
 * hold them. Each test failed before the fix: the peer was missing at the first call.
 *
 * The peer is a real package from the registry (ms), installed the way `bundling.nodeModules` installs.
 */
const freshCache = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ship-cache-'));
const HOST = process.arch === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64;

const MS = {
  'node_modules/ms/package.json': JSON.stringify({ name: 'ms', version: '2.1.3', main: 'index.js' }),
  'node_modules/ms/index.js': 'module.exports = (n) => `${n / 60000}m`;\n',
};

/** A tiny ORM that loads its dialect's driver by name, as sequelize does; `manifest` adds to its package.json. */
function project(handler: string, manifest: Record<string, unknown>, installed: Record<string, string> = MS): string {
  return makeProject({
    'src/fn.ts': handler,
    'package.json': JSON.stringify({ name: 'app', private: true, dependencies: { ms: '2.1.3' } }),
    'package-lock.json': JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { 'node_modules/ms': { version: '2.1.3' } } }),
    'node_modules/tiny-orm/package.json': JSON.stringify({ name: 'tiny-orm', version: '1.0.0', main: 'index.js', ...manifest }),
    'node_modules/tiny-orm/index.js': [
      "const DRIVERS = { ms: 'ms' };",
      'exports.load = (dialect) => {',
      '  const moduleName = DRIVERS[dialect];',
      '  try {',
      '    return require(moduleName);',
      '  } catch (e) {',
      '    throw new Error(`Please install ${moduleName} package manually`);',
      '  }',
      '};',
      '',
    ].join('\n'),
    ...installed,
  });
}

const HANDLER = "import { load } from 'tiny-orm';\nexport const handler = async () => ({ human: load('ms')(60000) });\n";
const OPTIONAL_PEER = { peerDependencies: { ms: '*' }, peerDependenciesMeta: { ms: { optional: true } } };

function synth(root: string, props: Record<string, unknown> = {}) {
  const { app, stack } = makeApp({ cacheDir: freshCache() });
  const fn = new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts'), architecture: HOST, ...props });
  let assembly: any;
  captureSummary(() => {
    assembly = app.synth();
  });
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'lambda-kit', 'bundle-report.json'), 'utf8'));
  const markdown = fs.readFileSync(path.join(assembly.directory, 'lambda-kit', 'bundle-report.md'), 'utf8');
  return { fn, stack, report, markdown, dir: runtimeOptionsOf(fn).bundleDir };
}

describe('optional peers loaded through a dynamic require', () => {
  test('are installed beside the bundle with no option set, listed in the report with why, and the function runs', async () => {
    const { fn, report, markdown, dir } = synth(project(HANDLER, OPTIONAL_PEER));
    expect(report.bundles[0].installedModules).toEqual(['ms']);
    expect(markdown).toMatch(/ms \(tiny-orm loads it through require\(moduleName\), tiny-orm\/index.js:5\)/);
    expect(fs.existsSync(path.join(dir, 'node_modules', 'ms', 'package.json'))).toBe(true);
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ human: '1m' });
  }, 120_000);

  test('`installNativeModules: false` turns it off: nothing is installed, the require fails as it did, and the warning\'s fix works', async () => {
    const root = project(HANDLER, OPTIONAL_PEER);
    const { fn, stack, report } = synth(root, { bundling: { installNativeModules: false } });
    expect(report.bundles[0].installedModules).toEqual([]);
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp(
      'needs ms installed beside it \\(tiny-orm loads it through require\\(moduleName\\).*`bundling.nodeModules: \\[\'ms\'\\]`.*\\[ack: cdk-lambda-kit:optionalPeerNotShipped\\]'));
    await expect(invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).rejects.toThrow(/Please install ms package manually/);
    const fixed = synth(root, { bundling: { installNativeModules: false, nodeModules: ['ms'] } });
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fixed.fn), {})).toEqual({ human: '1m' });
  }, 120_000);

  test('a peer the bundle holds already (the handler imports it) is not installed again', async () => {
    const handler = "import ms from 'ms';\nimport { load } from 'tiny-orm';\nexport const handler = async () => ({ human: load('ms')(60000), ms: ms(1) });\n";
    const { report } = synth(project(handler, OPTIONAL_PEER));
    expect(report.bundles[0].installedModules).toEqual([]);
  });

  test('a package with a dynamic require but no optional peer installed, or an optional peer but no dynamic require, installs nothing', () => {
    expect(synth(project(HANDLER, {})).report.bundles[0].installedModules).toEqual([]);
    const literal = project("import { load } from 'tiny-orm';\nexport const handler = async () => load;\n", OPTIONAL_PEER);
    fs.writeFileSync(path.join(literal, 'node_modules/tiny-orm/index.js'), 'exports.load = () => 1;\n');
    expect(synth(literal).report.bundles[0].installedModules).toEqual([]);
  });
});

/**
 * A package that reads its own files when the module loads, or reads a data file of its own (jsdom's stylesheet,
 * pdfkit's fonts), cannot be bundled: it ships installed, left out of the bundle. uglify-js (a real package, from the
 * registry) reads its lib/*.js with `fs.readFileSync(require.resolve('../lib/utils.js'))` when it loads: bundled, its
 * init failed ("Cannot find module").
 */
describe('packages that read their own files', () => {
  const version = JSON.parse(fs.readFileSync(require.resolve('uglify-js/package.json'), 'utf8')).version;
  const uglify = () => {
    const root = makeProject({
      'src/fn.ts': "import { minify } from 'uglify-js';\nexport const handler = async () => ({ code: minify('var answer = 40 + 2;').code });\n",
      'package.json': JSON.stringify({ name: 'app', private: true, dependencies: { 'uglify-js': version } }),
      'package-lock.json': JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { 'node_modules/uglify-js': { version } } }),
    });
    fs.cpSync(path.dirname(require.resolve('uglify-js/package.json')), path.join(root, 'node_modules', 'uglify-js'), { recursive: true });
    return root;
  };

  test('when the module loads (uglify-js): shipped installed with no option set, listed with why, and the function runs', async () => {
    const { fn, stack, report, markdown, dir } = synth(uglify());
    expect(report.bundles[0].installedModules).toEqual(['uglify-js']);
    expect(markdown).toMatch(/uglify-js \(uglify-js reads its own files when the module loads \(require\.resolve\("\.\/…"\), uglify-js\/tools\/node\.js:4\)\)/);
    expect(fs.readFileSync(path.join(dir, 'index.mjs'), 'utf8')).toMatch(/from"uglify-js"/);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('packageReadsOwnFiles'))).toEqual([]);
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ code: 'var answer=42;' });
  }, 120_000);

  test('with `installNativeModules: false`: bundled as before, a warning whose fix (`nodeModules`) works when followed', async () => {
    const root = uglify();
    const off = synth(root, { bundling: { installNativeModules: false } });
    Annotations.fromStack(off.stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp(
      'needs uglify-js installed beside it.*`bundling.nodeModules: \\[\'uglify-js\'\\]`.*\\[ack: cdk-lambda-kit:packageReadsOwnFiles\\]'));
    await expect(invokeInLambdaRuntime(runtimeOptionsOf(off.fn), {})).rejects.toThrow(/Cannot find module|ENOENT/);
    const fixed = synth(root, { bundling: { installNativeModules: false, nodeModules: ['uglify-js'] } });
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fixed.fn), {})).toEqual({ code: 'var answer=42;' });
  }, 120_000);
});
