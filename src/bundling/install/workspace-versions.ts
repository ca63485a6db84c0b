import * as fs from 'fs';
import * as path from 'path';
import { parseSyml } from '@yarnpkg/parsers';
import * as yaml from 'js-yaml';
import { LOCK_FILES } from '../project-root';

/**
 * The version of a package the workspace holding a source file locks, whatever the package manager: npm's
 * `package-lock.json`, pnpm's `pnpm-lock.yaml`, Yarn's `yarn.lock` (classic and Berry, so Plug'n'Play too, which
 * has no `node_modules` to look in). In a monorepo every workspace may lock its own version of a package: the one
 * that counts is the one Node.js (or Yarn's PnP resolver) would give the code of that workspace, not the version
 * hoisted to the root for another.
 *
 * Parsers: Yarn's own (`@yarnpkg/parsers`, both lock formats) and js-yaml, which it depends on, for pnpm's YAML;
 * npm's lock is JSON.
 */

/** The versions of packages a workspace locks, and the packages it does not (not installed, or not a dependency). */
export interface WorkspaceVersions {
  readonly versions: Record<string, string>;
  readonly unresolved: string[];
  /** Where the versions were read, for messages: `pnpm-lock.yaml (importer packages/api)`, `node_modules`. */
  readonly source: string;
}

/**
 * The version of each package the workspace around `fromDir` (the entry's directory: its nearest package.json
 * below the lock file) locks. Without a lock file, or for a package the lock file does not place, the version
 * Node.js would load from `fromDir` through `node_modules` (symbolic links followed, so pnpm's too).
 */
export function workspaceVersions(names: string[], fromDir: string): WorkspaceVersions {
  const workspace = findWorkspace(path.resolve(fromDir));
  const lock = workspace.lockFile ? readLock(workspace.lockFile) : undefined;
  const versions: Record<string, string> = {};
  const unresolved: string[] = [];
  for (const name of [...new Set(names)].sort()) {
    const version = (lock && lockedVersion(lock, name, workspace)) ?? installedVersion(name, workspace.dir);
    if (version === undefined) {
      unresolved.push(name);
    } else {
      versions[name] = version;
    }
  }
  const source = workspace.lockFile
    ? `${path.basename(workspace.lockFile)}${workspace.relative ? ` (workspace ${workspace.relative})` : ''}`
    : 'node_modules';
  return { versions, unresolved, source };
}

/** The version of one package the workspace around `fromDir` locks (see `workspaceVersions`). */
export function workspaceVersion(name: string, fromDir: string): string | undefined {
  return workspaceVersions([name], fromDir).versions[name];
}

/** A workspace: its directory (nearest package.json), its lock file and its path relative to the lock's directory. */
interface Workspace {
  readonly dir: string;
  readonly lockFile?: string;
  /** POSIX path of `dir` relative to the lock file's directory; '' for the root. */
  readonly relative: string;
  readonly manifest: PackageJson;
}

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'devDependencies', 'peerDependencies'] as const;

function findWorkspace(fromDir: string): Workspace {
  let dir: string | undefined;
  for (let d = fromDir; ; d = path.dirname(d)) {
    if (dir === undefined && fs.existsSync(path.join(d, 'package.json'))) {
      dir = d;
    }
    const lock = LOCK_FILES.filter((f) => !f.startsWith('bun')).map((f) => path.join(d, f)).find((f) => fs.existsSync(f));
    if (lock) {
      const workspaceDir = dir ?? d;
      return { dir: workspaceDir, lockFile: lock, relative: toPosix(path.relative(d, workspaceDir)), manifest: readJson(path.join(workspaceDir, 'package.json')) ?? {} };
    }
    if (path.dirname(d) === d) {
      const workspaceDir = dir ?? fromDir;
      return { dir: workspaceDir, relative: '', manifest: readJson(path.join(workspaceDir, 'package.json')) ?? {} };
    }
  }
}

type Lock =
  | { kind: 'npm'; data: NpmLock; file: string }
  | { kind: 'pnpm'; data: PnpmLock; file: string }
  | { kind: 'yarn'; data: Record<string, YarnEntry>; berry: boolean; byDescriptor: Map<string, YarnEntry>; file: string };

