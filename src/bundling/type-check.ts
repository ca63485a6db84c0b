import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { hashFile } from './cache/fingerprint';
import type { BundleRecord } from './cache/records';
import { tempName } from './cache/verified-files';
import type { ResolvedBundling } from './esbuild/build-options';
import { sha256 } from './hash';
import { findLockFile } from './project-root';

/**
 * `bundling.typeCheck`: one TypeScript program (`tsc --noEmit`) over the entries of every function that asks for it,
 * per tsconfig, in this process; its errors reported per function (through the bundle's errors, so that they carry
 * the construct path). A function whose checked files are unchanged since it last passed is not checked again.
 *
 * TypeScript 4 to 6 are run through their compiler API, in this process. TypeScript 7 is a native compiler whose
 * package exports no compiler API (`require('typescript')` gives its version only): its `tsc` runs on a temporary
 * tsconfig that extends the function's and lists the entries.
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
  const byConfig = new Map<string, { compiler: ApiCompiler | TscCompiler; config?: string; jobs: J[] }>();
  for (const job of jobs) {
    const marker = markerFile(job, markerDirOf(job));
    if (marker && stillPasses(marker)) {
      continue;
    }
    const compiler = loadTypeScript(job.resolved.projectRoot);
    if (!compiler) {
      fail(job, `\`bundling.typeCheck\` needs the typescript package in the project (${job.resolved.projectRoot}): npm install --save-dev typescript`);
      continue;
    }
    if (compiler.kind === 'unsupported') {
      fail(job, `\`bundling.typeCheck\` cannot run typescript@${compiler.version} (${compiler.dir}): it has neither the compiler API of TypeScript 4 to 6 nor the tsc of TypeScript 7; install one of those: npm install --save-dev typescript@^7`);
      continue;
    }
    const tsconfig = typeof job.resolved.buildOptions.tsconfig === 'string'
      ? path.resolve(job.resolved.projectRoot, job.resolved.buildOptions.tsconfig)
      : findConfig(path.dirname(job.resolved.entry));
    const group = `${job.resolved.projectRoot}\0${tsconfig ?? ''}`;
    const entry = byConfig.get(group) ?? { compiler, config: tsconfig, jobs: [] };
    entry.jobs.push(job);
    byConfig.set(group, entry);
  }

  let checkedJobs = 0;
  for (const { compiler, config, jobs: group } of byConfig.values()) {
    checkedJobs += group.length;
    const entries = group.map((j) => j.resolved.entry);
    const root = group[0].resolved.projectRoot;
    const result = compiler.kind === 'api' ? checkWithApi(compiler.ts, entries, config) : checkWithTsc(compiler, entries, config, root);
    if (typeof result === 'string') {
      group.forEach((job) => fail(job, result));
      continue;
    }
    const { diagnostics } = result;
    const checked = result.files.filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`));
    const closures = new Map(group.map((job) => [job, closureOf(job)]));
    for (const job of group) {
      // An error in a file of the function's import graph is its own; one in a file outside every checked function's
      // graph (a global .d.ts, a file only imported for types) is reported for each of them.
      const own = diagnostics.filter((d) => d.file === undefined || closures.get(job)!.has(d.file)
        || ![...closures.values()].some((c) => c.has(d.file!)));
      if (own.length > 0) {
        fail(job, `\`bundling.typeCheck\`: ${own.length} TypeScript error${own.length === 1 ? '' : 's'} (tsc --noEmit${config ? ` -p ${path.relative(job.resolved.projectRoot, config)}` : ''}):\n      ` +
          own.slice(0, 20).map((d) => format(d, job.resolved.projectRoot)).join('\n      '));
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

/** A type error, its file absolute; line and column 1-based. */
interface Problem {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly code: number;
  readonly text: string;
}

/** What one program checked: its errors and every file in it (absolute). A string is a failure to run at all. */
type CheckResult = { readonly diagnostics: Problem[]; readonly files: string[] } | string;

/** TypeScript 4 to 6: one program through the compiler API, in this process. */
function checkWithApi(ts: TypeScriptApi, entries: string[], config: string | undefined): CheckResult {
  let options: Record<string, unknown> = {};
  if (config) {
    const read = ts.readConfigFile(config, ts.sys.readFile);
    options = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, path.dirname(config)).options;
  }
  const program = ts.createProgram(entries, { ...options, ...CHECK_ONLY });
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.category === 1).map((d): Problem => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!d.file || d.start === undefined) {
      return { code: d.code, text };
    }
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return { file: path.resolve(d.file.fileName), line: line + 1, column: character + 1, code: d.code, text };
  });
  return { diagnostics, files: program.getSourceFiles().map((f) => path.resolve(f.fileName)) };
}

/** The options that make a program a check: nothing written, no build info. */
const CHECK_ONLY = { noEmit: true, declaration: false, composite: false, incremental: false };

/**
 * TypeScript 7: its `tsc` on a temporary tsconfig, next to the function's (so that its relative settings and the
 * `@types` it sees are the same), that extends it and lists only the entries; `--listFiles` gives the program's files.
 */
