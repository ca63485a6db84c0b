// Benchmark: cdk-lambda-kit's ServerlessFunction against aws-cdk-lib's NodejsFunction (local esbuild), measured
// side by side in one run, alternating the two, through the real CDK CLI.
//
//   node benchmarks/run.mjs                 N=50 and N=100, 3 runs each; writes RESULTS.md and results.json
//   node benchmarks/run.mjs --quick         N=10, one run, writes nothing (the test suite's smoke test)
//   node benchmarks/run.mjs --n 50 --runs 5
//
// The reference app: N handlers, each importing one of zod, uuid, date-fns or lodash-es, a shared local module and
// @aws-sdk/client-dynamodb (external on both sides). The apps are generated under benchmarks/.work/.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const work = path.join(here, '.work');
const cdkCli = path.join(repo, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const argValue = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const sizes = (argValue('--n') ?? (quick ? '10' : '50,100')).split(',').map(Number);
const runs = Number(argValue('--runs') ?? (quick ? 1 : 3));
const LIBRARIES = ['zod', 'uuid', 'date-fns', 'lodash-es'];

/** The library, compiled to one CommonJS file with esbuild (no jsii build needed), loaded by the generated apps. */
function buildLibrary() {
  const esbuild = require('esbuild');
  const out = path.join(work, 'lib', 'index.js');
  esbuild.buildSync({
    entryPoints: [path.join(repo, 'src', 'index.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return out;
}

function handlerSource(i) {
  const lib = LIBRARIES[i % LIBRARIES.length];
  const use = {
    'zod': ["import { z } from 'zod';", `const schema = z.object({ id: z.string(), n: z.number().max(${i + 1000}) });`, 'const check = (e) => schema.safeParse(e).success;'],
    'uuid': ["import { v4, validate } from 'uuid';", '', `const check = (e) => validate(String(e.id)) || v4().length === ${36 + (i % 1)};`],
    'date-fns': ["import { format, addDays } from 'date-fns';", '', `const check = (e) => format(addDays(new Date(0), ${i}), 'yyyy-MM-dd') !== String(e.id);`],
    'lodash-es': ["import { groupBy, sortBy } from 'lodash-es';", '', `const check = (e) => Object.keys(groupBy(sortBy([e, { id: '${i}' }], 'id'), 'id')).length > 0;`],
  }[lib];
  return [
    use[0],
    "import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';",
    "import { respond, tableName } from './shared/util';",
    use[1],
    'const client = new DynamoDBClient({});',
    use[2],
    `export const handler = async (event: any) => {`,
    `  if (event.fetch) await client.send(new GetItemCommand({ TableName: tableName(${i}), Key: { pk: { S: String(event.id) } } }));`,
    `  return respond(${i}, check(event));`,
    '};',
    '',
  ].join('\n');
}

/** Write the reference app for N functions. */
function generate(n, libraryFile) {
  const dir = path.join(work, `app-${n}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src', 'shared'), { recursive: true });
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `bench-app-${n}`, private: true }));
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ name: `bench-app-${n}`, lockfileVersion: 3, packages: {} }));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ES2022', moduleResolution: 'bundler', strict: false } }));
  fs.writeFileSync(path.join(dir, 'src', 'shared', 'util.ts'), [
    'export const tableName = (i: number) => `table-${i % 7}`;',
    'export const respond = (i: number, ok: boolean) => ({ statusCode: ok ? 200 : 400, body: JSON.stringify({ fn: i, ok }) });',
    '',
  ].join('\n'));
  for (let i = 0; i < n; i++) {
    fs.writeFileSync(path.join(dir, 'src', `fn${i}.ts`), handlerSource(i));
  }
  fs.writeFileSync(path.join(dir, 'app.js'), [
    "const path = require('path');",
    "const { App, Stack } = require('aws-cdk-lib');",
    "const lambda = require('aws-cdk-lib/aws-lambda');",
    "const { NodejsFunction } = require('aws-cdk-lib/aws-lambda-nodejs');",
    `const { ServerlessFunction } = require(${JSON.stringify(libraryFile)});`,
    'const variant = process.env.BENCH_VARIANT;',
    "const skip = process.env.BENCH_SKIP_BUNDLING === '1';",
    "const app = new App(skip ? { postCliContext: { 'aws:cdk:bundling-stacks': [] } } : {});",
    // 25 functions a stack: with its production defaults a ServerlessFunction is 9 resources (role, policy, function,
    // log group, version, alias, 3 alarms), and CloudFormation allows 500 a stack. Both sides get the same split.
    'const stacks = [];',
    `for (let i = 0; i < ${n}; i++) {`,
    '  if (i % 25 === 0) stacks.push(new Stack(app, `Bench${i / 25}`));',
    '  const stack = stacks[stacks.length - 1];',
    "  const entry = path.join(__dirname, 'src', `fn${i}.ts`);",
    "  const common = { entry, runtime: lambda.Runtime.NODEJS_22_X, architecture: lambda.Architecture.ARM_64 };",
    "  if (variant === 'nodejs') {",
    "    new NodejsFunction(stack, `Fn${i}`, { ...common, depsLockFilePath: path.join(__dirname, 'package-lock.json'), projectRoot: __dirname }).currentVersion;",
    '  } else {',
    '    new ServerlessFunction(stack, `Fn${i}`, common).currentVersion;',
    '  }',
    '}',
    'app.synth();',
    '',
  ].join('\n'));
  return dir;
}

/** Run `cdk synth` on the app; returns wall seconds, peak RSS (largest process, MB) and the bundler's own seconds. */
function synth(dir, variant, { skipBundling = false } = {}) {
  const cliArgs = [cdkCli, 'synth', '--quiet', '--app', 'node app.js', '--output', 'cdk.out',
    '-c', `@cdk-lambda-kit/bundling:cacheDir=${path.join(dir, '.kit-cache')}`];
  const command = timeBin ? timeBin : process.execPath;
  const commandArgs = timeBin ? ['-f', 'maxrss=%M', process.execPath, ...cliArgs] : cliArgs;
  const started = process.hrtime.bigint();
  const result = spawnSync(command, commandArgs, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, BENCH_VARIANT: variant, BENCH_SKIP_BUNDLING: skipBundling ? '1' : '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`cdk synth (${variant}) failed in ${dir}:\n${result.stdout}\n${result.stderr}`);
  }
  const rss = /maxrss=(\d+)/.exec(result.stderr);
  const bundled = /cdk-lambda-kit: \d+ bundles? for \d+ functions? \(.*?\) in ([\d.]+)s/.exec(result.stderr);
  return {
    seconds,
    rssMb: rss ? Number(rss[1]) / 1024 : undefined,
    bundlerSeconds: bundled ? Number(bundled[1]) : undefined,
  };
}

/** One plain esbuild pass over the same entries with ServerlessFunction's default options, in a fresh process. */
function plainEsbuildPass(dir, n) {
  const script = `
    const esbuild = require(${JSON.stringify(require.resolve('esbuild'))});
    const path = require('path');
    const entries = Array.from({ length: ${n} }, (_, i) => ({ in: path.join(${JSON.stringify(dir)}, 'src', 'fn' + i + '.ts'), out: 'fn' + i + '/index' }));
    const started = process.hrtime.bigint();
    esbuild.buildSync({ entryPoints: entries, outdir: ${JSON.stringify(path.join(dir, '.plain-out'))}, bundle: true, platform: 'node',
      format: 'esm', target: 'node22', minify: true, treeShaking: true, external: ['@aws-sdk/*'], mainFields: ['module', 'main'],
      outExtension: { '.js': '.mjs' }, write: true, metafile: true, absWorkingDir: ${JSON.stringify(dir)}, logLevel: 'silent' });
    process.stdout.write(String(Number(process.hrtime.bigint() - started) / 1e9));
  `;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

/** Sizes of the function bundles in an assembly: raw and gzip of every asset directory's files. */
function bundleSizes(dir) {
  const outdir = path.join(dir, 'cdk.out');
  const resources = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'))
    .flatMap((f) => Object.values(JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')).Resources));
  const raw = [];
  const gzip = [];
  for (const resource of resources) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const assetDir = path.join(outdir, `asset.${resource.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
    let r = 0;
    let g = 0;
    for (const file of fs.readdirSync(assetDir)) {
      const content = fs.readFileSync(path.join(assetDir, file));
      r += content.byteLength;
      g += zlib.gzipSync(content).byteLength;
    }
    raw.push(r);
    gzip.push(g);
  }
  return { raw: sum(raw), gzip: sum(gzip), perFunctionRaw: median(raw), perFunctionGzip: median(gzip) };
}

function touchHandler(dir, revision) {
  const file = path.join(dir, 'src', 'fn0.ts');
  const base = fs.readFileSync(file, 'utf8').replace(/\nexport const revision = \d+;\n$/, '\n');
  fs.writeFileSync(file, `${base}\nexport const revision = ${revision};\n`);
}

function median(values) {
  const defined = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  if (defined.length === 0) return undefined;
  const mid = Math.floor(defined.length / 2);
  return defined.length % 2 ? defined[mid] : (defined[mid - 1] + defined[mid]) / 2;
}

function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}

function clean(dir) {
  fs.rmSync(path.join(dir, 'cdk.out'), { recursive: true, force: true });
  fs.rmSync(path.join(dir, '.kit-cache'), { recursive: true, force: true });
}

function measure(n, libraryFile) {
  const dir = generate(n, libraryFile);
  const samples = { nodejs: { cold: [], warm: [], changed: [], rss: [] }, kit: { cold: [], warm: [], changed: [], rss: [], bundler: [] }, skipped: [], plain: [] };
  let revision = 0;
  let sizes;
  for (let run = 0; run < runs; run++) {
    // Alternate which side goes first, so that neither always runs on a warmer machine.
    const order = run % 2 === 0 ? ['nodejs', 'kit'] : ['kit', 'nodejs'];
    for (const variant of order) {
      clean(dir);
      const cold = synth(dir, variant);
      const warm = synth(dir, variant);
      touchHandler(dir, ++revision);
      const changed = synth(dir, variant);
      const s = samples[variant];
      s.cold.push(cold.seconds);
      s.warm.push(warm.seconds);
      s.changed.push(changed.seconds);
      s.rss.push(cold.rssMb);
      if (variant === 'kit') {
        s.bundler.push(cold.bundlerSeconds);
      }
      sizes = sizes ?? {};
      sizes[variant] = bundleSizes(dir);
      process.stderr.write(`  N=${n} run ${run + 1}/${runs} ${variant}: cold ${cold.seconds.toFixed(2)}s, warm ${warm.seconds.toFixed(2)}s, changed ${changed.seconds.toFixed(2)}s\n`);
    }
    clean(dir);
    samples.skipped.push(synth(dir, 'kit', { skipBundling: true }).seconds);
    samples.plain.push(plainEsbuildPass(dir, n));
  }
  const m = (values) => median(values);
  const result = {
    n,
    runs,
    nodejsFunction: { cold: m(samples.nodejs.cold), warm: m(samples.nodejs.warm), changed: m(samples.nodejs.changed), peakRssMb: m(samples.nodejs.rss), ...sizes.nodejs },
    serverlessFunction: { cold: m(samples.kit.cold), warm: m(samples.kit.warm), changed: m(samples.kit.changed), peakRssMb: m(samples.kit.rss), bundlerSeconds: m(samples.kit.bundler), ...sizes.kit },
    skippedBundlingSynth: m(samples.skipped),
    plainEsbuildPass: m(samples.plain),
  };
  const a = result.nodejsFunction;
  const b = result.serverlessFunction;
  result.ratios = {
    coldSpeedup: a.cold / b.cold,
    warmSpeedup: a.warm / b.warm,
    changedSpeedup: a.changed / b.changed,
    warmVsSkippedBundling: b.warm / result.skippedBundlingSynth,
    bundlerVsPlainEsbuild: b.bundlerSeconds / result.plainEsbuildPass,
    bundleRawVsNodejsFunction: b.raw / a.raw,
    bundleGzipVsNodejsFunction: b.gzip / a.gzip,
    peakRssVsNodejsFunction: b.peakRssMb && a.peakRssMb ? b.peakRssMb / a.peakRssMb : undefined,
  };
  return result;
}

function versions() {
  const version = (pkg) => JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  return { node: process.version, 'aws-cdk-lib': version('aws-cdk-lib'), 'aws-cdk (CLI)': version('aws-cdk'), esbuild: version('esbuild') };
}

function fmt(v, digits = 2) {
  return v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(digits);
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(0)} kB`;
}

function markdown(results, meta) {
  const lines = [
    '# Benchmark results',
    '',
    `Measured ${meta.date} on ${meta.machine}; ${Object.entries(meta.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    `Medians of ${meta.runs} run${meta.runs === 1 ? '' : 's'}, the two sides alternating in one process; every synth goes through the real CDK CLI (\`cdk synth --quiet\`).`,
    'Reference app: N handlers, each importing one of zod, uuid, date-fns or lodash-es, a shared local module and @aws-sdk/client-dynamodb; runtime nodejs22.x, arm64, `currentVersion` on every function.',
    'NodejsFunction uses its defaults with the local esbuild; ServerlessFunction uses its defaults, which add a log group, an alias and three alarms to every function (9 resources against 4): the synth times include that extra CloudFormation. 25 functions a stack on both sides.',
    'Regenerate with `npm run bench` (generator and harness: `benchmarks/run.mjs`).',
    '',
    '| N | | NodejsFunction | ServerlessFunction | ratio |',
    '|---|---|---:|---:|---:|',
  ];
  for (const r of results) {
    const a = r.nodejsFunction;
    const b = r.serverlessFunction;
    lines.push(
      `| ${r.n} | cold synth (empty cache, fresh cdk.out) | ${fmt(a.cold)} s | ${fmt(b.cold)} s | **${fmt(r.ratios.coldSpeedup, 1)}× faster** |`,
      `| ${r.n} | warm synth (nothing changed) | ${fmt(a.warm)} s | ${fmt(b.warm)} s | **${fmt(r.ratios.warmSpeedup, 1)}× faster** |`,
      `| ${r.n} | one handler changed | ${fmt(a.changed)} s | ${fmt(b.changed)} s | **${fmt(r.ratios.changedSpeedup, 1)}× faster** |`,
      `| ${r.n} | bundles, raw (all functions) | ${kb(a.raw)} | ${kb(b.raw)} | ${fmt(r.ratios.bundleRawVsNodejsFunction)}× |`,
      `| ${r.n} | bundles, gzip (all functions) | ${kb(a.gzip)} | ${kb(b.gzip)} | ${fmt(r.ratios.bundleGzipVsNodejsFunction)}× |`,
      `| ${r.n} | peak RSS of the largest process (cold) | ${fmt(a.peakRssMb, 0)} MB | ${fmt(b.peakRssMb, 0)} MB | ${fmt(r.ratios.peakRssVsNodejsFunction)}× |`,
    );
  }
  lines.push('', '| N | same app, bundling skipped | ServerlessFunction warm ÷ skipped | bundler time (cold) | one plain esbuild pass | bundler ÷ plain |', '|---|---:|---:|---:|---:|---:|');
  for (const r of results) {
    lines.push(`| ${r.n} | ${fmt(r.skippedBundlingSynth)} s | ${fmt(r.ratios.warmVsSkippedBundling)}× | ${fmt(r.serverlessFunction.bundlerSeconds)} s | ${fmt(r.plainEsbuildPass)} s | ${fmt(r.ratios.bundlerVsPlainEsbuild)}× |`);
  }
  lines.push(
    '',
    'Targets (issue #2): cold ≥ 5× at N=50 and ≥ 7× at N=100; warm ≥ 8× and within 1.2× of the skipped-bundling synth;',
    'one handler changed ≥ 6×; bundler within 1.5× of one plain esbuild pass; raw bundle ≤ 0.6× NodejsFunction; peak RSS no higher.',
    '',
  );
  return lines.join('\n');
}

fs.mkdirSync(work, { recursive: true });
const libraryFile = buildLibrary();
const results = [];
for (const n of sizes) {
  process.stderr.write(`benchmark N=${n}, ${runs} run(s)\n`);
  results.push(measure(n, libraryFile));
}
const meta = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, ${os.platform()} ${os.release()}`,
  versions: versions(),
  runs,
};
const text = markdown(results, meta);
process.stdout.write(text);
if (!quick) {
  fs.writeFileSync(path.join(here, 'RESULTS.md'), text);
  fs.writeFileSync(path.join(here, 'results.json'), JSON.stringify({ ...meta, results }, undefined, 2) + '\n');
}
