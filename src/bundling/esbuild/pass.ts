import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import * as zlib from 'zlib';
import { ResolvedBundling } from './build-options';
import { addEsmBanner, builtinShimDir } from './esm-interop';
import { EsbuildApi, EsbuildMessage, EsbuildResult, Metafile } from './loader';
import { FileScan, memoized, packageFindings, packageOf, scanFile, toPosix } from './own-files';
import { FileProbe, Inputs } from '../cache/fingerprint';
import { BundleRecord, ModuleSize, OptionalRequire, bundleHash } from '../cache/records';
import { normalizeModes } from '../cache/verified-files';
import { sha256 } from '../hash';
import type { PackageManifest } from '../install/native-modules';

/** Records what an entry's bundle was built from, given the source files esbuild read for it (absolute, real). */
export type InputsOf = (entry: PassEntry, sources: string[]) => Inputs;

/** One entry to bundle in a pass. */
export interface PassEntry {
  /** Unique in the pass; names the entry's output directory. */
  readonly id: string;
  readonly resolved: ResolvedBundling;
}

/** The outcome of one entry of a pass. */
export interface BuiltBundle {
  /** esbuild's errors, formatted (empty on success). */
  readonly errors: string[];
  /** esbuild's warnings about the entry's own inputs, formatted. */
  readonly warnings: string[];
  /** The directory esbuild wrote the bundle to (undefined on failure). */
  readonly dir?: string;
  /** What the cache and report need (undefined on failure). */
  readonly record?: BundleRecord;
  /**
   * The file holding the entry's slice of esbuild's metafile, as JSON (for esbuild's bundle analyzer), in the pass's
   * metafile directory (undefined on failure).
   */
  readonly metafile?: string;
  /** The exports of the main output file, as esbuild reports them for the file it wrote (ESM output only). */
  readonly mainExports?: string[];
}

/**
 * The output directory bundles are described relative to, under the project root. esbuild writes to a staging
 * directory in the cloud assembly; source maps are rewritten as if written here, so that they do not depend on
 * where the cloud assembly is.
 */
const VIRTUAL_OUTDIR = '.lambda-kit-out';

/** How many esbuild warnings are kept per bundle. */
const MAX_WARNINGS = 5;

/**
 * Bundle every entry of one option group in a single esbuild call (entries stay separate: no code splitting). Each
 * entry's bundle is written to `<stagingDir>/<id>/`, its metafile slice to `<metafileDir>/<id>.json`: written as it is
 * made, a slice is never held in memory for the whole pass (13 MB of text at 100 functions).
 *
 * When the call fails, each entry is built alone so that every failing entry gets its own errors and the others
 * still succeed: the price of a failure, never of a success.
 */
