import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BundleCacheContext } from './cache/context';
import { FileProbe, InputRecorder, Inputs, globImportDirs } from './cache/fingerprint';
import { BundleCache, BundleRecord, CacheAccess, IntegrityError, cacheKey, openCache } from './cache/records';
import { cleanLeftovers, directoryHolds, markVerified, replaceDirectory, tempName } from './cache/verified-files';
import { hookCommandsKey, runAfterBundling, runBeforeBundling } from './command-hooks';
import { CopiedFile, addCopiedFiles, copiedFilesKey } from './copy-files';
import { ResolvedBundling } from './esbuild/build-options';
import { loadEsbuild } from './esbuild/loader';
import { BuiltBundle, PassEntry, buildGroup, esmExportsOf } from './esbuild/pass';
import { sha256 } from './hash';
import { measureInit } from './init-time';
import { findLockFile } from './project-root';
import { BundleReport, ReportEntry } from './report';
import { typeCheckJobs } from './type-check';

/**
 * Context key: the directory of the persistent bundle cache (absolute, or relative to the working directory).
 * Default: `node_modules/.cache/cdk-lambda-kit` under the project root.
 */
export const CACHE_DIR_CONTEXT = BundleCacheContext.DIRECTORY;

/** Context key: set to `false` to turn the persistent bundle cache off. */
export const CACHE_ENABLED_CONTEXT = BundleCacheContext.ENABLED;

/** Context key: set to `true` to leave out the summary line on stderr. */
export const QUIET_CONTEXT = BundleCacheContext.QUIET;

/** The state of one bundle: an entry with one set of options, shared by every function that asks for it. */
export class BundleJob {
  /** Functions using this bundle, in the order they registered. */
  public readonly functions: IConstruct[] = [];
  public state: 'pending' | 'built' | 'failed' | 'skipped' = 'pending';
  public record?: BundleRecord;
  public fromCache = false;
  /** Absolute path of the staged bundle directory in the cloud assembly. */
  public stagedDir?: string;
  /** The file holding the metafile slice of this bundle: the pass's, the cache's or the report's copy. */
  public metafile?: string;
  /**
   * The exports of the staged main file, when they were read from the bytes staged (undefined: read the file). The
   * staged directory is checked against the record's sha256s before they are used.
   */
  public stagedExports?: string[];
  public readonly errors: string[] = [];
  public readonly warnings: string[] = [];

  constructor(public readonly id: string, public readonly resolved: ResolvedBundling, public readonly skip: boolean) {}
}

const bundlers = new WeakMap<IConstruct, Bundler>();

