import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Stage, attachCustomSynthesis } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { BundleCacheContext, ServerlessFunction } from '../../src';
import { hashFile } from '../../src/bundling/cache/fingerprint';
import { defaultCacheDir, validRecord } from '../../src/bundling/cache/records';
import { captureSummary, freshCache, makeApp, makeProject } from '../helpers';

/** Two handlers that share a module, which imports a transitive helper. */
function project(): string {
  return makeProject({
    'src/helper.ts': 'export const suffix = "!";\n',
    'src/shared.ts': "import { suffix } from './helper';\nexport const shout = (s: string) => s.toUpperCase() + suffix;\n",
    'src/a.ts': "import { shout } from './shared';\nexport const handler = async () => shout('a');\n",
    'src/b.ts': "import { shout } from './shared';\nexport const handler = async () => shout('b');\n",
    'src/c.ts': 'export const handler = async () => "c";\n',
  });
}

/** Synthesize an app with functions a, b and c; returns the summary line and each function's asset hash. */
function synth(root: string, cacheDir: string, context: Record<string, unknown> = {}): { line: string; hashes: Record<string, string> } {
  const { app, stack } = makeApp({ cacheDir, context });
  for (const name of ['a', 'b', 'c']) {
    new ServerlessFunction(stack, name.toUpperCase(), { entry: path.join(root, `src/${name}.ts`) });
  }
  let template: any;
  const lines = captureSummary(() => {
    template = app.synth().getStackByName(stack.stackName).template;
  });
  const hashes: Record<string, string> = {};
  for (const [id, resource] of Object.entries<any>(template.Resources)) {
    if (resource.Type === 'AWS::Lambda::Function') {
      hashes[id.replace(/[0-9A-F]{8}$/, '')] = resource.Properties.Code.S3Key;
    }
  }
  return { line: lines[0], hashes };
}