export function buildGroup(
  esbuild: EsbuildApi,
  entries: PassEntry[],
  stagingDir: string,
  metafileDir: string,
  inputsOf: InputsOf,
  probe: FileProbe = new FileProbe(),
  optional: OptionalRequire[] = [],
): { passes: number; bundles: Map<string, BuiltBundle> } {
  const bundles = new Map<string, BuiltBundle>();
  const projectRoot = entries[0].resolved.projectRoot;
  // The optional requires found by a failed pass are left out (external) in the retry.
  const told = entries[0].resolved.buildOptions;
  const options = optional.length === 0 ? told
    : { ...told, external: [...(told.external as string[] | undefined ?? []), ...new Set(optional.map((o) => o.module))] };
  // The `file` and `copy` loaders emit files beside the bundle. Each entry gets a pass of its own whose
  // assets are named into the entry's directory, so that they belong to its bundle.
  const assets = emitsAssets(options);
  // Each entry in a pass of its own, after `passes` made already.
  const oneByOne = (passes: number) => {
    for (const entry of entries) {
      const single = buildGroup(esbuild, [entry], stagingDir, metafileDir, inputsOf, probe);
      passes += single.passes;
      bundles.set(entry.id, single.bundles.get(entry.id)!);
    }
    return { passes, bundles };
  };
  if (assets && entries.length > 1) {
    return oneByOne(0);
  }
  let result: EsbuildResult;
  try {
    // esbuild writes the files itself: passing them through the JavaScript heap costs ~1 MB of memory per 100 kB.
    result = esbuild.buildSync({
      ...options,
      ...(assets ? { assetNames: `${entries[0].id}/[name]-[hash]` } : {}),
      entryPoints: entries.map((e) => ({ in: e.resolved.entry, out: e.id + '/index' })),
      outdir: stagingDir,
      write: true,
      metafile: true,
      logLevel: 'silent',
    });
  } catch (e) {
    // A package's require of a package that is not installed, outside try/catch, that it need not have: the pass
    // again with those left out (once: leaving packages out reaches no new file).
    const found = optional.length === 0 ? optionalRequires((e as { errors?: EsbuildMessage[] }).errors ?? [], projectRoot) : [];
    if (found.length > 0) {
      const retried = buildGroup(esbuild, entries, stagingDir, metafileDir, inputsOf, probe, found);
      return { passes: retried.passes + 1, bundles: retried.bundles };
    }
    if (entries.length > 1) {
      return oneByOne(1);
    }
    bundles.set(entries[0].id, { errors: formatMessages(e, projectRoot), warnings: [] });
    return { passes: 1, bundles };
  }

  fs.mkdirSync(metafileDir, { recursive: true });
  const exportsOfCjsOutput = options.format === 'cjs' ? sourceExports(esbuild, entries, projectRoot) : undefined;
  // Each entry's outputs, found in one walk over the pass's outputs (not one walk per entry: N² at hundreds).
  const outputsByDir = new Map<string, Array<[string, Metafile['outputs'][string]]>>();
  for (const [key, value] of Object.entries(result.metafile.outputs)) {
    const dir = path.dirname(path.resolve(projectRoot, key));
    const list = outputsByDir.get(dir) ?? [];
    list.push([key, value]);
    outputsByDir.set(dir, list);
  }
  // Each package file is scanned once for the whole pass, however many bundles hold it.
  const scan = memoized(scanFile);
  for (const entry of entries) {
    const outputs = outputsByDir.get(path.join(stagingDir, entry.id)) ?? [];
    const context = { result, stagingDir, metafileDir, inputsOf, probe, scan, optional };
    bundles.set(entry.id, collect(entry, context, exportsOfCjsOutput?.get(entry.id), outputs));
  }
  return { passes: 1, bundles };
}

/** What every entry of a pass is collected with. */
interface PassContext {
  readonly result: EsbuildResult;
  readonly stagingDir: string;
  readonly metafileDir: string;
  readonly inputsOf: InputsOf;
  readonly probe: FileProbe;
  readonly scan: (file: string) => FileScan;
  /** The optional requires the pass left out (see `optionalRequires`). */
  readonly optional: OptionalRequire[];
}

