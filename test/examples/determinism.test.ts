import { execFileSync, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The examples, synthesized by the real CDK CLI twice (each time with an empty bundle cache, so esbuild runs) and once
 * from a copy of the repository in another directory, give identical templates, asset manifests and assets: same
 * asset hashes, same bytes. Anything that leaks an absolute path, a timestamp or an ordering into a bundle fails here.
 */

const REPO = path.join(__dirname, '..', '..');
const apps = fs.readdirSync(path.join(REPO, 'examples')).filter((d) => fs.existsSync(path.join(REPO, 'examples', d, 'cdk.json'))).sort();

/** Synthesize one example of a repository into `outdir` with a fresh cache. */
function synth(repo: string, name: string, outdir: string): Promise<void> {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-determinism-cache-'));
  const cdk = path.join(repo, 'node_modules', 'aws-cdk', 'bin', 'cdk');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cdk, 'synth', '--quiet', '--output', outdir, '-c', `@cdk-lambda-kit/bundling:cacheDir=${cacheDir}`], {
      cwd: path.join(repo, 'examples', name),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`synthesizing ${repo}/examples/${name} failed:\n${stderr}`))));
  });
}

/** Run tasks two at a time (the machine has two cores). */
async function twoAtATime(tasks: Array<() => Promise<void>>): Promise<void> {
  const queue = [...tasks];
  await Promise.all([0, 1].map(async () => {
    for (let task = queue.shift(); task; task = queue.shift()) {
      await task();
    }
  }));
}

/** sha256 of every deployed file of a cloud assembly: templates, asset manifests and assets, by relative path. */
function fingerprint(outdir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(outdir, full);
      if (entry.isDirectory()) {
        if (relative.startsWith('asset.')) {
          walk(full);
        }
      } else if (relative.startsWith('asset.') || entry.name.endsWith('.template.json') || entry.name.endsWith('.assets.json')) {
        result[relative] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
      }
    }
  };
  walk(outdir);
  return result;
}

/** A copy of the repository's tracked files in another directory, sharing node_modules through hard links. */
function copyOfRepository(): string {
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-copy-')), 'cdk-lambda-kit');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (fs.existsSync(path.join(REPO, file))) {
      fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      fs.copyFileSync(path.join(REPO, file), path.join(copy, file));
    }
  }
  execFileSync('cp', ['-al', path.join(REPO, 'node_modules'), path.join(copy, 'node_modules')]);
  return copy;
}

test('every example synthesizes to identical templates and assets, twice and from another directory', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-determinism-'));
  const copy = copyOfRepository();
  const out = (run: string, name: string) => path.join(work, run, name);
  await twoAtATime(apps.flatMap((name) => [
    () => synth(REPO, name, out('first', name)),
    () => synth(REPO, name, out('second', name)),
    () => synth(copy, name, out('copy', name)),
  ]));

  for (const name of apps) {
    const first = fingerprint(out('first', name));
    expect(Object.keys(first).filter((f) => f.endsWith('.template.json')).length).toBeGreaterThan(0);
    expect(Object.keys(first).filter((f) => f.startsWith('asset.')).length).toBeGreaterThan(0);
    expect({ name, files: fingerprint(out('second', name)) }).toEqual({ name, files: first });
    expect({ name, files: fingerprint(out('copy', name)) }).toEqual({ name, files: first });
  }
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(path.dirname(copy), { recursive: true, force: true });
}, 600_000);
