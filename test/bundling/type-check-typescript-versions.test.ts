import { execSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { freshCache, makeProject, synthTypeChecked } from '../helpers';

/**
 * `bundling.typeCheck` with the TypeScript the project has. TypeScript 7 (what `npm install --save-dev typescript`
 * installs since 7.0) is a native compiler whose package exports no compiler API (`require('typescript')` gives its
 * version only), so the check runs its `tsc`; TypeScript 6 and earlier are checked through their API
 * (test/bundling/type-check.test.ts). These tests install TypeScript from the npm registry, by the command the
 * library's own message gives.
 */

const HANDLERS = {
  'package.json': JSON.stringify({ name: 'typecheck-app', version: '1.0.0', private: true }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true, types: [] } }),
  'src/shared.ts': 'export function total(prices: number[]): number {\n  return prices.reduce((a, b) => a + b, 0);\n}\n',
  'src/good.ts': "import { total } from './shared.js';\nexport const handler = async () => total([1, 2]);\n",
  'src/bad.ts': "import { total } from './shared.js';\nexport const handler = async () => { const n: string = total([1]); return n; };\n",
};

/** The command a message tells the user to run, in backticks or after a colon at its end. */
function installCommandOf(message: string): string {
  const command = /(npm install [^`\n]+?)(?:`|\n|$)/.exec(message)?.[1]?.trim();
  expect(command).toBeDefined();
  return command!;
}

describe('bundling.typeCheck with TypeScript 7', () => {
  let root: string;

  beforeAll(() => {
    // A project without TypeScript: the check says what to install; following it installs TypeScript 7.
    root = makeProject(HANDLERS);
    const { error } = synthTypeChecked(root, ['good']);
    expect(error).toMatch(/`bundling.typeCheck` needs the typescript package in the project/);
    execSync(installCommandOf(error!), { cwd: root, stdio: 'pipe' });
    const installed = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'typescript', 'package.json'), 'utf8')).version;
    expect(installed).toMatch(/^7\./);
  }, 180_000);

  test('the type errors of a function fail the synth, with file, line, column and code, as with TypeScript 6', () => {
    const { error, checked } = synthTypeChecked(root, ['good', 'bad']);
    expect(checked).toEqual('2/1');
    expect(error).toMatch(/\[Stack\/Bad\] bundling src\/bad.ts failed type checking:\s+`bundling.typeCheck`: 1 TypeScript error \(tsc --noEmit -p tsconfig.json\):\s+src\/bad.ts:2:44 TS2322: Type 'number' is not assignable to type 'string'/);
    expect(error).not.toMatch(/Stack\/Good/);
  });

  test('well-typed functions pass, and are not checked again while their files are unchanged', () => {
    const cacheDir = freshCache();
    expect(synthTypeChecked(root, ['good'], cacheDir)).toEqual({ error: undefined, checked: '1/1' });
    expect(synthTypeChecked(root, ['good'], cacheDir)).toEqual({ error: undefined, checked: '0/0' });
    // A type-only edit of the shared module: checked again, and fails.
    fs.writeFileSync(path.join(root, 'src/shared.ts'), 'export function total(prices: string[]): number {\n  return prices.length;\n}\n');
    try {
      const edited = synthTypeChecked(root, ['good'], cacheDir);
      expect(edited.checked).toEqual('1/1');
      expect(edited.error).toMatch(/src\/good.ts:2:\d+ TS2322: Type 'number' is not assignable to type 'string'/);
    } finally {
      fs.writeFileSync(path.join(root, 'src/shared.ts'), HANDLERS['src/shared.ts']);
    }
  });

  test('an error in a shared module is reported for the function that imports it', () => {
    fs.writeFileSync(path.join(root, 'src/shared.ts'), 'export function total(prices: number[]): number {\n  return prices.join(",");\n}\n');
    try {
      expect(synthTypeChecked(root, ['good']).error).toMatch(/\[Stack\/Good\][\s\S]*src\/shared.ts:2:3 TS2322/);
    } finally {
      fs.writeFileSync(path.join(root, 'src/shared.ts'), HANDLERS['src/shared.ts']);
    }
  });
});

test('a typescript package offering neither the compiler API nor a tsc is refused, naming the versions that work', () => {
  const root = makeProject({
    ...HANDLERS,
    'node_modules/typescript/package.json': JSON.stringify({ name: 'typescript', version: '99.0.0', main: 'index.js' }),
    'node_modules/typescript/index.js': 'exports.version = "99.0.0";\n',
  });
  const { error } = synthTypeChecked(root, ['good']);
  expect(error).toMatch(/`bundling.typeCheck` cannot run typescript@99\.0\.0 \(.*node_modules\/typescript\): it has neither the compiler API of TypeScript 4 to 6 nor the tsc of TypeScript 7; install one of those: npm install --save-dev typescript@\^7/);
});