function collect(
  entry: PassEntry,
  { result, stagingDir, metafileDir, inputsOf, probe, scan, optional }: PassContext,
  cjsExports: string[] | undefined,
  outputs: Array<[string, Metafile['outputs'][string]]>,
): BuiltBundle {
  const { projectRoot, outputFileName } = entry.resolved;
  const entryDir = path.join(stagingDir, entry.id);
  const canonicalDir = path.join(projectRoot, VIRTUAL_OUTDIR, entry.id);
  if (entry.resolved.esmBannerAfterBuild) {
    addEsmBanner(path.join(entryDir, outputFileName));
  }
  const files: Array<[string, Uint8Array]> = fs.readdirSync(entryDir).sort().map((name) => {
    const file = path.join(entryDir, name);
    if (!name.endsWith('.map')) {
      return [name, fs.readFileSync(file)];
    }
    const rewritten = Buffer.from(relocateSourceMap(fs.readFileSync(file, 'utf8'), entryDir, canonicalDir));
    fs.writeFileSync(file, rewritten);
    return [name, rewritten];
  });

  normalizeModes(entryDir);
  const fileHashes = Object.fromEntries(files.map(([name, contents]) => [name, sha256(contents)]));
  const hash = bundleHash(fileHashes);
  const main = files.find(([name]) => name === outputFileName)!;
  const outputKey = toPosix(path.relative(projectRoot, path.join(entryDir, outputFileName)));
  const output = result.metafile.outputs[outputKey];
  // The metafile names the entry by its real path: an entry reached through a symlink is listed where it points.
  const entryInput = output.entryPoint ?? toPosix(path.relative(projectRoot, entry.resolved.entry));

  const closure = inputClosure(result.metafile, entryInput);
  // The built-ins' files are part of this package (fixed content, keyed by the group key), not the project's inputs:
  // where they live changes with every process of a jsii host.
  const shimDirs = builtinShimDirs();
  const sources = closure.filter((i) => !i.startsWith('<') && !i.includes(':')).map((i) => path.resolve(projectRoot, i))
    .filter((source) => !shimDirs.some((dir) => source.startsWith(dir)));
  const inputs = inputsOf(entry, sources);

  const esm = entry.resolved.buildOptions.format === 'esm';
  const inClosure = new Set(closure);
  const record: BundleRecord = {
    hash,
    files: files.map(([name]) => name),
    fileHashes,
    bytes: files.reduce((n, [, contents]) => n + contents.byteLength, 0),
    // gzip level 1: close to the zip Lambda receives, at a fraction of the cost of the default level.
    gzipBytes: zlib.gzipSync(main[1], { level: 1 }).byteLength,
    exports: esm ? output.exports : (cjsExports ?? []),
    exportsKnown: esm || cjsExports !== undefined,
    inputs,
    topModules: topModules(output.inputs),
    ...outputImports(output.imports ?? [], entry.resolved.buildOptions),
    // Filled in by the bundler when it installs the native packages the output imports.
    installedModules: [],
    ...packageFindings(sources, scan, probe, projectRoot),
    optionalRequires: optional.filter((o) => inClosure.has(o.file)),
  };

  const slice: Metafile = {
    inputs: Object.fromEntries(closure.filter((i) => result.metafile.inputs[i]).map((i) => [i, result.metafile.inputs[i]])),
    outputs: Object.fromEntries(outputs.map(([key, value]) => [path.basename(key), value])),
  };
  const metafile = path.join(metafileDir, `${entry.id}.json`);
  fs.writeFileSync(metafile, JSON.stringify(slice));

  const warnings = result.warnings
    .filter((w) => w.location && inClosure.has(toPosix(w.location.file)) && !w.location.file.includes('node_modules'))
    .slice(0, MAX_WARNINGS)
    .map((w) => formatMessage(w));

  // The exports esbuild reports for the file it has just written (a cached bundle's are read from its bytes).
  const mainExports = esm && outputFileName.endsWith('.mjs') ? output.exports : undefined;
  return { errors: [], warnings, dir: entryDir, record, metafile, mainExports };
}

/**
 * The names an ES module exports, from its text: esbuild ends an ESM bundle with one `export{a as handler,b as
 * other};` statement (or none); a file an `afterBundling` hook rewrote may also declare exports (`export const`,
 * `export function`, `export default`). Only the places where the word `export` stands are looked at, so a large
 * bundle costs one scan for the word.
 */
