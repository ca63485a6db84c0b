import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { namesIn } from '../project-root';

/**
 * What a bundle was built from, as the cache checks it: a map from `<kind>:<path>` to what was found there.
 *
 * Kinds (paths are relative to the project root, with `/`):
 * - `f:` a file's sha256, or `-` when there is no file (a config file that does not exist is recorded too: creating
 *   one changes the output);
 * - `d:` a directory listing's sha256 (names, types and symlink targets), or `-` when there is no directory;
 * - `r:` the real path a path leads to (symlinks followed), relative to the project root.
 *
 * Why directory listings rather than recording esbuild's resolutions: the bundler runs esbuild with `buildSync`,
 * which takes no plugins, so `onResolve` hooks are not available (and an async build with a plugin per import costs
 * a round trip to JavaScript for each of thousands of imports). A change of resolution needs a new, removed or
 * renamed directory entry where esbuild looks: beside the importing file (`./util` finding `util.ts` before
 * `util.js`, a new `index.ts`), in a `node_modules` directory on the way up, or a new `package.json`/`tsconfig.json`
 * in a parent directory. Recording the listing of every directory holding an input, the `node_modules` listings
 * and config files of every directory above them, the directories `tsconfig` `baseUrl`/`paths` point to, and the
 * whole tree a glob `import()` covers, catches every such change; the price is a few `readdir` and `stat` calls on
 * a warm synth, shared by every bundle of the pass. It may invalidate more than needed (a new unrelated file beside
 * an input), never less.
 */
export type Inputs = Record<string, string>;

/** A source's own inputs, as recorded (key and value): its content and its directory's listing; and its directory. */
export interface SourceFacts {
  readonly file: readonly [string, string];
  readonly directory: readonly [string, string];
  readonly dir: string;
}

/** Names esbuild looks for in every directory above a source file. */
const CONFIG_NAMES = ['package.json', 'tsconfig.json', 'jsconfig.json'];

/**
 * Reads the file system at most once per path per bundling pass: content hashes, listings and real paths. What is
 * recorded and compared is always content, never timestamps. It also remembers what is derived from them and shared by many bundles of a pass (the inputs a
 * directory's ancestors contribute, relative paths, source scans), so that a pass of N bundles over the same
 * packages costs about one bundle's file system work plus N merges.
 */
export class FileProbe {
  /** One read buffer for every file: hashing thousands of inputs leaves no garbage behind. */
  private static readonly buffer = Buffer.allocUnsafe(256 * 1024);
  /** Everything computed in this pass, by kind and arguments. */
  private readonly memo = new Map<string, unknown>();
  /** What each source contributes to a record, by project root and file (see {@link FileProbe.sourceFacts}). */
  private readonly sourcesByRoot = new Map<string, Map<string, SourceFacts>>();
  /** The package of each file asked about (see {@link FileProbe.packageOf}). */
  private readonly packages = new Map<string, string | undefined>();
  /** What recorded inputs hold now, by project root and recorded key. */
  private readonly recordedByRoot = new Map<string, Map<string, string>>();

  /** sha256 of the file's content, or undefined if it cannot be read. */
  public hash(file: string): string | undefined {
    const value = this.probe('f:' + file);
    return value === '-' ? undefined : value;
  }

  /** The value of one recorded kind at an absolute path. */
  public probe(key: string): string {
    return this.once(key, () => {
      const abs = key.slice(2);
      switch (key[0]) {
        case 'f': return hashFile(abs, FileProbe.buffer) ?? '-';
        case 'd': return listing(abs);
        case 'r': return realpath(abs);
        default: return '?';
      }
    });
  }

  /** A path relative to the project root, with `/` (`.` for the root itself). */
  public relative(projectRoot: string, abs: string): string {
    return this.once(`rel\0${projectRoot}\0${abs}`, () => toPosix(path.relative(projectRoot, abs)) || '.');
  }

  /**
   * What a recorded input (`<kind>:<path relative to the project root>`) holds now, in the form it is recorded in
   * (real paths relative to the project root).
   */
  public recorded(projectRoot: string, key: string): string {
    // By project root, then key: a warm synth asks this for every input of every record (tens of thousands).
    let byKey = this.recordedByRoot.get(projectRoot);
    if (!byKey) {
      byKey = new Map();
      this.recordedByRoot.set(projectRoot, byKey);
    }
    let value = byKey.get(key);
    if (value === undefined) {
      const actual = this.probe(key.slice(0, 2) + path.resolve(projectRoot, key.slice(2)));
      value = key[0] === 'r' && actual !== '-' ? toPosix(path.relative(projectRoot, actual)) : actual;
      byKey.set(key, value);
    }
    return value;
  }

