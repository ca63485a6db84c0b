import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'worker_threads';

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
parentPort.on('message', async ({ options, flag }) => {
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

  /** End the thread, and with it esbuild's child process. */
  public stop(): void {
    this.port.close();
    void this.worker.terminate();
  }
}
