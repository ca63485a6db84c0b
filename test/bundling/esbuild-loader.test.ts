import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BundleCacheContext } from '../../src';
import { loadEsbuild } from '../../src/bundling/esbuild/loader';
import { makeProject } from '../helpers';

describe('loading esbuild', () => {
  test('loads the project copy in-process', () => {
    expect(loadEsbuild(process.cwd()).version).toMatch(/^0\.\d+\.\d+$/);
  });

  test('fails with one sentence saying how to install it when it cannot be found', () => {
    const nowhere = fs.mkdtempSync(path.join(os.tmpdir(), 'no-esbuild-'));
    expect(() => loadEsbuild(nowhere, nowhere)).toThrow(
      new RegExp(`^cdk-lambda-kit bundles with esbuild, which is not installed: run \`npm install --save-dev esbuild@\\^0\\.28\\.2\` in ${nowhere.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.*\\)\\.$`),
    );
  });

  test('bundling leaves esbuild running for the app: an esbuild context the app holds keeps working', () => {
    const root = makeProject({ 'src/fn.ts': 'export const handler = async () => 1;\n', 'src/other.ts': 'export const x = 1;\n' });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'out-'));
    // The app's own esbuild (the same module the bundler resolves), with a long-lived service, used across a synth.
    const script = `
      const esbuild = require(${JSON.stringify(require.resolve('esbuild'))});
      const { App, Stack } = require('aws-cdk-lib');
      const { ServerlessFunction } = require(${JSON.stringify(path.resolve(__dirname, '../../src'))});
      (async () => {
        const context = await esbuild.context({ entryPoints: [${JSON.stringify(path.join(root, 'src/other.ts'))}], write: false });
        await context.rebuild();
        const app = new App({ outdir: ${JSON.stringify(outdir)}, context: { '${BundleCacheContext.ENABLED}': false } });
        new ServerlessFunction(new Stack(app, 'Stack'), 'Fn', { entry: ${JSON.stringify(path.join(root, 'src/fn.ts'))} });
        app.synth();
        const again = await context.rebuild();
        await context.dispose();
        process.stdout.write('rebuilt ' + again.outputFiles.length);
      })().catch((e) => { process.stdout.write('failed: ' + e.message); });
    `;
    const out = execFileSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(out).toBe('rebuilt 1');
  });
});
