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
   * Default: `node_modules/.cache/cdk-lambda-kit` under the project root (the system temp folder when the project
   * has no node_modules). Deleting it is always safe.
   */
  public static readonly DIRECTORY = '@cdk-lambda-kit/bundling:cacheDir';

  /** Set to `false` to bundle every function on every synth. Default: the cache is on. */
  public static readonly ENABLED = '@cdk-lambda-kit/bundling:cache';

  private constructor() {}
}
