import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BundleCacheContext } from './bundle-cache-context';
import { BundleCache, BundleRecord, FileHasher, cacheKey, renameOrDiscard } from './cache';
import { hookCommandsKey, runAfterBundling, runBeforeBundling } from './command-hooks';
import { addCopiedFiles, copiedFilesKey } from './copy-files';
import { loadEsbuild } from './esbuild-loader';
import { BuiltBundle, buildGroup } from './esbuild-pass';
import { BundleReport, ReportEntry } from './report';
import { typeCheckJobs } from './type-check';
import { ResolvedBundling, sha256 } from '../private/esbuild-options';
import { findLockFile } from '../private/project-root';

/**
 * Context key: the directory of the persistent bundle cache (absolute, or relative to the working directory).
 * Default: `node_modules/.cache/cdk-lambda-kit` under the project root.
 */
export const CACHE_DIR_CONTEXT = BundleCacheContext.DIRECTORY;

/** Context key: set to `false` to turn the persistent bundle cache off. */
export const CACHE_ENABLED_CONTEXT = BundleCacheContext.ENABLED;

/** The state of one bundle: an entry with one set of options, shared by every function that asks for it. */
export class BundleJob {
  /** Functions using this bundle, in the order they registered. */
  public readonly functions: IConstruct[] = [];
  public state: 'pending' | 'built' | 'failed' | 'skipped' = 'pending';
  public record?: BundleRecord;
  public fromCache = false;
  /** Absolute path of the staged bundle directory in the cloud assembly. */
  public stagedDir?: string;
  /** The metafile slice of this bundle: its JSON when built now, or the file it is cached in. */
  public metafile?: { readonly json?: string; readonly file?: string };
  public readonly errors: string[] = [];
  public readonly warnings: string[] = [];

  constructor(public readonly id: string, public readonly resolved: ResolvedBundling, public readonly skip: boolean) {}
}

const bundlers = new WeakMap<IConstruct, Bundler>();

/**
 * Bundles every function of one CDK app.
 *
 * Functions register at construction; nothing is built then. The first time any function's code location is
 * needed during synthesis, every registered bundle that is not built yet is built: first from the persistent cache,
 * then the rest in one esbuild pass per group of identical options. One bundler per app (the construct tree's
 * root), so that apps in one process never share state.
 */
export class Bundler {
  /** The bundler of the app that holds `scope`. */
  public static of(scope: IConstruct): Bundler {
    const root = scope.node.root;
    let bundler = bundlers.get(root);
    if (!bundler) {
      bundler = new Bundler();
      bundlers.set(root, bundler);
    }
    return bundler;
  }

  private readonly jobs = new Map<string, BundleJob>();
  private readonly report = new BundleReport();
  private passCounter = 0;

  private constructor() {}

  /**
   * Register a function's bundle. Functions with the same entry and options share one bundle. A function in a stack
   * that the CLI did not select (`aws:cdk:bundling-stacks`) is not bundled.
   */
  public register(fn: IConstruct, resolved: ResolvedBundling): BundleJob {
    const skip = !Stack.of(fn).bundlingRequired;
    // Issue 14: copied files and command hooks make it another bundle than the same entry's without them.
    const variant = resolved.copyFiles || resolved.commandHooks || resolved.typeCheck
      ? `\0${JSON.stringify([resolved.copyFiles, hookCommandsKey(resolved.commandHooks, resolved.projectRoot), resolved.typeCheck])}` : '';
    const id = (skip ? 'skip-' : '') + sha256(`${resolved.entry}\0${resolved.groupKey}${variant}`).slice(0, 16);
    let job = this.jobs.get(id);
    if (!job) {
      job = new BundleJob(id, resolved, skip);
      this.jobs.set(id, job);
    }
    job.functions.push(fn);
    return job;
  }

