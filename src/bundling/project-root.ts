import * as fs from 'fs';
import * as path from 'path';

/** Lock files that mark the root of a JavaScript project, in the order they are looked for. */
export const LOCK_FILES = ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock'];

/**
 * The project root of a source file: the nearest directory above it that holds a lock file, else the nearest
 * that holds a package.json, else the file's own directory.
 */
export function findProjectRoot(file: string): string {
  const start = path.dirname(path.resolve(file));
  return findUp(start, (dir) => LOCK_FILES.some((f) => fs.existsSync(path.join(dir, f))))
    ?? findUp(start, (dir) => fs.existsSync(path.join(dir, 'package.json')))
    ?? start;
}

/** The lock file of a project root, if it has one. */
export function findLockFile(projectRoot: string): string | undefined {
  return LOCK_FILES.map((f) => path.join(projectRoot, f)).find((f) => fs.existsSync(f));
}

/** Whether a path leads to a file (symbolic links followed). */
export function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Whether a path leads to a directory (symbolic links followed). */
export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The names in a directory; none when it cannot be read (gone, not a directory). */
export function namesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function findUp(start: string, matches: (dir: string) => boolean): string | undefined {
  let dir = start;
  for (;;) {
    if (matches(dir)) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return undefined;
    }
    dir = parent;
  }
}