describe('persistent cache', () => {
  test('an unchanged app is served from the cache, with the same asset hashes', () => {
    const root = project();
    const cacheDir = freshCache();
    const cold = synth(root, cacheDir);
    const warm = synth(root, cacheDir);
    expect(cold.line).toMatch(/3 bundles for 3 functions \(3 built, 0 from cache\) in [\d.]+s, 1 esbuild pass;/);
    expect(warm.line).toMatch(/3 bundles for 3 functions \(0 built, 3 from cache\) in [\d.]+s, 0 esbuild passes;/);
    expect(warm.hashes).toEqual(cold.hashes);
  });

  test('a changed transitive import rebuilds exactly the functions that import it', () => {
    const root = project();
    const cacheDir = freshCache();
    const before = synth(root, cacheDir);
    fs.writeFileSync(path.join(root, 'src/helper.ts'), 'export const suffix = "?";\n');
    const after = synth(root, cacheDir);
    expect(after.line).toMatch(/\(2 built, 1 from cache\) in [\d.]+s, 1 esbuild pass;/);
    expect(after.hashes.A).not.toEqual(before.hashes.A);
    expect(after.hashes.B).not.toEqual(before.hashes.B);
    expect(after.hashes.C).toEqual(before.hashes.C);
  });

  test('one changed handler rebuilds only that function', () => {
    const root = project();
    const cacheDir = freshCache();
    const before = synth(root, cacheDir);
    fs.writeFileSync(path.join(root, 'src/c.ts'), 'export const handler = async () => "c2";\n');
    const after = synth(root, cacheDir);
    expect(after.line).toMatch(/\(1 built, 2 from cache\) in [\d.]+s, 1 esbuild pass;/);
    expect(after.hashes.C).not.toEqual(before.hashes.C);
    expect(after.hashes.A).toEqual(before.hashes.A);
  });

  test('touching files changes nothing: hits, same hashes', () => {
    const root = project();
    const cacheDir = freshCache();
    const before = synth(root, cacheDir);
    const later = new Date(Date.now() + 60_000);
    for (const f of fs.readdirSync(path.join(root, 'src'))) {
      fs.utimesSync(path.join(root, 'src', f), later, later);
    }
    const after = synth(root, cacheDir);
    expect(after.line).toMatch(/3 from cache/);
    expect(after.hashes).toEqual(before.hashes);
  });

  test('a changed lock file rebuilds everything', () => {
    const root = project();
    const cacheDir = freshCache();
    synth(root, cacheDir);
    fs.writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
    expect(synth(root, cacheDir).line).toMatch(/3 bundles for 3 functions \(3 built, 0 from cache\) in [\d.]+s, 1 esbuild pass;/);
  });

  test('deleting the cache is safe: everything rebuilds to the same hashes', () => {
    const root = project();
    const cacheDir = freshCache();
    const before = synth(root, cacheDir);
    fs.rmSync(cacheDir, { recursive: true, force: true });
    const after = synth(root, cacheDir);
    expect(after.line).toMatch(/3 built/);
    expect(after.hashes).toEqual(before.hashes);
  });

  test('a corrupt cache record or a missing cached file is a miss, never an error', () => {
    const root = project();
    const cacheDir = freshCache();
    const before = synth(root, cacheDir);
    const format = fs.readdirSync(cacheDir).find((d) => /^v\d+$/.test(d))!;
    const entries = path.join(cacheDir, format, 'entries');
    const [first, second] = fs.readdirSync(entries);
    fs.writeFileSync(path.join(entries, first), '{ not json');
    const record = JSON.parse(fs.readFileSync(path.join(entries, second), 'utf8'));
    fs.rmSync(path.join(cacheDir, format, 'bundles', record.hash), { recursive: true });
    const after = synth(root, cacheDir);
    expect(after.line).toMatch(/\(2 built, 1 from cache\) in [\d.]+s, 1 esbuild pass;/);
    expect(after.hashes).toEqual(before.hashes);
  });

  test('a record whose inputs are not content (an empty value, a listing that is no sha256) is invalid', () => {
    const root = project();
    const cacheDir = freshCache();
    synth(root, cacheDir);
    const entries = path.join(cacheDir, 'v3', 'entries');
    const record = JSON.parse(fs.readFileSync(path.join(entries, fs.readdirSync(entries)[0]), 'utf8'));
    expect(validRecord(record)).toEqual(record);
    const [sourceKey] = Object.keys(record.inputs).filter((k) => k.startsWith('f:src/'));
    expect(validRecord({ ...record, inputs: { ...record.inputs, [sourceKey]: `\0${sourceKey}` } })).toBeUndefined();
    expect(validRecord({ ...record, inputs: { ...record.inputs, [sourceKey]: '' } })).toBeUndefined();
    const [dirKey] = Object.keys(record.inputs).filter((k) => k.startsWith('d:'));
    expect(validRecord({ ...record, inputs: { ...record.inputs, [dirKey]: 'listing' } })).toBeUndefined();
  });

  test('the cache can be turned off with context', () => {
    const root = project();
    const cacheDir = freshCache();
    synth(root, cacheDir, { [BundleCacheContext.ENABLED]: false });
    expect(synth(root, cacheDir, { [BundleCacheContext.ENABLED]: false }).line).toMatch(/\(3 built, 0 from cache\) in [\d.]+s, 1 esbuild pass/);
    expect(fs.readdirSync(cacheDir)).toEqual([]);
  });

  test('the default cache directory is node_modules/.cache/cdk-lambda-kit under the project root', () => {
    const withModules = makeProject({ 'node_modules/.keep': '' });
    expect(defaultCacheDir(withModules)).toEqual(path.join(withModules, 'node_modules', '.cache', 'cdk-lambda-kit'));
    const without = makeProject({});
    expect(path.dirname(defaultCacheDir(without))).toEqual(path.join(os.tmpdir(), `cdk-lambda-kit-${process.getuid!()}`));
  });
});

describe('determinism', () => {
  test('two copies of a project in different directories give identical bundles and hashes', () => {
    const first = project();
    const second = fs.mkdtempSync(path.join(os.tmpdir(), 'elsewhere-'));
    fs.cpSync(first, path.join(second, 'nested', 'copy'), { recursive: true });
    const a = synth(first, freshCache());
    const b = synth(path.join(second, 'nested', 'copy'), freshCache());
    expect(b.hashes).toEqual(a.hashes);
  });

  test('source maps are identical across directories too', () => {
    const first = project();
    const second = fs.mkdtempSync(path.join(os.tmpdir(), 'elsewhere-'));
    fs.cpSync(first, second, { recursive: true });
    const hashOf = (root: string) => {
      const { app, stack } = makeApp();
      new ServerlessFunction(stack, 'A', { entry: path.join(root, 'src/a.ts'), bundling: { sourceMap: true, minify: false } });
      const template = app.synth().getStackByName('Stack').template;
      return Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function').Properties.Code.S3Key;
    };
    expect(hashOf(second)).toEqual(hashOf(first));
  });
});

