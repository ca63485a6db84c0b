import * as fs from 'fs';
import * as path from 'path';
import type { BundleRecord } from './cache';
import type { ResolvedBundling } from './esbuild-options';
import { hashFile } from './fingerprint';
import { sha256 } from './hash';
import { findLockFile } from './project-root';

/**
 * `bundling.typeCheck`: one TypeScript program (`tsc --noEmit`) over the entries of every function that asks for it,
 * per tsconfig, in this process; its errors reported per function (through the bundle's errors, so that they carry
 * the construct path). A function whose checked files are unchanged since it last passed is not checked again.
 */

/** The subset of TypeScript's API used here. */
interface TypeScriptApi {
  readonly version: string;
  readonly sys: { fileExists(file: string): boolean; readFile(file: string): string | undefined };
  findConfigFile(searchPath: string, fileExists: (file: string) => boolean): string | undefined;
  readConfigFile(file: string, read: (file: string) => string | undefined): { config?: unknown; error?: unknown };
  parseJsonConfigFileContent(json: unknown, host: unknown, basePath: string): { options: Record<string, unknown> };
  createProgram(rootNames: string[], options: Record<string, unknown>): TsProgram;
  getPreEmitDiagnostics(program: TsProgram): TsDiagnostic[];
  flattenDiagnosticMessageText(message: unknown, newLine: string): string;
}
interface TsProgram {
  getSourceFiles(): ReadonlyArray<{ fileName: string }>;
}
interface TsDiagnostic {
  file?: { fileName: string; getLineAndCharacterOfPosition(pos: number): { line: number; character: number } };
  start?: number;
  messageText: unknown;
  code: number;
  category: number;
}

/**
 * What the check reads of a bundle job (the bundler's `BundleJob`), and the failure it records on it. Declared here so
 * that the bundler imports the check and not the other way round.
 */
interface TypeCheckJob {
  readonly resolved: ResolvedBundling;
  readonly record?: BundleRecord;
  readonly errors: string[];
  state: string;
}

/** Where a job's last passing check is recorded: every checked file with its hash. */
type PassRecord = Record<string, string>;

/**
 * Type-check the given built jobs: those whose last pass is still valid are skipped, the others are checked in one
 * program per tsconfig. Errors go to the job's errors (and fail it).
 *
 * @param markerDir where passing checks are recorded (undefined: the cache is off, always check)
 */
