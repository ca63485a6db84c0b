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

  private constructor() {}
}
