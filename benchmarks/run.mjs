// Benchmark: cdk-lambda-kit's ServerlessFunction against aws-cdk-lib's NodejsFunction (local esbuild), measured
// side by side in one run, alternating the two, through the real CDK CLI.
//
//   node benchmarks/run.mjs                 N=50 and N=100, 3 runs each; writes RESULTS.md and results.json
//   node benchmarks/run.mjs --quick         N=10, one run, writes nothing (the test suite's smoke test)
//   node benchmarks/run.mjs --n 50 --runs 5
//
// The reference app: N handlers, each importing one of zod, uuid, date-fns or lodash-es, a shared local module and
// @aws-sdk/client-dynamodb (external on both sides). The apps are generated under benchmarks/.work/.
import { spawnSync } from 'node:child_process';
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
const scales = (argValue('--n') ?? (quick ? '10' : '10,50,100,200,400')).split(',').map(Number);
const runsOption = argValue('--runs') !== undefined ? Number(argValue('--runs')) : undefined;
const sidesOption = argValue('--sides');
// A git ref of this repository to measure beside the working tree, as the side `kit-baseline` (a paired before/after run).
const baselineRef = argValue('--baseline');
// Where RESULTS.md, results.json and chart.svg go (a partial run, e.g. one side, should not replace the full results).
const outDir = path.resolve(argValue('--out') ?? here);
const LIBRARIES = ['zod', 'uuid', 'date-fns', 'lodash-es'];

/**
 * The library, compiled to one CommonJS file with esbuild (no jsii build needed), loaded by the generated apps: from
 * the working tree, or (`ref`) from that commit's `src/`.
 */
