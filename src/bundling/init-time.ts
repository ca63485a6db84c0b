import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveRuntimeClient } from '../testing/runtime-client';

/** A module's share of a function's init, by package (or the entry's own files). */
export interface InitModule {
  /** `zod`, `@aws-sdk/client-s3`, or a source file of the project. */
  readonly module: string;
  /** Time on the main thread attributed to the module's code (itself and what it calls), in milliseconds. */
  readonly ms: number;
}

/** A bundle's init, measured in the runtime client. */
export interface InitMeasurement {
  /** From the process' start to the end of the init (the runtime client's first request for an invocation), ms. */
  readonly wallMs: number;
  /** Of which the main thread was busy (CPU profile samples that are not idle), ms. */
  readonly busyMs: number;
  /** The modules that cost most at init, most expensive first (at most 5). */
  readonly heavyModules: InitModule[];
  /** The Node.js version the bundle ran on. */
  readonly node: string;
  /** The init error the runtime client reported, when the function failed to initialize. */
  readonly error?: string;
}

/** What to measure: the staged bundle and how Lambda would start it. */
export interface InitProbe {
  /** The staged bundle directory. */
  readonly bundleDir: string;
  /** `index.mjs` or `index.js`. */
  readonly outputFileName: string;
  /** An export of the bundle, for the runtime client's `_HANDLER`. */
  readonly exportName: string;
  /** The bundle's metafile slice (JSON), to name the modules the time went to. */
  readonly metafile?: string;
  /** The Node.js binary to run it on. @default the one running synth */
  readonly nodePath?: string;
}

/** No Runtime API listens here: the runtime client initializes the function, then fails to ask for an invocation. */
const NO_RUNTIME_API = '127.0.0.1:1';

/**
 * Start a bundle in the official runtime client (aws-lambda-ric) from a sandbox copy, with a CPU profile, and measure
 * its init: the function's process is the only process, synchronous, and ends by itself right after its init (its
 * first request for an invocation finds no Runtime API). The profile names the modules the init spent its time in,
 * by where their code lies in the bundle (esbuild's metafile lists a bundle's inputs in output order, with their
 * sizes).
 */
export function measureInit(probe: InitProbe): InitMeasurement {
  const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-init-'));
  try {
    const taskRoot = path.join(sandbox, 'var', 'task');
    const profiles = path.join(sandbox, 'profiles');
    fs.cpSync(probe.bundleDir, taskRoot, { recursive: true });
    const client = resolveRuntimeClient([process.cwd()]);
    const node = probe.nodePath ?? process.execPath;
    const handler = `${probe.outputFileName.replace(/\.m?js$/, '')}.${probe.exportName}`;
    const started = process.hrtime.bigint();
    const run = spawnSync(node, ['--cpu-prof', '--cpu-prof-dir', profiles, client, handler], {
      cwd: taskRoot,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        LANG: 'en_US.UTF-8',
        TZ: ':UTC',
        LAMBDA_TASK_ROOT: taskRoot,
        LAMBDA_RUNTIME_DIR: path.dirname(client),
        _HANDLER: handler,
        AWS_LAMBDA_RUNTIME_API: NO_RUNTIME_API,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs',
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_LAMBDA_FUNCTION_NAME: 'init-probe',
        AWS_LAMBDA_FUNCTION_VERSION: '1',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE00',
        AWS_SECRET_ACCESS_KEY: 'example-secret-not-real',
        AWS_SESSION_TOKEN: 'example-session-token',
      },
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? 'unknown';
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
    const initError = /Init Error\s*(\{.*\})/.exec(output);
    const error = initError ? describeError(initError[1]) : run.error ? String(run.error.message) : undefined;
    const profileFile = fs.existsSync(profiles) ? fs.readdirSync(profiles).find((f) => f.endsWith('.cpuprofile')) : undefined;
    if (!profileFile) {
      return { wallMs, busyMs: 0, heavyModules: [], node: version, error: error ?? `no CPU profile was written: ${output.slice(0, 500)}` };
    }
    const profile = JSON.parse(fs.readFileSync(path.join(profiles, profileFile), 'utf8')) as CpuProfile;
    const bundleFile = path.join(taskRoot, probe.outputFileName);
    const ranges = probe.metafile ? moduleRanges(probe.metafile, probe.outputFileName, fs.readFileSync(bundleFile, 'utf8')) : undefined;
    const { busyMs, byModule } = attribute(profile, bundleFile, ranges);
    const heavyModules = [...byModule.entries()].map(([module, ms]) => ({ module, ms })).sort((a, b) => b.ms - a.ms).slice(0, 5);
    return { wallMs: profileWallMs(profile) ?? wallMs, busyMs, heavyModules, node: version, error };
  } finally {
    fs.rmSync(sandbox, { recursive: true, force: true });
  }
}

function describeError(json: string): string {
  try {
    const parsed = JSON.parse(json) as { errorType?: string; errorMessage?: string };
    return `${parsed.errorType}: ${parsed.errorMessage}`;
  } catch {
    return json;
  }
}

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  readonly children?: number[];
}

