import * as fs from 'fs';
import * as path from 'path';
import { ServerlessFunction } from '../../src';
import { freshCache, linkRepoNodeModules, makeApp, makeProject, synthCapturing } from '../helpers';

/**
 * A project whose handler takes a type from a module it imports for types only: esbuild drops that import without
 * reading the file, so editing it leaves the bundle's inputs (and its cache record) as they were, while the type
 * check reads it.
 */
function project(): string {
  const root = makeProject({
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true, types: [] } }),
    'src/types.ts': 'export type Price = number;\n',
    'src/fn.ts': "import type { Price } from './types.js';\nconst price: Price = 1;\nexport const handler = async () => price;\n",
  });
  linkRepoNodeModules(root);
  return root;
}

/** Synthesize the function with `typeCheck`; the summary line, the error and the `asset.*` directories staged. */
function synth(root: string, cacheDir: string): { line: string; error?: string; assets: string[] } {
  const { app, stack } = makeApp({ cacheDir });
  new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts'), bundling: { typeCheck: true } });
  const { lines: [line], error } = synthCapturing(app);
  const outdir = app.outdir;
  const assets = fs.readdirSync(outdir).filter((name) => /^asset\.[0-9a-f]{64}$/.test(name));
  return { line, error, assets };
}

describe('a bundle that fails', () => {
  test('a cached bundle that fails its type check counts once, as failed, in the summary line', () => {
    const root = project();
    const cacheDir = freshCache();
    expect(synth(root, cacheDir).line).toMatch(/1 bundle for 1 function \(1 built, 0 from cache\)/);
    // Same bundle (types are erased), so it is served from the cache; the type check now fails.
    fs.writeFileSync(path.join(root, 'src/types.ts'), 'export type Price = string;\n');
    const { line, error } = synth(root, cacheDir);
    expect(error).toMatch(/\[Stack\/Fn\] bundling src\/fn.ts failed type checking:[\s\S]*src\/fn.ts:2:7 TS2322/);
    expect(line).toMatch(/1 bundle for 1 function \(0 built, 0 from cache, 1 failed\)/);
  });

  test('a bundle that fails its type check is not staged in the cloud assembly, built or from the cache', () => {
    const root = project();
    const cacheDir = freshCache();
    expect(synth(root, cacheDir).assets).toHaveLength(1);
    fs.writeFileSync(path.join(root, 'src/types.ts'), 'export type Price = string;\n');
    const cached = synth(root, cacheDir);
    expect(cached.error).toMatch(/failed type checking/);
    expect(cached.assets).toEqual([]);
    const built = synth(root, freshCache());
    expect(built.line).toMatch(/\(0 built, 0 from cache, 1 failed\)/);
    expect(built.assets).toEqual([]);
  });
});