export function esmExportsOf(text: string): string[] {
  // Where a statement can start with `export`: at the start of the text, or after `;`, `}` or a line break, with
  // white space between. Each entry: where `export` stands, and where its statement's start character is (-1: the
  // start of the text).
  const starts: Array<[number, number]> = [];
  for (let at = text.indexOf('export'); at >= 0; at = text.indexOf('export', at + 6)) {
    let before = at - 1;
    while (before >= 0 && text[before] !== '\n' && /\s/.test(text[before])) {
      before--;
    }
    if (before < 0 || text[before] === ';' || text[before] === '\n' || text[before] === '}') {
      starts.push([at, before]);
    }
  }
  const names: string[] = [];
  // Like a global regular expression over the text, each kind of statement is matched left to right without overlap.
  const each = (pattern: RegExp, found: (match: RegExpExecArray) => void) => {
    let end = 0;
    for (const [at, before] of starts) {
      if (before < 0 ? end > 0 : before < end) {
        continue;
      }
      pattern.lastIndex = at;
      const match = pattern.exec(text);
      if (match) {
        found(match);
        end = pattern.lastIndex;
      }
    }
  };
  each(/export\s*\{([^}]*)\}/y, (match) => {
    for (const part of match[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()!.trim();
      if (name) {
        names.push(name.replace(/^["']|["']$/g, ''));
      }
    }
  });
  each(/export\s+(?:async\s+)?(?:function\*?|const|let|var|class)\s+([A-Za-z_$][\w$]*)/y, (match) => names.push(match[1]));
  each(/export\s+default\b/y, () => names.push('default'));
  return [...new Set(names)].sort();
}

/** Whether the options use a loader that emits files beside the bundle (`file`, `copy`). */
function emitsAssets(options: Record<string, unknown>): boolean {
  return Object.values((options.loader ?? {}) as Record<string, string>).some((l) => l === 'file' || l === 'copy');
}

/** Rewrite a source map's `sources` as if the map were in another directory. */
export function relocateSourceMap(json: string, from: string, to: string): string {
  const map = JSON.parse(json) as { sources?: string[] };
  map.sources = (map.sources ?? []).map((source) => toPosix(path.relative(to, path.resolve(from, source))));
  return JSON.stringify(map);
}

/**
 * The exports of each entry, for CommonJS output (whose metafile lists none): a transform-only ESM pass over the
 * entries. An entry written as CommonJS, or that re-exports with `export *`, has exports only known at run time.
 */
function sourceExports(esbuild: EsbuildApi, entries: PassEntry[], projectRoot: string): Map<string, string[] | undefined> {
  const out = new Map<string, string[] | undefined>();
  const outdir = path.join(projectRoot, VIRTUAL_OUTDIR, 'exports');
  let result: EsbuildResult;
  try {
    result = esbuild.buildSync({
      entryPoints: entries.map((e) => ({ in: e.resolved.entry, out: e.id })),
      outdir,
      absWorkingDir: projectRoot,
      bundle: false,
      format: 'esm',
      platform: 'node',
      write: false,
      metafile: true,
      logLevel: 'silent',
      loader: entries[0].resolved.buildOptions.loader,
    });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const key = toPosix(path.join(VIRTUAL_OUTDIR, 'exports', `${entry.id}.js`));
    const output = result.metafile.outputs[key];
    const file = result.outputFiles.find((f) => f.path === path.join(outdir, `${entry.id}.js`));
    const input = result.metafile.inputs[toPosix(path.relative(projectRoot, entry.resolved.entry))] as { format?: string } | undefined;
    const reexportsAll = file ? /export\s*\*\s*from/.test(Buffer.from(file.contents).toString('utf8')) : true;
    out.set(entry.id, output && input?.format === 'esm' && !reexportsAll ? output.exports : undefined);
  }
  return out;
}

/** Every input reachable from the entry through bundled (non-external) imports. */
export function inputClosure(metafile: Metafile, entryInput: string): string[] {
  const seen = new Set<string>();
  const stack = [entryInput];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (seen.has(current) || !metafile.inputs[current]) {
      continue;
    }
    seen.add(current);
    for (const imported of metafile.inputs[current].imports) {
      if (!imported.external) {
        stack.push(imported.path);
      } else if (imported.path.includes('*') && imported.path.startsWith('.')) {
        // A glob import (`` import(`./plugins/${name}.ts`) ``): esbuild lists it as an external `./plugins/**/*.ts`,
        // and the files it bundled for it as inputs that nothing imports.
        const pattern = globPattern(path.posix.join(path.posix.dirname(current), imported.path));
        stack.push(...Object.keys(metafile.inputs).filter((input) => pattern.test(input)));
      }
    }
  }
  return [...seen].sort();
}

/** A glob of esbuild's metafile (`**` any directories, `*` within one) as a regular expression. */
function globPattern(glob: string): RegExp {
  const source = glob.split(/(\*\*\/|\*)/).map((part) =>
    part === '**/' ? '(?:[^/]+/)*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${source}$`);
}

/**
 * The packages an output file imports (Node.js built-ins left out), judged on what the OUTPUT imports: an import
 * esbuild dropped (types, `import type`, unused) is none. Split in two:
 * - `externalImports`: those the bundle was told to leave out (`external`, or `packages: 'external'`), which
 *   someone (the runtime, a layer, `nodeModules`) must provide;
 * - `optionalImports`: those esbuild could not resolve and still built, which it only does for a `require()` inside
 *   try/catch: optional by construction (the require throws inside the try at run time and the code carries on).
 */
export function outputImports(
  imports: ReadonlyArray<{ path: string; external?: boolean }>, buildOptions: Record<string, unknown>,
): { externalImports: string[]; optionalImports: string[] } {
  const told = externalMatcher((buildOptions.external ?? []) as string[], buildOptions.packages === 'external');
  const externalImports = new Set<string>();
  const optionalImports = new Set<string>();
  for (const imported of imports) {
    const name = imported.external ? packageNameOf(imported.path) : undefined;
    if (name) {
      (told(imported.path) ? externalImports : optionalImports).add(name);
    }
  }
  return { externalImports: [...externalImports].sort(), optionalImports: [...optionalImports].sort() };
}

/**
 * Whether esbuild's `external` option covers an import path: an exact name, a name's subpath (`name` covers
 * `name/sub`), or a pattern with one `*` wildcard (`@aws-sdk/*`), as esbuild matches them.
 */
function externalMatcher(patterns: string[], allPackages: boolean): (specifier: string) => boolean {
  const exact = new Set<string>();
  const wildcards: Array<[string, string]> = [];
  for (const pattern of patterns) {
    const star = pattern.indexOf('*');
    if (star < 0) {
      exact.add(pattern);
    } else {
      wildcards.push([pattern.slice(0, star), pattern.slice(star + 1)]);
    }
  }
  return (specifier) => {
    if (allPackages && packageNameOf(specifier) !== undefined) {
      return true;
    }
    if (exact.has(specifier)) {
      return true;
    }
    // esbuild: "marking a package as external also marks all of its subpaths as external".
    for (let at = specifier.indexOf('/'); at > 0; at = specifier.indexOf('/', at + 1)) {
      if (exact.has(specifier.slice(0, at))) {
        return true;
      }
    }
    return wildcards.some(([prefix, suffix]) => specifier.length >= prefix.length + suffix.length
      && specifier.startsWith(prefix) && specifier.endsWith(suffix));
  };
}

/** The package an import specifier names (`@scope/name/sub` gives `@scope/name`); undefined for built-ins and paths. */
export function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || specifier.startsWith('.') || specifier.startsWith('/') || /^[a-z]+:/i.test(specifier)) {
    return undefined;
  }
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  // esbuild's own inputs (`<runtime>`, `<define:...>`) and built-ins are no packages.
  if (!/^(@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*$/i.test(name) || builtinModules.includes(name)) {
    return undefined;
  }
  return name;
}

/** The five biggest contributors to an output, by package (or by file for your own sources). */
export function topModules(inputs: Record<string, { bytesInOutput: number }>): ModuleSize[] {
  const sizes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const module = packageOf(input) ?? input;
    sizes.set(module, (sizes.get(module) ?? 0) + bytesInOutput);
  }
  return [...sizes.entries()]
    .map(([module, bytes]) => ({ module, bytes }))
    .sort((a, b) => b.bytes - a.bytes || (a.module < b.module ? -1 : 1))
    .slice(0, 5);
}

/**
 * The optional requires among esbuild's errors (see {@link OptionalRequire}). A specifier that the project's own code
 * also fails to resolve is none: it is left for that error.
 */
export function optionalRequires(errors: EsbuildMessage[], projectRoot: string): OptionalRequire[] {
  const found: OptionalRequire[] = [];
  const mistaken = new Set<string>();
  for (const error of errors) {
    const specifier = /^Could not resolve "([^"]+)"/.exec(error.text)?.[1];
    if (specifier === undefined || !error.location) {
      continue;
    }
    const optional = optionalRequireOf(error.location.file, error.location.line, specifier, projectRoot);
    if (optional) {
      found.push(optional);
    } else {
      mistaken.add(specifier);
    }
  }
  return found.filter((o) => !mistaken.has(o.module));
}

