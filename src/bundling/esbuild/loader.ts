import * as path from 'path';

/**
 * The slice of esbuild's API the bundler uses. esbuild's own types never reach the public API: this interface is
 * internal and structural.
 */
export interface EsbuildApi {
  readonly version: string;
  buildSync(options: Record<string, unknown>): EsbuildResult;
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
const loaded = new Map<string, EsbuildApi>();

/**
 * Load esbuild in-process: first the copy the CDK project installed (resolved from its root), then the one installed
 * with this library. Throws one sentence that says how to install it.
 *
 * The bundler calls esbuild's own `buildSync`, which runs esbuild's service (one child process, in a worker thread of
 * esbuild's) and keeps it for the life of the process: every app synthesized in the process reuses it, and it is never
 * stopped, because a child process whose thread has ended is never reaped (a `<defunct>` entry per app).
 */
export function loadEsbuild(projectRoot: string, libraryRoot: string = path.join(__dirname, '..', '..', '..')): EsbuildApi {
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
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    api = require(resolved) as EsbuildApi;
  } catch (e) {
    throw new Error(
      `cdk-lambda-kit could not load esbuild from ${resolved} (${(e as Error).message.split('\n')[0]}): ` +
      `reinstall it with \`npm install --save-dev esbuild@${ESBUILD_RANGE}\` for this platform.`,
    );
  }
  loaded.set(projectRoot, api);
  return api;
}
