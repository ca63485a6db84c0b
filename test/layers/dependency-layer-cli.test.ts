import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freshCache } from '../helpers';

/**
 * The DependencyLayer asset through the real CDK CLI (pinned in devDependencies): a synth that does not bundle a
 * stack (`cdk ls`, `cdk synth -e` of one stage) must not leave anything under the layer's real hash that a later
 * synth would keep.
 */
const REPO = path.join(__dirname, '..', '..');
const APP = path.join(REPO, 'test', 'fixtures', 'cli-layer-app');
const CDK = path.join(REPO, 'node_modules', 'aws-cdk', 'bin', 'cdk');

function cdk(args: string[], outdir: string, cacheDir: string): string {
  const result = spawnSync(process.execPath, [CDK, ...args, '--output', outdir, '-c', `@cdk-lambda-kit/bundling:cacheDir=${cacheDir}`], {
    cwd: APP, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
  });
  if (result.status !== 0) {
    throw new Error(`cdk ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stderr;
}

/** The layer asset of a stage's stack: it holds the installed package. */
function layerAsset(outdir: string, stage: string): string {
  const assembly = path.join(outdir, `assembly-${stage}`);
  const templateFile = fs.readdirSync(assembly).find((f) => f.endsWith('.template.json'))!;
  const template = JSON.parse(fs.readFileSync(path.join(assembly, templateFile), 'utf8'));
  const layer: any = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::Lambda::LayerVersion');
  return path.join(outdir, `asset.${String(layer.Properties.Content.S3Key).replace(/\.zip$/, '')}`);
}

function expectComplete(outdir: string): void {
  for (const stage of ['Dev', 'Prod']) {
    const asset = layerAsset(outdir, stage);
    expect(JSON.parse(fs.readFileSync(path.join(asset, 'nodejs', 'node_modules', 'ms', 'package.json'), 'utf8')).version).toEqual('2.1.3');
  }
}

describe('DependencyLayer through the CDK CLI', () => {
  const cacheDir = freshCache();

  test('fails if `cdk ls` then `cdk synth` stages an empty layer', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-cli-out-'));
    cdk(['ls'], outdir, cacheDir);
    const stderr = cdk(['synth', '--quiet'], outdir, cacheDir);
    expectComplete(outdir);
    expect(stderr).toMatch(/cdk-lambda-kit: 1 bundle for 2 functions \(\d built, \d from cache\) in [\d.]+s, [01] esbuild pass(es)?; 2 dependency layers \(/);
  });

  test('fails if `cdk synth -e` of one stage then of all stages stages an empty layer', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-cli-out-'));
    cdk(['synth', '--quiet', '-e', 'Dev/*'], outdir, cacheDir);
    cdk(['synth', '--quiet'], outdir, cacheDir);
    expectComplete(outdir);
  });
});