function checkWithTsc(compiler: TscCompiler, entries: string[], config: string | undefined, projectRoot: string): CheckResult {
  const dir = config ? path.dirname(config) : projectRoot;
  const temp = `${tempName(path.join(dir, '.cdk-lambda-kit-typecheck'))}.json`;
  fs.writeFileSync(temp, JSON.stringify({ ...(config ? { extends: config } : {}), compilerOptions: CHECK_ONLY, files: entries, include: [] }));
  let run;
  try {
    run = spawnSync(process.execPath, [compiler.tsc, '-p', temp, '--pretty', 'false', '--listFiles'], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  } finally {
    fs.rmSync(temp, { force: true });
  }
  if (run.error || (run.status !== 0 && run.status !== 1 && run.status !== 2)) {
    return `\`bundling.typeCheck\`: typescript@${compiler.version}'s tsc (${compiler.tsc}) did not run: ${run.error?.message ?? `exit code ${run.status}`}\n${`${run.stdout}${run.stderr}`.trim().split('\n').slice(-10).join('\n')}`;
  }
  const diagnostics: Problem[] = [];
  const files: string[] = [];
  let last: { text: string } | undefined;
  for (const line of `${run.stdout}`.split('\n')) {
    const located = /^(.+)\((\d+),(\d+)\): error TS(\d+): (.*)$/.exec(line);
    const global = /^error TS(\d+): (.*)$/.exec(line);
    if (located) {
      const [, file, line_, column, code, text] = located;
      const problem = { file: path.resolve(dir, file), line: Number(line_), column: Number(column), code: Number(code), text };
      diagnostics.push(problem);
      last = problem;
    } else if (global) {
      const problem = { code: Number(global[1]), text: global[2] };
      diagnostics.push(problem);
      last = problem;
    } else if (/^\s+\S/.test(line) && last) {
      // A diagnostic's chained message continues on indented lines.
      last.text += ` ${line.trim()}`;
    } else if (path.isAbsolute(line.trim())) {
      files.push(path.resolve(line.trim()));
      last = undefined;
    }
  }
  if (run.status !== 0 && diagnostics.length === 0) {
    return `\`bundling.typeCheck\`: typescript@${compiler.version}'s tsc failed (exit code ${run.status}) without a type error:\n${`${run.stdout}${run.stderr}`.trim().split('\n').slice(-10).join('\n')}`;
  }
  return { diagnostics, files };
}

/** The tsconfig.json nearest a directory, as \`tsc\` and TypeScript's \`findConfigFile\` find it. */
function findConfig(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (fs.existsSync(candidate)) {
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
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

function format(d: Problem, projectRoot: string): string {
  if (!d.file || d.line === undefined) {
    return `TS${d.code}: ${d.text}`;
  }
  return `${path.relative(projectRoot, d.file)}:${d.line}:${d.column} TS${d.code}: ${d.text}`;
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

/** TypeScript 4 to 6, through its API. */
interface ApiCompiler { readonly kind: 'api'; readonly ts: TypeScriptApi }
/** TypeScript 7, through its tsc. */
interface TscCompiler { readonly kind: 'cli'; readonly tsc: string; readonly version: string }
/** A typescript package offering neither. */
interface UnsupportedCompiler { readonly kind: 'unsupported'; readonly version: string; readonly dir: string }
type Compiler = ApiCompiler | TscCompiler | UnsupportedCompiler;

const loaded = new Map<string, Compiler>();

/**
 * TypeScript as the project resolves it (one load per project root); undefined when the project has none, which is
 * not remembered: a process that synthesizes again after `npm install --save-dev typescript` finds it.
 */
function loadTypeScript(projectRoot: string): Compiler | undefined {
  const compiler = loaded.get(projectRoot) ?? resolveCompiler(projectRoot);
  if (compiler) {
    loaded.set(projectRoot, compiler);
  }
  return compiler;
}

function resolveCompiler(projectRoot: string): Compiler | undefined {
  // Node's lookup of a package: node_modules/typescript in the project root or a directory above it.
  let dir: string | undefined;
  for (let from = projectRoot; !dir; from = path.dirname(from)) {
    if (fs.existsSync(path.join(from, 'node_modules', 'typescript', 'package.json'))) {
      dir = path.join(from, 'node_modules', 'typescript');
    } else if (path.dirname(from) === from) {
      return undefined;
    }
  }
  const manifestFile = path.join(dir, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { version?: string; bin?: string | Record<string, string> };
  const version = manifest.version ?? 'unknown';
  let api: Partial<TypeScriptApi> | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    api = require(dir) as Partial<TypeScriptApi>;
  } catch {
    api = undefined;
  }
  if (api && typeof api.createProgram === 'function' && api.sys) {
    return { kind: 'api', ts: api as TypeScriptApi };
  }
  const bin = typeof manifest.bin === 'object' ? manifest.bin.tsc : undefined;
  if (Number(version.split('.')[0]) >= 7 && bin && fs.existsSync(path.join(dir, bin))) {
    return { kind: 'cli', tsc: path.join(dir, bin), version };
  }
  return { kind: 'unsupported', version, dir };
}
