import * as fs from 'fs';
import * as path from 'path';
import { ICommandHooks, ServerlessFunction } from '../../src';
import { invokeInLambdaRuntime, runtimeOptionsOf } from '../../src/testing';
import { captureSummary, freshCache, makeApp, makeProject, synthOneFunction } from '../helpers';

/** Hooks that write a file before bundling and stamp one after, recording every call. */
class Hooks implements ICommandHooks {
  public readonly calls: Array<[string, string, string]> = [];
  constructor(private readonly stamp = 'v1') {}
  public beforeBundling(inputDir: string, outputDir: string): string[] {
    this.calls.push(['before', inputDir, outputDir]);
    return [`cp config/settings.json "${outputDir}/settings.json"`];
  }
  public afterBundling(inputDir: string, outputDir: string): string[] {
    this.calls.push(['after', inputDir, outputDir]);
    return [`echo ${this.stamp} > "${outputDir}/VERSION"`, `ls "${outputDir}" > "${outputDir}/listing.txt"`];
  }
}

const HANDLER = [
  "import { readFileSync } from 'node:fs';",
  "import { join } from 'node:path';",
  "export const handler = async () => ({ settings: JSON.parse(readFileSync(join(__dirname, 'settings.json'), 'utf8')),",
  "  version: readFileSync(join(__dirname, 'VERSION'), 'utf8').trim() });",
  '',
].join('\n');

const project = () => makeProject({ 'src/fn.ts': HANDLER, 'config/settings.json': '{"currency":"EUR"}' });
function synth(root: string, cacheDir: string, hooks: ICommandHooks) {
  const { app, stack } = makeApp({ cacheDir });
  const fn = new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts'), bundling: { commandHooks: hooks } });
  return { fn, ...synthOneFunction(app, stack) };
}

describe('bundling.commandHooks', () => {
  test('runs beforeBundling and afterBundling once per bundle, in the project root; their files are in the bundle', async () => {
    const root = project();
    const hooks = new Hooks();
    const { fn, dir } = synth(root, freshCache(), hooks);
    const runs = hooks.calls.filter(([, , out]) => out !== '<bundle-output-dir>');
    expect(runs.map(([hook]) => hook)).toEqual(['before', 'after']);
    expect(runs.every(([, input]) => input === root)).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['VERSION', 'index.mjs', 'listing.txt', 'settings.json']);
    // afterBundling sees the bundle with esbuild's output and beforeBundling's files.
    expect(fs.readFileSync(path.join(dir, 'listing.txt'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['index.mjs', 'settings.json']));
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ settings: { currency: 'EUR' }, version: 'v1' });
  });

  test('cached equals uncached, and changing a hook\'s commands rebuilds', () => {
    const root = project();
    const cacheDir = freshCache();
    const cold = synth(root, cacheDir, new Hooks('v1'));
    const warm = synth(root, cacheDir, new Hooks('v1'));
    expect(warm.line).toMatch(/1 from cache/);
    expect(warm.key).toEqual(cold.key);
    const changed = synth(root, cacheDir, new Hooks('v2'));
    const uncached = synth(root, freshCache(), new Hooks('v2'));
    expect(changed.line).toMatch(/\(1 built, 0 from cache\) in [\d.]+s, 1 esbuild pass\b/);
    expect(changed.key).not.toEqual(cold.key);
    expect(changed.key).toEqual(uncached.key);
    expect(fs.readFileSync(path.join(changed.dir, 'VERSION'), 'utf8').trim()).toEqual('v2');
  });

  test('fails if a command fails, with the construct path, the hook and its output', () => {
    const root = project();
    const { app, stack } = makeApp({ cacheDir: freshCache() });
    new ServerlessFunction(stack, 'Fn', {
      entry: path.join(root, 'src/fn.ts'),
      bundling: { commandHooks: { beforeBundling: () => [], afterBundling: () => ['echo boom >&2; exit 3'] } },
    });
    expect(() => captureSummary(() => app.synth())).toThrow(/\[Stack\/Fn\] bundling src\/fn.ts failed in a command hook:\s+`bundling.commandHooks` afterBundling command failed \(exit code 3\): echo boom >&2; exit 3\nboom/);
  });

  test('fails if a beforeBundling command fails, naming the function whose hook failed', () => {
    const root = project();
    const { app, stack } = makeApp({ cacheDir: freshCache() });
    new ServerlessFunction(stack, 'Bad', {
      entry: path.join(root, 'src/fn.ts'),
      bundling: { commandHooks: { beforeBundling: () => ['false'], afterBundling: () => [] } },
    });
    new ServerlessFunction(stack, 'Good', { entry: path.join(root, 'src/fn.ts') });
    expect(() => captureSummary(() => app.synth())).toThrow(/\[Stack\/Bad\] bundling src\/fn.ts failed in a command hook:\s+`bundling.commandHooks` beforeBundling command failed \(exit code 1\): false/);
  });
});
