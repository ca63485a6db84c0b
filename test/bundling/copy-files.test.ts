import * as fs from 'fs';
import * as path from 'path';
import { BundleFiles, ServerlessFunction } from '../../src';
import { glob } from '../../src/bundling/copy-files';
import { invokeInLambdaRuntime, runtimeOptionsOf } from '../../src/testing';
import { captureSummary, freshCache, makeApp, makeProject, makeUnbundledApp, synthOneFunction } from '../helpers';

const HANDLER = [
  "import { readFileSync } from 'node:fs';",
  "import { join } from 'node:path';",
  "export const handler = async () => ({ ca: readFileSync(join(__dirname, 'certs', 'global-bundle.pem'), 'utf8'),",
  "  welcome: readFileSync(join(__dirname, 'templates', 'emails', 'welcome.html'), 'utf8') });",
  '',
].join('\n');

function project(): string {
  return makeProject({
    'src/fn.ts': HANDLER,
    'certs/global-bundle.pem': '-----BEGIN CERTIFICATE-----\nA\n',
    'assets/templates/emails/welcome.html': '<p>welcome</p>',
    'assets/templates/emails/bye.txt': 'not copied',
  });
}

const COPY: BundleFiles[] = [
  { include: 'certs/global-bundle.pem', destination: 'certs' },
  { include: 'assets/**/*.html' },
];

/** Synthesize one function with copyFiles; returns its staged bundle directory and the bundler's summary line. */
function synth(root: string, cacheDir: string, copyFiles: BundleFiles[] = COPY): { dir: string; key: string; line: string; fn: ServerlessFunction } {
  const { app, stack } = makeApp({ cacheDir });
  const fn = new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts'), bundling: { copyFiles } });
  return { fn, ...synthOneFunction(app, stack) };
}

/** Every file of a directory with its content, by relative path. */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    if (fs.statSync(path.join(dir, name)).isFile()) {
      out[name.split(path.sep).join('/')] = fs.readFileSync(path.join(dir, name), 'utf8');
    }
  }
  return out;
}

