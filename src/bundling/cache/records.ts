/* eslint-disable no-bitwise */ // file modes are bit masks
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { IConstruct } from 'constructs';
import { BundleCacheContext } from './context';
import { FileProbe, Inputs, inputsHold } from './fingerprint';
import { sha256 } from '../hash';
import { cleanLeftovers, directoryHolds, mkdirNormalized, normalizeModes, replaceDirectory, tempName, treeManifest, writeAtomic, writeNormalized } from './verified-files';

/** Bump when the layout or meaning of cache records changes: old records are then ignored. */
const CACHE_FORMAT = 'v3';

/** The sizes of the biggest contributors to a bundle. */
export interface ModuleSize {
  /** A package name, or a source file relative to the project root. */
  readonly module: string;
  /** Bytes in the (minified) output. */
  readonly bytes: number;
}

/** What is known of a finished bundle: the cache stores it, the report shows it. */
export interface BundleRecord {
  /** The asset hash: sha256 of the output files' names and contents. */
  readonly hash: string;
  /** Output files, relative to the bundle directory. */
  readonly files: string[];
  /** sha256 of each output file, by name. */
  readonly fileHashes: Record<string, string>;
  /** Unzipped size of all output files. */
  readonly bytes: number;
  /** gzip size of the main output file. */
  readonly gzipBytes: number;
  /** The entry's exports, as esbuild reports them (empty when unknown). */
  readonly exports: string[];
  /** Whether `exports` is authoritative (false for CommonJS sources, whose exports are only known at run time). */
  readonly exportsKnown: boolean;
  /** What the bundle was built from (see fingerprint.ts). */
  readonly inputs: Inputs;
  /** The biggest contributors to the bundle. */
  readonly topModules: ModuleSize[];
  /** Packages the bundle imports but leaves out (externals), besides Node.js built-ins. */
  readonly externalImports: string[];
  /**
   * Packages the output requires that esbuild could not resolve and still built (a `require()` inside try/catch):
   * optional, never an error; listed in the bundle report.
   */
  readonly optionalImports: string[];
  /** Native packages the output imports, installed beside it for the function's platform. */
  readonly installedModules: string[];
  /** Bundled packages whose code reaches its own files at run time, with the file and what it uses. */
  readonly ownFileReaders: Array<{
    readonly module: string;
    /** The file, from the package's name (`pino/lib/transport.js`). */
    readonly file: string;
    readonly uses: string;
    readonly line: number;
    /** Whether it stands at the module's top level. */
    readonly atLoad: boolean;
  }>;
  /**
   * What bundling cannot carry, to ship installed beside the bundle: packages that read their own data files
   * (`external`: left out of the bundle), and the optional peers a package loads through `require(<variable>)`.
   */
  readonly shipInstalled: Array<{ readonly module: string; readonly reason: string; readonly external: boolean }>;
  /**
   * Requires of packages that are not installed, outside try/catch, in packages that need not have them (optional
   * peers, undeclared): left out of the bundle, run only on that code path.
   */
  readonly optionalRequires: OptionalRequire[];
}

/**
 * A `require()` that esbuild could not resolve, outside try/catch, in an installed package's code, of a package that
 * is not installed and that the requiring package declares an optional peer (`peerDependenciesMeta`), an optional
 * dependency, or not at all: optional by construction, since it only runs when that code path runs (knex's
 * dialects, each requiring its driver).
 */
export interface OptionalRequire {
  /** The requiring package. */
  readonly package: string;
  /** The requiring file, as esbuild names it (relative to the project root, as the metafile's inputs). */
  readonly file: string;
  readonly line: number;
  /** The specifier required (`mariadb/callback`). */
  readonly module: string;
  /** How the requiring package declares it. */
  readonly declared: 'an optional peer' | 'an optional dependency' | 'undeclared';
}

