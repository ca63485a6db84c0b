import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { OutputFormat, ServerlessFunction } from '../../src';
import { invokeInLambdaRuntime, runtimeOptionsOf } from '../../src/testing';
import { captureSummary, makeApp, makeProject } from '../helpers';

/**
 * Issue 23 (1) and issue 28 (1): only what a bundle was told to leave out (`externalModules`, the runtime's SDK,
 * a dependency layer's packages, `nodeModules`) is checked as external, and it is judged on what the OUTPUT imports.
 * A require esbuild could not resolve inside try/catch is optional: it throws at run time inside the try, and the
 * code carries on. Each of these failed the synth before the fix.
 */

/** Synthesize one function; returns the function and the bundle report's JSON. */
function synth(root: string, entry: string, props: Record<string, unknown> = {}) {
  const { app, stack } = makeApp();
  const fn = new ServerlessFunction(stack, 'Fn', { entry: path.join(root, entry), ...props });
  let assembly: any;
  captureSummary(() => {
    assembly = app.synth();
  });
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'lambda-kit', 'bundle-report.json'), 'utf8'));
  const markdown = fs.readFileSync(path.join(assembly.directory, 'lambda-kit', 'bundle-report.md'), 'utf8');
  return { fn, stack, report, markdown };
}

describe('external check', () => {
  test('a guarded optional require in the handler synthesizes, runs, and is listed as optional in the report', async () => {
    const root = makeProject({
      'src/fn.ts': [
        'let color: unknown;',
        "try { color = require('supports-color'); } catch { color = undefined; }",
        'export const handler = async () => ({ optionalLoaded: color !== undefined });',
        '',
      ].join('\n'),
    });
    const { fn, report, markdown } = synth(root, 'src/fn.ts');
    expect(report.bundles[0].optionalImports).toEqual(['supports-color']);
    expect(markdown).toMatch(/supports-color/);
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ optionalLoaded: false });
  });

  test('a package that requires an optional package inside try/catch (debug -> supports-color, pg -> pg-native) synthesizes and runs', async () => {
    const root = makeProject({
      'src/fn.ts': "import { enabled } from 'tiny-debug';\nexport const handler = async () => ({ colors: enabled() });\n",
      'node_modules/tiny-debug/package.json': JSON.stringify({ name: 'tiny-debug', version: '1.0.0', main: 'index.js' }),
      'node_modules/tiny-debug/index.js': [
        'let colors = false;',
        "try { const supportsColor = require('supports-color'); colors = Boolean(supportsColor); } catch (error) { /* optional */ }",
        "try { require('pg-native'); } catch (e) {}",
        'exports.enabled = () => colors;',
        '',
      ].join('\n'),
    });
    const { fn, stack, report } = synth(root, 'src/fn.ts');
    expect(report.bundles[0].optionalImports).toEqual(['pg-native', 'supports-color']);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('externalNotProvided'))).toEqual([]);
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ colors: false });
  });

  test('type-only imports from aws-lambda (`import type` and plain `import { APIGatewayProxyEvent }`) synthesize and run', async () => {
    const root = makeProject({
      'src/fn.ts': [
        "import type { Context } from 'aws-lambda';",
        "import { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';",
        'export const handler = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> =>',
        '  ({ statusCode: 200, body: JSON.stringify({ path: event.path, fn: context.functionName ?? null }) });',
        '',
      ].join('\n'),
    });
    const { fn, report } = synth(root, 'src/fn.ts');
    expect(report.bundles[0].optionalImports).toEqual([]);
    const result = await invokeInLambdaRuntime(runtimeOptionsOf(fn), { path: '/orders' });
    expect(result.statusCode).toEqual(200);
    expect(JSON.parse(result.body).path).toEqual('/orders');
  });

  test('a type-only import of a package named in `externalModules` is not checked: the output does not import it', () => {
    const root = makeProject({
      'src/fn.ts': "import { Pad } from 'left-pad';\nexport const handler = async (p: Pad) => p;\n",
    });
    expect(() => synth(root, 'src/fn.ts', { bundling: { externalModules: ['left-pad'] } })).not.toThrow();
  });

  test('fails if a package the project installs is named in `externalModules`, imported by the output and provided by nobody', () => {
    const root = makeProject({
      'src/fn.ts': "let color: unknown;\ntry { color = require('supports-color'); } catch {}\nexport const handler = async () => color;\n",
      'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/supports-color': { version: '7.2.0' } } }),
    });
    // Told to leave it out, and the project has it: it would be missing at run time.
    expect(() => synth(root, 'src/fn.ts', { bundling: { externalModules: ['supports-color'] } }))
      .toThrow(/\[Stack\/Fn\] the bundle imports supports-color but leaves it out \(external\).*`bundling\.nodeModules`/);
  });

  test('`externalModules: [\'pg-native\']` (NodejsFunction\'s usual advice) for a package the project does not install: a warning, and the function runs', async () => {
    const root = makeProject({
      'src/fn.ts': "let native: unknown;\ntry { native = require('pg-native'); } catch {}\nexport const handler = async () => ({ native: native !== undefined });\n",
    });
    const { fn, stack } = synth(root, 'src/fn.ts', { bundling: { externalModules: ['pg-native'] } });
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp('pg-native.*does not install it.*\\[ack: cdk-lambda-kit:externalNotInstalled\\]'));
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ native: false });
  });

  test('following the message\'s fix (`bundling.nodeModules`) gives a function that runs', async () => {
    const handler = "import ms from 'ms';\nexport const handler = async () => ({ human: ms(60000) });\n";
    const lock = JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { 'node_modules/ms': { version: '2.1.3' } } });
    const root = makeProject({
      'src/fn.ts': handler,
      'package.json': JSON.stringify({ name: 'app', private: true, dependencies: { ms: '2.1.3' } }),
      'package-lock.json': lock,
    });
    expect(() => synth(root, 'src/fn.ts', { bundling: { externalModules: ['ms'] } }))
      .toThrow(/the bundle imports ms but leaves it out \(external\).*list it in `bundling\.nodeModules`/);
    const { fn } = synth(root, 'src/fn.ts', { bundling: { externalModules: ['ms'], nodeModules: ['ms'] } });
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ human: '1m' });
  });

  test('the optional imports are not errors for CommonJS output either', () => {
    const root = makeProject({
      'src/fn.js': "let c;\ntry { c = require('supports-color'); } catch (e) {}\nexports.handler = async () => ({ c: c === undefined });\n",
    });
    const { report } = synth(root, 'src/fn.js', { bundling: { format: OutputFormat.CJS } });
    expect(report.bundles[0].optionalImports).toEqual(['supports-color']);
  });
});

