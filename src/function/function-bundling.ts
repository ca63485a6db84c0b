import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { BundlingOptions } from '../bundling/bundling-options';
import { ResolvedBundling, resolveBundling } from '../bundling/esbuild-options';
import type { NativeModules } from '../bundling/native-modules';
import { installedOptionalPeers, projectNativePackages } from '../bundling/native-modules';
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
  /** Issue 23: the project's native packages left out of the bundle, with why each is one. */
  readonly nativeCandidates: Record<string, string>;
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
  const resolveContext = { entry: context.entry, runtimeName: context.runtime.name, cwd: process.cwd() };
  let { resolved, problems: bundlingProblems } = resolveBundling(bundling, resolveContext);
  problems.push(...bundlingProblems);
  // Issue 23: the project's native packages (but those layers and nodeModules provide) stay out of the bundle; the
  // ones the bundle imports are installed beside it (see `withNodeModules` and the bundler).
  let nativeCandidates: Record<string, string> = {};
  if (resolved && (bundlingProps?.installNativeModules ?? true)) {
    const provided = new Set(layerModules);
    nativeCandidates = Object.fromEntries(Object.entries(projectNativePackages(resolved.projectRoot)).filter(([name]) => !provided.has(name)));
    const names = Object.keys(nativeCandidates);
    if (names.length > 0) {
      resolved = resolveBundling({
        ...bundling,
        externalModules: [...(bundling.externalModules ?? []), ...layerExternals(names)],
      }, resolveContext).resolved;
    }
  }
  // Issue 23 (4): the optional peers the project has installed come with the packages (knex → pg).
  const shipped = resolved && nodeModules.length > 0
    ? projectVersions([...nodeModules, ...installedOptionalPeers(nodeModules, resolved.projectRoot)], resolved.entry)
    : undefined;
  problems.push(...shipped?.problems ?? []);
  return { resolved, problems, layerModules, shipped, nativeCandidates, runInstallScripts: bundling.runInstallScripts ?? false };
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
  const install = (versions: Record<string, string>) => installNodeModules(scope, constructPath, {
    versions,
    projectRoot: resolvedOptions.projectRoot,
    architecture: platform.architecture,
    runtime: platform.runtime,
    runInstallScripts: bundling.runInstallScripts,
  });
  const withShipped = shipped
    ? { ...resolvedOptions, copyFiles: [...resolvedOptions.copyFiles ?? [], ...install(shipped.versions)] }
    : resolvedOptions;
  if (Object.keys(bundling.nativeCandidates).length === 0) {
    return withShipped;
  }
  // Issue 23: installed when the bundler finds that the bundle imports them (at the project's versions, with the
  // optional peers the project has installed).
  const nativeModules: NativeModules = {
    candidates: bundling.nativeCandidates,
    platform: `${platform.architecture.name}/${platform.runtime.name}/${bundling.runInstallScripts ? 'scripts' : 'no-scripts'}`,
    install: (names) => {
      const root = resolvedOptions.projectRoot;
      const { versions, problems } = projectVersions([...names, ...installedOptionalPeers(names, root)], resolvedOptions.entry);
      if (problems.length > 0) {
        const what = `the native package${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
        throw new Error(`${constructPath}: the bundle imports ${what}, which must be installed beside it, but: ${problems.join('; ')}`);
      }
      return install(versions);
    },
  };
  return { ...withShipped, nativeModules };
}