/** A bundle to build, with its cache key and the cache to store it in (none when the cache is off). */
interface PassJob {
  readonly job: BundleJob;
  readonly key: string;
  readonly cache?: BundleCache;
}

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
      bundler = new Bundler(root);
      bundlers.set(root, bundler);
    }
    return bundler;
  }

  private readonly jobs = new Map<string, BundleJob>();
  private readonly report = new BundleReport();
  private readonly caches = new Map<string, CacheAccess | undefined>();
  private readonly cleaned = new Set<string>();
  private cacheWarned = false;
  private passCounter = 0;
  /** Bundles built in this pass, to store in the cache once the report is written. */
  private toStore: Array<{ job: BundleJob; key: string; cache: BundleCache }> = [];
  /** Dependency layers set up since the last summary line. */
  private layers: Array<{ installed: boolean; seconds: number }> = [];

  private constructor(root: IConstruct) {
    // One summary line per synth, printed when the tree is validated (before templates are written), whether the
    // app has functions, dependency layers or both.
    root.node.addValidation({ validate: () => { this.ensureBuilt(); return []; } });
  }

  /**
   * The app's cache directory for a project, or undefined when the app turned the cache off or it cannot be used
   * (then one warning, `cdk-lambda-kit:cacheUnavailable`, goes on `scope`, the first construct that needed it).
   */
  public cacheDir(scope: IConstruct, projectRoot: string): string | undefined {
    const enabled = scope.node.tryGetContext(CACHE_ENABLED_CONTEXT);
    if (enabled === false || enabled === 'false') {
      return undefined;
    }
    if (!this.caches.has(projectRoot)) {
      this.caches.set(projectRoot, openCache(scope, projectRoot));
    }
    const access = this.caches.get(projectRoot)!;
    if (access.reason !== undefined) {
      if (!this.cacheWarned) {
        this.cacheWarned = true;
        Annotations.of(scope).addWarningV2('cdk-lambda-kit:cacheUnavailable',
          `the build cache cannot be used (${access.reason}): this synth bundles and installs dependency layers ` +
          `without it. Fix the directory, or set another one with the context key \`${CACHE_DIR_CONTEXT}\`.`);
      }
      return undefined;
    }
    if (!this.cleaned.has(access.dir)) {
      this.cleaned.add(access.dir);
      new BundleCache(access.dir).cleanLeftovers();
      cleanLeftovers(path.join(access.dir, 'layers'));
    }
    return access.dir;
  }

  /** Count a dependency layer in the next summary line. */
  public noteLayer(installed: boolean, seconds: number): void {
    this.layers.push({ installed, seconds });
  }

  /** Remove what killed synths left in a cloud assembly's asset directory (once per directory). */
  public cleanAssetDir(dir: string): void {
    if (!this.cleaned.has(dir)) {
      this.cleaned.add(dir);
      cleanLeftovers(dir);
    }
  }

  /**
   * Register a function's bundle. Functions with the same entry and options share one bundle. A function in a stack
   * that the CLI did not select (`aws:cdk:bundling-stacks`) is not bundled.
   */
  public register(fn: IConstruct, resolved: ResolvedBundling): BundleJob {
    const skip = !Stack.of(fn).bundlingRequired;
    // Copied files and command hooks make it another bundle than the same entry's without them.
    // So do native packages installed for another architecture or runtime.
    const variant = resolved.copyFiles || resolved.commandHooks || resolved.typeCheck || resolved.nativeModules
      ? `\0${JSON.stringify([resolved.copyFiles, hookCommandsKey(resolved.commandHooks, resolved.projectRoot), resolved.typeCheck,
        resolved.nativeModules?.platform])}` : '';
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
      this.summarize([], 0, 0, { checked: 0, programs: 0 });
      return;
    }
    const started = process.hrtime.bigint();
    const probe = new FileProbe();
    const toBuild = new Map<string, PassJob[]>();

    for (const job of pending) {
      if (job.skip) {
        job.state = 'skipped';
        continue;
      }
      this.cleanAssetDir(assetOutdirOf(job));
      const esbuild = loadEsbuild(job.resolved.projectRoot);
      const key = this.keyOf(job, esbuild.version, probe);
      const cacheDir = this.cacheDir(job.functions[0], job.resolved.projectRoot);
      const cache = cacheDir ? new BundleCache(cacheDir) : undefined;
      const hit = cache?.lookup(key, job.resolved.projectRoot, probe);
      if (hit && cache) {
        try {
          job.stagedDir = stage(job, hit, (tmp) => {
            const main = cache.restore(hit, tmp, job.resolved.outputFileName);
            job.stagedExports = main && job.resolved.outputFileName.endsWith('.mjs') ? esmExportsOf(main.toString('utf8')) : undefined;
          });
          job.record = hit;
          const cachedMetafile = cache.metafile(hit.hash);
          job.metafile = cachedMetafile;
          job.fromCache = true;
          job.state = 'built';
          continue;
        } catch (e) {
          if (!(e instanceof IntegrityError)) {
            throw e;
          }
          // A cached file was changed or truncated: a miss. The rebuild below replaces the bad copy.
        }
      }
      const group = toBuild.get(job.resolved.groupKey) ?? [];
      group.push({ job, key, cache });
      toBuild.set(job.resolved.groupKey, group);
    }

    let passes = 0;
    // Each pass's metafile slices, kept on disk until the report has linked them in.
    const metafileDirs: string[] = [];
    try {
      passes = this.buildPasses(toBuild, probe, metafileDirs);
      this.afterPasses(pending, passes, started);
    } finally {
      for (const dir of metafileDirs) {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }

  /** The esbuild passes: one per group of identical options. Returns how many esbuild calls were made. */
  private buildPasses(toBuild: Map<string, PassJob[]>, probe: FileProbe, metafileDirs: string[]): number {
    let passes = 0;
    for (const group of toBuild.values()) {
      const esbuild = loadEsbuild(group[0].job.resolved.projectRoot);
      const byId = new Map(group.map((g) => [g.job.id, g.job]));
      const inputsOf = (entry: PassEntry, sources: string[]) => this.inputsOf(byId.get(entry.id)!, sources, probe);
      // esbuild writes into a staging directory beside the staged assets, so that staging is a rename.
      const stagingDir = path.join(assetOutdirOf(group[0].job), `.lambda-kit-staging-${process.pid}-${++this.passCounter}`);
      const metafileDir = `${stagingDir}-metafiles`;
      metafileDirs.push(metafileDir);
      try {
        const ready = this.beforeBundling(group, stagingDir);
        if (ready.length === 0) {
          continue;
        }
        const entries = ready.map((g) => ({ id: g.job.id, resolved: g.job.resolved }));
        const built = buildGroup(esbuild, entries, stagingDir, metafileDir, inputsOf, probe);
        passes += built.passes;
        for (const { job, key, cache } of ready) {
          const again = leaveOutShipped(job, built.bundles.get(job.id)!, (resolved) => {
            fs.rmSync(path.join(stagingDir, job.id), { recursive: true, force: true });
            const single = buildGroup(esbuild, [{ id: job.id, resolved }], stagingDir, metafileDir, inputsOf, probe);
            passes += single.passes;
            return single.bundles.get(job.id)!;
          });
          this.finish(job, again, key, cache);
        }
      } finally {
        fs.rmSync(stagingDir, { recursive: true, force: true });
      }
    }
    return passes;
  }

  /** After the passes: type checks, the report and summary line, the cache writes. */
  private afterPasses(pending: BundleJob[], passes: number, started: bigint): void {
    // `bundling.typeCheck`, one TypeScript program over every function asking for it.
    const typeChecked = typeCheckJobs(pending.filter((j) => j.state === 'built' && j.resolved.typeCheck), (j) => this.cacheDir(j.functions[0], j.resolved.projectRoot));
    unstageFailed(pending);

    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const jobs = pending.filter((j) => j.state !== 'skipped');
    const metafiles = this.summarize(jobs, passes, seconds, typeChecked);
    for (const { job, key, cache } of this.toStore.filter((s) => s.job.state === 'built')) {
      cache.store(key, job.record!, job.stagedDir!, metafiles.get(job.functions[0].node.path));
    }
    this.toStore = [];
    for (const job of jobs) {
      // What synthesis still needs of a bundle is small; its inputs and metafile text are not kept to the end of it.
      const written = metafiles.get(job.functions[0].node.path);
      job.metafile = written ?? job.metafile;
      if (job.record && Object.keys(job.record.inputs).length > 0) {
        job.record = { ...job.record, inputs: {} };
      }
    }
  }

  /**
   * Write the report and print the summary line: bundles and functions, built and from cache, the dependency layers
   * set up; nothing when there is nothing new to say, or with the quiet context key. Returns the metafiles the report
   * wrote, by the first function of each bundle.
   */
  private summarize(jobs: BundleJob[], passes: number, seconds: number, typeChecked: { checked: number; programs: number }): Map<string, string> {
    const layers = this.layers;
    let metafiles = new Map<string, string>();
    if (jobs.length === 0 && layers.length === 0) {
      return metafiles;
    }
    this.layers = [];
    const parts: string[] = [];
    let scope: IConstruct | undefined;
    let reportFile: string | undefined;
    if (jobs.length > 0) {
      scope = jobs[0].functions[0];
      const reportDir = path.join(assetOutdirOf(jobs[0]), 'lambda-kit');
      const initTime = scope.node.tryGetContext(BundleCacheContext.INIT_TIME);
      this.report.add(jobs.map((j) => reportEntry(j, initTime)));
      const written = this.report.write(reportDir);
      reportFile = written.markdown;
      metafiles = written.metafiles;
      const functions = jobs.reduce((n, j) => n + j.functions.length, 0);
      const fromCache = jobs.filter((j) => j.fromCache && j.state !== 'failed').length;
      const failed = jobs.filter((j) => j.state === 'failed').length;
      parts.push(
        `${plural(jobs.length, 'bundle')} for ${plural(functions, 'function')} ` +
        `(${jobs.length - fromCache - failed} built, ${fromCache} from cache${failed ? `, ${failed} failed` : ''}) ` +
        `in ${seconds.toFixed(2)}s, ${plural(passes, 'esbuild pass', 'esbuild passes')}` +
        // `bundling.typeCheck`: how many bundles were type-checked, in how many TypeScript programs.
        (typeChecked.checked ? `, ${typeChecked.checked} type-checked in ${plural(typeChecked.programs, 'TypeScript program')}` : ''),
      );
    }
    if (layers.length > 0) {
      const installed = layers.filter((l) => l.installed);
      const layerSeconds = installed.reduce((n, l) => n + l.seconds, 0);
      parts.push(`${plural(layers.length, 'dependency layer')} (${installed.length} installed` +
        `${installed.length ? ` in ${layerSeconds.toFixed(2)}s` : ''}, ${layers.length - installed.length} from cache)`);
    }
    const quiet = scope ? scope.node.tryGetContext(QUIET_CONTEXT) : undefined;
    if (quiet !== true && quiet !== 'true') {
      process.stderr.write(`cdk-lambda-kit: ${parts.join('; ')}${reportFile ? `; report: ${displayPath(reportFile)}` : ''}\n`);
    }
    return metafiles;
  }

  /**
   * What a bundle was built from, as the cache checks it: the one place to add inputs. esbuild's metafile lists the
   * files it bundled; resolution also depended on the listings of their directories, on the config files and
   * `node_modules` of every directory above them, on the tsconfig chain and on the directories a glob import
   * covers (see fingerprint.ts for why listings). Inputs that esbuild does not read (files copied beside the bundle,
   * hook commands' files) belong here too: `recorder.file(path)` or `recorder.tree(dir)`.
   */
  private inputsOf(job: BundleJob, sources: string[], probe: FileProbe): Inputs {
    const r = job.resolved;
    const recorder = new InputRecorder(r.projectRoot, probe);
    // The path the function names may be a symlink: where it leads and what is there.
    recorder.realPath(r.entry);
    recorder.file(r.entry);
    recorder.directory(path.dirname(r.entry));
    for (const source of sources) {
      recorder.source(source);
      if (!source.split(path.sep).includes('node_modules')) {
        // Unreadable now: its recorded hash already says so.
        for (const dir of probe.scan('glob-imports', source, (text) => globImportDirs(text ?? '', source))) {
          recorder.tree(dir);
        }
      }
    }
    for (const config of r.configFiles) {
      recorder.tsconfig(config);
    }
    return recorder.inputs;
  }

  /** Run `beforeBundling` hooks of a group's bundles; those that fail are left out of the pass. */
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
    // Files copied beside the code, then `afterBundling` hooks, change the bundle (and its asset hash)
    // before it is staged and cached.
    // The native packages the output imports, installed for the function's platform beside it.
    const candidates = job.resolved.nativeModules?.candidates ?? {};
    const natives = built.record!.externalImports.filter((name) => candidates[name] !== undefined);
    // And what bundling cannot carry (packages reading their own data files, optional peers loaded by name).
    const shipped = job.resolved.nativeModules ? built.record!.shipInstalled.map((s) => s.module).filter((m) => !natives.includes(m)) : [];
    const names = [...natives, ...shipped].sort();
    let installed: CopiedFile[] = [];
    if (names.length > 0) {
      try {
        installed = job.resolved.nativeModules!.install(names);
      } catch (e) {
        job.errors.push((e as Error).message);
        job.state = 'failed';
        return;
      }
    }
    const copyFiles = installed.length > 0 ? [...job.resolved.copyFiles ?? [], ...installed] : job.resolved.copyFiles;
    const copied = addCopiedFiles({ ...built.record!, installedModules: names }, built.dir!, copyFiles, job.resolved.outputFileName);
    const hooked = runAfterBundling(job.resolved, copied, built.dir!);
    if (hooked.error) {
      job.errors.push(hooked.error);
      job.state = 'failed';
      return;
    }
    const record = hooked.record;
    job.stagedDir = stage(job, record, (tmp) => fs.renameSync(built.dir!, tmp));
    // Copied files and hooks may have rewritten the main file: then its exports are read from the staged file.
    job.stagedExports = record === built.record ? built.mainExports : undefined;
    job.record = record;
    job.metafile = built.metafile;
    if (cache) {
      // Stored once the report is written: the cache copies the bundle's metafile from there.
      this.toStore.push({ job, key, cache });
    }
    job.state = 'built';
  }

  private keyOf(job: BundleJob, esbuildVersion: string, probe: FileProbe): string {
    const r = job.resolved;
    const lockFile = findLockFile(r.projectRoot);
    return cacheKey({
      esbuildVersion,
      entry: path.relative(r.projectRoot, r.entry),
      // The options by their group key: the built-ins' files named by what they are, not where the package lives.
      options: r.groupKey,
      lockFile: lockFile ? probe.hash(lockFile) : null,
      configFiles: r.configFiles.map((f) => probe.hash(f) ?? null),
      // `bundling.copyFiles`: each copied file's target and content hash (absent without copyFiles: keys unchanged).
      copyFiles: copiedFilesKey(r.copyFiles, probe),
      // `bundling.commandHooks`: the hooks' commands (absent without hooks).
      commandHooks: hookCommandsKey(r.commandHooks, r.projectRoot),
      // Native packages installed for a platform (absent without any: keys unchanged).
      ...(r.nativeModules ? { nativeModules: r.nativeModules.platform } : {}),
    });
  }
}