interface CpuProfile {
  readonly nodes: CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

function profileWallMs(profile: CpuProfile): number | undefined {
  return profile.endTime > profile.startTime ? (profile.endTime - profile.startTime) / 1000 : undefined;
}

/** Where each module's code lies in the bundle: [start offset, module], in order. */
function moduleRanges(metafileFile: string, outputFileName: string, text: string): Array<[number, string]> {
  const metafile = JSON.parse(fs.readFileSync(metafileFile, 'utf8')) as { outputs?: Record<string, { inputs?: Record<string, { bytesInOutput: number }> }> };
  const inputs = metafile.outputs?.[outputFileName]?.inputs ?? {};
  const total = Object.values(inputs).reduce((n, i) => n + i.bytesInOutput, 0);
  // esbuild's runtime helpers (and the banner) come first: the modules follow them.
  let at = Math.max(0, Buffer.byteLength(text) - total);
  const ranges: Array<[number, string]> = [];
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    ranges.push([at, moduleName(input)]);
    at += bytesInOutput;
  }
  return ranges;
}

/** The package a bundle input belongs to (`node_modules/@scope/name/...` gives `@scope/name`), else the file. */
export function moduleName(input: string): string {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) {
    return input;
  }
  return parts[at + 1]?.startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
}

/**
 * The main thread's busy time, and its split by module: each sample goes to the innermost function of the bundle on
 * its stack (code the bundle calls, a built-in's loading for example, counts for the module that called it).
 */
function attribute(
  profile: CpuProfile,
  bundleFile: string,
  ranges: Array<[number, string]> | undefined,
): { busyMs: number; byModule: Map<string, number> } {
  const parent = new Map<number, number>();
  const byId = new Map<number, CpuProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) {
      parent.set(child, node.id);
    }
  }
  const bundleUrl = `file://${bundleFile}`;
  const text = ranges ? fs.readFileSync(bundleFile, 'utf8') : '';
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    lineStarts.push(i + 1);
  }
  const owner = new Map<number, string | undefined>();
  const ownerOf = (id: number): string | undefined => {
    if (owner.has(id)) {
      return owner.get(id);
    }
    const node = byId.get(id)!;
    let found: string | undefined;
    if (node.callFrame.url === bundleUrl || node.callFrame.url === bundleFile) {
      const offset = (lineStarts[node.callFrame.lineNumber] ?? 0) + node.callFrame.columnNumber;
      found = '(the bundle\'s top level)';
      if (ranges && offset > 0) {
        for (const [start, module] of ranges) {
          if (start > offset) {
            break;
          }
          found = module;
        }
      }
    } else if (parent.has(id)) {
      found = ownerOf(parent.get(id)!);
    }
    owner.set(id, found);
    return found;
  };
  let busyUs = 0;
  const byModule = new Map<string, number>();
  profile.samples.forEach((sample, i) => {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    const name = byId.get(sample)?.callFrame.functionName;
    if (name === '(idle)' || name === '(root)') {
      return;
    }
    busyUs += delta;
    const module = ownerOf(sample);
    if (module) {
      byModule.set(module, (byModule.get(module) ?? 0) + delta / 1000);
    }
  });
  return { busyMs: busyUs / 1000, byModule };
}
