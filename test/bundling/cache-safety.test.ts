/* eslint-disable no-bitwise */ // file modes are bit masks
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { BundleCacheContext, ServerlessFunction } from '../../src';
import { captureSummary, linkRepoNodeModules, makeProject } from '../helpers';

/**
 * The scenarios of issue #11: each one put code into a deployed function that its sources do not say, or crashed.
 * A cached synth is compared with what the sources say (an uncached synth), or with the files staged.
 */

const REPO = path.join(__dirname, '..', '..');

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

interface Synth {
  readonly app: App;
  readonly stack: Stack;
  readonly line?: string;
  /** Each function's staged asset directory, by construct id. */
  readonly assets: Record<string, string>;
  /** Each function's bundle: its files' names and contents, by construct id. */
  readonly bundles: Record<string, string>;
}

/** Synthesize functions (construct id → entry relative to root) with a cache directory, or with the cache off. */
function synth(root: string, entries: Record<string, string>, context: Record<string, unknown>, outdir = tmp('lambda-kit-out-')): Synth {
  const app = new App({ outdir, context });
  const stack = new Stack(app, 'Stack');
  for (const [id, entry] of Object.entries(entries)) {
    new ServerlessFunction(stack, id, { entry: path.join(root, entry) });
  }
  let assembly: ReturnType<App['synth']> | undefined;
  const [line] = captureSummary(() => { assembly = app.synth(); });
  const template = assembly!.getStackByName('Stack').template;
  const assets: Record<string, string> = {};
  const bundles: Record<string, string> = {};
  for (const id of Object.keys(entries)) {
    const [, resource] = Object.entries<any>(template.Resources).find(([logicalId, r]) => logicalId.startsWith(id) && r.Type === 'AWS::Lambda::Function')!;
    const dir = path.join(assembly!.directory, `asset.${String(resource.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
    assets[id] = dir;
    bundles[id] = fs.readdirSync(dir).sort().map((f) => `${f}:${fs.readFileSync(path.join(dir, f), 'utf8')}`).join('\n');
  }
  return { app, stack, line, assets, bundles };
}

const cached = (cacheDir: string) => ({ [BundleCacheContext.DIRECTORY]: cacheDir });
const UNCACHED = { [BundleCacheContext.ENABLED]: false };

/** Synthesize with the cache, edit, synthesize again: the cached synth must equal an uncached one. */
function expectEditSeen(
  files: Record<string, string>, entries: Record<string, string>, edit: (root: string) => void, setup?: (root: string) => void,
): Synth {
  const root = makeProject(files);
  setup?.(root);
  const cacheDir = tmp('lambda-kit-cache-');
  const before = synth(root, entries, cached(cacheDir));
  expect(synth(root, entries, cached(cacheDir)).line).toMatch(/0 built/);
  edit(root);
  const after = synth(root, entries, cached(cacheDir));
  expect(after.bundles).toEqual(synth(root, entries, UNCACHED).bundles);
  expect(after.bundles).not.toEqual(before.bundles);
  return after;
}

describe('stale bundles: a cached synth equals an uncached one after an edit', () => {
  test('fails if an entry reached through a symlink is restored stale after its target is edited', () => {
    expectEditSeen(
      { 'src/real.ts': 'export const handler = async () => "one";\n' },
      { Fn: 'src/linked.ts' },
      (root) => fs.writeFileSync(path.join(root, 'src/real.ts'), 'export const handler = async () => "two";\n'),
      (root) => fs.symlinkSync('real.ts', path.join(root, 'src/linked.ts')),
    );
  });

  test('fails if an entry symlink pointed elsewhere is restored stale', () => {
    expectEditSeen(
      { 'src/real.ts': 'export const handler = async () => "one";\n', 'src/other.ts': 'export const handler = async () => "other";\n' },
      { Fn: 'src/linked.ts' },
      (root) => { fs.rmSync(path.join(root, 'src/linked.ts')); fs.symlinkSync('other.ts', path.join(root, 'src/linked.ts')); },
      (root) => fs.symlinkSync('real.ts', path.join(root, 'src/linked.ts')),
    );
  });

  test('fails if an edited target of a glob import() is restored stale', () => {
    expectEditSeen(
      {
        'src/plugins/a.ts': 'export const name = "a";\n',
        'src/fn.ts': 'export const handler = async (e: { p: string }) => (await import(`./plugins/${e.p}.ts`)).name;\n',
      },
      { Fn: 'src/fn.ts' },
      (root) => fs.writeFileSync(path.join(root, 'src/plugins/a.ts'), 'export const name = "edited";\n'),
    );
  });

  test('fails if a new file a glob import() covers is left out', () => {
    expectEditSeen(
      {
        'src/plugins/a.ts': 'export const name = "a";\n',
        'src/fn.ts': 'export const handler = async (e: { p: string }) => (await import(`./plugins/${e.p}.ts`)).name;\n',
      },
      { Fn: 'src/fn.ts' },
      (root) => fs.writeFileSync(path.join(root, 'src/plugins/b.ts'), 'export const name = "b";\n'),
    );
  });

  test('fails if an edit of the tsconfig a tsconfig extends is restored stale', () => {
    expectEditSeen(
      {
        'tsconfig.base.json': JSON.stringify({ compilerOptions: { useDefineForClassFields: true } }),
        'tsconfig.json': '{ "extends": "./tsconfig.base.json", // comments are allowed\n }',
        'src/fn.ts': 'class Box { value = 1; constructor() { this.value = 2; } }\nexport const handler = async () => new Box().value;\n',
      },
      { Fn: 'src/fn.ts' },
      (root) => fs.writeFileSync(path.join(root, 'tsconfig.base.json'), JSON.stringify({ compilerOptions: { useDefineForClassFields: false } })),
    );
  });

  test('fails if a tsconfig paths edit is restored stale', () => {
    expectEditSeen(
      {
        'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['lib/*'] } } }),
        'lib/greet.ts': 'export const greet = "lib";\n',
        'lib2/greet.ts': 'export const greet = "lib2";\n',
        'src/fn.ts': "import { greet } from '@lib/greet';\nexport const handler = async () => greet;\n",
      },
      { Fn: 'src/fn.ts' },
      (root) => fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['lib2/*'] } } })),
    );
  });

  test('fails if a workspace package\'s package.json main change (no lock file change) is restored stale', () => {
    expectEditSeen(
      {
        'packages/ws/package.json': JSON.stringify({ name: 'ws', main: './main.js' }),
        'packages/ws/main.js': 'exports.value = "main";\n',
        'packages/ws/alt.js': 'exports.value = "alt";\n',
        'src/fn.ts': "import { value } from 'ws';\nexport const handler = async () => value;\n",
      },
      { Fn: 'src/fn.ts' },
      (root) => fs.writeFileSync(path.join(root, 'packages/ws/package.json'), JSON.stringify({ name: 'ws', main: './alt.js' })),
      (root) => { fs.mkdirSync(path.join(root, 'node_modules')); fs.symlinkSync('../packages/ws', path.join(root, 'node_modules', 'ws')); },
    );
  });

  test('fails if a workspace package\'s new exports field is ignored', () => {
    expectEditSeen(
      {
        'packages/ws/package.json': JSON.stringify({ name: 'ws', main: './main.js' }),
        'packages/ws/main.js': 'exports.value = "main";\n',
        'packages/ws/exported.js': 'exports.value = "exported";\n',
        'src/fn.ts': "import { value } from 'ws';\nexport const handler = async () => value;\n",
      },
      { Fn: 'src/fn.ts' },
      (root) => fs.writeFileSync(path.join(root, 'packages/ws/package.json'), JSON.stringify({ name: 'ws', main: './main.js', exports: { '.': './exported.js' } })),
      (root) => { fs.mkdirSync(path.join(root, 'node_modules')); fs.symlinkSync('../packages/ws', path.join(root, 'node_modules', 'ws')); },
    );
  });

  test('fails if a new util.ts beside an imported util.js does not change what is bundled', () => {
    expectEditSeen(
      { 'src/util.js': 'export const util = "js";\n', 'src/fn.ts': "import { util } from './util';\nexport const handler = async () => util;\n" },
      { Fn: 'src/fn.ts' },
      (root) => fs.writeFileSync(path.join(root, 'src/util.ts'), 'export const util = "ts";\n'),
    );
  });

  test('fails if a new package in a closer node_modules does not change what is bundled', () => {
    expectEditSeen(
      {
        'node_modules/dep/package.json': JSON.stringify({ name: 'dep', main: 'index.js' }),
        'node_modules/dep/index.js': 'exports.dep = "outer";\n',
        'src/node_modules/.keep': '',
        'src/fn.ts': "import { dep } from 'dep';\nexport const handler = async () => dep;\n",
      },
      { Fn: 'src/fn.ts' },
      (root) => {
        fs.mkdirSync(path.join(root, 'src/node_modules/dep'), { recursive: true });
        fs.writeFileSync(path.join(root, 'src/node_modules/dep/package.json'), JSON.stringify({ name: 'dep', main: 'index.js' }));
        fs.writeFileSync(path.join(root, 'src/node_modules/dep/index.js'), 'exports.dep = "inner";\n');
      },
    );
  });
});

describe('esbuild starts early, sources are read late', () => {
  test('fails if a source written after the function was constructed (a generator in the app) is bundled as it was', () => {
    const root = makeProject({
      'src/generated.ts': 'export const routes = ["old"];\n',
      'src/fn.ts': "import { routes } from './generated';\nexport const handler = async () => routes;\n",
    });
    const app = new App({ outdir: tmp('lambda-kit-out-'), context: cached(tmp('lambda-kit-cache-')) });
    const stack = new Stack(app, 'Stack');
    // Registering the function starts esbuild's service; the app then writes the module the function imports.
    new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts') });
    fs.writeFileSync(path.join(root, 'src/generated.ts'), 'export const routes = ["new"];\n');
    let assembly: ReturnType<App['synth']> | undefined;
    captureSummary(() => { assembly = app.synth(); });
    const bundle = fs.readdirSync(assembly!.directory).filter((d) => /^asset\.[0-9a-f]{64}$/.test(d))
      .map((d) => fs.readFileSync(path.join(assembly!.directory, d, 'index.mjs'), 'utf8')).join('\n');
    expect(bundle).toContain('"new"');
    expect(bundle).not.toContain('"old"');
  });
});

/** The cache's bundle directory and record of the only bundle in it. */
function cachedBundle(cacheDir: string): { dir: string; recordFile: string; record: any } {
  const entries = path.join(cacheDir, 'v3', 'entries');
  const [name] = fs.readdirSync(entries);
  const recordFile = path.join(entries, name);
  const record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
  return { dir: path.join(cacheDir, 'v3', 'bundles', record.hash), recordFile, record };
}

const HELLO = { 'src/fn.ts': 'export const handler = async () => "hello";\n' };

describe('cache content is verified, never trusted', () => {
  test('fails if edited bytes of a cached bundle are restored; the rebuild repairs the cached copy', () => {
    const root = makeProject(HELLO);
    const cacheDir = tmp('lambda-kit-cache-');
    const first = synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir));
    const { dir } = cachedBundle(cacheDir);
    fs.writeFileSync(path.join(dir, 'index.mjs'), 'export const handler = async () => "planted";\n');
    const second = synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir));
    expect(second.line).toMatch(/\(1 built, 0 from cache\)/);
    expect(second.bundles).toEqual(first.bundles);
    expect(fs.readFileSync(path.join(dir, 'index.mjs'), 'utf8')).toEqual(fs.readFileSync(path.join(first.assets.Fn, 'index.mjs'), 'utf8'));
    expect(synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir)).line).toMatch(/\(0 built, 1 from cache\)/);
  });

  test('fails if a truncated cached bundle is deployed and passes the handler-export check', () => {
    const root = makeProject(HELLO);
    const cacheDir = tmp('lambda-kit-cache-');
    const first = synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir));
    fs.truncateSync(path.join(cachedBundle(cacheDir).dir, 'index.mjs'), 0);
    const second = synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir));
    expect(second.bundles).toEqual(first.bundles);
    expect(fs.statSync(path.join(second.assets.Fn, 'index.mjs')).size).toBeGreaterThan(0);
  });

  test('fails if an asset.<hash> directory in cdk.out that does not hold its bundle is kept', () => {
    const root = makeProject(HELLO);
    const outdir = tmp('lambda-kit-out-');
    const first = synth(root, { Fn: 'src/fn.ts' }, UNCACHED, outdir);
    const expected = first.bundles.Fn;
    fs.writeFileSync(path.join(first.assets.Fn, 'index.mjs'), '');
    fs.writeFileSync(path.join(first.assets.Fn, 'extra.js'), 'planted');
    const again = synth(root, { Fn: 'src/fn.ts' }, UNCACHED, outdir);
    expect(again.assets.Fn).toEqual(first.assets.Fn);
    expect(again.bundles.Fn).toEqual(expected);
  });

  test('fails if the handler-export check passes on a staged file that does not export the handler', () => {
    const root = makeProject(HELLO);
    const outdir = tmp('lambda-kit-out-');
    const first = synth(root, { Fn: 'src/fn.ts' }, UNCACHED, outdir);
    // A staged copy replaced behind the bundler's back after it was verified: what is deployed is checked.
    const app = new App({ outdir, context: UNCACHED });
    const stack = new Stack(app, 'Stack');
    new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts'), handler: 'other' });
    expect(() => captureSummary(() => app.synth())).toThrow(/`handler` "other" is not exported by src\/fn.ts \(exports: handler\)/);
    expect(first.bundles.Fn).toContain('handler');
  });

  test.each<[string, (record: any) => void]>([
    ['a file name that climbs out of the bundle directory', (r) => { r.files = ['../../../../planted.txt']; r.fileHashes = { '../../../../planted.txt': r.fileHashes['index.mjs'] }; }],
    ['an absolute file name', (r) => { r.files = ['/tmp/planted.txt']; r.fileHashes = { '/tmp/planted.txt': r.fileHashes['index.mjs'] }; }],
    ['no inputs', (r) => { r.inputs = {}; }],
    ['"files": null', (r) => { r.files = null; }],
    ['a hash that is not 64 hex characters', (r) => { r.hash = '../x'; }],
    ['a hash that is not the hash of its files', (r) => { r.fileHashes['index.mjs'] = 'f'.repeat(64); }],
  ])('fails if a record with %s is used', (_name, plant) => {
    const root = makeProject(HELLO);
    const cacheDir = tmp('lambda-kit-cache-');
    const first = synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir));
    const { recordFile, record } = cachedBundle(cacheDir);
    plant(record);
    fs.writeFileSync(recordFile, JSON.stringify(record));
    const second = synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir));
    expect(second.line).toMatch(/\(1 built, 0 from cache\)/);
    expect(second.bundles).toEqual(first.bundles);
    expect(fs.existsSync(path.join(cacheDir, '..', '..', 'planted.txt'))).toBe(false);
    expect(fs.existsSync('/tmp/planted.txt')).toBe(false);
  });
});

describe('the cache directory is private and checked', () => {
  test('the default cache in the temp folder is per user (uid in the path) and created 0700', () => {
    const root = makeProject(HELLO);
    const base = path.join(os.tmpdir(), `cdk-lambda-kit-${process.getuid!()}`);
    synth(root, { Fn: 'src/fn.ts' }, {});
    expect(fs.statSync(base).mode & 0o777).toEqual(0o700);
    expect(fs.statSync(base).uid).toEqual(process.getuid!());
    const [project] = fs.readdirSync(base).filter((d) => fs.existsSync(path.join(base, d, 'v3')));
    expect(project).toBeDefined();
  });

  test('fails if a cache directory other users can write to is used (a planted record is never restored)', () => {
    const root = makeProject(HELLO);
    const cacheDir = tmp('lambda-kit-cache-');
    const first = synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir));
    // Another user plants a consistent record and bundle: the directory's mode lets them.
    const { dir } = cachedBundle(cacheDir);
    fs.writeFileSync(path.join(dir, 'index.mjs'), 'export const handler = async () => "planted";\n');
    fs.chmodSync(cacheDir, 0o777);
    const second = synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir));
    expect(second.line).toMatch(/\(1 built, 0 from cache\)/);
    expect(second.bundles).toEqual(first.bundles);
    Annotations.fromStack(second.stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp('mode is 0777.*\\[ack: cdk-lambda-kit:cacheUnavailable\\]'));
  });

  (process.getuid?.() === 0 ? test : test.skip)('fails if a cache directory owned by another user is used', () => {
    const root = makeProject(HELLO);
    const cacheDir = tmp('lambda-kit-cache-');
    fs.chownSync(cacheDir, 4242, 4242);
    const result = synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir));
    Annotations.fromStack(result.stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp('owned by uid 4242.*\\[ack: cdk-lambda-kit:cacheUnavailable\\]'));
    expect(fs.readdirSync(cacheDir)).toEqual([]);
  });
});

describe('faults', () => {
  test.each<[string, (dir: string) => string]>([
    ['a file in place of the cache directory', (dir) => { fs.writeFileSync(path.join(dir, 'cache'), ''); return path.join(dir, 'cache'); }],
    ['a cache path below a file', (dir) => { fs.writeFileSync(path.join(dir, 'file'), ''); return path.join(dir, 'file', 'cache'); }],
    ['a location that cannot hold directories (/dev/null/…)', () => '/dev/null/lambda-kit-cache'],
  ])('%s gives one cacheUnavailable warning and an uncached synth', (_name, place) => {
    const root = makeProject({ ...HELLO, 'src/two.ts': 'export const handler = async () => 2;\n' });
    const cacheDir = place(tmp('lambda-kit-place-'));
    const result = synth(root, { Fn: 'src/fn.ts', Two: 'src/two.ts' }, cached(cacheDir));
    expect(result.line).toMatch(/\(2 built, 0 from cache\)/);
    const warnings = Annotations.fromStack(result.stack).findWarning('*', Match.stringLikeRegexp('cdk-lambda-kit:cacheUnavailable'));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0].entry.data)).toMatch(/the build cache cannot be used \(/);
  });

  test('leftovers of killed synths are removed; those of live processes are kept', () => {
    const root = makeProject(HELLO);
    const cacheDir = tmp('lambda-kit-cache-');
    const outdir = tmp('lambda-kit-out-');
    synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir), outdir);
    const dead = 2 ** 22 + 12345; // above Linux's pid_max: no such process
    const leftovers = [
      path.join(outdir, `.lambda-kit-staging-${dead}-1`),
      path.join(outdir, `asset.${'a'.repeat(64)}.tmp-${dead}-x1`),
      path.join(cacheDir, 'v3', 'bundles', `${'b'.repeat(64)}.tmp-${dead}-x2`),
      path.join(cacheDir, 'v3', 'entries', `key.json.tmp-${dead}-x3`),
    ];
    const live = path.join(outdir, '.lambda-kit-staging-1-1');
    for (const dir of [...leftovers, live]) {
      fs.mkdirSync(dir, { recursive: true });
    }
    synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir), outdir);
    expect(leftovers.filter((l) => fs.existsSync(l))).toEqual([]);
    expect(fs.existsSync(live)).toBe(true);
  });

  test('files in assets and in the cache are 0644 and directories 0755, under umask 077', () => {
    const root = makeProject(HELLO);
    const cacheDir = tmp('lambda-kit-cache-');
    const previous = process.umask(0o077);
    let built: Synth;
    let restored: Synth;
    try {
      built = synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir));
      restored = synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir));
    } finally {
      process.umask(previous);
    }
    expect(restored.line).toMatch(/1 from cache/);
    const bundle = cachedBundle(cacheDir).dir;
    for (const dir of [built.assets.Fn, restored.assets.Fn, bundle]) {
      expect(fs.statSync(dir).mode & 0o777).toEqual(0o755);
      expect(fs.statSync(path.join(dir, 'index.mjs')).mode & 0o777).toEqual(0o644);
    }
  });
});

describe('packages that read their own files', () => {
  test('warns (packageReadsOwnFiles) naming the package and the fix', () => {
    const root = makeProject({
      'node_modules/templater/package.json': JSON.stringify({ name: 'templater', main: 'index.js' }),
      'node_modules/templater/index.js': "const fs = require('fs');\nconst path = require('path');\nexports.render = () => fs.readFileSync(path.join(__dirname, 'template.txt'), 'utf8');\n",
      'node_modules/resolver/package.json': JSON.stringify({ name: 'resolver', main: 'index.js' }),
      'node_modules/resolver/index.js': "exports.where = () => require.resolve('./templates/x');\n",
      'src/fn.ts': "import { render } from 'templater';\nimport { where } from 'resolver';\nexport const handler = async () => [render(), where()];\n",
    });
    const result = synth(root, { Fn: 'src/fn.ts' }, UNCACHED);
    const annotations = Annotations.fromStack(result.stack);
    // Issue 23: the place (file:line) and that it is a code path's, not "fails when invoked".
    annotations.hasWarning('/Stack/Fn', Match.stringLikeRegexp('includes templater, which reaches its own files on a code path: path.join\\(__dirname, …\\) at templater/index.js:3 \\(inside a function\\).*the rest of templater works.*`bundling.nodeModules: \\[\'templater\'\\]`.*DependencyLayer.*\\[ack: cdk-lambda-kit:packageReadsOwnFiles\\]'));
    annotations.hasWarning('/Stack/Fn', Match.stringLikeRegexp('includes resolver, .*require.resolve'));
    // The finding is part of the record: a cached synth warns too.
    const cacheDir = tmp('lambda-kit-cache-');
    synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir));
    const again = synth(root, { Fn: 'src/fn.ts' }, cached(cacheDir));
    expect(again.line).toMatch(/1 from cache/);
    Annotations.fromStack(again.stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp('includes templater'));
  });

  test('fails if the usual libraries (zod, uuid, date-fns, lodash-es) are reported', () => {
    const root = makeProject({
      'src/fn.ts': [
        "import { z } from 'zod';", "import { v4 } from 'uuid';", "import { format } from 'date-fns';", "import { groupBy } from 'lodash-es';",
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        'export const handler = async () => [z.string().parse(v4()), format(new Date(0), "yyyy"), groupBy([1], String), DynamoDBClient];',
      ].join('\n'),
    });
    linkRepoNodeModules(root);
    const result = synth(root, { Fn: 'src/fn.ts' }, UNCACHED);
    expect(Annotations.fromStack(result.stack).findWarning('*', Match.stringLikeRegexp('packageReadsOwnFiles'))).toEqual([]);
  });
});

describe('the summary line', () => {
  test('says N bundles for M functions, built and from cache; the report path is relative under the working directory', () => {
    const root = makeProject(HELLO);
    const outdir = fs.mkdtempSync(path.join(REPO, '.tmp-lambda-kit-out-'));
    try {
      const result = synth(root, { A: 'src/fn.ts', B: 'src/fn.ts' }, UNCACHED, outdir);
      expect(result.line).toMatch(new RegExp(`^cdk-lambda-kit: 1 bundle for 2 functions \\(1 built, 0 from cache\\) in [\\d.]+s, 1 esbuild pass; report: ${path.basename(outdir)}/lambda-kit/bundle-report.md$`));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
    const elsewhere = synth(root, { A: 'src/fn.ts' }, UNCACHED);
    expect(elsewhere.line).toMatch(new RegExp(`report: ${os.tmpdir()}/lambda-kit-out-\\w+/lambda-kit/bundle-report.md$`));
  });

  test('the quiet context key leaves the line out', () => {
    const root = makeProject(HELLO);
    expect(synth(root, { Fn: 'src/fn.ts' }, { ...UNCACHED, [BundleCacheContext.QUIET]: true }).line).toBeUndefined();
  });
});
