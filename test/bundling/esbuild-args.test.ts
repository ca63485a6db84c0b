import * as fs from 'fs';
import * as path from 'path';
import { ServerlessFunction } from '../../src';
import { translateEsbuildArgs } from '../../src/bundling/esbuild/cli-args';
import { captureSummary, freshCache, makeApp, makeProject, makeUnbundledApp } from '../helpers';

const root = makeProject({ 'src/fn.ts': "export const handler = async () => { console.log('noisy'); debugger; return 'ok'; };\n" });
const entry = path.join(root, 'src/fn.ts');

function bundleOf(esbuildArgs: Record<string, string>, cacheDir: string): { code: string; line: string } {
  const { app, stack } = makeApp({ cacheDir });
  new ServerlessFunction(stack, 'Fn', { entry, bundling: { esbuildArgs } });
  let assembly: any;
  const [line] = captureSummary(() => {
    assembly = app.synth();
  });
  const key = Object.values<any>(assembly.getStackByName(stack.stackName).template.Resources)
    .find((r) => r.Type === 'AWS::Lambda::Function').Properties.Code.S3Key as string;
  return { code: fs.readFileSync(path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8'), line };
}

describe('bundling.esbuildArgs', () => {
  test('NodejsFunction-style flags reach esbuild, and changing them rebuilds', () => {
    const cacheDir = freshCache();
    expect(bundleOf({}, cacheDir).code).toMatch(/console\.log\("noisy"\)/);
    const dropped = bundleOf({ '--drop:console': '', '--drop:debugger': '' }, cacheDir);
    expect(dropped.line).toMatch(/\(1 built, 0 from cache\) in [\d.]+s, 1 esbuild pass\b/);
    expect(dropped.code).not.toMatch(/console\.log/);
    expect(dropped.code).not.toMatch(/debugger/);
  });

  test('values are translated into esbuild\'s API options', () => {
    expect(translateEsbuildArgs({ '--legal-comments': 'none', '--line-limit=80': '', '--tree-shaking': 'false', '--conditions': 'worker, node', '--supported:bigint': 'false', '--pure:console.log': '' }))
      .toEqual({ options: { legalComments: 'none', lineLimit: 80, treeShaking: false, conditions: ['worker', 'node'], supported: { bigint: false }, pure: ['console.log'] }, problems: [] });
  });

  test('fails if a flag would break the one-pass build, or has a bundling option of its own', () => {
    const { stack } = makeUnbundledApp();
    expect(() => new ServerlessFunction(stack, 'Fn', { entry, bundling: { esbuildArgs: { '--splitting': 'true', '--minify': 'false' } } }))
      .toThrow(/2 problems:[\s\S]*`bundling.esbuildArgs` keys must be esbuild flags that keep one bundle per function .*got "--splitting"[\s\S]*`bundling.esbuildArgs` must not set --minify: use `bundling.minify`, got "--minify"/);
  });

  test('fails if a boolean or number flag has another value', () => {
    expect(translateEsbuildArgs({ '--tree-shaking': 'yes', '--log-limit': 'ten' }).problems).toEqual([
      '`bundling.esbuildArgs` "--tree-shaking" must be "true" or "false", got "yes"',
      '`bundling.esbuildArgs` "--log-limit" must be a whole number, got "ten"',
    ]);
  });
});
