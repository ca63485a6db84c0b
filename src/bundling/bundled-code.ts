import * as fs from 'fs';
import * as path from 'path';
import { Annotations, CfnResource, FileAssetPackaging, Lazy, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';
import { BundleJob, Bundler } from './bundler';
import type { OptionalRequire } from './cache/records';
import { directoryHolds } from './cache/verified-files';
import { LAMBDA_UNZIPPED_LIMIT_BYTES, ResolvedBundling } from './esbuild/build-options';
import { brokenInstallHint, esmExportsOf } from './esbuild/pass';
import { sha256 } from './hash';
import { formatBytes } from './report';

interface CodeLocation {
  readonly bucketName: string;
  readonly objectKey: string;
  readonly assetPath: string;
}

/**
 * Lambda code bundled by the app's {@link Bundler}.
 *
 * `bind()` only registers the entry; the S3 location is lazy. The first time any location is resolved during
 * synthesis, every registered function is bundled together, and the bundle is registered as a file asset with the
 * stack's synthesizer.
 *
 * @internal
 */
export class BundledCode extends lambda.Code {
  public readonly isInline = false;
  private job?: BundleJob;
  private scope?: IConstruct;
  private location?: CodeLocation;

  constructor(private readonly resolved: ResolvedBundling) {
    super();
  }

  public bind(scope: Construct): lambda.CodeConfig {
    if (this.scope && this.scope !== scope) {
      throw new Error(`${scope.node.path}: a bundled code object belongs to ${this.scope.node.path} and cannot be bound to another function`);
    }
    this.scope = scope;
    this.job ??= Bundler.of(scope).register(scope, this.resolved);
    return {
      s3Location: {
        bucketName: Lazy.string({ produce: () => this.locate().bucketName }),
        objectKey: Lazy.string({ produce: () => this.locate().objectKey }),
      },
    };
  }

  public bindToResource(resource: CfnResource, options: lambda.ResourceBindOptions = {}): void {
    if (!resource.node.tryGetContext(cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT)) {
      return;
    }
    resource.cfnOptions.metadata = {
      ...resource.cfnOptions.metadata,
      [cxapi.ASSET_RESOURCE_METADATA_PATH_KEY]: Lazy.string({ produce: () => this.locate().assetPath }),
      [cxapi.ASSET_RESOURCE_METADATA_IS_BUNDLED_KEY]: true,
      [cxapi.ASSET_RESOURCE_METADATA_PROPERTY_KEY]: options.resourceProperty ?? 'Code',
    };
  }

  /**
   * Bundle (if not done yet) and return what is wrong with the result for a function whose handler is the export
   * `handler`. Non-fatal concerns become warnings on the function.
   */
  public problems(handler: string): string[] {
    const job = this.bound();
    Bundler.of(this.scope!).ensureBuilt();
    const entry = path.relative(job.resolved.projectRoot, job.resolved.entry);
    if (job.state === 'failed') {
      // A failed command hook is not esbuild's failure.
      const how = job.errors.some((e) => e.startsWith('`bundling.commandHooks`')) ? 'in a command hook'
        : job.errors.some((e) => e.startsWith('`bundling.typeCheck`')) ? 'type checking'
          : job.errors.some((e) => e.startsWith('`bundling.installNativeModules`')) ? 'installing its native packages' : 'with esbuild';
      return [`bundling ${entry} failed ${how}:\n    ${job.errors.join('\n    ')}${brokenInstallHint(job.errors, job.resolved.projectRoot)}`];
    }
    if (job.state !== 'built') {
      return [];
    }
    const record = job.record!;
    const problems: string[] = [];
    // What is checked is what is deployed: the staged files must be the record's, and the exports those of the file.
    if (!directoryHolds(job.stagedDir!, record)) {
      return [`the staged bundle of ${entry} (${job.stagedDir}) does not hold the files it was built with: run synth again`];
    }
    // The exports of the staged file: from the bytes staged (whose sha256 the check above just matched), or read.
    const exports = record.exportsKnown && job.resolved.outputFileName === 'index.mjs'
      ? job.stagedExports ?? stagedEsmExports(path.join(job.stagedDir!, job.resolved.outputFileName))
      : record.exports;
    if (record.exportsKnown && !exports.includes(handler)) {
      const hint = exports.length === 1 && exports[0] === 'default' && job.resolved.outputFileName === 'index.mjs'
        ? ' — the entry looks like CommonJS: write it as an ES module, or set `bundling.format` to OutputFormat.CJS'
        : job.resolved.commandHooks ? ` — as \`bundling.commandHooks\` afterBundling left ${job.resolved.outputFileName}` : '';
      problems.push(`\`handler\` "${handler}" is not exported by ${entry} (exports: ${exports.join(', ') || 'none'})${hint}`);
    }
    if (record.bytes > LAMBDA_UNZIPPED_LIMIT_BYTES) {
      problems.push(`the bundle of ${entry} must be at most 250 MB unzipped (Lambda's limit), got ${formatBytes(record.bytes)}`);
    }
    const annotations = Annotations.of(this.scope!);
    if (job.resolved.sizeBudgetBytes !== undefined && record.bytes > job.resolved.sizeBudgetBytes) {
      annotations.addWarningV2('cdk-lambda-kit:bundleSizeBudget',
        `the bundle of ${entry} is ${formatBytes(record.bytes)}, over \`bundling.sizeBudget\` of ${formatBytes(job.resolved.sizeBudgetBytes)}; ` +
        `see the bundle report for its biggest modules (${record.topModules.map((m) => m.module).join(', ')})`);
    }
    for (const reader of record.ownFileReaders) {
      annotations.addWarningV2('cdk-lambda-kit:packageReadsOwnFiles',
        `the bundle of ${entry} includes ${reader.module}, which reaches its own files ${reader.atLoad ? 'when its module loads' : 'on a code path'}: ${reader.uses} at ` +
        `${reader.file}:${reader.line} (${reader.atLoad ? 'computed when the module loads' : 'inside a function'}). Bundling leaves those files ` +
        `behind, so whatever uses that path fails when it runs; the rest of ${reader.module} works. If you use it, ship the package ` +
        `installed beside the bundle: \`bundling.nodeModules: ['${reader.module}']\`, or provide it from a DependencyLayer (\`layers\`)`);
    }
    // With automatic installs off, what bundling cannot carry stays as it was built.
    const installed = new Set(record.installedModules);
    for (const ship of record.shipInstalled.filter((s) => !installed.has(s.module))) {
      annotations.addWarningV2(ship.external ? 'cdk-lambda-kit:packageReadsOwnFiles' : 'cdk-lambda-kit:optionalPeerNotShipped',
        `the bundle of ${entry} needs ${ship.module} installed beside it (${ship.reason}), which bundling cannot carry, and ` +
        `\`bundling.installNativeModules\` is false: ${ship.external ? 'it fails when that code runs' : `${ship.module} is missing when it is loaded`}. ` +
        `Ship it: \`bundling.nodeModules: ['${ship.module}']\`, or leave \`bundling.installNativeModules\` on`);
    }
    for (const [requiring, requires] of byPackage(record.optionalRequires)) {
      const names = [...new Set(requires.map((r) => r.module.split('/').slice(0, r.module.startsWith('@') ? 2 : 1).join('/')))];
      const them = requires.length > 1 ? 'them' : 'it';
      annotations.addWarningV2('cdk-lambda-kit:optionalPackageNotInstalled',
        `${requiring} requires ${requires.map((r) => `${r.module} (${r.file}:${r.line}, ${r.declared === 'undeclared' ? 'not declared' : r.declared})`).join(', ')}, ` +
        `not installed, outside try/catch: the bundle of ${entry} leaves ${them} out. ${requiring} does not depend on ${them}, so each require runs ` +
        'only on the code path that uses it (a dialect or feature you do not use), where it throws "Cannot find module". ' +
        `If you use that path, install the package: \`npm install ${names.join(' ')}\``);
    }
    for (const warning of job.warnings) {
      annotations.addWarningV2('cdk-lambda-kit:esbuildWarning', `esbuild: ${warning}`);
    }
    return problems;
  }

  /**
   * What the built bundle imports but leaves out, and its unzipped size; undefined when it was not built (skipped
   * stacks, failures).
   */
  public builtBundle(): { externalImports: string[]; bytes: number } | undefined {
    const job = this.bound();
    Bundler.of(this.scope!).ensureBuilt();
    // The native packages installed beside the bundle are provided.
    const installed = new Set(job.record?.installedModules ?? []);
    return job.state === 'built'
      ? { externalImports: job.record!.externalImports.filter((m) => !installed.has(m)), bytes: job.record!.bytes }
      : undefined;
  }

  private locate(): CodeLocation {
    if (this.location) {
      return this.location;
    }
    const job = this.bound();
    const scope = this.scope!;
    Bundler.of(scope).ensureBuilt();
    if (job.state === 'failed') {
      // Reported by the function's validation, which runs before any template is written.
      return { bucketName: 'bundling-failed', objectKey: 'bundling-failed', assetPath: 'bundling-failed' };
    }
    const stack = Stack.of(scope);
    let sourceHash: string;
    let fileName: string;
    if (job.state === 'built') {
      sourceHash = job.record!.hash;
      fileName = path.relative(Stage.of(stack)!.outdir, job.stagedDir!);
    } else {
      // Bundling skipped for this stack (aws:cdk:bundling-stacks): a stable stand-in, like aws-cdk-lib's assets.
      sourceHash = sha256(`skipped\0${job.id}`);
      fileName = path.dirname(job.resolved.entry);
    }
    const location = stack.synthesizer.addFileAsset({
      sourceHash,
      fileName,
      packaging: FileAssetPackaging.ZIP_DIRECTORY,
      displayName: `${scope.node.path}/Code`,
    });
    this.location = { bucketName: location.bucketName, objectKey: location.objectKey, assetPath: fileName };
    return this.location;
  }

  private bound(): BundleJob {
    if (!this.job) {
      throw new Error('cdk-lambda-kit: bundled code was used before it was bound to a function');
    }
    return this.job;
  }
}

/** The names an ES module bundle exports, read from the staged file (see `esmExportsOf`). */
export function stagedEsmExports(file: string): string[] {
  try {
    return esmExportsOf(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

/** Optional requires by requiring package, in the order found. */
function byPackage(requires: OptionalRequire[]): Map<string, OptionalRequire[]> {
  const found = new Map<string, OptionalRequire[]>();
  for (const r of requires) {
    found.set(r.package, [...found.get(r.package) ?? [], r]);
  }
  return found;
}
