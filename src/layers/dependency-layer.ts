import * as fs from 'fs';
import * as path from 'path';
import { Annotations, AssetHashType, FileAssetPackaging, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { Bundler } from '../bundling/bundler';
import { directoryHolds } from '../bundling/cache/verified-files';
import { sha256 } from '../bundling/hash';
import { BuiltLayer, LayerManifest, LayerSpec, install } from '../bundling/install/npm-install';
import { workspaceVersions } from '../bundling/install/workspace-versions';
import { findProjectRoot } from '../bundling/project-root';
import { formatProblems } from '../core/problems';
import { enforceTemplateRules } from '../core/template-rules';

/** Marks DependencyLayers across copies of this library (see {@link DependencyLayer.isDependencyLayer}). */
const DEPENDENCY_LAYER = Symbol.for('cdk-lambda-kit.DependencyLayer');

/** Properties of a {@link DependencyLayer}. */
export interface DependencyLayerProps {
  /**
   * npm packages and their version ranges, for example `{ sharp: '0.34.3', zod: '^4.0.0' }`.
   *
   * Exactly one of `dependencies` and `packageJson` is required.
   *
   * @default - none: use `packageJson`
   */
  readonly dependencies?: Record<string, string>;

  /**
   * A package.json whose `dependencies` are installed (absolute, or relative to the directory `cdk` runs in). A
   * package-lock.json beside it is installed exactly, with `npm ci`. Otherwise, in a workspace of a monorepo, each
   * package is installed at the version that workspace locks, read from the monorepo's `package-lock.json`,
   * `pnpm-lock.yaml` or `yarn.lock` (classic or Berry, Plug'n'Play included); their own dependencies are resolved
   * by npm within their ranges.
   *
   * @default - none: use `dependencies`
   */
  readonly packageJson?: string;

  /**
   * The architecture native modules are installed for (`npm install --cpu`), whatever machine synthesizes.
   *
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * The Node.js runtime the layer is for.
   *
   * @default lambda.Runtime.NODEJS_24_X
   */
  readonly runtime?: lambda.Runtime;

  /**
   * Run the packages' install scripts. Off by default: they run on the synthesizing machine, not on Lambda's, and
   * platform packages (such as sharp's `@img/sharp-linux-arm64`) need none.
   *
   * @default false
   */
  readonly runInstallScripts?: boolean;

  /**
   * The layer's name.
   *
   * @default - generated
   */
  readonly layerVersionName?: string;

  /**
   * A description of the layer.
   *
   * @default - the packages it holds
   */
  readonly description?: string;

  /**
   * What happens to the layer version when it is replaced or removed from the stack.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A Lambda layer of npm packages, installed into `nodejs/node_modules` for the target architecture and runtime.
 *
 * Functions that use it (in their `layers` prop) leave its packages out of their bundles automatically. The asset
 * hash depends only on the dependency list or lock file, the architecture and the runtime, and a persistent cache
 * skips reinstalling an unchanged layer.
 */
export class DependencyLayer extends lambda.LayerVersion {
  /**
   * Whether `x` is a DependencyLayer, from this copy of the library or another one (where `instanceof` is false:
   * two installed copies of cdk-lambda-kit each have their own class).
   */
  public static isDependencyLayer(x: any): x is DependencyLayer {
    return x !== null && typeof x === 'object' && DEPENDENCY_LAYER in x;
  }

  /** The packages the layer provides (its top-level dependencies). */
  public readonly modules: string[];

  /** The installed version of each package; empty when the stack is not bundled. */
  public readonly moduleVersions: Record<string, string>;

  /** The architecture native modules were installed for. */
  public readonly architecture: lambda.Architecture;

  /** The runtime the layer is for. */
  public readonly runtime: lambda.Runtime;

  /** The unzipped size of the layer in bytes; 0 when the stack is not bundled. */
  public readonly sizeBytes: number;

  constructor(scope: Construct, id: string, props: DependencyLayerProps) {
    const constructPath = scope.node.path ? `${scope.node.path}/${id}` : id;
    const architecture = props.architecture ?? lambda.Architecture.ARM_64;
    const runtime = props.runtime ?? lambda.Runtime.NODEJS_24_X;
    const { spec, problems, unlocked } = readSpec(props);
    if (![lambda.Architecture.ARM_64.name, lambda.Architecture.X86_64.name].includes(architecture.name)) {
      problems.push(`\`architecture\` must be ARM_64 or X86_64, got ${architecture.name}`);
    }
    if (!/^nodejs\d+\.x$/.test(runtime.name)) {
      problems.push(`\`runtime\` must be a Node.js runtime, got ${runtime.name}`);
    }
    if (problems.length > 0 || !spec) {
      throw new Error(formatProblems(constructPath, problems));
    }

    const hash = sha256(JSON.stringify({
      format: 1,
      packageJson: spec.packageJson,
      lockFile: spec.lockFile ?? null,
      architecture: architecture.name,
      runtime: runtime.name,
      scripts: props.runInstallScripts ?? false,
    }));
    // A stack that is not bundled (`cdk ls`, `cdk synth -e` of another stage) gets a stand-in under a hash of its
    // own, which is neither installed nor staged (nothing is written, not even to the temp directory): nothing is
    // ever staged under the real hash that does not hold the installed layer.
    const bundled = Stack.of(scope).bundlingRequired;
    const built: BuiltLayer = bundled
      ? installLayer(scope, constructPath, spec, hash, architecture, props.runInstallScripts ?? false)
      : { dir: __dirname, hash: sha256(`skipped\0${hash}`), versions: {}, bytes: 0 };

    super(scope, id, {
      code: bundled
        ? lambda.Code.fromAsset(built.dir, { assetHash: built.hash, assetHashType: AssetHashType.CUSTOM })
        : new UnbundledLayerCode(built.hash),
      compatibleArchitectures: [architecture],
      compatibleRuntimes: [runtime],
      layerVersionName: props.layerVersionName,
      description: props.description ?? truncate(`npm: ${spec.modules.join(', ')}`, 256),
      removalPolicy: props.removalPolicy,
    });
    Object.defineProperty(this, DEPENDENCY_LAYER, { value: true });
    this.modules = spec.modules;
    this.moduleVersions = built.versions;
    this.architecture = architecture;
    this.runtime = runtime;
    this.sizeBytes = built.bytes;
    enforceTemplateRules(this);
    if (unlocked && unlocked.length > 0) {
      Annotations.of(this).addWarningV2('cdk-lambda-kit:layerDependencyNotLocked',
        `\`packageJson\`: ${unlocked.join(', ')} ${unlocked.length === 1 ? 'is' : 'are'} not locked or installed for ${props.packageJson}, ` +
        'so the layer gets the newest version in range, which may differ from what the functions were tested with: ' +
        'install the workspace (npm install, pnpm install or yarn) so that its lock file holds them');
    }
  }
}

function readSpec(props: DependencyLayerProps): { spec?: LayerSpec; problems: string[]; unlocked?: string[] } {
  const problems: string[] = [];
  if ((props.dependencies === undefined) === (props.packageJson === undefined)) {
    problems.push(`exactly one of \`dependencies\` and \`packageJson\` must be set, got ${props.dependencies === undefined ? 'neither' : 'both'}`);
    return { problems };
  }
  if (props.dependencies) {
    const names = Object.keys(props.dependencies).sort();
    if (names.length === 0) {
      problems.push('`dependencies` must name at least one package, got none');
    }
    for (const name of names) {
      if (!/^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/.test(name)) {
        problems.push(`\`dependencies\` keys must be npm package names, got "${name}"`);
      }
    }
    const dependencies = Object.fromEntries(names.map((n) => [n, props.dependencies![n]]));
    return {
      problems,
      spec: { packageJson: JSON.stringify({ name: 'lambda-layer', private: true, dependencies }, undefined, 2), modules: names, projectRoot: process.cwd() },
    };
  }
  const file = path.resolve(props.packageJson!);
  let parsed: { dependencies?: Record<string, string> };
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    problems.push(`\`packageJson\` must be a readable package.json, got ${props.packageJson} (${(e as Error).message.split('\n')[0]})`);
    return { problems };
  }
  const modules = Object.keys(parsed.dependencies ?? {}).sort();
  if (modules.length === 0) {
    problems.push(`\`packageJson\` must list \`dependencies\`, got none in ${props.packageJson}`);
  }
  const lock = path.join(path.dirname(file), 'package-lock.json');
  if (fs.existsSync(lock)) {
    // A project of its own: its lock file is installed exactly.
    return {
      problems,
      spec: {
        packageJson: JSON.stringify({ name: 'lambda-layer', private: true, dependencies: parsed.dependencies }, undefined, 2),
        lockFile: fs.readFileSync(lock, 'utf8'),
        modules,
        projectRoot: findProjectRoot(file),
      },
    };
  }
  // A workspace of a monorepo (npm, pnpm or Yarn): each package at the version the workspace locks, wherever the
  // lock file is; a package the workspace has not installed keeps its range (npm installs the newest in it).
  const { versions, unresolved } = workspaceVersions(modules, path.dirname(file));
  const dependencies = Object.fromEntries(modules.map((m) => [m, versions[m] ?? parsed.dependencies![m]]));
  return {
    problems,
    unlocked: unresolved,
    spec: {
      packageJson: JSON.stringify({ name: 'lambda-layer', private: true, dependencies }, undefined, 2),
      modules,
      projectRoot: findProjectRoot(file),
    },
  };
}

/**
 * Install a DependencyLayer's packages (see `install`) and make sure the cloud assembly holds them complete when
 * aws-cdk-lib stages them; the install is counted in the synth's summary line.
 */
function installLayer(
  scope: Construct, constructPath: string, spec: LayerSpec, hash: string, architecture: lambda.Architecture, scripts: boolean,
): BuiltLayer {
  const built = install(scope, constructPath, spec, hash, architecture, scripts);
  stageLayer(scope, hash, built.manifest);
  Bundler.of(scope).noteLayer(built.installed, built.seconds);
  return built;
}

/**
 * aws-cdk-lib copies the install to `asset.<sha256 of the custom hash>` in the cloud assembly, and keeps a directory
 * of that name that is there already. One that does not hold exactly the install (an interrupted copy, an older
 * version's empty stand-in) is removed first, so that aws-cdk-lib stages the install afresh.
 */
function stageLayer(scope: Construct, hash: string, manifest: LayerManifest): void {
  const assetOutdir = path.resolve(Stage.of(scope)!.assetOutdir);
  Bundler.of(scope).cleanAssetDir(assetOutdir);
  const staged = path.join(assetOutdir, `asset.${sha256(hash)}`);
  if (fs.existsSync(staged) && !directoryHolds(staged, manifest)) {
    fs.rmSync(staged, { recursive: true, force: true });
    fs.rmSync(`${staged}.verified`, { force: true });
  }
}

/**
 * The code of a layer in a stack that is not bundled: an asset under a hash of its own that points at this file's
 * directory, never staged nor packaged (the CLI publishes the assets of the stacks it bundles only), like the
 * stand-in of an unbundled function.
 */
class UnbundledLayerCode extends lambda.Code {
  public readonly isInline = false;

  constructor(private readonly sourceHash: string) {
    super();
  }

  public bind(scope: Construct): lambda.CodeConfig {
    const location = Stack.of(scope).synthesizer.addFileAsset({
      sourceHash: this.sourceHash,
      fileName: __dirname,
      packaging: FileAssetPackaging.ZIP_DIRECTORY,
      displayName: `${scope.node.path}/Code`,
    });
    return { s3Location: { bucketName: location.bucketName, objectKey: location.objectKey } };
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
