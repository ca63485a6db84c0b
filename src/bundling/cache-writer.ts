import { Worker } from 'worker_threads';
import { attachCustomSynthesis } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/**
 * One write to the bundle cache: a copy of a file or a bundle's record (both written through a temporary name and
 * renamed into place), or a bundle directory (its files copied from the staged asset into a temporary
 * directory, which is then renamed into place, replacing what is there).
 */
export type CacheWrite =
  | { readonly kind: 'copy'; readonly file: string; readonly from: string }
  | { readonly kind: 'directory'; readonly dir: string; readonly from: string; readonly files: string[] }
  /**
   * A bundle's record, written as JSON once the deferred hashes among its inputs (fingerprint.ts `deferredHash`)
   * are computed; dropped when one of those files changed since it was recorded.
   */
  | { readonly kind: 'record'; readonly file: string; readonly record: { readonly inputs: Record<string, string> } };

/**
 * The worker's code, plain JavaScript (it runs as it is under ts-jest and from `lib/`). It does what cache.ts's
 * `writeAtomic` and `replaceDirectory` do, with the same names and modes (0644 files, 0755 directories whatever the
 * umask, `<name>.tmp-<pid>-…` temporary names that `cleanLeftovers` knows), and computes the deferred source hashes
 * of records: the sha256 of the file, read through a descriptor whose stat signature (size, mtime and ctime in ns,
 * inode) is checked before and after reading against the one recorded just after esbuild read the file
 * (fingerprint.ts `statSignature`, the same format). A file that changed, was replaced or is gone drops the record:
 * a record is never stored with a hash of content esbuild did not read. Each file is hashed once per hand-over (one
 * per bundling pass). Every other decision (what to write, whether a bundle directory must be replaced) is made on
 * the main thread. A failed write is dropped: the cache is an optimisation, and every restore checks every file's
 * sha256 anyway.
 */
const WORKER_SOURCE = `
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { parentPort, workerData } = require('worker_threads');
const buffer = Buffer.allocUnsafe(256 * 1024);
const signature = (s) => s.size + ':' + s.mtimeNs + ':' + s.ctimeNs + ':' + s.ino;
function hashIfUnchanged(file, expected) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    return undefined;
  }
  try {
    if (signature(fs.fstatSync(fd, { bigint: true })) !== expected) return undefined;
    const hash = crypto.createHash('sha256');
    for (let read = fs.readSync(fd, buffer, 0, buffer.length, null); read > 0; read = fs.readSync(fd, buffer, 0, buffer.length, null)) {
      hash.update(buffer.subarray(0, read));
    }
    if (signature(fs.fstatSync(fd, { bigint: true })) !== expected) return undefined;
    return hash.digest('hex');
  } catch (e) {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}
function resolveRecord(record, hashes) {
  const inputs = {};
  for (const key of Object.keys(record.inputs)) {
    const value = record.inputs[key];
    if (value.charCodeAt(0) !== 0) {
      inputs[key] = value;
      continue;
    }
    if (!hashes.has(value)) {
      const at = value.indexOf('\\0', 1);
      hashes.set(value, hashIfUnchanged(value.slice(at + 1), value.slice(1, at)));
    }
    const hash = hashes.get(value);
    if (hash === undefined) return undefined;
    inputs[key] = hash;
  }
  return Object.assign({}, record, { inputs });
}
const pending = new Int32Array(workerData.pending);
const FILE_MODE = 0o644;
const DIR_MODE = 0o755;
const tmpName = (p) => p + '.tmp-' + process.pid + '-' + Math.random().toString(36).slice(2);
function mkdirs(dir) {
  const first = fs.mkdirSync(dir, { recursive: true });
  if (first === undefined) return;
  for (let at = dir; ; at = path.dirname(at)) {
    fs.chmodSync(at, DIR_MODE);
    if (at === first || path.dirname(at) === at) return;
  }
}
function writeFile(file, content, from) {
  mkdirs(path.dirname(file));
  const tmp = tmpName(file);
  try {
    if (from !== undefined) fs.copyFileSync(from, tmp);
    else fs.writeFileSync(tmp, content, { mode: FILE_MODE });
    fs.chmodSync(tmp, FILE_MODE);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
function writeDirectory(dir, from, files) {
  const tmp = tmpName(dir);
  try {
    mkdirs(tmp);
    for (const name of files) {
      const to = path.join(tmp, name);
      mkdirs(path.dirname(to));
      fs.copyFileSync(path.join(from, name), to);
      fs.chmodSync(to, FILE_MODE);
    }
    mkdirs(path.dirname(dir));
    try {
      fs.renameSync(tmp, dir);
      return;
    } catch (e) {
      if (!fs.existsSync(dir)) throw e;
    }
    const old = dir + '.tmp-' + process.pid + '-old-' + Math.random().toString(36).slice(2);
    fs.renameSync(dir, old);
    fs.rmSync(dir + '.verified', { force: true });
    fs.renameSync(tmp, dir);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
parentPort.on('message', (writes) => {
  try {
    // The hashes first, while the files are most likely as esbuild read them; then the writes, in order.
    const hashes = new Map();
    const records = writes.map((w) => w.kind === 'record' ? resolveRecord(w.record, hashes) : undefined);
    // Each bundle's writes end with its record: a failed write skips the rest of that bundle's, record included.
    let failed = false;
    for (let i = 0; i < writes.length; i++) {
      const w = writes[i];
      try {
        if (failed) {
          // Skipped.
        } else if (w.kind === 'record') {
          if (records[i]) writeFile(w.file, JSON.stringify(records[i]));
        } else if (w.kind === 'copy') {
          writeFile(w.file, undefined, w.from);
        } else {
          writeDirectory(w.dir, w.from, w.files);
        }
      } catch (e) {
        failed = true;
      }
      if (w.kind === 'record') failed = false;
    }
  } catch {
    // Best effort: the next synth rebuilds what is missing.
  } finally {
    if (Atomics.sub(pending, 0, 1) === 1) parentPort.postMessage('idle');
    Atomics.notify(pending, 0);
  }
});
`;

