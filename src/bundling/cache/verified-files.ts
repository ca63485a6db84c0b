/* eslint-disable no-bitwise */ // file modes are bit masks
import * as fs from 'fs';
import * as path from 'path';
import { hashFile } from './fingerprint';
import { sha256 } from '../hash';
import { namesIn } from '../project-root';

/**
 * Directories whose files are known by sha256 (staged assets, cached bundles, layer installs): checking them,
 * marking them verified, moving them into place complete, writing files atomically with normalized modes, and
 * removing what killed synths left behind.
 */

/** Files and directories in assets and in the cache get these modes, whatever the umask: the zip depends on content only. */
export const FILE_MODE = 0o644;
export const DIR_MODE = 0o755;

/** Leftovers of a synth that was killed are removed by a later synth once their process is gone, or after this long. */
const LEFTOVER_AGE_MS = 60 * 60 * 1000;

/**
 * Whether a directory holds exactly a record's files, each with its recorded sha256 (or `l:<target>` for a symbolic
 * link), and nothing else. Hashing is skipped when a marker beside the directory (`<dir>.verified`) says it was
 * verified with the same names, sizes, modification times, inodes and modes (what any write changes).
 */
export function directoryHolds(dir: string, record: { readonly files: string[]; readonly fileHashes: Record<string, string> }): boolean {
  let names: string[];
  try {
    names = listFiles(dir);
  } catch {
    return false;
  }
  const expected = [...record.files].sort();
  if (names.length !== expected.length || names.some((n, i) => n !== expected[i])) {
    return false;
  }
  const marker = `${dir}.verified`;
  const signature = statSignature(dir, names, record.fileHashes);
  if (signature !== undefined) {
    try {
      if (fs.readFileSync(marker, 'utf8') === signature) {
        return true;
      }
    } catch {
      // No marker: hash.
    }
  }
  for (const name of names) {
    const want = record.fileHashes[name];
    const full = path.join(dir, name);
    if (want.startsWith('l:') ? readlink(full) !== want.slice(2) : hashFile(full) !== want) {
      return false;
    }
  }
  if (signature !== undefined) {
    try {
      writeAtomic(marker, signature);
    } catch {
      // Only costs hashing again next time.
    }
  }
  return true;
}

/**
 * Record that a directory was just written with exactly a record's files (their sha256 computed from the bytes
 * written), so that the next `directoryHolds` checks names and stat signatures instead of hashing every file again.
 * Any later write to the directory changes the signature, and then `directoryHolds` hashes.
 */
export function markVerified(dir: string, record: { readonly files: string[]; readonly fileHashes: Record<string, string> }): void {
  const signature = statSignature(dir, [...record.files].sort(), record.fileHashes);
  if (signature !== undefined) {
    try {
      writeAtomic(`${dir}.verified`, signature);
    } catch {
      // Only costs hashing the directory again when it is next checked.
    }
  }
}

/** What a tree holds, as `directoryHolds` checks it: every file's sha256, `l:<target>` for symbolic links. */
export function treeManifest(dir: string): { files: string[]; fileHashes: Record<string, string> } {
  const files = listFiles(dir);
  const fileHashes: Record<string, string> = {};
  for (const name of files) {
    const full = path.join(dir, name);
    const link = readlink(full);
    const hash = link !== undefined ? `l:${link}` : hashFile(full);
    if (hash === undefined) {
      throw new Error(`${full} cannot be read`);
    }
    fileHashes[name] = hash;
  }
  return { files, fileHashes };
}

function readlink(file: string): string | undefined {
  try {
    return fs.readlinkSync(file);
  } catch {
    return undefined;
  }
}

function statSignature(dir: string, names: string[], hashes: Record<string, string>): string | undefined {
  try {
    return sha256(names.map((n) => {
      const s = fs.lstatSync(path.join(dir, n), { bigint: true });
      return `${n}\0${hashes[n]}\0${s.size}\0${s.mtimeNs}\0${s.ino}\0${s.mode}`;
    }).join('\n'));
  } catch {
    return undefined;
  }
}

