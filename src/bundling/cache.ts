import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { sha256 } from '../private/esbuild-options';

/** Bump when the layout or meaning of cache records changes: old records are then ignored. */
const CACHE_FORMAT = 'v2';

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
  /** Unzipped size of all output files. */
  readonly bytes: number;
  /** gzip size of the main output file. */
  readonly gzipBytes: number;
  /** The entry's exports, as esbuild reports them (empty when unknown). */
  readonly exports: string[];
  /** Whether `exports` is authoritative (false for CommonJS sources, whose exports are only known at run time). */
  readonly exportsKnown: boolean;
  /** Every input file, relative to the project root, with its sha256. */
  readonly inputs: Record<string, string>;
  /** The biggest contributors to the bundle. */
  readonly topModules: ModuleSize[];
  /** Packages the bundle imports but leaves out (externals), besides Node.js built-ins. */
  readonly externalImports: string[];
}

/**
 * Hashes files at most once per bundling pass. Content hashes, never timestamps: touching a file does not
 * invalidate anything, and an edit always does.
 */
export class FileHasher {
  /** One read buffer for every file: hashing thousands of inputs leaves no garbage behind. */
  private static readonly buffer = Buffer.allocUnsafe(256 * 1024);
  private readonly hashes = new Map<string, string | undefined>();

  /** sha256 of the file's content, or undefined if it cannot be read. */
  public hash(file: string): string | undefined {
    if (!this.hashes.has(file)) {
      this.hashes.set(file, hashFile(file, FileHasher.buffer));
    }
    return this.hashes.get(file);
  }
}

function hashFile(file: string, buffer: Buffer): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const hash = crypto.createHash('sha256');
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) {
        return hash.digest('hex');
      }
      hash.update(buffer.subarray(0, read));
    }
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The persistent bundle cache.
 *
 * Layout under the cache directory: `v1/entries/<key>.json` records what one bundle was built from;
 * `v1/bundles/<hash>/` holds its output files and `v1/bundles/<hash>.metafile.json` its slice of esbuild's metafile.
 * Deleting the directory is always safe: the next synth rebuilds what it needs.
 */
export class BundleCache {
  private readonly root: string;

  constructor(directory: string) {
    this.root = path.join(directory, CACHE_FORMAT);
  }

  /**
   * The record for a cache key, if one exists and every input it was built from still has the same content.
   */
  public lookup(key: string, projectRoot: string, hasher: FileHasher): BundleRecord | undefined {
    let record: BundleRecord;
    try {
      record = JSON.parse(fs.readFileSync(this.entryFile(key), 'utf8'));
    } catch {
      return undefined;
    }
    for (const [input, expected] of Object.entries(record.inputs)) {
      if (hasher.hash(path.resolve(projectRoot, input)) !== expected) {
        return undefined;
      }
    }
    const bundleDir = this.bundleDir(record.hash);
    if (!record.files.every((f) => fs.existsSync(path.join(bundleDir, f)))) {
      return undefined;
    }
    return record;
  }

  /** Copy a cached bundle's files into a directory. */
  public restore(record: BundleRecord, destination: string): void {
    copyFiles(this.bundleDir(record.hash), destination, record.files);
  }

  /** The cached metafile slice of a bundle, if there is one. */
  public metafile(hash: string): string | undefined {
    const file = this.bundleDir(hash) + '.metafile.json';
    return fs.existsSync(file) ? file : undefined;
  }

  /**
   * Store a finished bundle: its files (copied from where they were staged), its metafile slice and its record.
   * Failures to write are ignored: the cache is an optimisation, never a source of truth.
   */
  public store(key: string, record: BundleRecord, stagedDir: string, metafile: string): void {
    try {
      const bundleDir = this.bundleDir(record.hash);
      if (!fs.existsSync(bundleDir)) {
        const tmp = `${bundleDir}.tmp-${process.pid}-${Date.now()}`;
        copyFiles(stagedDir, tmp, record.files);
        renameOrDiscard(tmp, bundleDir);
      }
      writeAtomic(bundleDir + '.metafile.json', metafile);
      writeAtomic(this.entryFile(key), JSON.stringify(record));
    } catch {
      // A read-only or full disk only costs the next synth a rebuild.
    }
  }

  private entryFile(key: string): string {
    return path.join(this.root, 'entries', `${key}.json`);
  }

  private bundleDir(hash: string): string {
    return path.join(this.root, 'bundles', hash);
  }
}

/** Copy named files from one directory to another, creating it. Hard links where the file system allows. */
export function copyFiles(from: string, to: string, files: string[]): void {
  fs.mkdirSync(to, { recursive: true });
  for (const file of files) {
    const target = path.join(to, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(from, file), target);
  }
}

/** Write a file through a temporary name, so that readers never see half of it. */
export function writeAtomic(file: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

/** Move a directory into place; if another process got there first, keep theirs (same content by construction). */
export function renameOrDiscard(tmp: string, dir: string): void {
  try {
    fs.renameSync(tmp, dir);
  } catch (e) {
    if (fs.existsSync(dir)) {
      fs.rmSync(tmp, { recursive: true, force: true });
    } else {
      throw e;
    }
  }
}

/** The cache key of one bundle: everything that decides its output besides the input files themselves. */
export function cacheKey(parts: Record<string, unknown>): string {
  return sha256(JSON.stringify(parts)).slice(0, 32);
}