/**
 * A bundle in which packages read their own data files (jsdom, pdfkit), when automatic installs are on: built again
 * with them left out (external), to be installed beside it. `rebuild` builds the entry with the options given.
 */
function leaveOutShipped(job: BundleJob, built: BuiltBundle, rebuild: (resolved: ResolvedBundling) => BuiltBundle): BuiltBundle {
  const leftOut = job.resolved.nativeModules ? (built.record?.shipInstalled ?? []).filter((s) => s.external) : [];
  if (leftOut.length === 0) {
    return built;
  }
  const options = job.resolved.buildOptions;
  const external = [...(options.external as string[] | undefined) ?? [], ...leftOut.flatMap((s) => [s.module, `${s.module}/*`])];
  const again = rebuild({ ...job.resolved, buildOptions: { ...options, external } });
  if (!again.record) {
    return again;
  }
  // Why each was left out, kept: the second build no longer holds them.
  const shipInstalled = [...leftOut, ...again.record.shipInstalled.filter((s) => !leftOut.some((l) => l.module === s.module))];
  return { ...again, record: { ...again.record, shipInstalled } };
}

/** A path to show: relative to the working directory when under it, else absolute. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.resolve(file);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The cloud assembly's asset directory, absolute: the CLI passes a relative outdir (`CDK_OUTDIR=cdk.out`), which
 * esbuild would resolve against the project root rather than the working directory.
 */
