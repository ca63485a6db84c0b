import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeProject } from '../helpers';

/**
 * No synth leaves a directory in the temp folder: the defect was a `cdk-lambda-kit-empty-layer-*` per unbundled
 * synth with a DependencyLayer (every unit test that skips bundling), and a `cdk-lambda-kit-layer-*` per install
 * with the cache turned off. Each synth runs in a process of its own whose temp folder (TMPDIR) is a fresh private
 * one, so that other processes cannot disturb the count.
 */

const REPO = path.join(__dirname, '..', '..');
const HANDLER = { 'src/fn.ts': "import ms from 'ms';\nexport const handler = async () => ({ ms: ms('2h') });\n" };

/** Synthesize an app with a DependencyLayer and a function using it; the entries of its temp folder afterwards. */
function tempEntriesAfterSynth(context: Record<string, unknown>): string[] {
  const root = makeProject(HANDLER);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-out-'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-private-tmp-'));
  const script = `
    const os = require('os');
    const { App, Stack } = require('aws-cdk-lib');
    const { DependencyLayer, ServerlessFunction } = require(${JSON.stringify(path.join(REPO, 'src'))});
    if (os.tmpdir() !== ${JSON.stringify(tmp)}) throw new Error('TMPDIR not in effect: ' + os.tmpdir());
    const app = new App({ outdir: ${JSON.stringify(outdir)}, context: ${JSON.stringify(context)} });
    const stack = new Stack(app, 'Stack');
    const layer = new DependencyLayer(stack, 'Deps', { dependencies: { ms: '2.1.3' } });
    new ServerlessFunction(stack, 'Fn', { entry: ${JSON.stringify(path.join(root, 'src/fn.ts'))}, layers: [layer] });
    app.synth();
  `;
  execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'), '-e', script], {
    cwd: REPO, env: { ...process.env, TMPDIR: tmp }, stdio: 'pipe',
  });
  // tsx (which runs the script) keeps its compile cache there: the test's runner, not the synth.
  return fs.readdirSync(tmp).filter((name) => !/^tsx-\d+$/.test(name));
}

test('an unbundled synth with a DependencyLayer leaves nothing in the temp folder', () => {
  expect(tempEntriesAfterSynth({ 'aws:cdk:bundling-stacks': [], '@cdk-lambda-kit/bundling:cacheDir': path.join(os.tmpdir(), 'unused') })).toEqual([]);
});

test('a bundled synth with the cache turned off leaves nothing in the temp folder', () => {
  expect(tempEntriesAfterSynth({ '@cdk-lambda-kit/bundling:cache': false })).toEqual([]);
});
