import * as fs from 'fs';
import * as path from 'path';
import { freshCache, linkRepoNodeModules, makeProject, synthTypeChecked } from '../helpers';

/** A project with TypeScript resolvable (the repository's), a tsconfig, and three handlers sharing a module. */
function project(): string {
  const root = makeProject({
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true, types: [] } }),
    'src/shared.ts': 'export function total(prices: number[]): number {\n  return prices.reduce((a, b) => a + b, 0);\n}\n',
    'src/good.ts': "import { total } from './shared.js';\nexport const handler = async () => total([1, 2]);\n",
    'src/bad.ts': "import { total } from './shared.js';\nexport const handler = async () => { const n: string = total([1]); return n; };\n",
    'src/other.ts': "import { total } from './shared.js';\nexport const handler = async () => total([3]);\n",
  });
  linkRepoNodeModules(root);
  return root;
}

describe('bundling.typeCheck', () => {
  test('fails with the type errors of the function they belong to, in one program for all functions', () => {
    const root = project();
    const { error, checked } = synthTypeChecked(root, ['good', 'bad', 'other'], freshCache());
    expect(checked).toEqual('3/1');
    expect(error).toMatch(/\[Stack\/Bad\] bundling src\/bad.ts failed type checking:\s+`bundling.typeCheck`: 1 TypeScript error \(tsc --noEmit -p tsconfig.json\):\s+src\/bad.ts:2:44 TS2322: Type 'number' is not assignable to type 'string'/);
    expect(error).not.toMatch(/Stack\/Good|Stack\/Other/);
  });

  test('an error in a shared module is reported for every function that imports it', () => {
    const root = project();
    fs.writeFileSync(path.join(root, 'src/shared.ts'), 'export function total(prices: number[]): number {\n  return prices.join(",");\n}\n');
    const { error } = synthTypeChecked(root, ['good', 'other'], freshCache());
    expect(error).toMatch(/\[Stack\/Good\][\s\S]*src\/shared.ts:2:3 TS2322/);
    expect(error).toMatch(/\[Stack\/Other\][\s\S]*src\/shared.ts:2:3 TS2322/);
  });

  test('is off by default: esbuild strips types without checking them', () => {
    const root = project();
    expect(synthTypeChecked(root, ['bad'], freshCache(), false)).toEqual({ error: undefined, checked: '0/0' });
  });

  test('cached on the same inputs: unchanged functions are not checked again, an edit is', () => {
    const root = project();
    const cacheDir = freshCache();
    expect(synthTypeChecked(root, ['good', 'other'], cacheDir)).toEqual({ error: undefined, checked: '2/1' });
    expect(synthTypeChecked(root, ['good', 'other'], cacheDir)).toEqual({ error: undefined, checked: '0/0' });
    // A type-only edit (same bundle output) of the shared module breaks both functions: checked again, and fails.
    fs.writeFileSync(path.join(root, 'src/shared.ts'), 'export function total(prices: string[]): number {\n  return prices.reduce((a, b) => a + b, 0);\n}\n');
    const edited = synthTypeChecked(root, ['good', 'other'], cacheDir);
    expect(edited.checked).toEqual('2/1');
    expect(edited.error).toMatch(/TS2345|TS2322|TS2769/);
    // The same result as an uncached synth.
    const uncached = synthTypeChecked(root, ['good', 'other'], freshCache());
    expect(uncached.error).toEqual(edited.error);
  });
});
