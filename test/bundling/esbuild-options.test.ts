import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Size, Token } from 'aws-cdk-lib';
import { OutputFormat } from '../../src';
import { checkEntry, checkHandlerName, nodeMajorOf, resolveBundling } from '../../src/bundling/esbuild/build-options';
import { findProjectRoot } from '../../src/bundling/project-root';
import { makeProject } from '../helpers';

const root = makeProject({ 'src/a.ts': 'export const handler = async () => 1;\n', 'tsconfig.json': '{}' });
const context = { entry: 'src/a.ts', runtimeName: 'nodejs24.x', cwd: root };

function problemsOf(options: Parameters<typeof resolveBundling>[0], ctx: Partial<typeof context> = {}): string[] {
  return resolveBundling(options, { ...context, ...ctx }).problems;
}

describe('resolveBundling defaults', () => {
  const { resolved } = resolveBundling({}, context);

  test('ESM index.mjs with the banner added after the build, built-ins aliased, module-first main fields, minified, target from the runtime', () => {
    expect(resolved!.outputFileName).toEqual('index.mjs');
    expect(resolved!.buildOptions).toMatchObject({
      format: 'esm',
      minify: true,
      treeShaking: true,
      target: 'node24',
      mainFields: ['module', 'main'],
      banner: {},
      outExtension: { '.js': '.mjs' },
      external: ['@aws-sdk/*'],
      sourcemap: false,
      platform: 'node',
      bundle: true,
    });
    expect(resolved!.buildOptions.define).toEqual({ __dirname: '__lambdaKitDirname', __filename: '__lambdaKitFilename' });
    expect(resolved!.esmBannerAfterBuild).toBe(true);
    const alias = resolved!.buildOptions.alias as Record<string, string>;
    expect(alias['node:http']).toEqual(alias.http);
    expect(alias.http).toMatch(/^(\.\/|\.\.\/).*src\/bundling\/esbuild\/node-builtins\/http\.cjs$/);
    expect(alias.test).toBeUndefined();
  });

  test('CommonJS output requires built-ins itself: no alias, no banner', () => {
    const cjs = resolveBundling({ format: OutputFormat.CJS }, context).resolved!;
    expect(cjs.buildOptions.alias).toBeUndefined();
    expect(cjs.esmBannerAfterBuild).toBe(false);
  });

  test('the project root is the nearest directory with a lock file', () => {
    expect(resolved!.projectRoot).toEqual(root);
    expect(findProjectRoot(path.join(root, 'src/a.ts'))).toEqual(root);
  });

  test('CJS uses index.js, main-first fields and no banner', () => {
    const cjs = resolveBundling({ format: OutputFormat.CJS }, context).resolved!;
    expect(cjs.outputFileName).toEqual('index.js');
    expect(cjs.buildOptions).toMatchObject({ format: 'cjs', mainFields: ['main', 'module'], banner: {}, define: {} });
  });

  test('equal options give equal group keys; different options different ones', () => {
    expect(resolveBundling({}, context).resolved!.groupKey).toEqual(resolved!.groupKey);
    expect(resolveBundling({ minify: false }, context).resolved!.groupKey).not.toEqual(resolved!.groupKey);
    expect(resolveBundling({}, { ...context, runtimeName: 'nodejs20.x' }).resolved!.groupKey).not.toEqual(resolved!.groupKey);
  });

  test('bundleAwsSdk drops the @aws-sdk/* external; user externals are kept and sorted', () => {
    expect(resolveBundling({ bundleAwsSdk: true, externalModules: ['b', 'a'] }, context).resolved!.buildOptions.external).toEqual(['a', 'b']);
  });
});

