/**
 * What bundling cannot carry in a bundle's packages, read from their files: reads of a package's own files (at load
 * or on a code path, of data files or code), and `require(<variable>)`, which loads optional peers no bundler can follow.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FileProbe } from '../cache/fingerprint';
import { BundleRecord } from '../cache/records';
import type { PackageManifest } from '../install/native-modules';

/** The npm package a path belongs to (`node_modules/@scope/name/...` gives `@scope/name`). */
export function packageOf(input: string): string | undefined {
  const parts = toPosix(input).split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) {
    return undefined;
  }
  const name = parts[at + 1];
  return name.startsWith('@') && at + 2 < parts.length ? `${name}/${parts[at + 2]}` : name;
}

/** A path with `/` separators. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Ways code reaches files of its own package at run time, which bundling leaves behind: `__dirname`/`__filename`
 * joined or concatenated into a path, `require.resolve` of a relative path, and `new URL('…', import.meta.url)`.
 * A bare mention (`typeof __dirname`, a UMD wrapper) is not one.
 */
const OWN_FILE_PATTERNS: Array<[RegExp, string]> = [
  [/\b(?:join|resolve)\(\s*__dirname\s*,/, 'path.join(__dirname, …)'],
  [/\b(?:join|resolve)\(\s*(?:path\.)?dirname\(\s*__filename\s*\)\s*,/, 'path.join(dirname(__filename), …)'],
  [/\b__dirname\s*\+\s*['"`]/, '__dirname + "…"'],
  [/`\$\{\s*__dirname\s*\}\//, '`${__dirname}/…`'],
  [/\b(?:readFileSync|readFile|readdirSync|createReadStream|existsSync)\(\s*__dirname\b/, 'fs.*(__dirname)'],
  [/\brequire\.resolve\(\s*['"`]\.\.?\//, 'require.resolve("./…")'],
  [/new\s+URL\(\s*['"`][^'"`]+['"`]\s*,\s*import\.meta\.url\s*\)/, "new URL('…', import.meta.url)"],
];

/** A place where a file reaches its own package's files. */
export interface OwnFileUse {
  /** The label of the pattern (see OWN_FILE_PATTERNS). */
  readonly uses: string;
  readonly line: number;
  /** Whether it stands at the module's top level (runs when the module loads), not inside a function or block. */
  readonly atLoad: boolean;
  /** Whether it reads the file (not only names it). */
  readonly reads: boolean;
  /** The file it names, relative to the package, when it names one literally that exists and is data (not code). */
  readonly dataFile?: string;
}

/** What a package file does that bundling cannot carry. */
export interface FileScan {
  readonly ownFiles: OwnFileUse[];
  /** Its first `require(<variable>)`, with the line. */
  readonly dynamicRequire?: { readonly text: string; readonly line: number };
}

/**
 * Bundled packages whose code reaches their own files at run time: one finding per package (the first place found),
 * so that the warning can name it and the fix. Each file is scanned once however many times it is listed.
 */
export function ownFileReaders(sources: string[], probe: FileProbe = new FileProbe()): BundleRecord['ownFileReaders'] {
  return packageFindings(sources, memoized(scanFile), probe, '').ownFileReaders;
}

/** Files that are code, which bundling carries (or a read of which is no data file's). */
const CODE_EXTENSIONS = new Set(['', '.js', '.cjs', '.mjs', '.ts', '.cts', '.mts', '.jsx', '.tsx', '.json', '.node']);

/**
 * How a package file reaches its own package's files (every place one of OWN_FILE_PATTERNS matches) and whether it
 * requires a variable. A file without any of the words they need is not decoded.
 */
export function scanFile(file: string): FileScan {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return { ownFiles: [] };
  }
  const ownWords = OWN_FILE_WORDS.some((word) => bytes.includes(word));
  const requires = bytes.includes('require(');
  if (!ownWords && !requires) {
    return { ownFiles: [] };
  }
  const text = bytes.toString('utf8');
  const lineAt = (index: number) => text.slice(0, index).split('\n').length;
  const ownFiles: OwnFileUse[] = [];
  if (ownWords) {
    const shape = scriptShape(text);
    const packageDir = packageDirOf(file);
    for (const [pattern, uses] of OWN_FILE_PATTERNS) {
      for (const match of text.matchAll(new RegExp(pattern.source, 'g'))) {
        if (shape.inComment(match.index!)) {
          continue;
        }
        const named = literalPathOf(text, match.index!, uses);
        const target = named !== undefined ? path.resolve(path.dirname(file), named) : undefined;
        const dataFile = target && packageDir && target.startsWith(packageDir + path.sep) && !CODE_EXTENSIONS.has(path.extname(target).toLowerCase())
          && isFile(target) ? toPosix(path.relative(packageDir, target)) : undefined;
        // Read right away: the pattern reads, or stands in a read's first argument (`fs.readFileSync(path.join(__dirname, …))`).
        const reads = READS.has(uses) || READ_CALL.test(text.slice(Math.max(0, match.index! - 80), match.index!));
        // At the top level, and not in an arrow function or function expression of its statement.
        const at = match.index!;
        const statement = text.slice(Math.max(text.lastIndexOf(';', at), text.lastIndexOf('}', at), text.lastIndexOf('{', at)) + 1, at);
        const atLoad = shape.depth(at) === 0 && !/=>|\bfunction\b/.test(statement);
        ownFiles.push({ uses, line: lineAt(at), atLoad, reads, ...(dataFile ? { dataFile } : {}) });
      }
    }
    ownFiles.sort((a, b) => a.line - b.line);
  }
  const dynamic = requires ? /(?<![\w$.])require\(\s*([A-Za-z_$][\w$.]*)\s*\)/.exec(text) : null;
  return { ownFiles, ...(dynamic ? { dynamicRequire: { text: `require(${dynamic[1]})`, line: lineAt(dynamic.index) } } : {}) };
}

/**
 * The path a match of an own-file pattern names, when it is all string literals: `path.join(__dirname, '..', 'a.css')`,
 * `__dirname + '/a.css'`, `` `${__dirname}/a.css` ``, `new URL('./a.css', import.meta.url)`.
 */
function literalPathOf(text: string, at: number, uses: string): string | undefined {
  const rest = text.slice(at, at + 400);
  const literal = /^(['"])([^'"\\\n]*)\1$/;
  if (uses.startsWith('path.join(')) {
    const args = /^[\w.]*\([^,]*(?:\([^)]*\))?\s*,([^)]*)\)/.exec(rest)?.[1];
    const parts = args?.split(',').map((a) => literal.exec(a.trim())?.[2]);
    return parts && parts.every((p) => p !== undefined) ? path.join(...parts as string[]) : undefined;
  }
  if (uses === '__dirname + "…"') {
    const tail = /^__dirname\s*\+\s*(['"])([^'"\\\n]*)\1(?!\s*[\w$+.(])/.exec(rest);
    return tail ? `.${tail[2].startsWith('/') ? '' : '/'}${tail[2]}` : undefined;
  }
  if (uses === '`${__dirname}/…`') {
    const tail = /^`\$\{\s*__dirname\s*\}(\/[^`$]*)`/.exec(rest);
    return tail ? `.${tail[1]}` : undefined;
  }
  if (uses.startsWith('new URL(')) {
    return /^new\s+URL\(\s*(['"`])([^'"`]+)\1/.exec(rest)?.[2];
  }
  return undefined;
}

/**
 * The shape of a script at each position: the depth of `{` blocks (0: the module's top level), and whether it is in
 * a comment. Strings, template literals and comments are skipped; a regular expression literal holding a brace can
 * mislead it. Used to tell "when the module loads" from "inside a function" in messages, to ship a package that reads
 * a file at load, and to leave out what a comment shows (a JSDoc example).
 */
function scriptShape(text: string): { depth: (index: number) => number; inComment: (index: number) => boolean } {
  const opens: number[] = [];
  const closes: number[] = [];
  // Comment ranges, as start and end pairs in one sorted list.
  const comments: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const end = text[i + 1] === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2) + 1;
      comments.push(i, end <= 0 ? text.length : end);
      if (end <= 0) {
        break;
      }
      i = end;
    } else if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c && !(c !== '`' && text[i] === '\n'); i++) {
        if (text[i] === '\\') {
          i++;
        }
      }
    } else if (c === '{') {
      opens.push(i);
    } else if (c === '}') {
      closes.push(i);
    }
  }
  return {
    depth: (index) => countBefore(opens, index) - countBefore(closes, index),
    // Inside a comment: an odd number of range bounds before it.
    inComment: (index) => countBefore(comments, index + 1) % 2 === 1,
  };
}

/** How many numbers of a sorted list are below `index`. */
function countBefore(list: number[], index: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (list[mid] < index) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

/** The directory of the package a file in `node_modules` belongs to. */
function packageDirOf(file: string): string | undefined {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) {
    return undefined;
  }
  return parts.slice(0, at + (parts[at + 1].startsWith('@') ? 3 : 2)).join(path.sep);
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A one-argument function that computes each argument's value once. */
export function memoized<T>(compute: (key: string) => T): (key: string) => T {
  const values = new Map<string, T>();
  return (key) => {
    if (!values.has(key)) {
      values.set(key, compute(key));
    }
    return values.get(key) as T;
  };
}

/**
 * What a bundle's packages need that bundling cannot carry:
 * - `shipInstalled`: packages to ship installed beside the bundle: those that read a data file of their own (a
 *   literal path to a file that exists: jsdom's stylesheet, pdfkit's fonts and ICC profile) or read their own files
 *   when the module loads (left out of the bundle, `external`), and the optional peers the project has installed
 *   that a package loads through `require(<variable>)` and the bundle does not hold (sequelize's driver);
 * - `ownFileReaders`: the other packages that reach their own files on a code path (pino's transport worker),
 *   one finding per package, for a warning that names the place.
 */
export function packageFindings(sources: string[], scan: (file: string) => FileScan, probe: FileProbe, projectRoot: string):
Pick<BundleRecord, 'ownFileReaders' | 'shipInstalled'> {
  const files = new Map<string, string[]>();
  for (const source of sources) {
    const module = probe.packageOf(source, packageOf);
    if (module && !module.startsWith('@aws-sdk/')) {
      files.set(module, [...files.get(module) ?? [], source]);
    }
  }
  const display = (source: string) => {
    const parts = toPosix(source).split('/');
    return parts.slice(parts.lastIndexOf('node_modules') + 1).join('/');
  };
  const readers: Array<BundleRecord['ownFileReaders'][number]> = [];
  const shipInstalled: Array<BundleRecord['shipInstalled'][number]> = [];
  for (const [module, sourcesOf] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const uses = sourcesOf.flatMap((source) => scan(source).ownFiles.map((use) => ({ source, use })));
    const data = uses.find(({ use }) => use.dataFile !== undefined);
    const atLoad = uses.find(({ use }) => use.atLoad && use.reads);
    const ship = data ?? atLoad;
    // Only a package installed at the project's top level can be installed alone at the version bundled.
    if (ship && projectRoot !== '' && sameDir(packageDirOf(ship.source), path.join(projectRoot, 'node_modules', ...module.split('/')))) {
      const { source, use } = ship;
      const what = use.dataFile ? `reads its own file ${use.dataFile}` : 'reads its own files when the module loads';
      shipInstalled.push({ module, reason: `${module} ${what} (${use.uses}, ${display(source)}:${use.line})`, external: true });
    } else if (uses.length > 0) {
      const { source, use } = ship ?? uses[0];
      readers.push({ module, file: display(source), uses: use.uses, line: use.line, atLoad: use.atLoad });
    }
    if (projectRoot === '') {
      continue;
    }
    // Optional peers loaded by name: the project's, when the bundle does not hold them.
    const dynamic = sourcesOf.map((source) => ({ source, found: scan(source).dynamicRequire })).find(({ found }) => found);
    const dir = dynamic && packageDirOf(dynamic.source);
    if (dynamic && dir) {
      const manifest = readJson(path.join(dir, 'package.json')) as PackageManifest | undefined;
      for (const [peer, meta] of Object.entries(manifest?.peerDependenciesMeta ?? {})) {
        if (meta?.optional && !files.has(peer) && isFile(path.join(projectRoot, 'node_modules', ...peer.split('/'), 'package.json'))
          && !shipInstalled.some((s) => s.module === peer)) {
          shipInstalled.push({ module: peer, reason: `${module} loads it through ${dynamic.found!.text}, ${display(dynamic.source)}:${dynamic.found!.line}`, external: false });
        }
      }
    }
  }
  return { ownFileReaders: readers, shipInstalled };
}

/** Whether two paths are one directory (through symbolic links: pnpm's). */
function sameDir(a: string | undefined, b: string): boolean {
  try {
    return a !== undefined && fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

/** The patterns that read (not only name) a file. */
const READS = new Set(['fs.*(__dirname)', 'require.resolve("./…")']);

/** A read call whose first argument starts where the text ends. */
const READ_CALL = /\b(?:readFileSync|readFile|readdirSync|readdir|createReadStream|statSync|existsSync|require)\(\s*(?:[\w$]+\.)?$/;

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The words every one of OWN_FILE_PATTERNS needs: a file without any of them is not decoded. */
const OWN_FILE_WORDS = ['__dirname', '__filename', 'require.resolve', 'import.meta.url'];
