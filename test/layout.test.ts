import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { importGraph, layoutProblems, publicApiProblems } from './harness/layout';

const SRC = path.join(__dirname, '..', 'src');

const roots: string[] = [];
afterAll(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

/** A source tree in a temporary directory, from relative paths to contents. */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-'));
  roots.push(root);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

describe('the layout of src/ (shared/STYLE.md)', () => {
  test('src/ follows it: no import cycles, a ground folder that imports no concern, bundling/ that imports no layers/, no private/, an index of re-exports', () => {
    expect(layoutProblems(SRC)).toEqual([]);
  });

  test('src/core/ exists, src/index.ts re-exports something, and src/layers/ imports src/bundling/', () => {
    // Guards the test above against passing on a tree it cannot see.
    expect(fs.readdirSync(path.join(SRC, 'core')).filter((f) => f.endsWith('.ts')).length).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(SRC, 'index.ts'), 'utf8')).toMatch(/^export \{ ServerlessFunction, type ServerlessFunctionProps \} from '\.\/function\/serverless-function';$/m);
    const graph = importGraph(SRC);
    expect(graph.files.filter((f) => f.startsWith('layers/'))
      .flatMap((f) => graph.imports.get(f) ?? []).some((t) => t.startsWith('bundling/'))).toBe(true);
  });
});

describe('the public API (shared/STYLE.md: named exports, nothing internal)', () => {
  test('src/index.ts names each export, and exports no function and no type that no public member uses', () => {
    expect(publicApiProblems(SRC)).toEqual([]);
  });

  test('passes an index that exports classes and the types their public members use', () => {
    const root = tree({
      'fn.ts': [
        'export enum Size { SMALL = "small" }',
        'export interface Limits { readonly size: Size }',
        'export interface FnProps { readonly limits?: Limits }',
        'export class Fn { constructor(props: FnProps) { void props; } }',
        '',
      ].join('\n'),
      'index.ts': "export { Fn, type FnProps, type Limits, Size } from './fn';\n",
    });
    expect(publicApiProblems(root)).toEqual([]);
  });

  test('fails on `export *`, an exported function or constant, and a type that only a helper or a private member uses', () => {
    const root = tree({
      'fn.ts': [
        'export interface Spec { readonly name: string }',
        'export interface Hidden { readonly n: number }',
        'export interface Internal { readonly n: number }',
        'export function install(spec: Spec): void { void spec; }',
        'export const LIMIT = 3;',
        'export class Fn {',
        '  private readonly hidden?: Hidden;',
        '  /** @internal */',
        '  public _bind(x: Internal): void { void x; void this.hidden; }',
        '}',
        '',
      ].join('\n'),
      'index.ts': "export * from './fn';\n",
    });
    expect(publicApiProblems(root)).toEqual([
      'index.ts exports a constant: LIMIT',
      'index.ts exports a function: install',
      'index.ts exports a type that no public member uses: Hidden',
      'index.ts exports a type that no public member uses: Internal',
      'index.ts exports a type that no public member uses: Spec',
      "index.ts re-exports a whole file: export * from './fn';",
    ]);
  });
});

describe('source comments', () => {
  test('name no issue of the project\'s tracker ("issue 14", "#15"): the why belongs in the comment, the history in git', () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          walk(full);
        } else if (entry.name.endsWith('.ts')) {
          fs.readFileSync(full, 'utf8').split('\n').forEach((line, i) => {
            // An upstream project's issue (`aws-cdk #29992`) is a reference a reader can follow; ours are not.
            if (/\b[Ii]ssue #?\d+\b|(?<![\w&'"]|(?:aws-cdk|esbuild|jsii|projen) )#\d{2,}\b/.test(line)) {
              found.push(`${path.relative(SRC, full)}:${i + 1}: ${line.trim()}`);
            }
          });
        }
      }
    };
    walk(SRC);
    expect(found).toEqual([]);
  });
});