/**
 * Issue 23, knex: a package's `require()` OUTSIDE try/catch of a package that is not installed. esbuild fails on it,
 * although it only runs when that code path runs (knex's dialects require every driver: `oracledb`, `tedious`, ...).
 * When the requiring package declares it an optional peer (`peerDependenciesMeta`) or does not declare it at all, it
 * is optional by construction: left out, a warning, listed in the report. A declared dependency that is missing is a
 * broken install, and the user's own code requiring a missing package is a mistake: both stay synth errors.
 */
describe('unresolved requires in packages', () => {
  const dialects = (manifest: Record<string, unknown>) => ({
    'src/fn.ts': "import { build } from 'tiny-knex';\nexport const handler = async () => ({ sql: build('pg') });\n",
    'node_modules/tiny-knex/package.json': JSON.stringify({ name: 'tiny-knex', version: '1.0.0', main: 'index.js', ...manifest }),
    'node_modules/tiny-knex/index.js': [
      "exports.build = (client) => client === 'pg' ? 'select 1' : useDriver(client);",
      'function useDriver(client) {',
      "  const driver = require('tiny-oracle');",
      '  return driver.query(client);',
      '}',
      '',
    ].join('\n'),
  });

  test('an optional peer that is not installed: synthesizes with a warning naming the package, file:line and the fix, and runs', async () => {
    const root = makeProject(dialects({ peerDependencies: { 'tiny-oracle': '*' }, peerDependenciesMeta: { 'tiny-oracle': { optional: true } } }));
    const { fn, stack, report, markdown } = synth(root, 'src/fn.ts');
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp(
      'tiny-knex requires tiny-oracle \\(node_modules/tiny-knex/index.js:3, an optional peer\\).*not installed.*npm install tiny-oracle.*\\[ack: cdk-lambda-kit:optionalPackageNotInstalled\\]'));
    expect(report.bundles[0].optionalImports).toEqual(['tiny-oracle']);
    expect(markdown).toMatch(/tiny-oracle/);
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ sql: 'select 1' });
  });

  test('a package it does not declare (knex → oracledb): the same, and following the fix (install it) bundles it with no warning', async () => {
    const files = dialects({});
    const root = makeProject(files);
    const { stack } = synth(root, 'src/fn.ts');
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp('tiny-knex requires tiny-oracle \\(node_modules/tiny-knex/index.js:3, not declared\\)'));
    // The fix, followed: the package installed.
    const fixed = makeProject({
      ...files,
      'node_modules/tiny-oracle/package.json': JSON.stringify({ name: 'tiny-oracle', version: '1.0.0', main: 'index.js' }),
      'node_modules/tiny-oracle/index.js': 'exports.query = (c) => `oracle ${c}`;\n',
    });
    const after = synth(fixed, 'src/fn.ts');
    expect(Annotations.fromStack(after.stack).findWarning('*', Match.stringLikeRegexp('optionalPackageNotInstalled'))).toEqual([]);
    expect(after.report.bundles[0].optionalImports).toEqual([]);
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(after.fn), {})).toEqual({ sql: 'select 1' });
  });

  test('a declared dependency that is not installed stays a synth error that says the install is broken', () => {
    const root = makeProject(dialects({ dependencies: { 'tiny-oracle': '^1.0.0' } }));
    expect(() => synth(root, 'src/fn.ts'))
      .toThrow(/Could not resolve "tiny-oracle"[\s\S]*tiny-knex declares tiny-oracle as a dependency but it is not installed: the install is broken. Run `npm install`/);
  });

  test('a declared required peer that is not installed: the same error, and following it (the install completed) builds and runs', async () => {
    // npm 7 and later install a package's required peers (`peerDependencies` not marked optional in
    // `peerDependenciesMeta`): one that is missing is a broken install, as a missing dependency is.
    const files = dialects({ peerDependencies: { 'tiny-oracle': '^1.0.0' } });
    expect(() => synth(makeProject(files), 'src/fn.ts'))
      .toThrow(/Could not resolve "tiny-oracle"[\s\S]*tiny-knex declares tiny-oracle as a peer dependency but it is not installed: the install is broken. Run `npm install`/);
    // The fix, followed: what `npm install` puts in node_modules for the peer.
    const fixed = makeProject({
      ...files,
      'node_modules/tiny-oracle/package.json': JSON.stringify({ name: 'tiny-oracle', version: '1.0.0', main: 'index.js' }),
      'node_modules/tiny-oracle/index.js': 'exports.query = (c) => `oracle ${c}`;\n',
    });
    const { fn, report } = synth(fixed, 'src/fn.ts');
    expect(report.bundles[0].optionalImports).toEqual([]);
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ sql: 'select 1' });
  });

  test('the handler\'s own require of a package that is not installed stays a synth error', () => {
    const root = makeProject({
      ...dialects({}),
      'src/fn.ts': "import { build } from 'tiny-knex';\nconst o = require('tiny-oracle');\nexport const handler = async () => ({ sql: build('pg'), o });\n",
    });
    expect(() => synth(root, 'src/fn.ts')).toThrow(/src\/fn.ts:2:\d+: Could not resolve "tiny-oracle"/);
  });

  test('two functions in one pass: the optional one builds, the one with a missing import fails alone', () => {
    const root = makeProject({
      ...dialects({}),
      'src/typo.ts': "import { x } from 'not-there';\nexport const handler = async () => x;\n",
    });
    const { app, stack } = makeApp();
    new ServerlessFunction(stack, 'Good', { entry: path.join(root, 'src/fn.ts') });
    new ServerlessFunction(stack, 'Typo', { entry: path.join(root, 'src/typo.ts') });
    let message = '';
    captureSummary(() => {
      try {
        app.synth();
      } catch (e) {
        message = (e as Error).message;
      }
    });
    expect(message).toMatch(/\[Stack\/Typo\] bundling src\/typo.ts failed with esbuild:\n\s+src\/typo.ts:1:\d+: Could not resolve "not-there"/);
    expect(message).not.toContain('Stack/Good');
  });
});
