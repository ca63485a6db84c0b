import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ServerlessFunction } from '../../src';
import { nativeReason } from '../../src/bundling/install/native-modules';
import { invokeInLambdaRuntime, runtimeOptionsOf } from '../../src/testing';
import { captureSummary, freshCache, makeApp, makeProject } from '../helpers';

/**
 * Issue 23 (2) and (4): native addons are shipped installed for Linux and the function's architecture, with no
 * option set; `nodeModules` and automatic installs bring the optional peers the project has installed. The bcrypt
 * and sharp tests failed before (bcrypt: "No native build was found" at init; sharp: a synth error about
 * `@img/sharp-libvips-dev`, then, with guarded requires optional, a failure at init).
 *
 * The projects are written as npm would leave them: package.json, package-lock.json and, in node_modules, the
 * package.json of each installed package (what the detection reads); the real packages come from the registry.
 */
function project(handler: string, installed: Record<string, Record<string, unknown>>): string {
  const versions = Object.fromEntries(Object.entries(installed).map(([name, manifest]) => [name, String(manifest.version)]));
  return makeProject({
    'src/fn.ts': handler,
    'package.json': JSON.stringify({ name: 'app', private: true, dependencies: versions }),
    'package-lock.json': JSON.stringify({
      name: 'app',
      lockfileVersion: 3,
      packages: Object.fromEntries(Object.entries(versions).map(([name, version]) => [`node_modules/${name}`, { version }])),
    }),
    ...Object.fromEntries(Object.entries(installed).map(([name, manifest]) => [`node_modules/${name}/package.json`, JSON.stringify({ name, ...manifest })])),
  });
}

const HOST = process.arch === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64;

function synth(root: string, props: Record<string, unknown> = {}, cacheDir = freshCache()) {
  const { app, stack } = makeApp({ cacheDir });
  const fn = new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts'), ...props });
  let assembly: any;
  captureSummary(() => {
    assembly = app.synth();
  });
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'lambda-kit', 'bundle-report.json'), 'utf8'));
  return { fn, report, dir: runtimeOptionsOf(fn).bundleDir };
}

const BCRYPT = { version: '6.0.0', main: 'bcrypt', dependencies: { 'node-addon-api': '^8.3.0', 'node-gyp-build': '^4.8.4' }, binary: { napi_versions: [3] } };
const SHARP = {
  version: '0.35.6',
  main: 'lib/index.js',
  optionalDependencies: { '@img/sharp-linux-x64': '0.35.6', '@img/sharp-linux-arm64': '0.35.6', '@img/sharp-darwin-arm64': '0.35.6' },
};