describe('cache writes', () => {
  /** Every record of a cache, and whether each has its bundle directory and metafile complete. */
  function cached(cacheDir: string): Array<{ hash: string; complete: boolean }> {
    const entries = path.join(cacheDir, 'v3', 'entries');
    return (fs.existsSync(entries) ? fs.readdirSync(entries) : []).filter((f) => f.endsWith('.json')).map((f) => {
      const record = JSON.parse(fs.readFileSync(path.join(entries, f), 'utf8'));
      const dir = path.join(cacheDir, 'v3', 'bundles', record.hash);
      const complete = record.files.every((name: string) => fs.existsSync(path.join(dir, name)))
        && fs.existsSync(`${dir}.metafile.json`);
      return { hash: record.hash, complete };
    });
  }

  test('the cache is complete when a stage nested in the app is synthesized alone', () => {
    const root = project();
    const cacheDir = freshCache();
    const { app } = makeApp({ cacheDir });
    const stage = new Stage(app, 'Prod');
    const stack = new Stack(stage, 'Service');
    for (const name of ['a', 'b', 'c']) {
      new ServerlessFunction(stack, name.toUpperCase(), { entry: path.join(root, `src/${name}.ts`) });
    }
    captureSummary(() => Template.fromStack(stack));
    expect(cached(cacheDir)).toHaveLength(3);
    expect(cached(cacheDir).every((c) => c.complete)).toBe(true);
  });

  describe('source hashes', () => {
    test('records hold each source\'s sha256', () => {
      const root = project();
      const cacheDir = freshCache();
      synth(root, cacheDir);
      const entries = path.join(cacheDir, 'v3', 'entries');
      const records = fs.readdirSync(entries).map((f) => JSON.parse(fs.readFileSync(path.join(entries, f), 'utf8')));
      expect(records).toHaveLength(3);
      const sources = records.flatMap((r) => Object.entries<string>(r.inputs)).filter(([key]) => key.startsWith('f:src/'));
      expect(sources.length).toBeGreaterThanOrEqual(3);
      for (const [key, value] of sources) {
        expect([key, value]).toEqual([key, hashFile(path.join(root, key.slice(2))) ?? '-']);
      }
    });

    test('fails if a source edited after esbuild read it is recorded with its new content', () => {
      const edited = project();
      const cacheDir = freshCache();
      const { app, stack } = makeApp({ cacheDir });
      // Synthesized after the stack (whose synthesis bundles): a code generator writing a source during synthesis.
      attachCustomSynthesis(new Construct(app, 'Generator'), {
        onSynthesize: () => fs.writeFileSync(path.join(edited, 'src/helper.ts'), 'export const suffix = "?";\n'),
      });
      for (const name of ['a', 'c']) {
        new ServerlessFunction(stack, name.toUpperCase(), { entry: path.join(edited, `src/${name}.ts`) });
      }
      captureSummary(() => app.synth());
      // A is stored with the helper it was built from, so the next synth rebuilds it; C is served from the cache.
      expect(cached(cacheDir)).toHaveLength(2);
      const next = synth(edited, cacheDir);
      expect(next.line).toMatch(/\(2 built, 1 from cache\)/);
      expect(next.hashes).toEqual(synth(edited, freshCache()).hashes);
    });
  });

  test('a synth process exits with the cache written, and the next synth is served from it', () => {
    const root = project();
    const cacheDir = freshCache();
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'out-'));
    const script = [
      "const { App, Stack } = require('aws-cdk-lib');",
      `const { ServerlessFunction } = require(${JSON.stringify(path.resolve(__dirname, '../../src'))});`,
      `const app = new App({ outdir: ${JSON.stringify(outdir)}, context: { '${BundleCacheContext.DIRECTORY}': ${JSON.stringify(cacheDir)} } });`,
      "const stack = new Stack(app, 'Stack');",
      ...['a', 'b', 'c'].map((n) => `new ServerlessFunction(stack, '${n.toUpperCase()}', { entry: ${JSON.stringify(path.join(root, `src/${n}.ts`))} });`),
      'app.synth();',
    ].join('\n');
    execFileSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', script], { stdio: 'ignore' });
    expect(cached(cacheDir)).toHaveLength(3);
    expect(cached(cacheDir).every((c) => c.complete)).toBe(true);
    expect(synth(root, cacheDir).line).toMatch(/\(0 built, 3 from cache\)/);
  });
});