describe('the layout check', () => {
  test('passes a tree that follows the layout', () => {
    // GIVEN a concern over the ground folder, re-exported by the index
    const root = tree({
      'core/problems.ts': 'export const format = (s: string) => s;\n',
      'core/limits.ts': "import { format } from './problems';\nexport const check = () => format('x');\n",
      'function/fn.ts': "import { check } from '../core/limits';\nexport class Fn { c = check(); }\n",
      'index.ts': "// the public API\nexport * from './function/fn';\nexport { check } from './core/limits';\n",
    });

    // THEN
    expect(layoutProblems(root)).toEqual([]);
  });

  test('fails if two files import each other, a type-only import included, and names the cycle', () => {
    // GIVEN a function that imports its prop checks, which import the function's props type back
    const root = tree({
      'function/fn.ts': "import { checkProps } from './checks';\nexport interface FnProps { n: number }\nexport const f = checkProps;\n",
      'function/checks.ts': "import type { FnProps } from './fn';\nexport const checkProps = (p: FnProps) => p.n;\n",
    });

    // THEN
    expect(layoutProblems(root)).toEqual(['import cycle: function/checks.ts -> function/fn.ts -> function/checks.ts']);
  });

  test('fails if a cycle runs through several folders, by re-export or require', () => {
    const root = tree({
      'a/x.ts': "export * from '../b/y';\n",
      'b/y.ts': "const z = require('../c/z');\nexport const y = z;\n",
      'c/z.ts': "export const load = () => import('../a/x');\n",
    });

    expect(layoutProblems(root)).toEqual(['import cycle: a/x.ts -> b/y.ts -> c/z.ts -> a/x.ts']);
  });

  test('fails if the ground folder imports a concern', () => {
    const root = tree({
      'core/limits.ts': "import { Fn } from '../function/fn';\nexport const limit = Fn;\n",
      'function/fn.ts': 'export class Fn {}\n',
    });

    expect(layoutProblems(root)).toEqual(['the ground folder imports a concern: core/limits.ts -> function/fn.ts']);
  });

  test('passes layers/ importing bundling/', () => {
    // GIVEN a layer that installs with the bundler's npm install, re-exporting part of it
    const root = tree({
      'bundling/npm-install.ts': 'export const install = () => 1;\n',
      'layers/dependency-layer.ts': "import { install } from '../bundling/npm-install';\nexport { install } from '../bundling/npm-install';\nexport const n = install();\n",
    });

    // THEN
    expect(layoutProblems(root)).toEqual([]);
  });

  test('fails if bundling/ imports layers/, by import, type-only import or re-export, without a cycle', () => {
    // GIVEN the bundler's node_modules importing the layer's install and version lookup, as it once did
    const root = tree({
      'layers/dependency-layer.ts': 'export const install = () => 1;\n',
      'layers/layer-checks.ts': 'export interface Skew { module: string }\n',
      'bundling/node-modules.ts': "import { install } from '../layers/dependency-layer';\nimport type { Skew } from '../layers/layer-checks';\nexport const n = (s: Skew) => install() + s.module.length;\n",
      'bundling/index.ts': "export * from '../layers/dependency-layer';\n",
    });

    // THEN
    expect(layoutProblems(root)).toEqual([
      'bundling/ imports layers/, whose arrow runs layers/ -> bundling/ only: bundling/index.ts -> layers/dependency-layer.ts',
      'bundling/ imports layers/, whose arrow runs layers/ -> bundling/ only: bundling/node-modules.ts -> layers/dependency-layer.ts',
      'bundling/ imports layers/, whose arrow runs layers/ -> bundling/ only: bundling/node-modules.ts -> layers/layer-checks.ts',
    ]);
  });

  test('fails if there is a private/ folder', () => {
    const root = tree({ 'private/helpers.ts': 'export const h = 1;\n' });

    expect(layoutProblems(root)).toEqual([expect.stringMatching(/^a drawer of private helpers exists: private\/ \(1 files\)/)]);
  });

  test('fails if index.ts holds anything but re-exports', () => {
    const root = tree({
      'fn.ts': 'export const f = 1;\n',
      'index.ts': "export * from './fn';\nimport { f } from './fn';\nexport const g = f + 1;\n",
    });

    expect(layoutProblems(root)).toEqual([
      "index.ts holds more than re-exports: import { f } from './fn';",
      'index.ts holds more than re-exports: export const g = f + 1;',
    ]);
  });

  test('fails if a relative import names no file', () => {
    const root = tree({ 'fn.ts': "import { gone } from './moved-away';\nexport const f = gone;\n" });

    expect(layoutProblems(root)).toEqual(['unresolved import: fn.ts: ./moved-away']);
  });
});
