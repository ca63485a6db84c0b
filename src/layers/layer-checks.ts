import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DependencyLayer } from './dependency-layer';

/** Check a function's layers against its runtime and architecture. */
export function checkLayers(layers: lambda.ILayerVersion[], runtime: lambda.Runtime, architecture: lambda.Architecture): string[] {
  const problems: string[] = [];
  for (const layer of layers) {
    const runtimes = layer.compatibleRuntimes;
    if (runtimes && !runtimes.some((r) => r.runtimeEquals(runtime))) {
      problems.push(`\`layers\`: ${layer.node.path} is compatible with ${runtimes.map((r) => r.name).join(', ')}, not with the function's ${runtime.name}`);
    }
    if (layer instanceof DependencyLayer && layer.architecture.name !== architecture.name) {
      problems.push(`\`layers\`: ${layer.node.path} is built for ${layer.architecture.name}, not for the function's ${architecture.name}`);
    }
  }
  return problems;
}

/** The externals that make a function leave the packages its layers provide out of the bundle. */
export function layerExternals(modules: string[]): string[] {
  return [...new Set(modules.flatMap((m) => [m, `${m}/*`]))].sort();
}

/**
 * Packages a dependency layer provides at another version than the function's own project resolves:
 * `[module, layer version, project version]`.
 */
export function versionSkew(layers: DependencyLayer[], projectRoot: string): Array<[string, string, string]> {
  const skew: Array<[string, string, string]> = [];
  for (const layer of layers) {
    for (const [module, version] of Object.entries(layer.moduleVersions)) {
      const local = installedVersion(module, projectRoot);
      if (local !== undefined && local !== version) {
        skew.push([module, version, local]);
      }
    }
  }
  return skew;
}

/** The version of a package Node.js would resolve from a directory, if any. */
export function installedVersion(module: string, from: string): string | undefined {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'node_modules', module, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        return JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
      } catch {
        return undefined;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return undefined;
    }
    dir = parent;
  }
}