describe('native addons', () => {
  test('bcrypt, with no option set, is installed beside the bundle and hashes in the Lambda runtime client', async () => {
    const root = project("import bcrypt from 'bcrypt';\nexport const handler = async () => ({ ok: await bcrypt.compare('pw', await bcrypt.hash('pw', 4)) });\n",
      { bcrypt: BCRYPT });
    const { fn, report, dir } = synth(root, { architecture: HOST });
    expect(report.bundles[0].installedModules).toEqual(['bcrypt']);
    expect(fs.readFileSync(path.join(dir, 'index.mjs'), 'utf8')).toMatch(/from"bcrypt"/);
    expect(fs.existsSync(path.join(dir, 'node_modules', 'bcrypt', 'prebuilds', `linux-${process.arch}`))).toBe(true);
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ ok: true });
  });

  const SHARP_HANDLER = [
    "import sharp from 'sharp';",
    'export const handler = async () => {',
    "  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#ff0000' } }).png().toBuffer();",
    '  const { width } = await sharp(await sharp(png).resize(20).toBuffer()).metadata();',
    '  return { width };',
    '};',
    '',
  ].join('\n');

  test('`import sharp from \'sharp\'` with no option set ships sharp and its linux-arm64 binaries (the default architecture)', () => {
    const root = project(SHARP_HANDLER, { sharp: SHARP });
    const { report, dir } = synth(root);
    expect(report.bundles[0].installedModules).toEqual(['sharp']);
    const img = path.join(dir, 'node_modules', '@img');
    expect(fs.readdirSync(img).sort()).toEqual(['colour', 'sharp-libvips-linux-arm64', 'sharp-linux-arm64']);
    const binaries = fs.readdirSync(path.join(img, 'sharp-linux-arm64', 'lib'));
    expect(binaries.some((f) => f.endsWith('.node'))).toBe(true);
    expect(fs.readdirSync(path.join(img, 'sharp-libvips-linux-arm64', 'lib')).some((f) => f.startsWith('libvips-cpp.so'))).toBe(true);
  });

  test('sharp\'s x64 variant resizes an image in the Lambda runtime client', async () => {
    const root = project(SHARP_HANDLER, { sharp: SHARP });
    const { fn } = synth(root, { architecture: HOST });
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ width: 20 });
  });

  test('fails if the native package\'s npm package holds no Linux binary (bcrypt 5 downloads or builds its own), naming the fix; following it works', async () => {
    const handler = "import bcrypt from 'bcrypt';\nexport const handler = async () => ({ ok: await bcrypt.compare('pw', await bcrypt.hash('pw', 4)) });\n";
    const root = project(handler, { bcrypt: { version: '5.1.1', main: 'bcrypt', dependencies: { '@mapbox/node-pre-gyp': '^1.0.11', 'node-addon-api': '^5.0.0' } } });
    const cpu = process.arch === 'arm64' ? 'arm64' : 'x64';
    expect(() => synth(root, { architecture: HOST })).toThrow(new RegExp(
      `\\[Stack/Fn\\] bundling src/fn\\.ts failed installing its native packages:\\s+\`bundling\\.installNativeModules\`: the bundle imports bcrypt, a native addon \\(it loads a native binary through @mapbox/node-pre-gyp\\), but its npm package holds no binary for linux-${cpu}.*` +
      `Set \`bundling\\.nodeModules: \\['bcrypt'\\]\` with \`bundling\\.runInstallScripts: true\` on a linux-${cpu} machine`));
    // Followed (this machine is linux-<its arch>): the install script builds the binary, and the function runs.
    const { fn } = synth(root, { architecture: HOST, bundling: { nodeModules: ['bcrypt'], runInstallScripts: true } });
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ ok: true });
  });

  test('pnpm: bcrypt only as a dependency of a package (not in the top-level node_modules) is still installed and hashes', async () => {
    // The layout pnpm 9 leaves (checked against a real `pnpm install`): each package in node_modules/.pnpm/<key>/
    // node_modules/<name>, its dependencies symbolic links beside it; only the project's own dependencies are linked
    // from the top-level node_modules. The defect: bcrypt was not detected, so bundled ("No native build was found").
    const root = makeProject({
      'src/fn.ts': "import { check } from 'auth-lib';\nexport const handler = async () => ({ ok: await check('pw') });\n",
      'package.json': JSON.stringify({ name: 'app', private: true, dependencies: { 'auth-lib': '1.0.0' } }),
      'pnpm-lock.yaml': [
        "lockfileVersion: '9.0'",
        'importers:',
        '  .:',
        '    dependencies:',
        '      auth-lib:',
        '        specifier: 1.0.0',
        '        version: 1.0.0',
        'packages:',
        '  auth-lib@1.0.0:',
        '    resolution: {integrity: sha512-AAAA}',
        '  bcrypt@6.0.0:',
        '    resolution: {integrity: sha512-BBBB}',
        'snapshots:',
        '  auth-lib@1.0.0:',
        '    dependencies:',
        '      bcrypt: 6.0.0',
        '  bcrypt@6.0.0: {}',
        '',
      ].join('\n'),
      'node_modules/.pnpm/auth-lib@1.0.0/node_modules/auth-lib/package.json': JSON.stringify({ name: 'auth-lib', version: '1.0.0', main: 'index.js', dependencies: { bcrypt: '6.0.0' } }),
      'node_modules/.pnpm/auth-lib@1.0.0/node_modules/auth-lib/index.js': "const bcrypt = require('bcrypt');\nexports.check = async (pw) => bcrypt.compare(pw, await bcrypt.hash(pw, 4));\n",
      'node_modules/.pnpm/bcrypt@6.0.0/node_modules/bcrypt/package.json': JSON.stringify({ name: 'bcrypt', ...BCRYPT }),
    });
    fs.rmSync(path.join(root, 'package-lock.json'));
    fs.symlinkSync('../../bcrypt@6.0.0/node_modules/bcrypt', path.join(root, 'node_modules/.pnpm/auth-lib@1.0.0/node_modules/bcrypt'));
    fs.symlinkSync('.pnpm/auth-lib@1.0.0/node_modules/auth-lib', path.join(root, 'node_modules/auth-lib'));
    const { fn, report, dir } = synth(root, { architecture: HOST });
    expect(report.bundles[0].installedModules).toEqual(['bcrypt']);
    expect(fs.existsSync(path.join(dir, 'node_modules', 'bcrypt', 'prebuilds', `linux-${process.arch}`))).toBe(true);
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ ok: true });
  });

  test('`installNativeModules: false` turns it off: the package is bundled as esbuild bundles it', () => {
    const root = project("import bcrypt from 'bcrypt';\nexport const handler = async () => bcrypt.hash;\n", { bcrypt: BCRYPT });
    fs.writeFileSync(path.join(root, 'node_modules/bcrypt/bcrypt.js'), 'exports.hash = "bundled";\n');
    const { report, dir } = synth(root, { bundling: { installNativeModules: false } });
    expect(report.bundles[0].installedModules).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'index.mjs'), 'utf8')).toMatch(/bundled/);
  });

  test('a native package the bundle does not import is neither installed nor shipped', () => {
    const root = project('export const handler = async () => 1;\n', { bcrypt: BCRYPT });
    const { report, dir } = synth(root);
    expect(report.bundles[0].installedModules).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
  });

  test('detection: loaders, binding.gyp, prebuilds, sharp; packages for other systems and plain packages are none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'native-detect-'));
    expect(nativeReason(dir, { name: 'bcrypt', dependencies: { 'node-gyp-build': '4' } })).toMatch(/node-gyp-build/);
    expect(nativeReason(dir, { name: 'x', dependencies: { bindings: '1' } })).toMatch(/bindings/);
    expect(nativeReason(dir, { name: 'x', dependencies: { '@mapbox/node-pre-gyp': '1' } })).toMatch(/node-pre-gyp/);
    expect(nativeReason(dir, { name: 'x', dependencies: { 'prebuild-install': '7' } })).toMatch(/prebuild-install/);
    expect(nativeReason(dir, { name: 'sharp', optionalDependencies: { '@img/sharp-linux-x64': '1' } })).toMatch(/@img\/sharp/);
    expect(nativeReason(dir, { name: 'x', gypfile: true })).toMatch(/binding\.gyp/);
    expect(nativeReason(dir, { name: 'fsevents', gypfile: true, os: ['darwin'] })).toBeUndefined();
    expect(nativeReason(dir, { name: 'lodash', dependencies: { x: '1' } })).toBeUndefined();
    fs.mkdirSync(path.join(dir, 'prebuilds'));
    expect(nativeReason(dir, { name: 'x' })).toMatch(/prebuilds/);
  });
});

describe('optional peers', () => {
  test('`nodeModules: [\'knex\']` brings pg, an optional peer the project has installed, and the query builds in the runtime client', async () => {
    const root = project([
      "import knex from 'knex';",
      'export const handler = async () => {',
      "  const db = knex({ client: 'pg' });",
      "  return { sql: db('orders').where({ id: 7 }).select('item').toString() };",
      '};',
      '',
    ].join('\n'), {
      knex: { version: '3.1.0', peerDependenciesMeta: { pg: { optional: true }, mysql: { optional: true } } },
      pg: { version: '8.13.1' },
    });
    const { fn, dir } = synth(root, { architecture: HOST, bundling: { nodeModules: ['knex'] } });
    expect(fs.existsSync(path.join(dir, 'node_modules', 'pg', 'package.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'node_modules', 'mysql'))).toBe(false);
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ sql: 'select "item" from "orders" where "id" = 7' });
  });
});
