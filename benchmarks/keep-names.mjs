// What `keepNames` (on by default with minify, issue 23) costs: bundle bytes and the CPU time of loading the bundle
// (a cold start's module evaluation), with and without it, on the compatibility corpus' handlers (test/corpus; run
// `npx projen corpus` first so that its packages are installed). Options as ServerlessFunction's defaults (ESM,
// minify, node target of nodejs24.x); native packages left external as ServerlessFunction leaves them.
// Usage: node benchmarks/keep-names.mjs [runs per side, default 7] > benchmarks/runs/<date>-keep-names.md
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const esbuild = require('esbuild');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const corpus = path.join(root, 'test', 'corpus');
const runs = Number(process.argv[2] ?? 7);
const natives = ['bcrypt', 'argon2', 'sharp'];
const banner = "import{createRequire as __cr}from'node:module';var require=__cr(import.meta.url);";
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'keep-names-'));

function build(file, keepNames) {
  const outfile = path.join(out, `${path.basename(file, '.ts')}-${keepNames ? 'keep' : 'plain'}.mjs`);
  esbuild.buildSync({
    entryPoints: [path.join(corpus, 'handlers', file)], bundle: true, platform: 'node', format: 'esm', target: 'node24',
    minify: true, keepNames, outfile, absWorkingDir: corpus, logLevel: 'silent', banner: { js: banner },
    external: ['@aws-sdk/*', ...natives], define: { __dirname: '"/var/task"', __filename: '"/var/task/index.mjs"' },
  });
  return outfile;
}

/** CPU milliseconds (user + system) of importing a bundle in a fresh Node.js process. */
function loadCpu(file) {
  const script = `const t=process.cpuUsage();await import(${JSON.stringify(file)});const u=process.cpuUsage(t);process.stdout.write(String((u.user+u.system)/1000));`;
  try {
    return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: corpus, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return undefined;
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
let bytesPlain = 0;
let bytesKeep = 0;
const ratios = [];
for (const file of fs.readdirSync(path.join(corpus, 'handlers')).filter((f) => f.endsWith('.ts')).sort()) {
  let plain;
  let keep;
  try {
    plain = build(file, false);
    keep = build(file, true);
  } catch {
    continue;
  }
  const [bp, bk] = [fs.statSync(plain).size, fs.statSync(keep).size];
  bytesPlain += bp;
  bytesKeep += bk;
  // Alternating, side by side.
  const cpuPlain = [];
  const cpuKeep = [];
  for (let i = 0; i < runs; i++) {
    cpuPlain.push(loadCpu(plain));
    cpuKeep.push(loadCpu(keep));
  }
  const ok = cpuPlain.every((x) => x !== undefined) && cpuKeep.every((x) => x !== undefined);
  const [mp, mk] = ok ? [median(cpuPlain), median(cpuKeep)] : [undefined, undefined];
  if (ok) {
    ratios.push(mk / mp);
  }
  rows.push(`| ${file.replace(/\.ts$/, '')} | ${(bp / 1024).toFixed(1)} | ${(bk / 1024).toFixed(1)} | +${(((bk - bp) / bp) * 100).toFixed(1)}% | ${mp?.toFixed(1) ?? '-'} | ${mk?.toFixed(1) ?? '-'} |`);
}
console.log(`# keepNames: bytes and load CPU time (${new Date().toISOString().slice(0, 10)}, ${runs} alternating runs per side, median)\n`);
console.log(`Total bytes: ${(bytesPlain / 1024).toFixed(0)} kB without, ${(bytesKeep / 1024).toFixed(0)} kB with keepNames (+${(((bytesKeep - bytesPlain) / bytesPlain) * 100).toFixed(1)}%).`);
console.log(`Load CPU time, median of the per-handler ratios (with / without): ${median(ratios).toFixed(3)}; range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} over ${ratios.length} handlers.\n`);
console.log('| handler | kB without | kB with | bytes | load CPU ms without | load CPU ms with |');
console.log('|---|---:|---:|---:|---:|---:|');
console.log(rows.join('\n'));
fs.rmSync(out, { recursive: true, force: true });