  /** Build every pending bundle: cached ones restored, the rest in one esbuild pass per option group. */
  public ensureBuilt(): void {
    const pending = [...this.jobs.values()].filter((j) => j.state === 'pending');
    if (pending.length === 0) {
      return;
    }
    const started = process.hrtime.bigint();
    const hasher = new FileHasher();
    const toBuild = new Map<string, Array<{ job: BundleJob; key: string; cache?: BundleCache }>>();
    let fromCache = 0;

    for (const job of pending) {
      if (job.skip) {
        job.state = 'skipped';
        continue;
      }
      const esbuild = loadEsbuild(job.resolved.projectRoot);
      const key = this.keyOf(job, esbuild.version, hasher);
      const cache = cacheOf(job);
      const hit = cache?.lookup(key, job.resolved.projectRoot, hasher);
      if (hit && cache) {
        job.stagedDir = stage(job, hit.hash, (tmp) => cache.restore(hit, tmp));
        job.record = hit;
        const cachedMetafile = cache.metafile(hit.hash);
        job.metafile = cachedMetafile ? { file: cachedMetafile } : undefined;
        job.fromCache = true;
        job.state = 'built';
        fromCache++;
        continue;
      }
      const group = toBuild.get(job.resolved.groupKey) ?? [];
      group.push({ job, key, cache });
      toBuild.set(job.resolved.groupKey, group);
    }

    let passes = 0;
    for (const group of toBuild.values()) {
      const esbuild = loadEsbuild(group[0].job.resolved.projectRoot);
      // esbuild writes into a staging directory beside the staged assets, so that staging is a rename.
      const stagingDir = path.join(assetOutdirOf(group[0].job), `.lambda-kit-staging-${process.pid}-${++this.passCounter}`);
      try {
        const ready = this.beforeBundling(group, stagingDir);
        if (ready.length === 0) {
          continue;
        }
        const built = buildGroup(esbuild, ready.map((g) => ({ id: g.job.id, resolved: g.job.resolved })), stagingDir);
        passes += built.passes;
        for (const { job, key, cache } of ready) {
          this.finish(job, built.bundles.get(job.id)!, key, cache);
        }
      } finally {
        fs.rmSync(stagingDir, { recursive: true, force: true });
      }
    }

    // Issue 14: `bundling.typeCheck`, one TypeScript program over every function asking for it.
    const typeChecked = typeCheckJobs(pending.filter((j) => j.state === 'built' && j.resolved.typeCheck), (j) => cacheRoot(j.functions[0], j.resolved.projectRoot));

    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const jobs = pending.filter((j) => j.state !== 'skipped');
    if (jobs.length === 0) {
      return;
    }
    const reportDir = path.join(assetOutdirOf(jobs[0]), 'lambda-kit');
    this.report.add(jobs.map((j) => reportEntry(j)));
    const reportFile = this.report.write(reportDir);
    const functions = jobs.reduce((n, j) => n + j.functions.length, 0);
    const failed = jobs.filter((j) => j.state === 'failed').length;
    process.stderr.write(
      `cdk-lambda-kit: ${functions} function${functions === 1 ? '' : 's'} bundled in ${seconds.toFixed(2)}s ` +
      `(${jobs.length - fromCache - failed} built in ${passes} esbuild pass${passes === 1 ? '' : 'es'}, ${fromCache} from cache` +
      `${failed ? `, ${failed} failed` : ''})` +
      // Issue 14: how many bundles were type-checked, in how many TypeScript programs.
      `${typeChecked.checked ? `, ${typeChecked.checked} type-checked in ${typeChecked.programs} TypeScript program${typeChecked.programs === 1 ? '' : 's'}` : ''}` +
      `; report: ${path.relative(process.cwd(), reportFile)}\n`,
    );
  }

  /** Issue 14: run `beforeBundling` hooks of a group's bundles; those that fail are left out of the pass. */
  private beforeBundling<T extends { job: BundleJob }>(group: T[], stagingDir: string): T[] {
    return group.filter(({ job }) => {
      const error = runBeforeBundling(job.resolved, path.join(stagingDir, job.id));
      if (error) {
        job.errors.push(error);
        job.state = 'failed';
      }
      return !error;
    });
  }

  private finish(job: BundleJob, built: BuiltBundle, key: string, cache: BundleCache | undefined): void {
    job.warnings.push(...built.warnings);
    if (built.errors.length > 0) {
      job.errors.push(...built.errors);
      job.state = 'failed';
      return;
    }
    // Issue 14: files copied beside the code, then `afterBundling` hooks, change the bundle (and its asset hash)
    // before it is staged and cached.
    const hooked = runAfterBundling(job.resolved, addCopiedFiles(built.record!, built.dir!, job.resolved.copyFiles), built.dir!);
    if (hooked.error) {
      job.errors.push(hooked.error);
      job.state = 'failed';
      return;
    }
    const record = hooked.record;
    job.stagedDir = stage(job, record.hash, (tmp) => fs.renameSync(built.dir!, tmp));
    job.record = record;
    job.metafile = { json: built.metafile };
    cache?.store(key, record, job.stagedDir, built.metafile);
    job.state = 'built';
  }

