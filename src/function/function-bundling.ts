import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ResolvedBundling, resolveBundling } from '../bundling/esbuild/build-options';
import type { NativeModules } from '../bundling/install/native-modules';
import { installedOptionalPeers, projectNativePackages } from '../bundling/install/native-modules';
import { checkNodeModules, installNodeModules, projectVersions } from '../bundling/install/node-modules';
import { BundlingOptions } from '../bundling/options';
import { layerExternals } from '../layers/layer-checks';

/**
 * The bundling of one function: its `bundling` options with the packages its layers provide left out of the bundle,
 * and the `bundling.nodeModules` it ships beside the bundle.
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
  /** The project's native packages left out of the bundle, with why each is one. */
  readonly nativeCandidates: Record<string, string>;
  /** `bundling.installNativeModules`: what bundling cannot carry is installed beside the bundle. */
  readonly autoInstall: boolean;
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
  // `bundling.nodeModules` are shipped beside the bundle.
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
  // The project's native packages (but those layers and nodeModules provide) stay out of the bundle; the
  // ones the bundle imports are installed beside it (see `withNodeModules` and the bundler).
  let nativeCandidates: Record<string, string> = {};
  const autoInstall = bundlingProps?.installNativeModules ?? true;
  if (resolved && autoInstall) {
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
  // The optional peers the project has installed come with the packages (knex → pg).
  const shipped = resolved && nodeModules.length > 0
    ? projectVersions([...nodeModules, ...installedOptionalPeers(nodeModules, resolved.projectRoot)], resolved.entry)
    : undefined;
  problems.push(...shipped?.problems ?? []);
  return { resolved, problems, layerModules, shipped, nativeCandidates, autoInstall, runInstallScripts: bundling.runInstallScripts ?? false };
}

/**
 * The options a function is bundled with: its resolved options, and the `bundling.nodeModules` packages, installed
 * for the function's platform, joining the bundle as copied files.
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
  if (!bundling.autoInstall) {
    return withShipped;
  }
  // Installed when the bundler finds that the bundle imports them, or what bundling cannot carry (packages that read
  // their own data files, optional peers loaded by name): at the project's versions, with the optional peers the
  // project has installed.
  const nativeModules: NativeModules = {
    candidates: bundling.nativeCandidates,
    platform: `${platform.architecture.name}/${platform.runtime.name}/${bundling.runInstallScripts ? 'scripts' : 'no-scripts'}`,
    install: (names) => {
      const root = resolvedOptions.projectRoot;
      const { versions, problems } = projectVersions([...names, ...installedOptionalPeers(names, root)], resolvedOptions.entry);
      if (problems.length > 0) {
        const what = `the package${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
        throw new Error(`\`bundling.installNativeModules\`: the bundle imports ${what}, which must be installed beside it, but: ${problems.join('; ')}`);
      }
      const files = install(versions);
      const cpu = platform.architecture === lambda.Architecture.ARM_64 ? 'arm64' : 'x64';
      const missing = names.filter((name) => bundling.nativeCandidates[name] !== undefined && !hasBinary(files, name, cpu));
      if (missing.length > 0) {
        // The package's install script builds or downloads its binary (argon2 from source): it must run, for Linux.
        throw new Error(`\`bundling.installNativeModules\`: the bundle imports ${missing.join(', ')}, a native addon (${bundling.nativeCandidates[missing[0]]}), ` +
          `but its npm package holds no binary for linux-${cpu}: its install script builds or downloads one. ` +
          `Set \`bundling.nodeModules: [${missing.map((m) => `'${m}'`).join(', ')}]\` with \`bundling.runInstallScripts: true\` ` +
          `on a linux-${cpu} machine (or in a linux-${cpu} container), or provide it from a layer built there`);
      }
      return files;
    },
  };
  return { ...withShipped, nativeModules };
}

/**
 * Whether an install holds a native binary of a package for linux-`cpu`: a `.node` file in its directory (in
 * `prebuilds/linux-<cpu>/` when it has prebuilds), or in a platform package for linux-`cpu` (sharp's
 * `@img/sharp-linux-arm64`).
 */
function hasBinary(files: Array<{ readonly target: string }>, name: string, cpu: string): boolean {
  const own = `node_modules/${name}/`;
  const binaries = files.map((f) => f.target).filter((t) => t.endsWith('.node'));
  const ownBinaries = binaries.filter((t) => t.startsWith(own) && !t.slice(own.length).includes('node_modules/'));
  const prebuilt = ownBinaries.filter((t) => t.startsWith(`${own}prebuilds/`));
  if (prebuilt.some((t) => t.startsWith(`${own}prebuilds/linux-${cpu}/`))) {
    return true;
  }
  if (ownBinaries.some((t) => !t.startsWith(`${own}prebuilds/`))) {
    return true;
  }
  return binaries.some((t) => t.split('/').some((segment) => segment.includes(`linux-${cpu}`)));
}