function assetOutdirOf(job: BundleJob): string {
  return path.resolve(Stage.of(job.functions[0])!.assetOutdir);
}

/**
 * Stage a bundle as `asset.<hash>` in the cloud assembly's asset directory. A directory of that name that is there
 * already is kept only if it holds exactly the bundle's files; otherwise it is replaced. `produce` creates the given
 * (not yet existing) directory with the bundle's files; it is moved into place complete.
 */
function stage(job: BundleJob, record: BundleRecord, produce: (tmp: string) => void): string {
  const dir = path.join(assetOutdirOf(job), `asset.${record.hash}`);
  if (!directoryHolds(dir, record)) {
    const tmp = tempName(dir);
    produce(tmp);
    replaceDirectory(tmp, dir, record);
    // Its files are the record's (hashed as written): the checks before templates are written need not hash again.
    markVerified(dir, record);
  }
  return dir;
}

/**
 * Take out of the cloud assembly the staged bundles of jobs that failed after staging (their type check), unless a
 * bundle that did not fail is the same directory.
 */
function unstageFailed(jobs: BundleJob[]): void {
  const kept = new Set(jobs.filter((j) => j.state === 'built').map((j) => j.stagedDir));
  for (const job of jobs) {
    if (job.state === 'failed' && job.stagedDir !== undefined) {
      if (!kept.has(job.stagedDir)) {
        fs.rmSync(job.stagedDir, { recursive: true, force: true });
        fs.rmSync(`${job.stagedDir}.verified`, { force: true });
      }
      job.stagedDir = undefined;
    }
  }
}

