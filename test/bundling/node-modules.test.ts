import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ServerlessFunction } from '../../src';
import { invokeInLambdaRuntime, runtimeOptionsOf } from '../../src/testing';
import { captureSummary, freshCache, makeApp, makeProject, makeUnbundledApp, synthOneFunction } from '../helpers';

/** A project that depends on packages at exact versions (its lock file says so). */
function project(files: Record<string, string>, versions: Record<string, string>): string {
  return makeProject({
    ...files,
    'package.json': JSON.stringify({ name: 'app', private: true, dependencies: versions }),
    'package-lock.json': lockFile(versions),
  });
}

function lockFile(versions: Record<string, string>): string {
  return JSON.stringify({
    name: 'app',
    lockfileVersion: 3,
    packages: Object.fromEntries(Object.entries(versions).map(([name, version]) => [`node_modules/${name}`, { version }])),
  });
}

/** The machine's own architecture: native modules run in the runtime client here. */
const HOST = process.arch === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64;

function synth(root: string, cacheDir: string, entry = 'src/fn.ts', architecture = HOST) {
  const { app, stack } = makeApp({ cacheDir });
  const fn = new ServerlessFunction(stack, 'Fn', { entry: path.join(root, entry), architecture, bundling: { nodeModules: ['ms'] } });
  return { fn, ...synthOneFunction(app, stack) };
}

const MS_HANDLER = "import ms from 'ms';\nimport { createRequire } from 'node:module';\nexport const handler = async () => ({ human: ms(90000), version: createRequire(import.meta.url)('ms/package.json').version });\n";

describe('bundling.nodeModules', () => {
  test('ships the package in the bundle\'s node_modules at the lock file\'s version, external to the bundle', async () => {
    const root = project({ 'src/fn.ts': MS_HANDLER }, { ms: '2.1.2' });
    const { fn, dir } = synth(root, freshCache());
    expect(fs.readFileSync(path.join(dir, 'index.mjs'), 'utf8')).toMatch(/from"ms"/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/ms/package.json'), 'utf8')).version).toEqual('2.1.2');
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ human: '2m', version: '2.1.2' });
  });

  test('cached equals uncached, and a new version in the lock file rebuilds', () => {
    const root = project({ 'src/fn.ts': MS_HANDLER }, { ms: '2.1.2' });
    const cacheDir = freshCache();
    const cold = synth(root, cacheDir);
    const warm = synth(root, cacheDir);
    expect(warm.line).toMatch(/1 from cache/);
    expect(warm.key).toEqual(cold.key);
    fs.writeFileSync(path.join(root, 'package-lock.json'), lockFile({ ms: '2.1.3' }));
    const changed = synth(root, cacheDir);
    const uncached = synth(root, freshCache());
    expect(changed.key).not.toEqual(cold.key);
    expect(changed.key).toEqual(uncached.key);
    expect(JSON.parse(fs.readFileSync(path.join(changed.dir, 'node_modules/ms/package.json'), 'utf8')).version).toEqual('2.1.3');
  });

  test('sharp, installed for the host\'s architecture, resizes an image in the Lambda runtime client', async () => {
    const root = project({
      'src/image.ts': [
        "import sharp from 'sharp';",
        'export const handler = async () => {',
        "  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#ff0000' } }).png().toBuffer();",
        '  const resized = await sharp(png).resize(20).toBuffer();',
        '  const { format, width, height } = await sharp(resized).metadata();',
        '  return { format, width, height };',
        '};',
        '',
      ].join('\n'),
    }, { sharp: '0.35.5' });
    const { app, stack } = makeApp({ cacheDir: freshCache() });
    const fn = new ServerlessFunction(stack, 'Images', { entry: path.join(root, 'src/image.ts'), architecture: HOST, bundling: { nodeModules: ['sharp'] } });
    captureSummary(() => app.synth());
    const options = runtimeOptionsOf(fn);
    const cpu = HOST === lambda.Architecture.ARM_64 ? 'arm64' : 'x64';
    expect(fs.existsSync(path.join(options.bundleDir, 'node_modules', '@img', `sharp-linux-${cpu}`))).toBe(true);
    expect(await invokeInLambdaRuntime(options, {})).toEqual({ format: 'png', width: 20, height: 15 });
  });

  test('fails if a package is not a dependency of the project', () => {
    const root = project({ 'src/fn.ts': MS_HANDLER }, { ms: '2.1.2' });
    const { stack } = makeUnbundledApp();
    expect(() => new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts'), bundling: { nodeModules: ['left-pad'] } }))
      .toThrow(/Stack\/Fn: `bundling.nodeModules` must name packages the function's workspace depends on \(read from package-lock.json, else node_modules\), got "left-pad": add it to the package.json beside the entry \(or above it\) and install it/);
  });

  test('fails if an entry is not a package name', () => {
    const root = project({ 'src/fn.ts': MS_HANDLER }, { ms: '2.1.2' });
    const { stack } = makeUnbundledApp();
    expect(() => new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts'), bundling: { nodeModules: ['Not A Package'] } }))
      .toThrow(/`bundling.nodeModules` entries must be npm package names, got "Not A Package"/);
  });
});
