import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { Bundler } from '../bundler';
import { isPlainRelativePath } from '../cache/records';
import { directoryHolds, normalizeModes, replaceDirectory, tempName, treeManifest, writeAtomic } from '../cache/verified-files';

/**
 * npm packages installed for Lambda: into `nodejs/node_modules` for Linux and the target architecture, in the cache
 * (or reused from there when a verified install is). A `DependencyLayer` stages the install as a layer;
 * `bundling.nodeModules` copies it beside a bundle.
 */

/** What to install (exported for `bundling.nodeModules`, which installs the same way). */
export interface LayerSpec {
  /** The package.json to install, as text. */
  readonly packageJson: string;
  /** The lock file to install exactly, as text. */
  readonly lockFile?: string;
  readonly modules: string[];
  /** Where the package.json came from, for cache placement. */
  readonly projectRoot: string;
}

/** A built layer: where it is and what it holds. */
export interface BuiltLayer {
  readonly dir: string;
  readonly hash: string;
  readonly versions: Record<string, string>;
  readonly bytes: number;
}

/** An install in the cache: the layer, what it holds file by file, and whether this synth installed it. */
export interface Installed extends BuiltLayer {
  readonly manifest: LayerManifest;
  readonly installed: boolean;
  readonly seconds: number;
}

/** A layer install: its files with their sha256, as `directoryHolds` checks them. */
export interface LayerManifest {
  readonly files: string[];
  readonly fileHashes: Record<string, string>;
}

/**
 * Install packages into the cache (or reuse a verified install there), returning where they are. DependencyLayer
 * stages the result (`installLayer`); `bundling.nodeModules` copies it beside a bundle.
 */
export function install(
  scope: Construct,
  constructPath: string,
  spec: LayerSpec,
  hash: string,
  architecture: lambda.Architecture,
  scripts: boolean,
): Installed {
  const started = process.hrtime.bigint();
  const bundler = Bundler.of(scope);
  const cacheRoot = bundler.cacheDir(scope, spec.projectRoot);
  // Without a cache, the install goes into the cloud assembly (replaced by the next synth), never the temp folder,
  // where nothing would remove it.
  const layersDir = cacheRoot ? path.join(cacheRoot, 'layers') : path.join(path.resolve(Stage.of(scope)!.assetOutdir), '.lambda-kit-installs');
  const dir = path.join(layersDir, hash);
  const manifestFile = `${dir}.manifest.json`;
  let manifest = cacheRoot ? readManifest(manifestFile) : undefined;
  const reused = manifest !== undefined && directoryHolds(dir, manifest);
  if (!reused) {
    const tmp = tempName(dir);
    const nodejs = path.join(tmp, 'nodejs');
    fs.mkdirSync(nodejs, { recursive: true });
    fs.writeFileSync(path.join(nodejs, 'package.json'), spec.packageJson);
    if (spec.lockFile) {
      fs.writeFileSync(path.join(nodejs, 'package-lock.json'), spec.lockFile);
    }
    const args = [
      spec.lockFile ? 'ci' : 'install',
      '--omit=dev', '--os=linux', `--cpu=${architecture === lambda.Architecture.ARM_64 ? 'arm64' : 'x64'}`, '--libc=glibc',
      '--no-audit', '--no-fund', '--loglevel=error',
      ...(scripts ? [] : ['--ignore-scripts']),
    ];
    try {
      execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd: nodejs, stdio: 'pipe', encoding: 'utf8' });
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      const stderr = String((e as { stderr?: string }).stderr ?? (e as Error).message).trim().split('\n').slice(-8).join('\n    ');
      throw new Error(`${constructPath}: installing the layer's packages with \`npm ${args.join(' ')}\` failed:\n    ${stderr}`);
    }
    fs.rmSync(path.join(nodejs, 'node_modules', '.package-lock.json'), { force: true });
    fs.mkdirSync(path.join(nodejs, 'node_modules'), { recursive: true });
    normalizeModes(tmp);
    manifest = treeManifest(tmp);
    replaceDirectory(tmp, dir, manifest);
    if (cacheRoot) {
      try {
        writeAtomic(manifestFile, JSON.stringify(manifest));
      } catch {
        // Only costs a reinstall next time.
      }
    }
  }
  const versions: Record<string, string> = {};
  for (const module of spec.modules) {
    try {
      versions[module] = JSON.parse(fs.readFileSync(path.join(dir, 'nodejs', 'node_modules', module, 'package.json'), 'utf8')).version;
    } catch {
      // A package without a package.json at its root: nothing to compare versions with.
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { dir, hash, versions, bytes: directorySize(dir), manifest: manifest!, installed: !reused, seconds };
}

/**
 * A cached install's manifest, if it is one this version wrote: plain relative paths, a sha256 or a symbolic link
 * that stays inside the layer for each. Anything else is a miss (the layer is installed again).
 */
function readManifest(file: string): LayerManifest | undefined {
  let value: LayerManifest;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || !Array.isArray(value.files) || value.files.length === 0
    || typeof value.fileHashes !== 'object' || value.fileHashes === null
    || Object.keys(value.fileHashes).length !== value.files.length) {
    return undefined;
  }
  for (const name of value.files) {
    const hash = value.fileHashes[name];
    if (!isPlainRelativePath(name) || typeof hash !== 'string') {
      return undefined;
    }
    if (hash.startsWith('l:')) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(name), hash.slice(2)));
      if (path.posix.isAbsolute(hash.slice(2)) || target.startsWith('../') || target === '..') {
        return undefined;
      }
    } else if (!/^[0-9a-f]{64}$/.test(hash)) {
      return undefined;
    }
  }
  return value;
}

function directorySize(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      total += directorySize(full);
    } else if (entry.isFile()) {
      total += fs.statSync(full).size;
    }
  }
  return total;
}
