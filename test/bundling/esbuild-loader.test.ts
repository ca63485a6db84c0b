import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BundleCacheContext } from '../../src';
import { loadEsbuild } from '../../src/bundling/esbuild-loader';
import { EsbuildService, SideWork, localSideWork } from '../../src/bundling/esbuild-service';
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

  test('the service ended after a pass is the bundler\'s own: an esbuild context the app holds keeps working', () => {
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

  test('side work gives the same results on the service\'s thread as on the calling thread', () => {
    const root = makeProject({
      'node_modules/a/index.js': "const t = require('fs').readFileSync(require('path').join(__dirname, 'x.txt'));\n",
      'node_modules/b/index.js': 'module.exports = typeof __dirname;\n',
      'node_modules/c/index.js': 'module.exports = 1;\n',
    });
    const files = ['a', 'b', 'c', 'missing'].map((name) => path.join(root, 'node_modules', name, 'index.js'));
    const patterns: Array<[RegExp, string]> = [[/\bjoin\(\s*__dirname\s*,/, 'join'], [/typeof __dirname/, 'typeof']];
    const bytes = Buffer.from('export const handler = async () => "x".repeat(100);\n'.repeat(50));
    const run = (side: SideWork) => {
      const written = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'side-')), 'deep', 'slice.json');
      side.scanFiles(files, ['__dirname'], patterns);
      side.gzipSize('fn', bytes);
      side.writeFile(written, '{"inputs":{}}');
      side.writeFile('/dev/null/cannot', 'x');
      const results = side.results();
      expect(fs.readFileSync(written, 'utf8')).toBe('{"inputs":{}}');
      return results;
    };
    const service = new EsbuildService(require.resolve('esbuild'));
    try {
      const remote = run(service.sideWork());
      const local = run(localSideWork());
      expect(remote).toEqual(local);
      expect([...local.scans.values()]).toEqual(['join', 'typeof', undefined, undefined]);
      expect(local.gzipSizes.get('fn')).toBeLessThan(bytes.byteLength / 10);
      expect(local.failures).toEqual([expect.stringMatching(/^E[A-Z]+: .*dev\/null/)]);
    } finally {
      service.stop();
    }
  });
});