function buildLibrary(ref) {
  const esbuild = require('esbuild');
  let src = path.join(repo, 'src');
  if (ref) {
    src = path.join(work, 'baseline-src');
    fs.rmSync(src, { recursive: true, force: true });
    fs.mkdirSync(src, { recursive: true });
    const archive = spawnSync('git', ['-C', repo, 'archive', ref, 'src'], { maxBuffer: 256 * 1024 * 1024 });
    if (archive.status !== 0) throw new Error(`--baseline: git archive ${ref} failed: ${archive.stderr}`);
    spawnSync('tar', ['-x', '-C', src, '--strip-components=1'], { input: archive.stdout });
  }
  const out = path.join(work, ref ? 'lib-baseline' : 'lib', 'index.js');
  esbuild.buildSync({
    entryPoints: [path.join(src, 'index.ts')],
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

/**
 * The sides of the benchmark, each a way a user could build the same functions:
 * - `kit`: ServerlessFunction with its defaults;
 * - `nodejs`: aws-cdk-lib's NodejsFunction with its defaults (4 resources a function);
 * - `nodejs-wired`: NodejsFunction wired by hand to ServerlessFunction's defaults (ESM, minify, log group, JSON logs,
 *   tracing, version + alias, the three alarms);
 * - `cdk-esbuild`: @mrgrain/cdk-esbuild's TypeScriptCode in a lambda.Function with the same wiring, the fastest
 *   in-process alternative.
 */
const SIDES = {
  'kit': 'ServerlessFunction',
  'nodejs': 'NodejsFunction (defaults)',
  'nodejs-wired': 'NodejsFunction, hand-wired',
  'cdk-esbuild': 'cdk-esbuild TypeScriptCode, hand-wired',
  'kit-baseline': 'ServerlessFunction at the --baseline ref',
};
const sides = sidesOption ? sidesOption.split(',') : Object.keys(SIDES);
if (sides.includes('kit-baseline') !== (baselineRef !== undefined)) {
  throw new Error('--baseline <ref> and the side kit-baseline go together');
}
for (const side of sides) {
  if (!(side in SIDES)) throw new Error(`--sides: unknown side '${side}'; the sides are ${Object.keys(SIDES).join(', ')}`);
}

/** Write the reference app for N functions. */
function generate(n, libraryFile, baselineFile) {
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
    "const { App, Stack, Duration } = require('aws-cdk-lib');",
    "const lambda = require('aws-cdk-lib/aws-lambda');",
    "const logs = require('aws-cdk-lib/aws-logs');",
    "const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');",
    "const { NodejsFunction, OutputFormat } = require('aws-cdk-lib/aws-lambda-nodejs');",
    "const { TypeScriptCode } = require('@mrgrain/cdk-esbuild');",
    // The side kit-baseline: the same app on the library built from the --baseline ref.
    `const { ServerlessFunction } = require(process.env.BENCH_VARIANT === 'kit-baseline' ? ${JSON.stringify(baselineFile ?? null)} : ${JSON.stringify(libraryFile)});`,
    'const variant = process.env.BENCH_VARIANT;',
    "const skip = process.env.BENCH_SKIP_BUNDLING === '1';",
    "const app = new App(skip ? { postCliContext: { 'aws:cdk:bundling-stacks': [] } } : {});",
    // The ESM compatibility banner ServerlessFunction adds, so that the hand-wired sides build the same bundle.
    "const banner = \"import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);\";",
    // ServerlessFunction's defaults, wired by hand: what a user builds without the library.
    'function production(stack, id) {',
    '  return {',
    '    memorySize: 1024, timeout: Duration.seconds(30), tracing: lambda.Tracing.ACTIVE,',
    '    loggingFormat: lambda.LoggingFormat.JSON, applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,',
    '    systemLogLevelV2: lambda.SystemLogLevel.INFO,',
    '    logGroup: new logs.LogGroup(stack, `${id}LogGroup`, { retention: logs.RetentionDays.ONE_MONTH }),',
    '  };',
    '}',
    'function wire(stack, id, fn) {',
    "  const alias = new lambda.Alias(stack, `${id}Live`, { aliasName: 'live', version: fn.currentVersion });",
    '  const alarm = (name, metric, threshold) => new cloudwatch.Alarm(stack, `${id}${name}`, { metric, threshold, evaluationPeriods: 1,',
    '    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING });',
    "  alarm('Errors', alias.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }), 1);",
    "  alarm('Throttles', alias.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), 1);",
    "  alarm('Duration', alias.metricDuration({ period: Duration.minutes(1), statistic: 'p99' }), 27000);",
    '}',
    // 25 functions a stack: with its production defaults a ServerlessFunction is 9 resources (role, policy, function,
    // log group, version, alias, 3 alarms), and CloudFormation allows 500 a stack. Every side gets the same split.
    'const stacks = [];',
    `for (let i = 0; i < ${n}; i++) {`,
    '  if (i % 25 === 0) stacks.push(new Stack(app, `Bench${i / 25}`));',
    '  const stack = stacks[stacks.length - 1];',
    "  const entry = path.join(__dirname, 'src', `fn${i}.ts`);",
    "  const common = { runtime: lambda.Runtime.NODEJS_22_X, architecture: lambda.Architecture.ARM_64 };",
    '  const id = `Fn${i}`;',
    "  if (variant === 'nodejs') {",
    "    new NodejsFunction(stack, id, { ...common, entry, depsLockFilePath: path.join(__dirname, 'package-lock.json'), projectRoot: __dirname }).currentVersion;",
    "  } else if (variant === 'nodejs-wired') {",
    "    const fn = new NodejsFunction(stack, id, { ...common, ...production(stack, id), entry, depsLockFilePath: path.join(__dirname, 'package-lock.json'), projectRoot: __dirname,",
    "      bundling: { format: OutputFormat.ESM, minify: true, mainFields: ['module', 'main'], banner, externalModules: ['@aws-sdk/*'] } });",
    '    wire(stack, id, fn);',
    "  } else if (variant === 'cdk-esbuild') {",
    "    const code = new TypeScriptCode(path.relative(process.cwd(), entry), { buildOptions: { absWorkingDir: process.cwd(), platform: 'node', format: 'esm',",
    "      target: 'node22', minify: true, mainFields: ['module', 'main'], external: ['@aws-sdk/*'], banner: { js: banner }, outExtension: { '.js': '.mjs' } } });",
    '    const fn = new lambda.Function(stack, id, { ...common, ...production(stack, id), code, handler: `fn${i}.handler` });',
    '    wire(stack, id, fn);',
    '  } else {',
    '    new ServerlessFunction(stack, id, { ...common, entry }).currentVersion;',
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
  const commandArgs = timeBin ? ['-f', 'maxrss=%M cpu=%U+%S', process.execPath, ...cliArgs] : cliArgs;
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
  // User + system CPU seconds of the CLI and the app (the processes it waited for): the figure a busy machine moves least.
  const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(result.stderr);
  // The summary line: `N bundles for M functions (...) in Xs` (older releases: `M functions bundled in Xs`).
  const bundled = /cdk-lambda-kit: (?:\d+ bundles? for \d+ functions? \(.*?\)|\d+ functions? bundled) in ([\d.]+)s/.exec(result.stderr);
  return {
    seconds,
    cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined,
    rssMb: rss ? Number(rss[1]) / 1024 : undefined,
    bundlerSeconds: bundled ? Number(bundled[1]) : undefined,
  };
}

/**
 * One plain esbuild pass over the same entries with ServerlessFunction's default options, in a fresh process.
 * Returns its wall seconds and, with GNU time, the CPU seconds (user + system) of the process and esbuild's: esbuild
 * runs as a child process that `buildSync` waits for (`ESBUILD_WORKER_THREADS=0`), so its CPU time is counted.
 */
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
  const args = ['-e', script];
  const result = spawnSync(timeBin ?? process.execPath, timeBin ? ['-f', 'cpu=%U+%S', process.execPath, ...args] : args, {
    encoding: 'utf8', env: { ...process.env, ESBUILD_WORKER_THREADS: '0' },
  });
  if (result.status !== 0) throw new Error(`the plain esbuild pass failed:\n${result.stderr}`);
  const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(result.stderr);
  return { seconds: Number(result.stdout), cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined };
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

/** Runs at size N: `--runs` when given, else 3 up to N=100 and 1 above (the slow sides take minutes a synth there). */
function runsAt(n) {
  return runsOption !== undefined ? runsOption : quick ? 1 : n <= 100 ? 3 : 1;
}

function measure(n, libraryFile, baselineFile) {
  const dir = generate(n, libraryFile, baselineFile);
  const runs = runsAt(n);
  const samples = Object.fromEntries(sides.map((side) => [side, { cold: [], warm: [], changed: [], floor: [], rss: [], floorRss: [], bundler: [], coldCpu: [], warmCpu: [], changedCpu: [], floorCpu: [] }]));
  const plain = [];
  let revision = 0;
  const sizes = {};
  // One untimed synth first: the first process after generating the app pays for cold disk caches.
  synth(dir, sides[0], { skipBundling: true });
  for (let run = 0; run < runs; run++) {
    // Rotate which side goes first, so that no side always runs on a warmer (or busier) machine.
    const order = sides.map((_, i) => sides[(i + run) % sides.length]);
    for (const side of order) {
      const s = samples[side];
      clean(dir);
      const floor = synth(dir, side, { skipBundling: true });
      clean(dir);
      const cold = synth(dir, side);
      sizes[side] = bundleSizes(dir);
      const warm = synth(dir, side);
      touchHandler(dir, ++revision);
      const changed = synth(dir, side);
      s.floor.push(floor.seconds);
      s.floorRss.push(floor.rssMb);
      s.cold.push(cold.seconds);
      s.warm.push(warm.seconds);
      s.changed.push(changed.seconds);
      s.rss.push(cold.rssMb);
      s.floorCpu.push(floor.cpuSeconds);
      s.coldCpu.push(cold.cpuSeconds);
      s.warmCpu.push(warm.cpuSeconds);
      s.changedCpu.push(changed.cpuSeconds);
      s.bundler.push(cold.bundlerSeconds);
      process.stderr.write(`  N=${n} run ${run + 1}/${runs} ${side}: floor ${floor.seconds.toFixed(2)}s, cold ${cold.seconds.toFixed(2)}s, ` +
        `warm ${warm.seconds.toFixed(2)}s, changed ${changed.seconds.toFixed(2)}s, peak RSS ${fmt(cold.rssMb, 0)} MB; ` +
        `CPU floor ${fmt(floor.cpuSeconds)}s, cold ${fmt(cold.cpuSeconds)}s, warm ${fmt(warm.cpuSeconds)}s\n`);
    }
    clean(dir);
    plain.push(plainEsbuildPass(dir, n));
  }
  const result = {
    n, runs, plainEsbuildPass: median(plain.map((p) => p.seconds)), plainEsbuildCpu: median(plain.map((p) => p.cpuSeconds)), sides: {},
  };
  for (const side of sides) {
    const s = samples[side];
    result.sides[side] = {
      cold: median(s.cold), warm: median(s.warm), changed: median(s.changed), floor: median(s.floor),
      peakRssMb: median(s.rss), floorPeakRssMb: median(s.floorRss), bundlerSeconds: median(s.bundler), ...sizes[side],
      cpu: { floor: median(s.floorCpu), cold: median(s.coldCpu), warm: median(s.warmCpu), changed: median(s.changedCpu) },
      // Every run's figures, in run order: a side's floor, cold, warm and changed synths of one run follow each other.
      samples: s,
    };
  }
  result.ratios = ratios(result);
  return result;
}

/** The ratios the targets of the benchmark are stated in (see README.md beside this file). */
function ratios(r) {
  const kit = r.sides.kit;
  const out = {};
  if (!kit) return out;
  const perRun = (mode) => kit.samples ? kit.samples[mode].map((v, i) => v / kit.samples.floor[i]) : [];
  out.kit = {
    coldVsFloor: kit.cold / kit.floor,
    warmVsFloor: kit.warm / kit.floor,
    changedVsFloor: kit.changed / kit.floor,
    bundlerVsPlainEsbuild: kit.bundlerSeconds / r.plainEsbuildPass,
    // Each run's ratio to the floor synthesized just before it (the floors drift by seconds within a run here).
    perRun: { cold: perRun('cold'), warm: perRun('warm'), changed: perRun('changed') },
    // A bundler that cost nothing but one plain esbuild pass: the least cold ÷ floor any could reach on this machine.
    coldVsFloorBound: (kit.floor + r.plainEsbuildPass) / kit.floor,
  };
  for (const side of sides.filter((s) => s !== 'kit')) {
    const other = r.sides[side];
    out[side] = {
      coldSpeedup: other.cold / kit.cold,
      warmSpeedup: other.warm / kit.warm,
      changedSpeedup: other.changed / kit.changed,
      floorVsKitFloor: kit.floor / other.floor,
      peakRssKitVsSide: kit.peakRssMb && other.peakRssMb ? kit.peakRssMb / other.peakRssMb : undefined,
      bundleRawKitVsSide: kit.raw / other.raw,
      bundleGzipKitVsSide: kit.gzip / other.gzip,
      // The most any bundler over our floor could reach: cold = floor + one plain esbuild pass, warm = floor.
      coldSpeedupBound: other.cold / (kit.floor + r.plainEsbuildPass),
      warmSpeedupBound: other.warm / kit.floor,
    };
  }
  return out;
}

function versions() {
  const version = (pkg) => JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  return { node: process.version, 'aws-cdk-lib': version('aws-cdk-lib'), 'aws-cdk (CLI)': version('aws-cdk'), esbuild: version('esbuild'), '@mrgrain/cdk-esbuild': version('@mrgrain/cdk-esbuild') };
}

function fmt(v, digits = 2) {
  return v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(digits);
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(0)} kB`;
}

const TARGETS = [
  // [label, accessor, limit, 'max' | 'min', at which N (undefined: every N)]
  ['warm ÷ floor', (r) => r.ratios.kit?.warmVsFloor, 1.05, 'max'],
  ['one handler changed ÷ floor', (r) => r.ratios.kit?.changedVsFloor, 1.1, 'max'],
  ['cold ÷ floor', (r) => r.ratios.kit?.coldVsFloor, 1.2, 'max', 100],
  ['cold, faster than cdk-esbuild', (r) => r.ratios['cdk-esbuild']?.coldSpeedup, 2.5, 'min', 100],
  ['warm, faster than cdk-esbuild', (r) => r.ratios['cdk-esbuild']?.warmSpeedup, 3, 'min', 100],
  ['cold, faster than hand-wired NodejsFunction', (r) => r.ratios['nodejs-wired']?.coldSpeedup, 6, 'min', 100],
  ['warm, faster than hand-wired NodejsFunction', (r) => r.ratios['nodejs-wired']?.warmSpeedup, 8, 'min', 100],
  ['our floor ÷ hand-wired NodejsFunction floor', (r) => r.ratios['nodejs-wired']?.floorVsKitFloor, 1.05, 'max'],
  ['peak RSS ÷ hand-wired NodejsFunction', (r) => r.ratios['nodejs-wired']?.peakRssKitVsSide, 1, 'max', 100],
];

function markdown(results, meta) {
  const lines = [
    '# Benchmark results',
    '',
    `Measured ${meta.date} on ${meta.machine}; ${Object.entries(meta.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    'Every synth goes through the real CDK CLI (`cdk synth --quiet`); the sides rotate in each run, so none always goes first.',
    'Medians of the runs given per N (3 up to N=100, 1 above unless `--runs` says otherwise: a hand-wired NodejsFunction synth of 400 functions takes minutes).',
    'Reference app: N handlers, each importing one of zod, uuid, date-fns or lodash-es, a shared local module and @aws-sdk/client-dynamodb; runtime nodejs22.x, arm64; 25 functions a stack on every side.',
    'Sides: ServerlessFunction with its defaults (role, policy, function, log group, version, alias, 3 alarms: 9 resources); NodejsFunction with its defaults (4 resources);',
    'NodejsFunction hand-wired to the same resources and settings (ESM, minify, the ESM banner, log group, JSON logs, tracing, version + alias, the three alarms);',
    "@mrgrain/cdk-esbuild's TypeScriptCode in a lambda.Function with the same wiring. The floor of a side is the same app with bundling skipped (`aws:cdk:bundling-stacks: []`).",
    'Regenerate with `npm run bench` (generator and harness: `benchmarks/run.mjs`); the chart is [chart.svg](./chart.svg).',
    '',
    '![synth time against N](./chart.svg)',
    '',
    '| N | side | runs | floor | cold | warm | one changed | peak RSS (cold) | bundles raw / gzip |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    for (const side of sides) {
      const x = r.sides[side];
      lines.push(`| ${r.n} | ${SIDES[side]} | ${r.runs} | ${fmt(x.floor)} s | ${fmt(x.cold)} s | ${fmt(x.warm)} s | ${fmt(x.changed)} s | ${fmt(x.peakRssMb, 0)} MB | ${kb(x.raw)} / ${kb(x.gzip)} |`);
    }
  }
  lines.push('', '| N | bundler time (cold) | one plain esbuild pass | its CPU time (2 cores) | bundler ÷ plain |', '|---:|---:|---:|---:|---:|');
  for (const r of results) {
    if (r.sides.kit) {
      lines.push(`| ${r.n} | ${fmt(r.sides.kit.bundlerSeconds)} s | ${fmt(r.plainEsbuildPass)} s | ${fmt(r.plainEsbuildCpu)} s | ${fmt(r.ratios.kit.bundlerVsPlainEsbuild)}× |`);
    }
  }
  lines.push('', '## Targets (issue #15), ServerlessFunction', '', `| target | limit | ${results.map((r) => `N=${r.n}`).join(' | ')} |`, `|---|---:|${results.map(() => '---:|').join('')}`);
  for (const [label, get, limit, kind, at] of TARGETS) {
    const cells = results.map((r) => {
      const v = get(r);
      if (v === undefined || Number.isNaN(v) || (at !== undefined && r.n !== at && !quick)) return v === undefined || Number.isNaN(v) ? 'n/a' : `${fmt(v)}×`;
      const met = kind === 'max' ? v <= limit : v >= limit;
      return `${fmt(v)}× ${met ? 'met' : '**missed**'}`;
    });
    lines.push(`| ${label}${at ? ` (at N=${at})` : ''} | ${kind === 'max' ? '≤' : '≥'} ${limit}× | ${cells.join(' | ')} |`);
  }
  const kitResults = results.filter((r) => r.sides.kit?.samples);
  if (kitResults.length > 0) {
    lines.push('', 'The floor-relative targets run by run (each synth against the floor synthesized just before it, in run order):', '',
      `| ServerlessFunction | ${kitResults.map((r) => `N=${r.n}`).join(' | ')} |`, `|---|${kitResults.map(() => '---|').join('')}`);
    for (const [mode, label] of [['cold', 'cold ÷ floor'], ['warm', 'warm ÷ floor'], ['changed', 'one changed ÷ floor']]) {
      lines.push(`| ${label} | ${kitResults.map((r) => r.ratios.kit.perRun[mode].map((v) => fmt(v)).join(', ')).join(' | ')} |`);
    }
  }
  lines.push('', '## What any bundler could reach here', '',
    'A bundler that cost nothing beyond one plain esbuild pass would synthesize cold in floor + plain pass, and warm in',
    'the floor. Against the same peers, on this machine, that is the best ServerlessFunction could show:', '',
    `| bound (a bundler costing one plain esbuild pass) | ${results.map((r) => `N=${r.n}`).join(' | ')} |`, `|---|${results.map(() => '---:|').join('')}`);
  const bounds = [
    ['cold ÷ floor, at least', (r) => r.ratios.kit?.coldVsFloorBound],
    ['cold, faster than cdk-esbuild, at most', (r) => r.ratios['cdk-esbuild']?.coldSpeedupBound],
    ['warm, faster than cdk-esbuild, at most', (r) => r.ratios['cdk-esbuild']?.warmSpeedupBound],
    ['cold, faster than hand-wired NodejsFunction, at most', (r) => r.ratios['nodejs-wired']?.coldSpeedupBound],
    ['warm, faster than hand-wired NodejsFunction, at most', (r) => r.ratios['nodejs-wired']?.warmSpeedupBound],
  ];
  for (const [label, get] of bounds) {
    lines.push(`| ${label} | ${results.map((r) => { const v = get(r); return v === undefined || Number.isNaN(v) ? 'n/a' : `${fmt(v)}×`; }).join(' | ')} |`);
  }
  lines.push('', 'Peak RSS growth, ServerlessFunction cold: ' + rssGrowth(results) + '.', '');
  if (sides.includes('kit') && sides.includes('kit-baseline')) {
    lines.push(...pairedTable(results));
  }
  return lines.join('\n');
}

/**
 * The working tree against the --baseline ref, side by side in the same alternating runs: medians of CPU time (user +
 * system) and wall time for each synth, and after ÷ before.
 */
function pairedTable(results) {
  const lines = ['', `## Paired: working tree (after) against ${baselineRef} (before)`, '',
    '| N | synth | CPU before | CPU after | CPU after ÷ before | wall before | wall after | wall after ÷ before |',
    '|---:|---|---:|---:|---:|---:|---:|---:|'];
  for (const r of results) {
    const before = r.sides['kit-baseline'];
    const after = r.sides.kit;
    for (const mode of ['floor', 'cold', 'warm', 'changed']) {
      lines.push(`| ${r.n} | ${mode} | ${fmt(before.cpu[mode])} s | ${fmt(after.cpu[mode])} s | ${fmt(after.cpu[mode] / before.cpu[mode], 3)} | ` +
        `${fmt(before[mode])} s | ${fmt(after[mode])} s | ${fmt(after[mode] / before[mode], 3)} |`);
    }
    lines.push(`| ${r.n} | bundler (summary line) | | | | ${fmt(before.bundlerSeconds)} s | ${fmt(after.bundlerSeconds)} s | ${fmt(after.bundlerSeconds / before.bundlerSeconds, 3)} |`);
  }
  return lines;
}

/** The growth of the kit's peak RSS from N=100 to the largest N, against linear growth. */
function rssGrowth(results) {
  const at = (n) => results.find((r) => r.n === n)?.sides.kit?.peakRssMb;
  const last = results[results.length - 1];
  const base = at(100);
  const top = last?.sides.kit?.peakRssMb;
  if (!base || !top || last.n <= 100) return 'n/a (needs N=100 and a larger N)';
  const growth = top / base;
  const linear = last.n / 100;
  return `${fmt(base, 0)} MB at N=100 → ${fmt(top, 0)} MB at N=${last.n}, ${fmt(growth)}× for ${fmt(linear, 0)}× the functions (${growth < linear ? 'below linear' : '**not below linear**'})`;
}

const COLORS = { 'kit': '#d62728', 'kit-baseline': '#ff9896', 'nodejs': '#7f7f7f', 'nodejs-wired': '#1f77b4', 'cdk-esbuild': '#2ca02c' };

/** An SVG line chart of synth time against N: every side's cold and warm synth, and its floor (dotted). Log scale on y. */
function chart(results) {
  const width = 900;
  const height = 460;
  const m = { left: 64, right: 330, top: 36, bottom: 48 };
  const ns = results.map((r) => r.n);
  const values = results.flatMap((r) => sides.flatMap((s) => [r.sides[s].cold, r.sides[s].warm, r.sides[s].floor])).filter((v) => v > 0);
  const yMin = Math.pow(10, Math.floor(Math.log10(Math.min(...values))));
  const yMax = Math.pow(10, Math.ceil(Math.log10(Math.max(...values))));
  const xMax = Math.max(...ns);
  const x = (n) => m.left + (n / xMax) * (width - m.left - m.right);
  const y = (v) => height - m.bottom - ((Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (height - m.top - m.bottom);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${m.left}" y="20" font-size="14" font-weight="bold">cdk synth time against the number of functions (log scale)</text>`,
  ];
  for (let decade = yMin; decade <= yMax; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const v = decade * step;
      if (v > yMax) break;
      out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`,
        `<text x="${m.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v} s</text>`);
    }
  }
  for (const n of ns) {
    out.push(`<line x1="${x(n).toFixed(1)}" x2="${x(n).toFixed(1)}" y1="${m.top}" y2="${height - m.bottom}" stroke="#f0f0f0"/>`,
      `<text x="${x(n).toFixed(1)}" y="${height - m.bottom + 16}" text-anchor="middle">${n}</text>`);
  }
  out.push(`<text x="${((m.left + width - m.right) / 2).toFixed(0)}" y="${height - 10}" text-anchor="middle">functions (N), 25 a stack</text>`);
  let legend = m.top + 6;
  for (const side of sides) {
    for (const [mode, dash, label] of [['cold', '', 'cold'], ['warm', '6 4', 'warm'], ['floor', '2 3', 'floor (no bundling)']]) {
      const points = results.map((r) => `${x(r.n).toFixed(1)},${y(r.sides[side][mode]).toFixed(1)}`).join(' ');
      out.push(`<polyline fill="none" stroke="${COLORS[side]}" stroke-width="${mode === 'floor' ? 1.5 : 2}" stroke-dasharray="${dash}" points="${points}"/>`);
      for (const r of results) {
        out.push(`<circle cx="${x(r.n).toFixed(1)}" cy="${y(r.sides[side][mode]).toFixed(1)}" r="${mode === 'cold' ? 3 : 2}" fill="${mode === 'floor' ? 'white' : COLORS[side]}" stroke="${COLORS[side]}"/>`);
      }
      out.push(`<line x1="${width - m.right + 12}" x2="${width - m.right + 40}" y1="${legend}" y2="${legend}" stroke="${COLORS[side]}" stroke-width="2" stroke-dasharray="${dash}"/>`,
        `<text x="${width - m.right + 46}" y="${legend + 4}">${SIDES[side].replace(', hand-wired', ' (wired)')}: ${label}</text>`);
      legend += 17;
    }
    legend += 6;
  }
  out.push('</svg>', '');
  return out.join('\n');
}

fs.mkdirSync(work, { recursive: true });
const libraryFile = buildLibrary();
const baselineFile = baselineRef ? buildLibrary(baselineRef) : undefined;
const results = [];
for (const n of scales) {
  process.stderr.write(`benchmark N=${n}, ${runsAt(n)} run(s), sides: ${sides.join(', ')}\n`);
  results.push(measure(n, libraryFile, baselineFile));
}
const meta = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, ${os.platform()} ${os.release()}`,
  versions: versions(),
};
const text = markdown(results, meta);
process.stdout.write(text);
const svg = chart(results);
if (quick) {
  // Quick mode writes nothing to the repository; the chart goes beside the generated apps for a look.
  fs.writeFileSync(path.join(work, 'chart.svg'), svg);
} else {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'RESULTS.md'), text);
  fs.writeFileSync(path.join(outDir, 'chart.svg'), svg);
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify({ ...meta, results }, undefined, 2) + '\n');
}