interface NpmLock {
  readonly packages?: Record<string, { version?: string; link?: boolean; resolved?: string }>;
  readonly dependencies?: Record<string, { version?: string }>;
}

interface PnpmLock {
  readonly importers?: Record<string, PnpmImporter>;
  readonly packages?: Record<string, unknown>;
  readonly snapshots?: Record<string, unknown>;
}
type PnpmImporter = Partial<Record<(typeof DEPENDENCY_FIELDS)[number], Record<string, string | { version?: string }>>>;

interface YarnEntry {
  readonly version?: string;
  readonly resolution?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

/** Parsed lock files, by path, kept while the file is unchanged (one parse per synth, not one per function). */
const parsed = new Map<string, { signature: string; lock: Lock | undefined }>();

function readLock(file: string): Lock | undefined {
  let signature: string;
  try {
    const stat = fs.statSync(file);
    signature = `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
  const known = parsed.get(file);
  if (known?.signature === signature) {
    return known.lock;
  }
  let lock: Lock | undefined;
  try {
    lock = parseLock(file, fs.readFileSync(file, 'utf8'));
  } catch {
    // An unreadable or malformed lock file places nothing: versions come from node_modules.
    lock = undefined;
  }
  parsed.set(file, { signature, lock });
  return lock;
}

function parseLock(file: string, text: string): Lock | undefined {
  switch (path.basename(file)) {
    case 'package-lock.json':
      return { kind: 'npm', data: JSON.parse(text), file };
    case 'pnpm-lock.yaml':
      // pnpm writes one YAML document per lock (two with a `packageManagerDependencies` env lock: take the last).
      return { kind: 'pnpm', data: (yaml.loadAll(text).filter((d) => d && typeof d === 'object').pop() ?? {}) as PnpmLock, file };
    case 'yarn.lock': {
      const data = parseSyml(text) as Record<string, YarnEntry>;
      const byDescriptor = new Map<string, YarnEntry>();
      for (const [key, entry] of Object.entries(data)) {
        for (const descriptor of key.split(',')) {
          byDescriptor.set(descriptor.trim(), entry);
        }
      }
      return { kind: 'yarn', data, berry: '__metadata' in data, byDescriptor, file };
    }
    default:
      return undefined;
  }
}

function lockedVersion(lock: Lock, name: string, workspace: Workspace): string | undefined {
  switch (lock.kind) {
    case 'npm': return npmVersion(lock.data, name, workspace.relative);
    case 'pnpm': return pnpmVersion(lock.data, name, workspace);
    case 'yarn': return yarnVersion(lock, name, workspace);
  }
}

/** npm: the `packages` entry Node.js resolution reaches from the workspace (its node_modules, then each parent's). */
function npmVersion(lock: NpmLock, name: string, relative: string): string | undefined {
  if (lock.packages) {
    for (let dir = relative; ; dir = parentOf(dir)) {
      const entry = lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`];
      if (entry) {
        return entry.link && entry.resolved !== undefined ? lock.packages[entry.resolved]?.version : entry.version;
      }
      if (dir === '') {
        return undefined;
      }
    }
  }
  return relative === '' ? lock.dependencies?.[name]?.version : undefined;
}

/** pnpm: the workspace's importer entry; for a package only installed as a dependency of others, its one version. */
function pnpmVersion(lock: PnpmLock, name: string, workspace: Workspace): string | undefined {
  const importer: PnpmImporter | undefined = lock.importers
    ? lock.importers[workspace.relative || '.']
    : lock as PnpmImporter; // lockfile v5 of a single project: the importer is the document
  for (const field of DEPENDENCY_FIELDS) {
    const entry = importer?.[field]?.[name];
    if (entry !== undefined) {
      const reference = typeof entry === 'string' ? entry : entry.version;
      if (reference === undefined) {
        return undefined;
      }
      if (reference.startsWith('link:') || reference.startsWith('file:') || reference.startsWith('workspace:')) {
        return readJson(path.join(workspace.dir, reference.replace(/^(link|file|workspace):/, ''), 'package.json'))?.version;
      }
      return cleanPnpmVersion(reference);
    }
  }
  return onlyVersion(Object.keys({ ...lock.packages, ...lock.snapshots }).map(pnpmKeyVersion(name)));
}

