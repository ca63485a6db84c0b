import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { BundleCacheContext, ServerlessFunction } from '../../src';
import { captureSummary, freshCache, makeProject } from '../helpers';

/**
 * The cache's one rule, as a differential property: after any sequence of edits to a project, a synth that uses the
 * persistent cache stages byte-identical bundles to a synth with the cache off.
 *
 * The generated project has the shapes the cache must see through: two entries sharing a module, an entry reached
 * through a symlink, a glob `import()`, a tsconfig that `extends` another (with `paths` and a class-field setting),
 * a workspace package linked into node_modules (`main`/`exports`), a JSON import, and an extensionless import of
 * `util.js` that a new `util.ts` would shadow.
 */

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'generated', private: true }),
  'tsconfig.base.json': JSON.stringify({ compilerOptions: { useDefineForClassFields: true, target: 'es2022' } }),
  'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['lib/*'] } } }),
  'lib/greet.ts': 'export const greet = (s: string) => "hello " + s;\n',
  'lib2/greet.ts': 'export const greet = (s: string) => "hi " + s;\n',
  'src/shared.ts': "import { greet } from '@lib/greet';\nexport class Box { value = 1; constructor() { this.value = 2; } }\nexport const shared = (s: string) => greet(s) + new Box().value;\n",
  'src/util.js': 'export const util = "util.js";\n',
  'src/data.json': JSON.stringify({ version: 1 }),
  'src/plugins/p1.ts': 'export const name = "p1";\n',
  'src/plugins/p2.ts': 'export const name = "p2";\n',
  'src/a.ts': "import { shared } from './shared';\nimport { util } from './util';\nimport data from './data.json';\nimport { ws } from 'wsp';\nexport const handler = async () => [shared('a'), util, data.version, ws];\n",
  'src/b.ts': "import { shared } from './shared';\nexport const handler = async (e: { name: string }) => [shared('b'), (await import(`./plugins/${e.name}.ts`)).name];\n",
  'src/real-entry.ts': "import { util } from './util';\nexport const handler = async () => ['real', util];\n",
  'src/other-entry.ts': "export const handler = async () => ['other'];\n",
  'packages/wsp/package.json': JSON.stringify({ name: 'wsp', version: '1.0.0', main: './main.js' }),
  'packages/wsp/main.js': 'exports.ws = "main";\n',
  'packages/wsp/alt.js': 'exports.ws = "alt";\n',
  'packages/wsp/exported.js': 'exports.ws = "exported";\n',
};

function generate(): string {
  const root = makeProject(FILES);
  fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  fs.symlinkSync(path.join('..', 'packages', 'wsp'), path.join(root, 'node_modules', 'wsp'));
  fs.symlinkSync('real-entry.ts', path.join(root, 'src', 'linked-entry.ts'));
  return root;
}

type Edit = (root: string) => void;

const write = (file: string, content: string): Edit => (root) => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), content);
};
const remove = (file: string): Edit => (root) => fs.rmSync(path.join(root, file), { force: true });
const rename = (from: string, to: string): Edit => (root) => {
  if (fs.existsSync(path.join(root, from))) {
    fs.renameSync(path.join(root, from), path.join(root, to));
  }
};
const editJson = (file: string, change: (json: any) => void): Edit => (root) => {
  const json = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
  change(json);
  fs.writeFileSync(path.join(root, file), JSON.stringify(json));
};
const relink = (target: string): Edit => (root) => {
  fs.rmSync(path.join(root, 'src', 'linked-entry.ts'), { force: true });
  fs.symlinkSync(target, path.join(root, 'src', 'linked-entry.ts'));
};

const edits: fc.Arbitrary<[string, Edit]> = fc.oneof(
  fc.nat(99).map((n): [string, Edit] => [`modify shared.ts (${n})`, write('src/shared.ts', `import { greet } from '@lib/greet';\nexport class Box { value = ${n}; }\nexport const shared = (s: string) => greet(s) + new Box().value;\n`)]),
  fc.nat(99).map((n): [string, Edit] => [`modify the symlinked entry's target (${n})`, write('src/real-entry.ts', `import { util } from './util';\nexport const handler = async () => ['real${n}', util];\n`)]),
  fc.constant<[string, Edit]>(['re-point the entry symlink', relink('other-entry.ts')]),
  fc.nat(99).map((n): [string, Edit] => [`modify plugin p1 (${n})`, write('src/plugins/p1.ts', `export const name = "p1-${n}";\n`)]),
  fc.constant<[string, Edit]>(['add plugin p3', write('src/plugins/p3.ts', 'export const name = "p3";\n')]),
  fc.constant<[string, Edit]>(['delete plugin p2', remove('src/plugins/p2.ts')]),
  fc.constant<[string, Edit]>(['rename plugin p1 to p4', rename('src/plugins/p1.ts', 'src/plugins/p4.ts')]),
  fc.constant<[string, Edit]>(['shadow util.js with util.ts', write('src/util.ts', 'export const util = "util.ts";\n')]),
  fc.constant<[string, Edit]>(['remove util.ts', remove('src/util.ts')]),
  fc.nat(99).map((n): [string, Edit] => [`modify data.json (${n})`, write('src/data.json', JSON.stringify({ version: n }))]),
  fc.boolean().map((b): [string, Edit] => [`tsconfig base useDefineForClassFields=${b}`, editJson('tsconfig.base.json', (j) => { j.compilerOptions.useDefineForClassFields = b; })]),
  fc.constantFrom('lib/*', 'lib2/*').map((p): [string, Edit] => [`tsconfig paths @lib/* -> ${p}`, editJson('tsconfig.json', (j) => { j.compilerOptions.paths['@lib/*'] = [p]; })]),
  fc.constantFrom('./main.js', './alt.js').map((m): [string, Edit] => [`workspace main ${m}`, editJson('packages/wsp/package.json', (j) => { j.main = m; })]),
  fc.boolean().map((b): [string, Edit] => [`workspace exports ${b ? 'set' : 'unset'}`, editJson('packages/wsp/package.json', (j) => { j.exports = b ? { '.': './exported.js' } : undefined; })]),
  fc.nat(99).map((n): [string, Edit] => [`modify workspace main.js (${n})`, write('packages/wsp/main.js', `exports.ws = "main${n}";\n`)]),
);

/** How many bundles the cached synths restored: the property is only worth something if the cache is used. */
let restoredFromCache = 0;

