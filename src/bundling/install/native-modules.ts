import * as fs from 'fs';
import * as path from 'path';
import type { CopiedFile } from '../copy-files';

/**
 * Packages that need files beside them at run time because they are native addons (a `.node` binary
 * loaded through node-gyp-build, bindings, node-pre-gyp, prebuild-install, or sharp's `@img/sharp-*` packages).
 * Bundling cannot carry their binaries: they stay out of the bundle (external) and, when the bundle imports them,
 * are installed for Linux and the function's architecture beside it, as `bundling.nodeModules` installs.
 */

/** Loaders that find a package's native binary next to its own files. */
const NATIVE_LOADERS = ['node-gyp-build', 'node-gyp-build-optional-packages', 'bindings', '@mapbox/node-pre-gyp', 'node-pre-gyp', 'prebuild-install'];

/** The automatic install of a function's native packages, resolved at construction (see `ResolvedBundling`). */
export interface NativeModules {
  /** The project's native packages (by name), with why each is one: left out of the bundle, installed if imported. */
  readonly candidates: Record<string, string>;
  /** What the install depends on besides the versions (architecture, runtime, install scripts): part of cache keys. */
  readonly platform: string;
  /** Install packages (with the optional peers the project has) and list their files as copies into the bundle. */
  readonly install: (names: string[]) => CopiedFile[];
}

/** Why a package directory is a native addon, or undefined when it is not one. */
export function nativeReason(dir: string, manifest: PackageManifest): string | undefined {
  const name = manifest.name ?? path.basename(dir);
  // A package for other systems only (fsevents, @img/sharp-darwin-arm64) is never installed for Lambda.
  if (manifest.os && !manifest.os.includes('linux')) {
    return undefined;
  }
  if (name.startsWith('@img/sharp-')) {
    return 'one of sharp\'s platform packages';
  }
  const optional = Object.keys(manifest.optionalDependencies ?? {});
  if (optional.some((d) => d.startsWith('@img/sharp-'))) {
    return 'its binary comes from @img/sharp-* packages for each platform';
  }
  const loader = NATIVE_LOADERS.find((l) => manifest.dependencies?.[l] !== undefined || optional.includes(l));
  if (loader) {
    return `it loads a native binary through ${loader}`;
  }
  if (manifest.gypfile === true || exists(path.join(dir, 'binding.gyp'))) {
    return 'it has a binding.gyp (a native addon)';
  }
  if (manifest.binary !== undefined) {
    return 'its binary is installed by node-pre-gyp';
  }
  if (isDirectory(path.join(dir, 'prebuilds'))) {
    return 'it ships native binaries in prebuilds/';
  }
  return undefined;
}

/** What is read of a package.json. */
export interface PackageManifest {
  readonly name?: string;
  readonly version?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly gypfile?: boolean;
  readonly binary?: unknown;
  readonly os?: string[];
}

const found = new Map<string, Record<string, string>>();

/**
 * The native packages installed in a project's `node_modules` (top level and scopes), by name, with why each is one;
 * with pnpm, those of its store too (`node_modules/.pnpm/<key>/node_modules/<name>`): a package only a dependency of
 * others is not linked from the top level there, as npm and Yarn would hoist it. Read once per project root and process.
 */
export function projectNativePackages(projectRoot: string): Record<string, string> {
  const known = found.get(projectRoot);
  if (known) {
    return known;
  }
  const natives: Record<string, string> = {};
  const nodeModules = path.join(projectRoot, 'node_modules');
  for (const dir of [...packageDirs(nodeModules), ...pnpmStoreDirs(path.join(nodeModules, '.pnpm'))]) {
    const manifest = readManifest(dir);
    const reason = manifest && manifest.name ? nativeReason(dir, manifest) : undefined;
    if (reason) {
      natives[manifest!.name!] = reason;
    }
  }
  found.set(projectRoot, natives);
  return natives;
}

/**
 * The optional peers of packages (`peerDependenciesMeta: { optional: true }`) that the project has installed: a
 * package shipped installed requires them at run time when they are there (knex → pg, typeorm → its driver).
 */
export function installedOptionalPeers(names: string[], projectRoot: string): string[] {
  const peers = new Set<string>();
  for (const name of names) {
    const manifest = readManifest(path.join(projectRoot, 'node_modules', ...name.split('/')));
    for (const [peer, meta] of Object.entries(manifest?.peerDependenciesMeta ?? {})) {
      if (meta?.optional && !names.includes(peer) && readManifest(path.join(projectRoot, 'node_modules', ...peer.split('/')))) {
        peers.add(peer);
      }
    }
  }
  return [...peers].sort();
}

/**
 * The packages of pnpm's store: each `<key>/node_modules` holds the package itself (a directory) and links to its
 * dependencies (each a package of its own key, so skipped).
 */
function pnpmStoreDirs(store: string): string[] {
  return readdir(store).filter((key) => !key.startsWith('.') && key !== 'node_modules')
    .flatMap((key) => packageDirs(path.join(store, key, 'node_modules')).filter((dir) => !isSymbolicLink(dir)));
}

/** The package directories of a node_modules directory (scoped ones included), without dot directories. */
function packageDirs(nodeModules: string): string[] {
  const dirs: string[] = [];
  for (const name of readdir(nodeModules)) {
    if (name.startsWith('.')) {
      continue;
    }
    if (name.startsWith('@')) {
      dirs.push(...readdir(path.join(nodeModules, name)).map((scoped) => path.join(nodeModules, name, scoped)));
    } else {
      dirs.push(path.join(nodeModules, name));
    }
  }
  return dirs;
}

function readManifest(dir: string): PackageManifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function readdir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function exists(file: string): boolean {
  return fs.existsSync(file);
}

function isSymbolicLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