export function typeCheckJobs<J extends TypeCheckJob>(jobs: J[], markerDirOf: (job: J) => string | undefined): { checked: number; programs: number } {
  const byConfig = new Map<string, { ts: TypeScriptApi; config?: string; jobs: J[] }>();
  for (const job of jobs) {
    const marker = markerFile(job, markerDirOf(job));
    if (marker && stillPasses(marker)) {
      continue;
    }
    const ts = loadTypeScript(job.resolved.projectRoot);
    if (!ts) {
      fail(job, `\`bundling.typeCheck\` needs the typescript package in the project (${job.resolved.projectRoot}): npm install --save-dev typescript`);
      continue;
    }
    const tsconfig = typeof job.resolved.buildOptions.tsconfig === 'string'
      ? path.resolve(job.resolved.projectRoot, job.resolved.buildOptions.tsconfig)
      : ts.findConfigFile(path.dirname(job.resolved.entry), ts.sys.fileExists);
    const group = `${job.resolved.projectRoot}\0${tsconfig ?? ''}`;
    const entry = byConfig.get(group) ?? { ts, config: tsconfig, jobs: [] };
    entry.jobs.push(job);
    byConfig.set(group, entry);
  }

  let checkedJobs = 0;
  for (const { ts, config, jobs: group } of byConfig.values()) {
    checkedJobs += group.length;
    let options: Record<string, unknown> = {};
    if (config) {
      const read = ts.readConfigFile(config, ts.sys.readFile);
      options = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, path.dirname(config)).options;
    }
    const program = ts.createProgram(group.map((j) => j.resolved.entry), {
      ...options, noEmit: true, declaration: false, composite: false, incremental: false,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.category === 1);
    const checked = program.getSourceFiles().map((f) => path.resolve(f.fileName)).filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`));
    const closures = new Map(group.map((job) => [job, closureOf(job)]));
    for (const job of group) {
      // An error in a file of the function's import graph is its own; one in a file outside every checked function's
      // graph (a global .d.ts, a file only imported for types) is reported for each of them.
      const own = diagnostics.filter((d) => {
        const file = d.file ? path.resolve(d.file.fileName) : undefined;
        return file === undefined || closures.get(job)!.has(file) || ![...closures.values()].some((c) => c.has(file));
      });
      if (own.length > 0) {
        fail(job, `\`bundling.typeCheck\`: ${own.length} TypeScript error${own.length === 1 ? '' : 's'} (tsc --noEmit${config ? ` -p ${path.relative(job.resolved.projectRoot, config)}` : ''}):\n      ` +
          own.slice(0, 20).map((d) => format(ts, d, job.resolved.projectRoot)).join('\n      '));
        continue;
      }
      const marker = markerFile(job, markerDirOf(job));
      if (marker) {
        const files: PassRecord = {};
        const lockFile = findLockFile(job.resolved.projectRoot);
        for (const file of [...checked, ...(config ? [config] : []), ...(lockFile ? [lockFile] : [])]) {
          files[file] = hashFile(file) ?? '';
        }
        try {
          fs.mkdirSync(path.dirname(marker), { recursive: true });
          fs.writeFileSync(marker, JSON.stringify(files));
        } catch {
          // The record is an optimisation: without it the next synth checks again.
        }
      }
    }
  }
  return { checked: checkedJobs, programs: byConfig.size };
}

/** The files of a function's import graph, as esbuild recorded them, absolute. */
function closureOf(job: TypeCheckJob): Set<string> {
  // The record's files are its `f:` inputs (see fingerprint.ts): what esbuild read, and the config files above them.
  const files = Object.keys(job.record?.inputs ?? {}).filter((i) => i.startsWith('f:')).map((i) => i.slice(2));
  const closure = new Set(files.map((i) => path.resolve(job.resolved.projectRoot, i)));
  closure.add(path.resolve(job.resolved.entry));
  return closure;
}

function fail(job: TypeCheckJob, message: string): void {
  job.errors.push(message);
  job.state = 'failed';
}

function format(ts: TypeScriptApi, d: TsDiagnostic, projectRoot: string): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  if (!d.file || d.start === undefined) {
    return `TS${d.code}: ${text}`;
  }
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${path.relative(projectRoot, d.file.fileName)}:${line + 1}:${character + 1} TS${d.code}: ${text}`;
}

/** The file recording a job's last passing check: keyed on its bundle (entry, options, output). */
function markerFile(job: TypeCheckJob, dir: string | undefined): string | undefined {
  if (!dir || !job.record) {
    return undefined;
  }
  const key = sha256(`${job.resolved.entry}\0${job.resolved.groupKey}\0${job.record.hash}`).slice(0, 32);
  return path.join(dir, 'typecheck', `${key}.json`);
}

function stillPasses(marker: string): boolean {
  let files: PassRecord;
  try {
    files = JSON.parse(fs.readFileSync(marker, 'utf8'));
  } catch {
    return false;
  }
  return Object.entries(files).every(([file, hash]) => hashFile(file) === hash);
}

const loaded = new Map<string, TypeScriptApi | undefined>();

/** TypeScript as the project resolves it (one load per project root). */
function loadTypeScript(projectRoot: string): TypeScriptApi | undefined {
  if (!loaded.has(projectRoot)) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded.set(projectRoot, require(require.resolve('typescript', { paths: [projectRoot] })) as TypeScriptApi);
    } catch {
      loaded.set(projectRoot, undefined);
    }
  }
  return loaded.get(projectRoot);
}