  /**
   * The inputs that resolution from a directory depends on in it and every directory above it (see
   * {@link InputRecorder.source}), computed once per directory per pass.
   */
  public ancestorInputs(projectRoot: string, dir: string): Array<[string, string]> {
    return this.once(`up\0${projectRoot}\0${dir}`, () => {
      const recorder = new InputRecorder(projectRoot, this);
      recorder.walkUp(dir);
      return Object.entries(recorder.inputs);
    });
  }

  /** A derived fact about a file's text (`kind` names the derivation), computed once per pass. */
  public scan<T>(kind: string, file: string, derive: (text: string | undefined) => T): T {
    return this.once(`scan\0${kind}\0${file}`, () => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        return derive(undefined);
      }
      return derive(text);
    });
  }

  /**
   * What a source contributes to every bundle that holds it (see {@link InputRecorder.source}), computed once per
   * pass: a pass of N bundles over the same packages records each shared source N times.
   */
  public sourceFacts(projectRoot: string, file: string, compute: () => SourceFacts): SourceFacts {
    let byFile = this.sourcesByRoot.get(projectRoot);
    if (!byFile) {
      byFile = new Map();
      this.sourcesByRoot.set(projectRoot, byFile);
    }
    let facts = byFile.get(file);
    if (!facts) {
      facts = compute();
      byFile.set(file, facts);
    }
    return facts;
  }

  /** The npm package a file belongs to (see `packageOf`), computed once per file per pass. */
  public packageOf(file: string, of: (file: string) => string | undefined): string | undefined {
    if (!this.packages.has(file)) {
      this.packages.set(file, of(file));
    }
    return this.packages.get(file);
  }

  private once<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) {
      return this.memo.get(key) as T;
    }
    const value = compute();
    this.memo.set(key, value);
    return value;
  }
}

/** Whether every recorded input still holds: same contents, listings and real paths. */
export function inputsHold(inputs: Inputs, projectRoot: string, probe: FileProbe): boolean {
  for (const key in inputs) {
    if (probe.recorded(projectRoot, key) !== inputs[key]) {
      return false;
    }
  }
  return true;
}

/**
 * Records the inputs of one bundle. This is the one place to add what decides a bundle's output besides the options
 * in the cache key: files (`file`), directories whose listing matters (`directory`, `tree`).
 */
export class InputRecorder {
  public readonly inputs: Inputs = {};
  private readonly visitedDirs = new Set<string>();
  private readonly visitedConfigs = new Set<string>();

  constructor(private readonly projectRoot: string, private readonly probe: FileProbe) {}

  /** A file whose content (or absence) decides the output. */
  public file(abs: string): void {
    this.inputs['f:' + this.rel(abs)] = this.probe.probe('f:' + abs);
  }

  /** A directory whose listing (or absence) decides the output. */
  public directory(abs: string): void {
    this.inputs['d:' + this.rel(abs)] = this.probe.probe('d:' + abs);
  }

  /** A path whose real path (symlinks followed) decides the output. */
  public realPath(abs: string): void {
    const real = this.probe.probe('r:' + abs);
    this.inputs['r:' + this.rel(abs)] = real === '-' ? '-' : this.rel(real);
  }

