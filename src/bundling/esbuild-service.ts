import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'worker_threads';
import * as zlib from 'zlib';

/**
 * The service's code, plain JavaScript (it runs as it is under ts-jest and from `lib/`): it loads esbuild, starts its
 * service at once (a trivial transform: the child process boots and answers), and runs each build it is sent with
 * esbuild's asynchronous API, answering on the port it was given. A build's result keeps what the bundler reads:
 * the metafile, the warnings and, for `write: false`, the output files' paths and contents; a failed build keeps
 * esbuild's messages.
 */
const SERVICE_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const port = workerData.port;
let esbuild;
let ready;
try {
  esbuild = require(workerData.esbuild);
  ready = esbuild.transform('', {}).catch(() => undefined);
} catch (e) {
  ready = Promise.reject(e);
  ready.catch(() => undefined);
}
const fs = require('fs');
const zlib = require('zlib');
const gzipSizes = new Map();
const scans = new Map();
const failures = [];
function scan(file, words, patterns) {
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    return undefined;
  }
  if (!words.some((word) => bytes.includes(word))) return undefined;
  const text = bytes.toString('utf8');
  const found = patterns.find(([pattern]) => pattern.test(text));
  return found && found[1];
}
parentPort.on('message', async (message) => {
  if (message.kind === 'gzip') {
    gzipSizes.set(message.key, zlib.gzipSync(message.bytes, { level: 1 }).byteLength);
    return;
  }
  if (message.kind === 'scan') {
    const patterns = message.patterns.map(([source, flags, label]) => [new RegExp(source, flags), label]);
    for (const file of message.files) scans.set(file, scan(file, message.words, patterns));
    return;
  }
  if (message.kind === 'write') {
    try {
      fs.mkdirSync(require('path').dirname(message.file), { recursive: true });
      fs.writeFileSync(message.file, message.text);
    } catch (e) {
      failures.push(String(e && e.message));
    }
    return;
  }
  if (message.kind === 'results') {
    port.postMessage({ gzipSizes: new Map(gzipSizes), scans: new Map(scans), failures: failures.splice(0) });
    gzipSizes.clear();
    scans.clear();
    const done = new Int32Array(message.flag);
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
    return;
  }
  const { options, flag } = message;
  const done = new Int32Array(flag);
  let answer;
  try {
    await ready;
    const result = await esbuild.build(options);
    answer = {
      result: {
        metafile: result.metafile,
        warnings: result.warnings,
        outputFiles: result.outputFiles && result.outputFiles.map((f) => ({ path: f.path, contents: f.contents })),
      },
    };
  } catch (e) {
    answer = { error: { message: String(e && e.message), errors: e && e.errors, warnings: e && e.warnings } };
  }
  port.postMessage(answer);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
});
`;

/**
 * Work of a pass that the bundler does not need until the pass's end, done beside it: the gzip size of each bundle's
 * main file (for the report), which package files reach their own files at run time (the own-file scan: read the
 * file, and if it holds one of `words`, the label of the first pattern it matches), and writing the metafile slices. On the service's thread, it
 * runs on the other core while the main thread records the bundles; `results` waits for it.
 */
export interface SideWork {
  gzipSize(key: string, bytes: Uint8Array): void;
  scanFiles(files: string[], words: string[], patterns: Array<[RegExp, string]>): void;
  /** Write a file (its directory created); a failure is reported by `results`. */
  writeFile(file: string, text: string): void;
  /** Everything asked for, once done: gzip sizes by key, scans by file, and the writes that failed. */
  results(): { readonly gzipSizes: Map<string, number>; readonly scans: Map<string, string | undefined>; readonly failures: string[] };
}

/** The same work, done at once on the calling thread (when no service is running). */
export function localSideWork(): SideWork {
  const gzipSizes = new Map<string, number>();
  const scans = new Map<string, string | undefined>();
  const failures: string[] = [];
  return {
    gzipSize: (key, bytes) => gzipSizes.set(key, zlib.gzipSync(bytes, { level: 1 }).byteLength),
    scanFiles: (files, words, patterns) => {
      for (const file of files) {
        scans.set(file, scanFile(file, words, patterns));
      }
    },
    writeFile: (file, text) => {
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
      } catch (e) {
        failures.push(String((e as Error).message));
      }
    },
    results: () => ({ gzipSizes, scans, failures }),
  };
}

/** The own-file scan of one file (the service's code does the same). */
function scanFile(file: string, words: string[], patterns: Array<[RegExp, string]>): string | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (!words.some((word) => bytes.includes(word))) {
    return undefined;
  }
  const text = bytes.toString('utf8');
  return patterns.find(([pattern]) => pattern.test(text))?.[1];
}

/**
 * esbuild's service, started in a worker thread of ours when the first function to bundle registers, so that
 * starting it (a thread, esbuild's child process: tens of milliseconds) overlaps the construction of the rest of the
 * app instead of delaying the first pass. Only the service starts early: no source is read before the pass, which
 * reads them all when synthesis asks for the first bundle (the cache's inputs are recorded from that read).
 *
 * `buildSync` blocks until the build is done, as esbuild's own `buildSync` does (which runs its service in a worker
 * thread too, started by the first call).
 */
export class EsbuildService {
  private readonly worker: Worker;
  private readonly port: MessagePort;

  constructor(esbuild: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(SERVICE_SOURCE, { eval: true, workerData: { esbuild, port: port2 }, transferList: [port2], execArgv: [] });
    // A synth that never bundles (all from cache) must not be kept alive by it.
    this.worker.unref();
  }

  /** Build, and wait for the result (esbuild-loader.ts types it: esbuild's `BuildResult` as the bundler reads it). */
  public buildSync<T>(options: Record<string, unknown>): T {
    const flag = new SharedArrayBuffer(4);
    this.worker.postMessage({ options, flag });
    Atomics.wait(new Int32Array(flag), 0, 0);
    const answer = receiveMessageOnPort(this.port)?.message as { result?: T; error?: { message: string; errors?: unknown; warnings?: unknown } };
    if (answer.error) {
      throw Object.assign(new Error(answer.error.message), { errors: answer.error.errors, warnings: answer.error.warnings });
    }
    return answer.result!;
  }

  /** Side work for one pass, on this thread (see {@link SideWork}). */
  public sideWork(): SideWork {
    return {
      gzipSize: (key, bytes) => this.worker.postMessage({ kind: 'gzip', key, bytes }),
      scanFiles: (files, words, patterns) => this.worker.postMessage({
        kind: 'scan', files, words, patterns: patterns.map(([pattern, label]) => [pattern.source, pattern.flags, label]),
      }),
      writeFile: (file, text) => this.worker.postMessage({ kind: 'write', file, text }),
      results: () => {
        const flag = new SharedArrayBuffer(4);
        this.worker.postMessage({ kind: 'results', flag });
        Atomics.wait(new Int32Array(flag), 0, 0);
        return receiveMessageOnPort(this.port)!.message;
      },
    };
  }

  /** End the thread, and with it esbuild's child process. */
  public stop(): void {
    this.port.close();
    void this.worker.terminate();
  }
}
