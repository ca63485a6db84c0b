import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { BundlingOptions } from '../bundling/bundling-options';
import { ResolvedBundling, resolveBundling } from '../bundling/esbuild-options';
import { checkNodeModules, installNodeModules, projectVersions } from '../bundling/node-modules';
import { layerExternals } from '../layers/layer-checks';

/**
 * The bundling of one function: its `bundling` options with the packages its layers provide left out of the bundle,
 * and the `bundling.nodeModules` it ships beside the bundle (issue 14).
 */

/** A function's bundling, resolved, and what is wrong with it. */
export interface FunctionBundling {
  /** The resolved options; undefined when they could not be resolved (see `problems`). */
  readonly resolved?: ResolvedBundling;
  readonly problems: string[];
  /** The packages layers provide (dependency layers, Powertools) and `bundling.nodeModules`: externals the runtime will find. */
  readonly layerModules: string[];
  /** `bundling.nodeModules` at the versions the project resolves; undefined without any. */
  readonly shipped?: { readonly versions: Record<string, string> };
  readonly runInstallScripts: boolean;
}

/**
 * Resolve a function's bundling options (see `resolveBundling`), with the packages its layers provide and its
 * `bundling.nodeModules` as externals. Returns the problems found instead of throwing, like `resolveBundling`.
 */
export function resolveFunctionBundling(bundlingProps: BundlingOptions | undefined, context: {
  /** The function's `entry`. */
  readonly entry: string;
  readonly runtime: lambda.Runtime;
  /** The packages the function's layers provide (dependency layers, Powertools). */
  readonly layerModules: string[];
}): FunctionBundling {
  // Issue 14: `bundling.nodeModules` are shipped beside the bundle.
  const nodeModules = bundlingProps?.nodeModules ?? [];
  const problems = checkNodeModules(nodeModules);
  const layerModules = [...context.layerModules, ...nodeModules];
  // The packages of dependency layers (and the Powertools layer, and nodeModules) stay out of the bundle: the
  // layer provides them, or the bundle's node_modules.
  const bundling: BundlingOptions = layerModules.length === 0 ? bundlingProps ?? {} : {
    ...bundlingProps,
    externalModules: [...(bundlingProps?.externalModules ?? []), ...layerExternals(layerModules)],
  };
  const { resolved, problems: bundlingProblems } = resolveBundling(bundling, {
    entry: context.entry,
    runtimeName: context.runtime.name,
    cwd: process.cwd(),
  });
  problems.push(...bundlingProblems);
  const shipped = resolved && nodeModules.length > 0 ? projectVersions(nodeModules, resolved.entry) : undefined;
  problems.push(...shipped?.problems ?? []);
  return { resolved, problems, layerModules, shipped, runInstallScripts: bundling.runInstallScripts ?? false };
}

/**
 * The options a function is bundled with: its resolved options, and the `bundling.nodeModules` packages, installed
 * for the function's platform, joining the bundle as copied files (issue 14).
 */
export function withNodeModules(
  scope: Construct,
  constructPath: string,
  resolvedOptions: ResolvedBundling,
  bundling: FunctionBundling,
  platform: { readonly architecture: lambda.Architecture; readonly runtime: lambda.Runtime },
): ResolvedBundling {
  const shipped = bundling.shipped;
  return shipped ? {
    ...resolvedOptions,
    copyFiles: [...resolvedOptions.copyFiles ?? [], ...installNodeModules(scope, constructPath, {
      versions: shipped.versions,
      projectRoot: resolvedOptions.projectRoot,
      architecture: platform.architecture,
      runtime: platform.runtime,
      runInstallScripts: bundling.runInstallScripts,
    })],
  } : resolvedOptions;
}