/** `4.3.4(supports-color@8.1.1)` (v6+) or `4.3.4_supports-color@8.1.1` (v5): the version before the peers. */
function cleanPnpmVersion(reference: string): string {
  const version = reference.replace(/\(.*$/, '').replace(/_.*$/, '');
  // An alias (`npm:other@1.0.0` in v5/v6, `other@1.0.0` in v9) or a path key (`/debug/4.3.4`): the version is last.
  const at = version.lastIndexOf('@');
  return (at > 0 ? version.slice(at + 1) : version).replace(/^.*\//, '');
}

/** The version in a key of pnpm's `packages` (`/debug/4.3.4`, `/debug@4.3.4`, `debug@4.3.4(peer@1)`) for `name`. */
function pnpmKeyVersion(name: string): (key: string) => string | undefined {
  return (key) => {
    const bare = key.replace(/^\//, '').replace(/\(.*$/, '');
    for (const separator of ['@', '/']) {
      if (bare.startsWith(`${name}${separator}`)) {
        return bare.slice(name.length + 1).replace(/_.*$/, '');
      }
    }
    return undefined;
  };
}

/**
 * Yarn: the descriptor the workspace depends on (Berry records each workspace's descriptors in the lock; classic
 * Yarn does not, so its package.json range), looked up in the lock. A package only installed as a dependency of
 * others: its one version.
 */
function yarnVersion(lock: Extract<Lock, { kind: 'yarn' }>, name: string, workspace: Workspace): string | undefined {
  let range: string | undefined;
  if (lock.berry) {
    const locator = `@workspace:${workspace.relative || '.'}`;
    const entry = Object.values(lock.data).find((e) => typeof e.resolution === 'string' && e.resolution.endsWith(locator)
      && e.resolution.slice(0, -locator.length) === workspace.manifest.name);
    range = entry?.dependencies?.[name] ?? entry?.optionalDependencies?.[name];
  }
  range ??= DEPENDENCY_FIELDS.map((f) => workspace.manifest[f]?.[name]).find((r) => r !== undefined);
  if (range !== undefined) {
    if (range.startsWith('workspace:') || range.startsWith('link:') || range.startsWith('portal:') || range.startsWith('file:')) {
      const target = lock.byDescriptor.get(`${name}@${range}`)?.resolution?.split('@workspace:')[1];
      const dir = target !== undefined
        ? path.join(path.dirname(lock.file), target)
        : path.join(workspace.dir, range.replace(/^[a-z]+:/, ''));
      return readJson(path.join(dir, 'package.json'))?.version ?? installedVersion(name, workspace.dir);
    }
    const entry = lock.byDescriptor.get(`${name}@${range}`) ?? (lock.berry ? lock.byDescriptor.get(`${name}@npm:${range}`) : undefined);
    if (entry?.version !== undefined) {
      return entry.version;
    }
    if (!lock.berry) {
      // A workspace package that classic Yarn links without a lock entry.
      return installedVersion(name, workspace.dir);
    }
  }
  return onlyVersion([...lock.byDescriptor.entries()]
    .filter(([descriptor, entry]) => descriptor.startsWith(`${name}@`) && !descriptor.slice(name.length + 1).startsWith('workspace:') && entry.version !== '0.0.0-use.local')
    .map(([, entry]) => entry.version));
}

/** The one version in a list, ignoring gaps; undefined when there are none or several (the lock cannot say which). */
function onlyVersion(versions: Array<string | undefined>): string | undefined {
  const distinct = new Set(versions.filter((v): v is string => v !== undefined));
  return distinct.size === 1 ? [...distinct][0] : undefined;
}

/** The version of a package Node.js would load from a directory, symbolic links followed (pnpm's, workspaces'). */
export function installedVersion(name: string, from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = readJson(path.join(dir, 'node_modules', name, 'package.json'));
    if (manifest) {
      return manifest.version;
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

function readJson(file: string): PackageJson | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function parentOf(posixDir: string): string {
  const parent = path.posix.dirname(posixDir);
  return parent === '.' ? '' : parent;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