describe('resolveBundling validation', () => {
  test('fails if the entry does not exist', () => {
    expect(problemsOf({}, { entry: 'src/nope.ts' })).toEqual([
      expect.stringMatching(/^`entry` must be an existing file, got src\/nope.ts \(resolved to .*src\/nope.ts, which does not exist\)$/),
    ]);
  });

  test('fails if the entry is a directory or not JavaScript/TypeScript', () => {
    expect(checkEntry('src', path.join(root, 'src'))[0]).toMatch(/`entry` must be a file, got src/);
    fs.writeFileSync(path.join(root, 'src/a.py'), '');
    expect(checkEntry('src/a.py', path.join(root, 'src/a.py'))[0]).toMatch(/`entry` must be a JavaScript or TypeScript file .* got src\/a.py/);
  });

  test('fails if the runtime is not Node.js 18 or later', () => {
    expect(problemsOf({}, { runtimeName: 'python3.13' })).toEqual(['`runtime` must be a Node.js runtime (nodejs18.x or later), got python3.13']);
    expect(problemsOf({}, { runtimeName: 'nodejs16.x' })).toEqual(['`runtime` must be a Node.js runtime (nodejs18.x or later), got nodejs16.x']);
  });

  test('fails if the format is unknown', () => {
    expect(problemsOf({ format: 'umd' as OutputFormat })).toEqual(['`bundling.format` must be one of esm, cjs, got umd']);
  });

  test('fails if the target is not an esbuild target', () => {
    expect(problemsOf({ target: 'chrome100' })).toEqual(['`bundling.target` must be an esbuild target such as node22, es2023 or esnext, got chrome100']);
    expect(problemsOf({ target: 'node22.1' })).toEqual([]);
  });

  test('fails if a loader is unknown or its key is not an extension', () => {
    expect(problemsOf({ loader: { 'sql': 'text', '.png': 'picture' } })).toEqual([
      '`bundling.loader` keys must be file extensions starting with a dot, got "sql"',
      expect.stringMatching(/^`bundling.loader` for ".png" must be one of base64, .*, got "picture"$/),
    ]);
  });

  test('fails if an external module is blank', () => {
    expect(problemsOf({ externalModules: [' '] })).toEqual(['`bundling.externalModules` entries must be module names or patterns without spaces, got " "']);
  });

  test('fails if projectRoot, tsconfig or inject name missing paths', () => {
    expect(problemsOf({ projectRoot: 'nowhere', tsconfig: 'none.json', inject: ['shim.js'] })).toEqual([
      expect.stringMatching(/^`bundling.projectRoot` must be an existing directory, got nowhere/),
      expect.stringMatching(/^`bundling.tsconfig` must be an existing file, got none.json/),
      expect.stringMatching(/^`bundling.inject` entries must be existing files, got shim.js/),
    ]);
    expect(problemsOf({ tsconfig: 'tsconfig.json' })).toEqual([]);
  });

  test('fails if the size budget is out of range, or a token', () => {
    expect(problemsOf({ sizeBudget: Size.mebibytes(300) })).toEqual([
      "`bundling.sizeBudget` must be between 1 byte and 250 MB (Lambda's unzipped limit), got 314572800 bytes",
    ]);
    expect(problemsOf({ sizeBudget: Size.mebibytes(Token.asNumber({ Ref: 'Budget' })) })).toEqual([
      '`bundling.sizeBudget` must be a concrete size, got a token',
    ]);
  });

  test('reports every problem together', () => {
    expect(problemsOf({ target: 'x', format: 'y' as OutputFormat }, { entry: 'missing.ts' })).toHaveLength(3);
  });
});

describe('helpers', () => {
  test('nodeMajorOf', () => {
    expect(nodeMajorOf('nodejs22.x')).toEqual(22);
    expect(nodeMajorOf('nodejs16.x')).toBeUndefined();
    expect(nodeMajorOf('python3.12')).toBeUndefined();
  });

  test('checkHandlerName', () => {
    expect(checkHandlerName('handler')).toBeUndefined();
    expect(checkHandlerName('$main_2')).toBeUndefined();
    expect(checkHandlerName('index.handler')).toEqual('`handler` must be the name of an exported function (a JavaScript identifier such as "handler"), got "index.handler"');
  });

  test('findProjectRoot falls back to package.json, then to the file directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'root-'));
    fs.mkdirSync(path.join(dir, 'pkg', 'src'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'pkg', 'package.json'), '{}');
    expect(findProjectRoot(path.join(dir, 'pkg', 'src', 'x.ts'))).toEqual(path.join(dir, 'pkg'));
  });
});