/** Every file under a directory, relative, with `/`, sorted. Symlinks and special files are listed as they are. */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      out.push(...listFiles(dir, rel));
    } else {
      out.push(rel);
    }
  }
  return out.sort();
}

/**
 * Move a complete directory into place. When the place is taken: keep what is there if it holds the same files
 * (another synth got there first), else replace it.
 */
export function replaceDirectory(tmp: string, dir: string, record: { readonly files: string[]; readonly fileHashes: Record<string, string> }): void {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  try {
    fs.renameSync(tmp, dir);
    return;
  } catch (e) {
    if (!fs.existsSync(dir)) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
  }
  if (directoryHolds(dir, record)) {
    fs.rmSync(tmp, { recursive: true, force: true });
    return;
  }
  const old = tempName(`${dir}-old`);
  fs.renameSync(dir, old);
  fs.rmSync(`${dir}.verified`, { force: true });
  fs.renameSync(tmp, dir);
  fs.rmSync(old, { recursive: true, force: true });
}

/** Create a directory (and its parents) with mode 0755, whatever the umask. */
export function mkdirNormalized(dir: string): void {
  const first = fs.mkdirSync(dir, { recursive: true });
  if (first !== undefined) {
    for (let at = dir; ; at = path.dirname(at)) {
      fs.chmodSync(at, DIR_MODE);
      if (at === first || path.dirname(at) === at) {
        break;
      }
    }
  }
}

/** Write a file with mode 0644, whatever the umask (its directory is created 0755 when missing). */
export function writeNormalized(file: string, contents: string | Uint8Array): void {
  mkdirNormalized(path.dirname(file));
  fs.writeFileSync(file, contents, { mode: FILE_MODE });
  fixMode(file);
}

/** Give a file the mode 0644 whatever the umask took away when it was created. */
function fixMode(file: string): void {
  fs.chmodSync(file, FILE_MODE);
}

/**
 * Give every file under a directory mode 0644 (0755 when it was executable for its owner) and every directory 0755.
 * Symlinks are left as they are.
 */
export function normalizeModes(dir: string): void {
  fs.chmodSync(dir, DIR_MODE);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      normalizeModes(full);
    } else if (entry.isFile()) {
      fs.chmodSync(full, (fs.statSync(full).mode & 0o100) ? DIR_MODE : FILE_MODE);
    }
  }
}

/** Write a file through a temporary name, so that readers never see half of it. */
export function writeAtomic(file: string, content: string | Uint8Array): void {
  mkdirNormalized(path.dirname(file));
  const tmp = tempName(file);
  try {
    fs.writeFileSync(tmp, content, { mode: FILE_MODE });
    fixMode(tmp);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * A temporary name beside `target` (`<target>.tmp-<pid>-<random>`): written, then renamed into place, so that
 * readers never see half of it; {@link cleanLeftovers} removes those of killed synths.
 */
export function tempName(target: string): string {
  return `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
}

/** The process id in a leftover's name (`.lambda-kit-staging-<pid>-…`, `….tmp-<pid>-…`), if it is one. */
export function leftoverPid(name: string): number | undefined {
  const match = /^\.lambda-kit-staging-(\d+)-/.exec(name) ?? /\.tmp-(\d+)(-|$)/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * Remove the leftovers of killed synths in a directory: staging directories and `.tmp-<pid>` files or directories
 * whose process is gone, or that are older than an hour. Those of this process and of live ones are left alone.
 */
export function cleanLeftovers(dir: string): void {
  for (const name of namesIn(dir)) {
    const pid = leftoverPid(name);
    if (pid === undefined || pid === process.pid) {
      continue;
    }
    const full = path.join(dir, name);
    let old = false;
    try {
      old = Date.now() - fs.lstatSync(full).mtimeMs > LEFTOVER_AGE_MS;
    } catch {
      continue;
    }
    if (old || !processAlive(pid)) {
      fs.rmSync(full, { recursive: true, force: true });
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