/**
 * A bundle's row of the report; with the `initTime` context (`true`, or a Node.js binary), its init measured in the
 * runtime client.
 */
function reportEntry(job: BundleJob, initTime?: unknown): ReportEntry {
  const measure = (initTime === true || initTime === 'true' || (typeof initTime === 'string' && initTime !== 'false' && initTime !== ''))
    && job.state !== 'failed' && job.stagedDir !== undefined && job.record !== undefined;
  const exportName = job.record?.exports.includes('handler') ? 'handler' : (job.record?.exports[0] ?? 'handler');
  return {
    ...(measure ? {
      init: measureInit({
        bundleDir: job.stagedDir!,
        outputFileName: job.resolved.outputFileName,
        exportName,
        metafile: job.metafile,
        nodePath: typeof initTime === 'string' && initTime !== 'true' ? initTime : undefined,
      }),
    } : {}),
    functions: job.functions.map((f) => f.node.path),
    entry: path.relative(job.resolved.projectRoot, job.resolved.entry),
    state: job.state === 'failed' ? 'failed' : job.fromCache ? 'cache' : 'built',
    record: job.record && {
      hash: job.record.hash,
      bytes: job.record.bytes,
      gzipBytes: job.record.gzipBytes,
      topModules: job.record.topModules,
      optionalImports: job.record.optionalImports,
      installedModules: job.record.installedModules,
      shipInstalled: job.record.shipInstalled,
    },
    metafile: job.metafile,
    errors: job.errors,
  };
}
