import * as fs from 'fs';
import * as path from 'path';
import { BundleRecord, rehashRecord } from './cache/records';
import { isFile } from './project-root';

/**
 * Files copied into a function's bundle beside the code (`bundling.copyFiles`): certificates such as the RDS CA
 * bundle, templates, WASM modules.
 */
export interface BundleFiles {
  /**
   * A file or a glob, relative to the project root: `certs/global-bundle.pem`, `templates/**\/*.html`,
   * `wasm/*.wasm`.
   *
   * `*` and `?` match within a directory, `**` any number of directories, `{a,b}` either. Each file keeps its path
   * relative to the pattern's directory part before the first wildcard (a plain file name keeps only its name).
   */
  readonly include: string;

  /**
   * The directory in the bundle the files go to, relative to the bundle's root (which is the handler's
   * `__dirname` and Lambda's `LAMBDA_TASK_ROOT`).
   *
   * @default - the bundle's root
   */
  readonly destination?: string;
}

/** One file to copy: its absolute source and its path in the bundle (POSIX, relative). */
export interface CopiedFile {
  readonly source: string;
  readonly target: string;
}

/** The bundle's own files: nothing copied may replace them. */
const OUTPUT_NAMES = ['index.mjs', 'index.mjs.map', 'index.js', 'index.js.map'];

/** Expand `bundling.copyFiles` against the project root: the files to copy, sorted by target, and what is wrong. */
export function resolveCopyFiles(specs: BundleFiles[] | undefined, projectRoot: string): { files: CopiedFile[]; problems: string[] } {
  const problems: string[] = [];
  const byTarget = new Map<string, string>();
  for (const spec of specs ?? []) {
    const pattern = spec.include.replace(/\\/g, '/');
    const destination = (spec.destination ?? '.').replace(/\\/g, '/');
    if (pattern.trim() === '' || path.isAbsolute(pattern) || pattern.split('/').includes('..')) {
      problems.push(`\`bundling.copyFiles\` \`include\` must be a path or glob inside the project root (${projectRoot}), got "${spec.include}"`);
      continue;
    }
    if (path.isAbsolute(destination) || path.posix.normalize(destination).split('/').includes('..')) {
      problems.push(`\`bundling.copyFiles\` \`destination\` must be a directory inside the bundle (relative, without ".."), got "${spec.destination}"`);
      continue;
    }
    const { base, matches } = glob(projectRoot, pattern);
    if (matches.length === 0) {
      problems.push(`\`bundling.copyFiles\` \`include\` must match at least one file under ${projectRoot}, got "${spec.include}" (matches none)`);
      continue;
    }
    for (const match of matches) {
      const target = path.posix.normalize(path.posix.join(destination, path.posix.relative(base, match)));
      const source = path.join(projectRoot, match);
      const previous = byTarget.get(target);
      if (OUTPUT_NAMES.includes(target)) {
        problems.push(`\`bundling.copyFiles\` must not replace the bundle's ${target}, got "${spec.include}" (${match})`);
      } else if (previous !== undefined && previous !== source) {
        problems.push(`\`bundling.copyFiles\` copies two files to ${target}: ${path.relative(projectRoot, previous)} and ${match}`);
      } else {
        byTarget.set(target, source);
      }
    }
  }
  const files = [...byTarget.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([target, source]) => ({ source, target }));
  return { files, problems };
}

/** What the cache key holds for copied files: each target with its source's content hash. */
export function copiedFilesKey(files: CopiedFile[] | undefined, hasher: { hash(file: string): string | undefined }): string[] | undefined {
  if (!files || files.length === 0) {
    return undefined;
  }
  return files.map((f) => `${f.target}\0${hasher.hash(f.source) ?? 'unreadable'}`);
}

/** Copy the files into a built bundle's directory and return its record with them (see `rehashRecord`). */
export function addCopiedFiles(record: BundleRecord, dir: string, files: CopiedFile[] | undefined, mainFile: string): BundleRecord {
  if (!files || files.length === 0) {
    return record;
  }
  for (const file of files) {
    const target = path.join(dir, ...file.target.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file.source, target);
  }
  return rehashRecord(record, dir, mainFile);
}

/**
 * Files under `root` matching a glob (POSIX paths relative to `root`, sorted), and the pattern's static base.
 * `node_modules` and `.git` are only entered when the pattern names them.
 */
export function glob(root: string, pattern: string): { base: string; matches: string[] } {
  const parts = pattern.split('/').filter((p) => p !== '' && p !== '.');
  const firstWild = parts.findIndex((p) => /[*?{[]/.test(p));
  const baseParts = firstWild === -1 ? parts.slice(0, -1) : parts.slice(0, firstWild);
  const base = baseParts.join('/');
  if (firstWild === -1) {
    const file = parts.join('/');
    return { base, matches: isFile(path.join(root, file)) ? [file] : [] };
  }
  let source = '';
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    source += part === '**' ? (last ? '.*' : '(?:[^/]+/)*') : segmentRegex(part) + (last ? '' : '/');
  });
  const regex = new RegExp(`^${source}$`);
  const matches: string[] = [];
  const walk = (rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if ((entry.name === 'node_modules' || entry.name === '.git') && !pattern.includes(entry.name)) {
          continue;
        }
        walk(child);
      } else if (entry.isFile() && regex.test(child)) {
        matches.push(child);
      }
    }
  };
  walk(base);
  return { base, matches: matches.sort() };
}

/** One path segment of a glob (not `**`) as a regular expression. */
function segmentRegex(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '{') {
      const end = segment.indexOf('}', i);
      if (end === -1) {
        out += '\\{';
        continue;
      }
      out += `(?:${segment.slice(i + 1, end).split(',').map((alt) => alt.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('|')})`;
      i = end;
    } else {
      out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
    }
  }
  return out;
}
