// Synthesize every app in examples/ with the real CDK CLI (pinned in package.json), with aws-cdk-lib's offline
// CloudFormation schema validation on, then lint the templates with cfn-lint when it is installed.
// Usage: node examples/synth-all.mjs [--fresh-cache] [name ...]
//   --fresh-cache  bundle with an empty cache (the test suite uses it, so that every run exercises esbuild)
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const examplesDir = path.dirname(fileURLToPath(import.meta.url));
const cdk = path.join(examplesDir, '..', 'node_modules', 'aws-cdk', 'bin', 'cdk');
const freshCache = process.argv.includes('--fresh-cache');
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const cacheContext = freshCache
  ? ['-c', `@cdk-lambda-kit/bundling:cacheDir=${fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-examples-cache-'))}`]
  : [];
const apps = fs.readdirSync(examplesDir)
  .filter((name) => fs.existsSync(path.join(examplesDir, name, 'cdk.json')))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

const hasCfnLint = spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasCfnLint) {
  console.log('cfn-lint is not installed: templates are checked by aws-cdk-lib\'s validator only (pip install cfn-lint to add it).');
}

/** The templates of a cloud assembly, with those of its stages (`assembly-<stage>/`, nested), relative to it. */
function templatesOf(dir, prefix = '') {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory() && entry.name.startsWith('assembly-')) {
      return templatesOf(dir, rel);
    }
    return entry.isFile() && entry.name.endsWith('.template.json') ? [rel] : [];
  });
}

let failed = 0;
for (const name of apps) {
  const cwd = path.join(examplesDir, name);
  const started = Date.now();
  const result = spawnSync(process.execPath, [cdk, 'synth', '--quiet', '--output', 'cdk.out', '-c', '@aws-cdk/core:validateAgainstDefaultRules=true', ...cacheContext], {
    cwd,
    encoding: 'utf8',
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failed++;
    console.log(`FAIL ${name} (${seconds}s)\n${result.stdout}\n${result.stderr}`);
    continue;
  }
  const templates = templatesOf(path.join(cwd, 'cdk.out'));
  let lint = '';
  if (hasCfnLint) {
    try {
      execFileSync('cfn-lint', templates.map((t) => path.join(cwd, 'cdk.out', t)), { encoding: 'utf8' });
      lint = ', cfn-lint clean';
    } catch (e) {
      if ((e.status ?? 0) & 2) {
        // cfn-lint exit codes: 2 = errors, 4 = warnings, 8 = informational. Only errors fail.
        failed++;
        console.log(`FAIL ${name}: cfn-lint errors\n${e.stdout}`);
        continue;
      }
      lint = ', cfn-lint: warnings only';
    }
  }
  const summary = (result.stderr.match(/^cdk-lambda-kit: .*$/m) ?? [''])[0];
  console.log(`ok   ${name} (${seconds}s, ${templates.length} template${templates.length === 1 ? '' : 's'}${lint}) ${summary}`);
}
console.log(`${apps.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