describe('bundling.copyFiles', () => {
  test('copies the files into the bundle, where the handler reads them in the Lambda runtime client', async () => {
    const root = project();
    const { dir, fn } = synth(root, freshCache());
    expect(Object.keys(contents(dir)).sort()).toEqual(['certs/global-bundle.pem', 'index.mjs', 'templates/emails/welcome.html']);
    // runInLambdaRuntime copies the bundle into a task root of its own: nothing is read from the project.
    const result = await invokeInLambdaRuntime(runtimeOptionsOf(fn), {});
    expect(result).toEqual({ ca: '-----BEGIN CERTIFICATE-----\nA\n', welcome: '<p>welcome</p>' });
  });

  test('cached equals uncached, and editing a copied file rebuilds the asset', () => {
    const root = project();
    const cacheDir = freshCache();
    const cold = synth(root, cacheDir);
    const warm = synth(root, cacheDir);
    expect(warm.line).toMatch(/\(0 built, 1 from cache\) in [\d.]+s, 0 esbuild passes/);
    expect(warm.key).toEqual(cold.key);
    expect(contents(warm.dir)).toEqual(contents(cold.dir));

    fs.writeFileSync(path.join(root, 'certs/global-bundle.pem'), '-----BEGIN CERTIFICATE-----\nB\n');
    const edited = synth(root, cacheDir);
    const uncached = synth(root, freshCache());
    expect(edited.key).not.toEqual(cold.key);
    expect(edited.key).toEqual(uncached.key);
    expect(contents(edited.dir)).toEqual(contents(uncached.dir));
    expect(contents(edited.dir)['certs/global-bundle.pem']).toContain('B');
  });

  test('a new file matching a glob rebuilds the asset', () => {
    const root = project();
    const cacheDir = freshCache();
    const before = synth(root, cacheDir);
    fs.writeFileSync(path.join(root, 'assets/templates/emails/reset.html'), '<p>reset</p>');
    const after = synth(root, cacheDir);
    expect(after.key).not.toEqual(before.key);
    expect(contents(after.dir)['templates/emails/reset.html']).toEqual('<p>reset</p>');
  });

  test('the same entry with and without copied files gives two bundles', () => {
    const root = project();
    const { app, stack } = makeApp({ cacheDir: freshCache() });
    new ServerlessFunction(stack, 'With', { entry: path.join(root, 'src/fn.ts'), bundling: { copyFiles: COPY } });
    new ServerlessFunction(stack, 'Without', { entry: path.join(root, 'src/fn.ts') });
    const template = app.synth().getStackByName(stack.stackName).template;
    const keys = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function').map((r) => r.Properties.Code.S3Key);
    expect(new Set(keys).size).toEqual(2);
  });

  test('fails if a pattern matches no file', () => {
    const root = project();
    const { stack } = makeUnbundledApp();
    expect(() => new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts'), bundling: { copyFiles: [{ include: 'certs/*.crt' }] } }))
      .toThrow(/Stack\/Fn: `bundling.copyFiles` `include` must match at least one file under .*, got "certs\/\*\.crt" \(matches none\)/);
  });

  test('fails if a pattern leaves the project root or a destination leaves the bundle', () => {
    const root = project();
    const { stack } = makeUnbundledApp();
    expect(() => new ServerlessFunction(stack, 'Fn', {
      entry: path.join(root, 'src/fn.ts'),
      bundling: { copyFiles: [{ include: '../secrets.txt' }, { include: 'certs/*', destination: '../up' }] },
    })).toThrow(/2 problems:[\s\S]*`include` must be a path or glob inside the project root.*got "\.\.\/secrets\.txt"[\s\S]*`destination` must be a directory inside the bundle.*got "\.\.\/up"/);
  });

  test('fails if a copied file would replace the bundle', () => {
    const root = makeProject({ 'src/fn.ts': 'export const handler = async () => 1;\n', 'static/index.mjs': 'x' });
    const { stack } = makeUnbundledApp();
    expect(() => new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts'), bundling: { copyFiles: [{ include: 'static/*.mjs' }] } }))
      .toThrow(/`bundling.copyFiles` must not replace the bundle's index.mjs/);
  });
});

describe('glob', () => {
  const root = makeProject({ 'a/x.pem': '', 'a/b/y.pem': '', 'a/b/c/z.wasm': '', 'a/b/c/z.txt': '', 'node_modules/p/q.pem': '' });
  test.each([
    ['a/*.pem', 'a', ['a/x.pem']],
    ['a/**/*.pem', 'a', ['a/b/y.pem', 'a/x.pem']],
    ['a/**', 'a', ['a/b/c/z.txt', 'a/b/c/z.wasm', 'a/b/y.pem', 'a/x.pem']],
    ['**/*.{wasm,txt}', '', ['a/b/c/z.txt', 'a/b/c/z.wasm']],
    ['a/b/?.pem', 'a/b', ['a/b/y.pem']],
    ['a/x.pem', 'a', ['a/x.pem']],
    ['**/*.pem', '', ['a/b/y.pem', 'a/x.pem']],
  ])('%s', (pattern, base, matches) => {
    expect(glob(root, pattern)).toEqual({ base, matches });
  });
});

describe('the file and copy loaders', () => {
  function loaderProject(): string {
    return makeProject({
      'src/a.ts': [
        "import { readFileSync } from 'node:fs';",
        "import { join } from 'node:path';",
        "import template from './invoice.tpl';",
        "export const handler = async () => readFileSync(join(__dirname, template), 'utf8');",
        '',
      ].join('\n'),
      'src/b.ts': "import template from './invoice.tpl';\nexport const handler = async () => template;\n",
      'src/invoice.tpl': 'Invoice {{id}}',
    });
  }

  function synthLoader(root: string, cacheDir: string) {
    const { app, stack } = makeApp({ cacheDir });
    const a = new ServerlessFunction(stack, 'A', { entry: path.join(root, 'src/a.ts'), bundling: { loader: { '.tpl': 'file' } } });
    new ServerlessFunction(stack, 'B', { entry: path.join(root, 'src/b.ts'), bundling: { loader: { '.tpl': 'file' } } });
    let assembly: any;
    const [line] = captureSummary(() => {
      assembly = app.synth();
    });
    const dirOf = (id: string) => path.join(assembly.directory, `asset.${(Object.entries<any>(assembly.getStackByName(stack.stackName).template.Resources)
      .find(([k, r]) => k.startsWith(id) && r.Type === 'AWS::Lambda::Function')![1].Properties.Code.S3Key as string).replace(/\.zip$/, '')}`);
    return { a, line, dirA: dirOf('A'), dirB: dirOf('B') };
  }

  test('`file` emits the imported file into each bundle that imports it; the handler reads it in the runtime client', async () => {
    const root = loaderProject();
    const { a, dirA, dirB } = synthLoader(root, freshCache());
    for (const dir of [dirA, dirB]) {
      const names = fs.readdirSync(dir).sort();
      expect(names).toEqual([expect.stringMatching(/^index\.mjs$/), expect.stringMatching(/^invoice-[A-Z0-9]+\.tpl$/)]);
    }
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(a), {})).toEqual('Invoice {{id}}');
  });

  test('cached equals uncached, and editing an emitted file rebuilds the asset', () => {
    const root = loaderProject();
    const cacheDir = freshCache();
    const cold = synthLoader(root, cacheDir);
    expect(cold.line).toMatch(/\(2 built, 0 from cache\) in [\d.]+s, 2 esbuild passes/);
    const warm = synthLoader(root, cacheDir);
    expect(warm.line).toMatch(/2 from cache/);
    expect(contents(warm.dirA)).toEqual(contents(cold.dirA));
    fs.writeFileSync(path.join(root, 'src/invoice.tpl'), 'Invoice #{{id}}');
    const edited = synthLoader(root, cacheDir);
    const uncached = synthLoader(root, freshCache());
    expect(path.basename(edited.dirA)).not.toEqual(path.basename(cold.dirA));
    expect(path.basename(edited.dirA)).toEqual(path.basename(uncached.dirA));
    expect(contents(edited.dirA)).toEqual(contents(uncached.dirA));
    expect(Object.values(contents(edited.dirA))).toContain('Invoice #{{id}}');
  });
});