/** One unresolved require as an {@link OptionalRequire}, or undefined when it is not one. */
function optionalRequireOf(file: string, line: number, specifier: string, projectRoot: string): OptionalRequire | undefined {
  const found = declarationOf(file, specifier, projectRoot);
  return found && (found.declared === 'a dependency' || found.declared === 'a peer dependency') ? undefined
    : found && { package: found.package, file, line, module: specifier, declared: found.declared as OptionalRequire['declared'] };
}

/**
 * How the installed package that holds `file` declares the package a specifier names, when that package is not
 * installed; undefined when `file` is no package's, or the package is installed (a subpath it does not have).
 */
function declarationOf(file: string, specifier: string, projectRoot: string):
{ package: string; declared: OptionalRequire['declared'] | 'a dependency' | 'a peer dependency' } | undefined {
  const name = packageNameOf(specifier);
  const requiring = packageOf(file);
  if (!name || !requiring) {
    return undefined;
  }
  const absolute = path.resolve(projectRoot, file);
  const parts = absolute.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  const packageDir = parts.slice(0, at + 1 + requiring.split('/').length).join(path.sep);
  let manifest: PackageManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (installedFrom(path.dirname(absolute), name)) {
    return undefined;
  }
  const declared = manifest.optionalDependencies?.[name] !== undefined ? 'an optional dependency'
    : manifest.peerDependenciesMeta?.[name]?.optional ? 'an optional peer'
      : manifest.dependencies?.[name] !== undefined ? 'a dependency'
        : manifest.peerDependencies?.[name] !== undefined ? 'a peer dependency' : 'undeclared';
  return { package: requiring, declared };
}