/** How long a flush waits for the worker at most: it only ever stops on a crash of the worker itself. */
const FLUSH_LIMIT_MS = 60_000;

/**
 * Writes the bundle cache in a worker thread, so that storing a cold pass's bundles (copies of every bundle, its
 * metafile slice and its record) runs on the other core while the main thread goes on with synthesis (the checks,
 * resolving and writing templates), instead of adding to it.
 *
 * Ordering: the writes of one `write` call are carried out in order (a bundle's record last, so that a record is
 * only ever visible with its bundle complete), and calls in the order they were made. `flush` waits until all are
 * done: the bundler flushes before it reads the cache, so that a later synth in the same process sees what an
 * earlier one stored. The worker keeps the process alive while it has writes to do, and ends when it has none: a
 * synth process exits once its cache is written. A process killed before that leaves temporary names behind, which
 * the next synth removes (`cleanLeftovers`), never a partial record or bundle.
 */
class CacheWriter {
  /** Writes kept back until the next flush (tests: see `holdCacheWrites`), or undefined when they go at once. */
  public held?: CacheWrite[][];
  private worker?: Worker;
  private readonly pending = new Int32Array(new SharedArrayBuffer(4));

  public write(writes: CacheWrite[]): void {
    if (writes.length === 0) {
      return;
    }
    if (this.held) {
      this.held.push(writes);
      return;
    }
    this.post(writes);
  }

  public flush(): void {
    for (const writes of this.held?.splice(0) ?? []) {
      this.post(writes);
    }
    const deadline = Date.now() + FLUSH_LIMIT_MS;
    for (let n = Atomics.load(this.pending, 0); n > 0 && Date.now() < deadline; n = Atomics.load(this.pending, 0)) {
      Atomics.wait(this.pending, 0, n, 100);
    }
    if (this.worker && Atomics.load(this.pending, 0) === 0) {
      // Nothing left to write: end the thread now, not when the event loop next runs (after the synthesis, whose
      // template validation would otherwise run beside an idle thread's memory).
      void this.worker.terminate();
      this.worker = undefined;
    }
  }

  private post(writes: CacheWrite[]): void {
    const worker = this.start();
    Atomics.add(this.pending, 0, 1);
    worker.postMessage(writes);
  }

  private start(): Worker {
    if (!this.worker) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { pending: this.pending.buffer } });
      worker.on('message', () => {
        // Idle: end the thread (a synth process, or a test file, then holds no idle thread); the next write starts one.
        if (Atomics.load(this.pending, 0) === 0 && this.worker === worker) {
          this.worker = undefined;
          void worker.terminate();
        }
      });
      worker.on('error', () => {
        // The worker died (it catches its own write errors): nothing more will be written; flushes must not wait.
        Atomics.store(this.pending, 0, 0);
        Atomics.notify(this.pending, 0);
        if (this.worker === worker) {
          this.worker = undefined;
        }
      });
      this.worker = worker;
    }
    return this.worker;
  }
}

const writer = new CacheWriter();

/** Hand writes to the cache's background writer (see {@link CacheWriter}). */
export function writeInBackground(writes: CacheWrite[]): void {
  writer.write(writes);
}

/** Wait until every cache write handed to the background writer in this process is done. */
export function flushCacheWrites(): void {
  writer.flush();
}

/**
 * Tests only: keep every cache write back until the next flush (`true`), or send them as they come again (`false`,
 * after sending what was kept). This makes "the cache is written when synthesis returns" checkable: with writes
 * held, only a flush during synthesis can have written them.
 */
export function holdCacheWrites(hold: boolean): void {
  if (hold) {
    writer.held ??= [];
  } else {
    writer.flush();
    writer.held = undefined;
  }
}

/** The id of the construct, one under each stage (and app) that has bundled functions, that flushes at synthesis. */
const FLUSH_ID = 'CdkLambdaKitCacheWrites';

/**
 * Make the synthesis of a stage (or app) end with the cache written: a construct under it whose synthesis step (the
 * last of the stage's tree, after every template is written) waits for the background writer. So `app.synth()`, and
 * `Template.fromStack` on a stack of a nested stage, return with the cache complete, while the writes still overlap
 * the checks and the templates. Where aws-cdk-lib offers no such step, the writes are waited for at once.
 *
 * @returns whether the stage flushes at synthesis
 */
export function flushAtSynthesis(stage: IConstruct): boolean {
  if (stage.node.tryFindChild(FLUSH_ID)) {
    return true;
  }
  if (typeof attachCustomSynthesis !== 'function' || stage.node.locked) {
    return false;
  }
  attachCustomSynthesis(new Construct(stage, FLUSH_ID), { onSynthesize: () => flushCacheWrites() });
  return true;
}
