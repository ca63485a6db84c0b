import * as path from 'path';
import { EsbuildService, SideWork, localSideWork } from './esbuild-service';

/**
 * The slice of esbuild's API the bundler uses. esbuild's own types never reach the public API: this interface is
 * internal and structural.
 */
export interface EsbuildApi {
  readonly version: string;
  buildSync(options: Record<string, unknown>): EsbuildResult;
  /** Ends esbuild's service: the worker thread `buildSync` runs in (and the child process it talks to). */
  stop?(): unknown;
  /** Side work for a pass, beside it when a service of ours is running (see esbuild-service.ts). */
  sideWork?(): SideWork;
}

/** What `buildSync` returns with `write: false` and `metafile: true`. */
export interface EsbuildResult {
  readonly outputFiles: Array<{ path: string; contents: Uint8Array }>;
  readonly metafile: Metafile;
  readonly warnings: EsbuildMessage[];
}

/** An esbuild error or warning. */
export interface EsbuildMessage {
  readonly text: string;
  readonly location?: { file: string; line: number; column: number; lineText?: string } | null;
}

/** esbuild's metafile. */
export interface Metafile {
  readonly inputs: Record<string, { bytes: number; imports: Array<{ path: string; kind: string; external?: boolean }> }>;
  readonly outputs: Record<string, {
    bytes: number;
    entryPoint?: string;
    exports: string[];
    imports?: Array<{ path: string; kind: string; external?: boolean }>;
    inputs: Record<string, { bytesInOutput: number }>;
  }>;
}

/** The esbuild range this library is tested with. */
export const ESBUILD_RANGE = '^0.28.2';

/** The esbuild module each project root resolves to, loaded once. */
const loaded = new Map<string, { readonly api: EsbuildApi; readonly resolved: string }>();
/** The services started (see {@link startEsbuild}), by the esbuild module they run. */
const services = new Map<string, EsbuildService>();

/**
 * Load esbuild in-process: first the copy the CDK project installed (resolved from its root), then the one installed
 * with this library. Throws one sentence that says how to install it.
 */
export function loadEsbuild(projectRoot: string, libraryRoot: string = path.join(__dirname, '..', '..')): EsbuildApi {
  const { api, resolved } = load(projectRoot, libraryRoot);
  return {
    version: api.version,
    // The service started when the first function registered, if there is one; else esbuild's own buildSync.
    buildSync: (options) => services.get(resolved)?.buildSync<EsbuildResult>(options) ?? api.buildSync(options),
    sideWork: () => services.get(resolved)?.sideWork() ?? localSideWork(),
  };
}

/**
 * Start esbuild's service for a project, if it is not running: called when a function to bundle registers, so that
 * the service is up when synthesis asks for the first bundle (see esbuild-service.ts). Never reads a source.
 */
export function startEsbuild(projectRoot: string): void {
  const { resolved } = load(projectRoot, path.join(__dirname, '..', '..'));
  if (!services.has(resolved)) {
    services.set(resolved, new EsbuildService(resolved));
  }
}

function load(projectRoot: string, libraryRoot: string): { readonly api: EsbuildApi; readonly resolved: string } {
  const cached = loaded.get(projectRoot);
  if (cached) {
    return cached;
  }
  let resolved: string;
  try {
    resolved = require.resolve('esbuild', { paths: [projectRoot, libraryRoot] });
  } catch {
    throw new Error(
      `cdk-lambda-kit bundles with esbuild, which is not installed: run \`npm install --save-dev esbuild@${ESBUILD_RANGE}\` ` +
      `in ${projectRoot} (for Python, Java, .NET and Go apps too: in the directory you run \`cdk\` from).`,
    );
  }
  let api: EsbuildApi;
  // An instance of its own (the module is loaded again, bypassing the module cache, which is then left as it was):
  // `stopEsbuild` ends this instance's service, never that of an esbuild the app itself uses.
  const shared = require.cache[resolved];
  delete require.cache[resolved];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    api = require(resolved) as EsbuildApi;
  } catch (e) {
    throw new Error(
      `cdk-lambda-kit could not load esbuild from ${resolved} (${(e as Error).message.split('\n')[0]}): ` +
      `reinstall it with \`npm install --save-dev esbuild@${ESBUILD_RANGE}\` for this platform.`,
    );
  } finally {
    if (shared) {
      require.cache[resolved] = shared;
    } else {
      delete require.cache[resolved];
    }
  }
  const entry = { api, resolved };
  loaded.set(projectRoot, entry);
  return entry;
}

/**
 * End the services of every esbuild this process loaded: ours (see {@link startEsbuild}) and esbuild's own, which
 * runs `buildSync` in a worker thread that esbuild keeps to the end of the process. Either holds (as garbage it never
 * collects while idle) the last pass's metafile. Ended after each bundling pass, they give that memory back before
 * synthesis writes and validates the templates, where a synth's memory peaks (about 15 MB at 100 functions); the
 * next app's first function starts a new one.
 */
export function stopEsbuild(): void {
  for (const service of services.values()) {
    service.stop();
  }
  services.clear();
  for (const { api } of new Set(loaded.values())) {
    if (typeof api.stop === 'function') {
      void api.stop();
    }
  }
}