/** Each function's staged bundle: file names and contents, or the failure. */
function synth(root: string, context: Record<string, unknown>): Record<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-diff-out-'));
  const app = new App({ outdir, context });
  const stack = new Stack(app, 'Stack');
  for (const [id, entry] of [['A', 'src/a.ts'], ['B', 'src/b.ts'], ['Linked', 'src/linked-entry.ts']]) {
    new ServerlessFunction(stack, id, { entry: path.join(root, entry), handler: 'handler' });
  }
  const out: Record<string, string> = {};
  try {
    let assembly: ReturnType<App['synth']> | undefined;
    const [line] = captureSummary(() => { assembly = app.synth(); });
    restoredFromCache += Number(/(\d+) from cache/.exec(line ?? '')?.[1] ?? 0);
    const template = assembly!.getStackByName('Stack').template;
    for (const [id, resource] of Object.entries<any>(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const dir = path.join(assembly!.directory, `asset.${String(resource.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
      out[id] = fs.readdirSync(dir).sort().map((f) => `${f}:\n${fs.readFileSync(path.join(dir, f), 'utf8')}`).join('\n');
    }
  } catch (e) {
    out.error = String((e as Error).message).replace(/lambda-kit-(diff-out|test)-\w+/g, '<tmp>');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  return out;
}

describe('differential: cached synth = uncached synth', () => {
  beforeAll(() => {
    restoredFromCache = 0;
  });

  test('after any sequence of edits, the cached synth stages byte-identical bundles to an uncached synth', () => {
    fc.assert(
      fc.property(fc.array(edits, { minLength: 1, maxLength: 4 }), (steps) => {
        const root = generate();
        const cacheDir = freshCache();
        const cached = { [BundleCacheContext.DIRECTORY]: cacheDir };
        const uncached = { [BundleCacheContext.ENABLED]: false };
        try {
          expect(synth(root, cached)).toEqual(synth(root, uncached));
          const done: string[] = [];
          for (const [name, edit] of steps) {
            edit(root);
            done.push(name);
            const expected = synth(root, uncached);
            const actual = synth(root, cached);
            if (JSON.stringify(actual) !== JSON.stringify(expected)) {
              throw new Error(`cached synth differs from uncached after: ${done.join(' → ')}\n` +
                `cached:   ${JSON.stringify(actual).slice(0, 600)}\nuncached: ${JSON.stringify(expected).slice(0, 600)}`);
            }
          }
        } finally {
          fs.rmSync(root, { recursive: true, force: true });
          fs.rmSync(cacheDir, { recursive: true, force: true });
        }
      }),
      { numRuns: 15 },
    );
    expect(restoredFromCache).toBeGreaterThan(15);
  });
});
