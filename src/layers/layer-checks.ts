import * as path from 'path';
import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { DependencyLayer } from './dependency-layer';
import { BundledCode } from '../bundling/bundled-code';
import { LAMBDA_UNZIPPED_LIMIT_BYTES } from '../bundling/esbuild/build-options';
import { workspaceVersion } from '../bundling/install/workspace-versions';

/** Check a function's layers against its runtime and architecture. */
export function checkLayers(layers: lambda.ILayerVersion[], runtime: lambda.Runtime, architecture: lambda.Architecture): string[] {
  const problems: string[] = [];
  for (const layer of layers) {
    const runtimes = layer.compatibleRuntimes;
    if (runtimes && !runtimes.some((r) => r.runtimeEquals(runtime))) {
      problems.push(`\`layers\`: ${layer.node.path} is compatible with ${runtimes.map((r) => r.name).join(', ')}, not with the function's ${runtime.name}`);
    }
    if (DependencyLayer.isDependencyLayer(layer) && layer.architecture.name !== architecture.name) {
      problems.push(`\`layers\`: ${layer.node.path} is built for ${layer.architecture.name}, not for the function's ${architecture.name}`);
    }
  }
  return problems;
}

/**
 * Layers whose region or architecture is known and differs from the function's: a layer ARN of another region is
 * refused by Lambda (an error); a layer built for another architecture is accepted but its native code cannot load
 * (a warning, `cdk-lambda-kit:layerArchitecture`).
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html
 */
export function checkLayerPlacement(
  fn: IConstruct, layers: lambda.ILayerVersion[], region: string, architecture: lambda.Architecture,
): string[] {
  const problems: string[] = [];
  const known = (v: string | undefined) => (v && !Token.isUnresolved(v) ? v : undefined);
  for (const layer of layers) {
    const arn = known(layer.layerVersionArn);
    const layerRegion = arn?.startsWith('arn:') ? arn.split(':')[3] : known(Stack.of(layer).region);
    if (known(region) && layerRegion && layerRegion !== region) {
      problems.push(`\`layers\`: ${arn ?? layer.node.path} is in ${layerRegion}, not in the function's region (${region}): Lambda uses layers of ` +
        'the function\'s region only; use the layer\'s ARN in that region');
    }
    const cfn = layer.node.defaultChild;
    const architectures = cfn instanceof lambda.CfnLayerVersion ? Stack.of(layer).resolve(cfn.compatibleArchitectures) as unknown : undefined;
    const otherArchitecture = Array.isArray(architectures) && architectures.length > 0 && !architectures.includes(architecture.name);
    if (!(layer instanceof DependencyLayer) && otherArchitecture) {
      Annotations.of(fn).addWarningV2('cdk-lambda-kit:layerArchitecture',
        `\`layers\`: ${layer.node.path} is built for ${(architectures as string[]).join(', ')}, not for the function's ${architecture.name}: ` +
        'Lambda accepts it, but native code in the layer cannot load; build the layer for both or set the function\'s `architecture`');
    }
  }
  return problems;
}

/** The externals that make a function leave the packages its layers provide out of the bundle. */
export function layerExternals(modules: string[]): string[] {
  return [...new Set(modules.flatMap((m) => [m, `${m}/*`]))].sort();
}

/**
 * Checks of a function's bundle against its layers: externals nobody provides (`provided`: the packages its layers
 * and `bundling.nodeModules` provide), and the total size.
 */
export function bundleLayerProblems(
  fn: IConstruct, code: BundledCode, provided: string[], layers: lambda.ILayerVersion[], dependencyLayers: DependencyLayer[], entry: string,
): string[] {
  const built = code.builtBundle();
  if (!built) {
    return [];
  }
  const problems: string[] = [];
  const providedModules = new Set(provided);
  // The Node.js runtimes ship the AWS SDK for JavaScript v3.
  const missing = built.externalImports.filter((m) => !providedModules.has(m) && !m.startsWith('@aws-sdk/'));
  // An external the project does not install either is what esbuild makes of an optional require (in
  // try/catch: `externalModules: ['pg-native']`, NodejsFunction's usual advice for pg): fine when guarded, "Cannot
  // find module" otherwise. Its require can only be judged at run time: a warning, never an error.
  const notInstalled = layers.length > dependencyLayers.length ? []
    : missing.filter((m) => workspaceVersion(m, path.dirname(entry)) === undefined);
  if (notInstalled.length > 0) {
    const it = notInstalled.length === 1 ? 'it' : 'them';
    Annotations.of(fn).addWarningV2('cdk-lambda-kit:externalNotInstalled',
      `the bundle imports ${notInstalled.join(', ')} but leaves ${it} out (\`bundling.externalModules\`), and your project does not install ${it}: ` +
      'fine for a require() inside try/catch (an optional package, as pg requires pg-native); otherwise "Cannot find module" at run time: ' +
      `install ${it} and list ${it} in \`bundling.nodeModules\`, or remove ${it} from \`bundling.externalModules\``);
  }
  missing.splice(0, missing.length, ...missing.filter((m) => !notInstalled.includes(m)));
  if (missing.length > 0) {
    const it = missing.length === 1 ? 'it' : 'them';
    const message = `the bundle imports ${missing.join(', ')} but leaves ${it} out (external), ` +
      `and neither the runtime nor a dependency layer provides ${it} ("Cannot find module" at run time): ` +
      `list ${it} in \`bundling.nodeModules\`, add a DependencyLayer that provides ${it}, or remove ${it} from \`bundling.externalModules\``;
    if (layers.length > dependencyLayers.length) {
      Annotations.of(fn).addWarningV2('cdk-lambda-kit:externalNotProvided', `${message} (a layer whose contents are unknown may provide it)`);
    } else {
      problems.push(message);
    }
  }
  const total = built.bytes + dependencyLayers.reduce((n, l) => n + l.sizeBytes, 0);
  if (dependencyLayers.length > 0 && total > LAMBDA_UNZIPPED_LIMIT_BYTES) {
    problems.push(`the function and its layers must be at most 250 MB unzipped (Lambda's limit), got ${(total / 1024 / 1024).toFixed(1)} MB`);
  }
  return problems;
}

/**
 * Packages a dependency layer provides at another version than the function's own workspace locks (`entryDir`: the
 * directory of its entry): `[module, layer version, workspace version]`.
 */
export function versionSkew(layers: DependencyLayer[], entryDir: string): Array<[string, string, string]> {
  const skew: Array<[string, string, string]> = [];
  for (const layer of layers) {
    for (const [module, version] of Object.entries(layer.moduleVersions)) {
      const local = workspaceVersion(module, entryDir);
      if (local !== undefined && local !== version) {
        skew.push([module, version, local]);
      }
    }
  }
  return skew;
}