/**
 * What to tell of esbuild's "Could not resolve" errors (formatted `file:line:column: text`) in installed packages
 * that declare the missing package as a dependency or a peer: the install is broken.
 */
export function brokenInstallHint(errors: string[], projectRoot: string): string {
  const hints = new Set<string>();
  for (const error of errors) {
    const match = /^(.*node_modules\/[^:]*):\d+:\d+: Could not resolve "([^"]+)"/.exec(error);
    const found = match ? declarationOf(match[1], match[2], projectRoot) : undefined;
    if (found && (found.declared === 'a dependency' || found.declared === 'a peer dependency')) {
      hints.add(`${found.package} declares ${packageNameOf(match![2])} as ${found.declared} but it is not installed`);
    }
  }
  return hints.size === 0 ? '' : `\n  ${[...hints].sort().join('; ')}: the install is broken. Run \`npm install\` (or your package manager's install) in the project`;
}

/** Whether Node.js would find a package from a directory: a `node_modules/<name>` in it or above it. */
function installedFrom(dir: string, name: string): boolean {
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, 'node_modules', name, 'package.json'))) {
      return true;
    }
    if (path.dirname(current) === current) {
      return false;
    }
  }
}

function formatMessages(error: unknown, projectRoot: string): string[] {
  const messages = (error as { errors?: EsbuildMessage[] }).errors;
  if (!messages || messages.length === 0) {
    return [`esbuild failed: ${(error as Error).message ?? String(error)} (in ${projectRoot})`];
  }
  return messages.map((m) => formatMessage(m));
}

function formatMessage(m: EsbuildMessage): string {
  if (!m.location) {
    return m.text;
  }
  return `${m.location.file}:${m.location.line}:${m.location.column}: ${m.text}`;
}

/** The built-ins' directory of this package, as found and as its real path, each ending in a separator. */
function builtinShimDirs(): string[] {
  const dir = builtinShimDir();
  const real = fs.existsSync(dir) ? fs.realpathSync(dir) : dir;
  return [...new Set([dir, real])].map((d) => d + path.sep);
}
