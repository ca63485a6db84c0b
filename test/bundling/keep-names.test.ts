import * as fs from 'fs';
import * as path from 'path';
import { ServerlessFunction } from '../../src';
import { invokeInLambdaRuntime, runtimeOptionsOf } from '../../src/testing';
import { captureSummary, makeApp, makeProject } from '../helpers';

/**
 * Issue 23 (5): minify renamed classes and functions (`e.constructor.name === 'e'`), silently changing error
 * reporters, logs and code that dispatches on names. `keepNames` is on whenever `minify` is (the default). This test
 * failed before the fix.
 */
const HANDLER = [
  'class OrderNotFoundError extends Error {}',
  'function priceOrder() { return 1; }',
  'export const handler = async () => {',
  "  const error = new OrderNotFoundError('missing');",
  '  return { error: error.constructor.name, fn: priceOrder.name, isError: error instanceof Error };',
  '};',
  '',
].join('\n');

function synth(bundling: Record<string, unknown> = {}) {
  const root = makeProject({ 'src/fn.ts': HANDLER });
  const { app, stack } = makeApp();
  const fn = new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts'), bundling });
  captureSummary(() => app.synth());
  return fn;
}

describe('keepNames', () => {
  test('class and function names survive the default minify, in the runtime client', async () => {
    const fn = synth();
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(fn), {})).toEqual({ error: 'OrderNotFoundError', fn: 'priceOrder', isError: true });
  });

  test('`keepNames: false` turns it off (names are minified), and without minify nothing needs keeping', async () => {
    const off = synth({ keepNames: false });
    const result = await invokeInLambdaRuntime(runtimeOptionsOf(off), {});
    expect(result.error).not.toEqual('OrderNotFoundError');
    const plain = synth({ minify: false });
    expect(fs.readFileSync(path.join(runtimeOptionsOf(plain).bundleDir, 'index.mjs'), 'utf8')).not.toMatch(/__name\(/);
    expect(await invokeInLambdaRuntime(runtimeOptionsOf(plain), {})).toEqual({ error: 'OrderNotFoundError', fn: 'priceOrder', isError: true });
  });
});