/** The asset hash of a bundle's files: sha256 over each file's name and sha256. */
export function bundleHash(fileHashes: Record<string, string>): string {
  return sha256(Object.keys(fileHashes).sort().map((name) => `${name}\n${fileHashes[name]}\n`).join(''));
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Whether a name is a plain relative path inside a directory: no `..`, not absolute, no empty or `.` segments. */
export function isPlainRelativePath(name: unknown): name is string {
  if (typeof name !== 'string' || name === '' || name.includes('\\') || name.includes('\0') || path.isAbsolute(name) || path.win32.isAbsolute(name)) {
    return false;
  }
  return name.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/**
 * Check a record read from the cache: anything else than what this version writes is a miss. A record that names
 * files outside its bundle directory, has no inputs, or whose hash is not the hash of its files, is never used.
 */
export function validRecord(value: unknown): BundleRecord | undefined {
  const r = value as BundleRecord;
  if (typeof r !== 'object' || r === null || typeof r.hash !== 'string' || !HEX64.test(r.hash)) {
    return undefined;
  }
  if (!Array.isArray(r.files) || r.files.length === 0 || !r.files.every(isPlainRelativePath)) {
    return undefined;
  }
  if (typeof r.fileHashes !== 'object' || r.fileHashes === null || Object.keys(r.fileHashes).length !== r.files.length
    || !r.files.every((f) => typeof r.fileHashes[f] === 'string' && HEX64.test(r.fileHashes[f]))
    || bundleHash(r.fileHashes) !== r.hash) {
    return undefined;
  }
  if (typeof r.inputs !== 'object' || r.inputs === null || Array.isArray(r.inputs)) {
    return undefined;
  }
  if (!validInputs(r.inputs as Record<string, unknown>)) {
    return undefined;
  }
  const strings = (a: unknown) => Array.isArray(a) && a.every((s) => typeof s === 'string');
  if (typeof r.bytes !== 'number' || typeof r.gzipBytes !== 'number' || typeof r.exportsKnown !== 'boolean'
    || !strings(r.exports) || !strings(r.externalImports) || !strings(r.optionalImports) || !strings(r.installedModules)
    || !Array.isArray(r.topModules) || !Array.isArray(r.ownFileReaders) || !Array.isArray(r.optionalRequires) || !Array.isArray(r.shipInstalled)) {
    return undefined;
  }
  return r;
}

/**
 * Whether a record's inputs are what this version records: at least one file; files and listings as a sha256 or `-`
 * (nothing there), real paths as a non-empty path. One loop without allocations: a warm synth checks every input of every record.
 */
function validInputs(inputs: Record<string, unknown>): boolean {
  let files = 0;
  for (const key in inputs) {
    const value = inputs[key];
    if (typeof value !== 'string' || key.length < 3 || key[1] !== ':') {
      return false;
    }
    if (key[0] === 'f' || key[0] === 'd') {
      if (value !== '-' && !HEX64.test(value)) {
        return false;
      }
      files += key[0] === 'f' ? 1 : 0;
    } else if (key[0] !== 'r' || value === '' || value.includes('\0')) {
      return false;
    }
  }
  return files > 0;
}

/** A cached file did not hold what its record says. */
export class IntegrityError extends Error {}

/**
 * The persistent bundle cache.
 *
 * Layout under the cache directory: `v3/entries/<key>.json` records what one bundle was built from;
 * `v3/bundles/<hash>/` holds its output files and `v3/bundles/<hash>.metafile.json` its slice of esbuild's metafile.
 * Every file's sha256 is in the record and checked when it is restored. Deleting the directory is always safe: the
 * next synth rebuilds what it needs.
 */
export class BundleCache {
  private readonly root: string;

  constructor(directory: string) {
    this.root = path.join(directory, CACHE_FORMAT);
  }

  /**
   * The record for a cache key, if one exists, is valid, and every input it was built from still holds.
   */
  public lookup(key: string, projectRoot: string, probe: FileProbe): BundleRecord | undefined {
    let record: BundleRecord | undefined;
    try {
      record = validRecord(JSON.parse(fs.readFileSync(this.entryFile(key), 'utf8')));
    } catch {
      return undefined;
    }
    if (!record || !inputsHold(record.inputs, projectRoot, probe)) {
      return undefined;
    }
    return record;
  }

  /**
   * Copy a cached bundle's files into a new directory, checking each file's sha256 on the way; throws
   * {@link IntegrityError} (and leaves no directory behind) when one does not match. Returns the (verified) bytes of
   * `keep`, one of the files, when given.
   */
  public restore(record: BundleRecord, destination: string, keep?: string): Buffer | undefined {
    const from = this.bundleDir(record.hash);
    let kept: Buffer | undefined;
    try {
      mkdirNormalized(destination);
      for (const file of record.files) {
        let contents: Buffer;
        try {
          contents = fs.readFileSync(path.join(from, file));
        } catch (e) {
          throw new IntegrityError(`${file}: ${(e as Error).message}`);
        }
        if (sha256(contents) !== record.fileHashes[file]) {
          throw new IntegrityError(`${file} does not match its recorded sha256`);
        }
        writeNormalized(path.join(destination, file), contents);
        if (file === keep) {
          kept = contents;
        }
      }
    } catch (e) {
      fs.rmSync(destination, { recursive: true, force: true });
      throw e;
    }
    return kept;
  }

  /** The cached metafile slice of a bundle, if there is one. */
  public metafile(hash: string): string | undefined {
    const file = this.bundleDir(hash) + '.metafile.json';
    return fs.existsSync(file) ? file : undefined;
  }

  /**
   * Store a finished bundle: its files (copied from where they were staged), its metafile slice (copied from the
   * report) and its record, in that order, so that a record is only ever there with its bundle. Each is written under
   * a temporary name and renamed into place. A bundle directory that is there already is kept only if it holds
   * exactly the record's files; otherwise it is replaced. A failed write is ignored (the record is then not written):
   * the cache is an optimisation, never a source of truth, and every restore checks every file's sha256.
   */
  public store(key: string, record: BundleRecord, stagedDir: string, metafile: string | undefined): void {
    const bundleDir = this.bundleDir(record.hash);
    try {
      if (!directoryHolds(bundleDir, record)) {
        const tmp = tempName(bundleDir);
        try {
          for (const file of record.files) {
            writeNormalized(path.join(tmp, file), fs.readFileSync(path.join(stagedDir, file)));
          }
          replaceDirectory(tmp, bundleDir, record);
        } finally {
          fs.rmSync(tmp, { recursive: true, force: true });
        }
      }
      if (metafile !== undefined) {
        writeAtomic(bundleDir + '.metafile.json', fs.readFileSync(metafile));
      }
      writeAtomic(this.entryFile(key), JSON.stringify(record));
    } catch {
      // The next synth rebuilds what is missing.
    }
  }

  /** Remove what killed synths left in the cache. */
  public cleanLeftovers(): void {
    cleanLeftovers(path.join(this.root, 'bundles'));
    cleanLeftovers(path.join(this.root, 'entries'));
  }

  private entryFile(key: string): string {
    return path.join(this.root, 'entries', `${key}.json`);
  }

  private bundleDir(hash: string): string {
    return path.join(this.root, 'bundles', hash);
  }
}

/**
 * The record of a bundle directory whose files changed after esbuild wrote it (`bundling.copyFiles`, `afterBundling`
 * hooks): modes normalized, every file with its sha256, the asset hash over them, and the size. The one way a record
 * is made from a directory, so that the cache and the staged asset verify it like any other.
 */
export function rehashRecord(record: BundleRecord, dir: string, mainFile: string): BundleRecord {
  normalizeModes(dir);
  const { files, fileHashes } = treeManifest(dir);
  const bytes = files.reduce((n, name) => n + fs.lstatSync(path.join(dir, name)).size, 0);
  const main = path.join(dir, mainFile);
  return {
    ...record,
    hash: bundleHash(fileHashes),
    files,
    fileHashes,
    bytes,
    gzipBytes: fs.existsSync(main) ? zlib.gzipSync(fs.readFileSync(main), { level: 1 }).byteLength : record.gzipBytes,
  };
}

/** The outcome of opening a cache directory: the directory, or why it cannot be used. */
export type CacheAccess = { readonly dir: string; readonly reason?: undefined } | { readonly dir?: undefined; readonly reason: string };

/**
 * Open (creating it 0700 when missing) a cache directory and check that it is safe and usable: a directory, owned
 * by the user running synth, that no other user can write to, and writable. `private` additionally requires that
 * no other user can read or enter it (the per-user directory in the shared temp folder).
 */
export function openCacheDir(dir: string, options: { private?: boolean; noSymlink?: boolean } = {}): CacheAccess {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    return { reason: `it cannot be created: ${(e as Error).message}` };
  }
  let stat: fs.Stats;
  try {
    stat = options.noSymlink ? fs.lstatSync(dir) : fs.statSync(dir);
  } catch (e) {
    return { reason: (e as Error).message };
  }
  if (stat.isSymbolicLink()) {
    return { reason: 'it is a symbolic link' };
  }
  if (!stat.isDirectory()) {
    return { reason: 'it is not a directory' };
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && stat.uid !== uid) {
    return { reason: `it is owned by uid ${stat.uid}, not by the user running synth (uid ${uid})` };
  }
  if (process.platform !== 'win32') {
    const forbidden = options.private ? 0o077 : 0o022;
    if ((stat.mode & forbidden) !== 0) {
      return { reason: `its mode is ${(stat.mode & 0o777).toString(8).padStart(4, '0')}: other users could ${options.private ? 'read or write' : 'write'} it` };
    }
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    const probe = tempName(path.join(dir, '.write-test'));
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (e) {
    return { reason: `it is not writable: ${(e as Error).message}` };
  }
  return { dir };
}

/**
 * The per-user base of caches in the system temp folder: `cdk-lambda-kit-<uid>` (the user name where there are no
 * uids), which only its owner can enter.
 */
export function tempCacheBase(): string {
  const who = typeof process.getuid === 'function' ? String(process.getuid()) : sanitize(safeUserName());
  return path.join(os.tmpdir(), `cdk-lambda-kit-${who}`);
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'user';
  }
}

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** The cache key of one bundle: everything that decides its output besides the input files themselves. */
export function cacheKey(parts: Record<string, unknown>): string {
  return sha256(JSON.stringify(parts)).slice(0, 32);
}

/** Open the app's cache directory for a project: configured, or the default. */
export function openCache(scope: IConstruct, projectRoot: string): CacheAccess {
  const configured = scope.node.tryGetContext(BundleCacheContext.DIRECTORY);
  if (typeof configured === 'string' && configured !== '') {
    return openCacheDir(path.resolve(configured));
  }
  const dir = defaultCacheDir(projectRoot);
  if (!dir.startsWith(tempCacheBase() + path.sep)) {
    return openCacheDir(dir);
  }
  // The shared temp folder: the per-user base must be a real directory only its owner can enter.
  const base = openCacheDir(tempCacheBase(), { private: true, noSymlink: true });
  if (base.reason !== undefined) {
    return { reason: `${tempCacheBase()}: ${base.reason}` };
  }
  return openCacheDir(dir, { private: true, noSymlink: true });
}

/**
 * The default cache directory: `node_modules/.cache/cdk-lambda-kit` under the project root when it has
 * node_modules (the convention babel, eslint and webpack follow), else a per-user directory in the system's temp
 * folder (`cdk-lambda-kit-<uid>/<project>`, mode 0700).
 */
export function defaultCacheDir(projectRoot: string): string {
  const nodeModules = path.join(projectRoot, 'node_modules');
  if (fs.existsSync(nodeModules)) {
    return path.join(nodeModules, '.cache', 'cdk-lambda-kit');
  }
  return path.join(tempCacheBase(), sha256(projectRoot).slice(0, 16));
}