  /** Every directory under a directory (a glob import's reach). */
  public tree(abs: string, depth = 0): void {
    this.directory(abs);
    if (depth > 8) {
      return;
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && entry.name !== 'node_modules') {
        this.tree(path.join(abs, entry.name), depth + 1);
      }
    }
  }

  /**
   * A source file esbuild read: its content, the listing of its directory, and what resolution looks at in every directory
   * above it (config files, `node_modules`).
   */
  public source(abs: string): void {
    const facts = this.probe.sourceFacts(this.projectRoot, abs, () => {
      const parent = path.dirname(abs);
      return {
        file: ['f:' + this.rel(abs), this.probe.probe('f:' + abs)],
        directory: ['d:' + this.rel(parent), this.probe.probe('d:' + parent)],
        dir: parent,
      };
    });
    this.inputs[facts.file[0]] = facts.file[1];
    this.inputs[facts.directory[0]] = facts.directory[1];
    const dir = facts.dir;
    if (this.visitedDirs.has(dir)) {
      return;
    }
    this.visitedDirs.add(dir);
    // The same for every source in this directory, and shared by every bundle of the pass: computed once.
    for (const [key, value] of this.probe.ancestorInputs(this.projectRoot, dir)) {
      this.inputs[key] = value;
    }
  }

  /**
   * What resolution looks at in a directory and every directory above it: `package.json`, `tsconfig.json` and
   * `jsconfig.json` (their absence too), the tsconfig chains, and the `node_modules` listings.
   */
  public walkUp(start: string): void {
    for (let dir = start; ; dir = path.dirname(dir)) {
      for (const name of CONFIG_NAMES) {
        const config = path.join(dir, name);
        this.file(config);
        if (name !== 'package.json' && this.probe.hash(config) !== undefined) {
          this.tsconfig(config);
        }
      }
      this.nodeModules(path.join(dir, 'node_modules'));
      if (path.dirname(dir) === dir) {
        return;
      }
    }
  }

  /** A tsconfig: the file, every file of its `extends` chain, and the directories `baseUrl` and `paths` point to. */
  public tsconfig(abs: string, depth = 0): void {
    if (this.visitedConfigs.has(abs) || depth > 16) {
      return;
    }
    this.visitedConfigs.add(abs);
    this.file(abs);
    const config = readJsonc(abs);
    if (!config) {
      return;
    }
    const dir = path.dirname(abs);
    const bases = typeof config.extends === 'string' ? [config.extends] : Array.isArray(config.extends) ? config.extends : [];
    for (const base of bases) {
      if (typeof base !== 'string') {
        continue;
      }
      for (const candidate of extendsCandidates(base, dir)) {
        this.file(candidate);
        if (this.probe.hash(candidate) !== undefined) {
          this.tsconfig(candidate, depth + 1);
          break;
        }
      }
    }
    const options = config.compilerOptions ?? {};
    const baseUrl = typeof options.baseUrl === 'string' ? path.resolve(dir, options.baseUrl) : dir;
    if (typeof options.baseUrl === 'string') {
      this.directory(baseUrl);
    }
    if (options.paths && typeof options.paths === 'object') {
      for (const targets of Object.values(options.paths)) {
        for (const target of Array.isArray(targets) ? targets : []) {
          if (typeof target === 'string') {
            const prefix = target.split('*')[0];
            this.directory(path.dirname(path.resolve(baseUrl, prefix + 'x')));
          }
        }
      }
    }
  }

  /** A node_modules directory: its listing, and the listing of each `@scope` in it. */
  private nodeModules(abs: string): void {
    this.directory(abs);
    if (this.probe.probe('d:' + abs) === '-') {
      return;
    }
    for (const name of namesIn(abs)) {
      if (name.startsWith('@')) {
        this.directory(path.join(abs, name));
      }
    }
  }

  private rel(abs: string): string {
    return this.probe.relative(this.projectRoot, abs);
  }
}

/** The directories a glob `import()`/`require()` of a source file covers (`` import(`./plugins/${name}.ts`) ``). */
export function globImportDirs(source: string, file: string): string[] {
  const dirs: string[] = [];
  const pattern = /\b(?:import|require)\s*\(\s*`([^`$]*)\$\{/g;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    const prefix = match[1];
    if (prefix.startsWith('./') || prefix.startsWith('../')) {
      dirs.push(path.dirname(path.resolve(path.dirname(file), prefix + 'x')));
    }
  }
  return dirs;
}

function extendsCandidates(base: string, dir: string): string[] {
  if (base.startsWith('.') || path.isAbsolute(base)) {
    const abs = path.resolve(dir, base);
    return abs.endsWith('.json') ? [abs] : [abs, abs + '.json', path.join(abs, 'tsconfig.json')];
  }
  // A package: `@tsconfig/node20/tsconfig.json` or `@tsconfig/strictest`, found in node_modules on the way up.
  const out: string[] = [];
  for (let at = dir; ; at = path.dirname(at)) {
    const abs = path.join(at, 'node_modules', base);
    out.push(...(abs.endsWith('.json') ? [abs] : [abs + '.json', path.join(abs, 'tsconfig.json')]));
    if (path.dirname(at) === at) {
      return out;
    }
  }
}

/** Parse JSON with comments and trailing commas (tsconfig's dialect); undefined when it cannot be read. */
export function readJsonc(file: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const stripped = text
    .replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, str) => str ?? '')
    .replace(/,(\s*[}\]])/g, '$1');
  try {
    return JSON.parse(stripped);
  } catch {
    return undefined;
  }
}

/** sha256 of a file, streamed through a shared buffer. */
export function hashFile(file: string, buffer: Buffer = Buffer.allocUnsafe(64 * 1024)): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) {
      return undefined;
    }
    const hash = crypto.createHash('sha256');
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) {
        return hash.digest('hex');
      }
      hash.update(buffer.subarray(0, read));
    }
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

function listing(dir: string): string {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return '-';
  }
  const lines = entries.map((e) => {
    if (e.isSymbolicLink()) {
      let target = '';
      try {
        target = fs.readlinkSync(path.join(dir, e.name));
      } catch {
        // Gone between readdir and readlink: the listing differs anyway.
      }
      return `${e.name}\0l\0${target}`;
    }
    return `${e.name}\0${e.isDirectory() ? 'd' : 'f'}`;
  }).sort();
  return crypto.createHash('sha256').update(lines.join('\n')).digest('hex');
}

function realpath(abs: string): string {
  try {
    return fs.realpathSync(abs);
  } catch {
    return '-';
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