  private keyOf(job: BundleJob, esbuildVersion: string, hasher: FileHasher): string {
    const r = job.resolved;
    const lockFile = findLockFile(r.projectRoot);
    return cacheKey({
      esbuildVersion,
      entry: path.relative(r.projectRoot, r.entry),
      options: r.buildOptions,
      lockFile: lockFile ? hasher.hash(lockFile) : null,
      configFiles: r.configFiles.map((f) => hasher.hash(f) ?? null),
      // Issue 14: each copied file's target and content hash (absent without copyFiles: keys unchanged).
      copyFiles: copiedFilesKey(r.copyFiles, hasher),
      // Issue 14: the command hooks' commands (absent without hooks).
      commandHooks: hookCommandsKey(r.commandHooks, r.projectRoot),
    });
  }
}

/** The persistent cache for a bundle, or undefined when the app turned it off. */
function cacheOf(job: BundleJob): BundleCache | undefined {
  const root = cacheRoot(job.functions[0], job.resolved.projectRoot);
  return root ? new BundleCache(root) : undefined;
}

/** The app's cache directory, or undefined when the app turned the cache off. */
function cacheRoot(scope: IConstruct, projectRoot: string): string | undefined {
  const enabled = scope.node.tryGetContext(CACHE_ENABLED_CONTEXT);
  if (enabled === false || enabled === 'false') {
    return undefined;
  }
  const configured = scope.node.tryGetContext(CACHE_DIR_CONTEXT);
  if (typeof configured === 'string' && configured !== '') {
    return path.resolve(configured);
  }
  return defaultCacheDir(projectRoot);
}

/**
 * Where dependency layers are installed: `layers/` in the cache, or a fresh temporary directory when the cache is
 * off (every synth then reinstalls).
 */
export function layerCacheDir(scope: IConstruct, projectRoot: string): string {
  const root = cacheRoot(scope, projectRoot);
  return root ? path.join(root, 'layers') : fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-lambda-kit-layer-'));
}

/**
 * The default cache directory: `node_modules/.cache/cdk-lambda-kit` under the project root when it has
 * node_modules (the convention babel, eslint and webpack follow), else a directory in the system's temp folder.
 */
export function defaultCacheDir(projectRoot: string): string {
  const nodeModules = path.join(projectRoot, 'node_modules');
  if (fs.existsSync(nodeModules)) {
    return path.join(nodeModules, '.cache', 'cdk-lambda-kit');
  }
  return path.join(os.tmpdir(), 'cdk-lambda-kit-cache', sha256(projectRoot).slice(0, 16));
}

/**
 * The cloud assembly's asset directory, absolute: the CLI passes a relative outdir (`CDK_OUTDIR=cdk.out`), which
 * esbuild would resolve against the project root rather than the working directory.
 */
function assetOutdirOf(job: BundleJob): string {
  return path.resolve(Stage.of(job.functions[0])!.assetOutdir);
}

/**
 * Stage a bundle as `asset.<hash>` in the cloud assembly's asset directory, unless it is there already.
 * `produce` creates the given (not yet existing) directory with the bundle's files.
 */
function stage(job: BundleJob, hash: string, produce: (tmp: string) => void): string {
  const dir = path.join(assetOutdirOf(job), `asset.${hash}`);
  if (!fs.existsSync(dir)) {
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    produce(tmp);
    renameOrDiscard(tmp, dir);
  }
  return dir;
}

function reportEntry(job: BundleJob): ReportEntry {
  return {
    functions: job.functions.map((f) => f.node.path),
    entry: path.relative(job.resolved.projectRoot, job.resolved.entry),
    state: job.state === 'failed' ? 'failed' : job.fromCache ? 'cache' : 'built',
    record: job.record,
    metafile: job.metafile,
    errors: job.errors,
  };
}
