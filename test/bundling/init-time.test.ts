import * as fs from 'fs';
import * as path from 'path';
import { BundleCacheContext, ServerlessFunction } from '../../src';
import { moduleName } from '../../src/bundling/init-time';
import { makeApp, makeProject } from '../helpers';

/** A dependency whose loading keeps the CPU busy for about 80 ms, and one that is cheap. */
const FILES = {
  'node_modules/slow-dep/package.json': JSON.stringify({ name: 'slow-dep', version: '1.0.0', main: 'index.js' }),
  'node_modules/slow-dep/index.js': [
    'function spin(ms) { const end = Date.now() + ms; let n = 0; while (Date.now() < end) n++; return n; }',
    'exports.loaded = spin(80);',
  ].join('\n'),
  'node_modules/@scope/cheap/package.json': JSON.stringify({ name: '@scope/cheap', version: '1.0.0', main: 'index.js' }),
  'node_modules/@scope/cheap/index.js': 'exports.answer = () => 42;\n',
  'src/slow.ts': "import { loaded } from 'slow-dep';\nimport { answer } from '@scope/cheap';\nexport const handler = async () => ({ loaded: loaded > 0, answer: answer() });\n",
  'src/broken.ts': "throw new Error('no config at init');\nexport const handler = async () => 1;\n",
};

function synthReport(context: Record<string, unknown>): { markdown: string; json: any } {
  const root = makeProject(FILES);
  const { app, stack } = makeApp({ context });
  new ServerlessFunction(stack, 'Slow', { entry: path.join(root, 'src/slow.ts') });
  new ServerlessFunction(stack, 'Broken', { entry: path.join(root, 'src/broken.ts') });
  app.synth();
  const dir = path.join(app.outdir, 'lambda-kit');
  return { markdown: fs.readFileSync(path.join(dir, 'bundle-report.md'), 'utf8'), json: JSON.parse(fs.readFileSync(path.join(dir, 'bundle-report.json'), 'utf8')) };
}

describe('the bundle report shows each function\'s init time when asked', () => {
  test('with the initTime context: the init measured in the runtime client, the heavy module named first', () => {
    const { markdown, json } = synthReport({ [BundleCacheContext.INIT_TIME]: true });
    const slow = json.bundles.find((b: any) => b.functions[0] === 'Stack/Slow');
    expect(slow.init.error).toBeUndefined();
    expect(slow.init.node).toEqual(process.version);
    // The dependency spins 80 ms at load: the init takes at least that, and its module carries most of it.
    expect(slow.init.wallMs).toBeGreaterThanOrEqual(80);
    expect(slow.init.busyMs).toBeGreaterThanOrEqual(60);
    expect(slow.init.heavyModules[0].module).toEqual('slow-dep');
    expect(slow.init.heavyModules[0].ms).toBeGreaterThanOrEqual(50);
    expect(markdown).toMatch(/\| function \| entry \| size \| gzip \| source \| top modules \| optional \| installed \| init \| heavy at init \| metafile \|/);
    expect(markdown).toMatch(/\| Stack\/Slow \| src\/slow\.ts \| .* \| - \| - \| \d+ ms \(busy \d+ ms\) \| slow-dep [\d.]+ ms/);
    expect(markdown).toContain('aws-lambda-ric');
  });

  test('a function that fails at init: the report says so, with the runtime client\'s error', () => {
    const { markdown, json } = synthReport({ [BundleCacheContext.INIT_TIME]: 'true' });
    const broken = json.bundles.find((b: any) => b.functions[0] === 'Stack/Broken');
    expect(broken.init.error).toEqual('Error: no config at init');
    expect(markdown).toMatch(/\| Stack\/Broken \| .* init failed: Error: no config at init \|/);
  });

  test('a Node.js binary as the context value runs the bundles on it', () => {
    const { json } = synthReport({ [BundleCacheContext.INIT_TIME]: process.execPath });
    expect(json.bundles.every((b: any) => b.init.node === process.version)).toBe(true);
  });

  test('without the context: not measured, no init columns', () => {
    const { markdown, json } = synthReport({});
    expect(json.bundles.every((b: any) => b.init === undefined)).toBe(true);
    expect(markdown).not.toContain('heavy at init');
  });

  test.each([
    ['node_modules/zod/v4/core/schemas.js', 'zod'],
    ['node_modules/@aws-sdk/client-s3/dist-es/index.js', '@aws-sdk/client-s3'],
    ['node_modules/a/node_modules/b/index.js', 'b'],
    ['src/orders.ts', 'src/orders.ts'],
  ])('moduleName(%s) is %s', (input, name) => {
    expect(moduleName(input)).toEqual(name);
  });
});
