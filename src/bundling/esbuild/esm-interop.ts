import * as fs from 'fs';
import * as path from 'path';

/**
 * How an ES module bundle reaches Node.js built-ins, CommonJS `require`, `__dirname` and `__filename`.
 *
 * Built-ins are loaded through `require`, never a static `import`: an ES module's static import of a built-in makes
 * Node.js build the module's ESM facade, which reads every export and so runs the built-in's lazy getters. For
 * `node:http` that loads undici, http2, tls, zlib, worker_threads and the web streams: 34 ms of CPU at init on
 * Node.js 24, against 0 for `require('node:http')` (benchmarks/COLDSTART.md). `require` is also what a CommonJS
 * bundle uses, so tools that hook `require` (APM agents) see the same calls.
 *
 * The mechanism is esbuild's own `alias`: each built-in specifier (`fs`, `node:fs`, `fs/promises`, ...) is mapped to
 * a CommonJS file of this package (`node-builtins/fs.cjs`) holding `module.exports = (0, require)("node:fs")`.
 * esbuild bundles that file like any CommonJS module: the import becomes `__toESM(require_fs())` (default =
 * `module.exports`, named imports = its properties, as Node.js does for built-ins) and the indirect call becomes
 * esbuild's `__require("node:fs")`, which calls the banner's `require`. The call is indirect so that esbuild does not
 * resolve it back to the alias.
 */

/** Node.js 24's built-in modules (`require('module').builtinModules`); the `node:` ones have no bare name. */
export const NODE_BUILTINS = [
  '_http_agent', '_http_client', '_http_common', '_http_incoming', '_http_outgoing', '_http_server',
  '_stream_duplex', '_stream_passthrough', '_stream_readable', '_stream_transform', '_stream_wrap', '_stream_writable',
  '_tls_common', '_tls_wrap', 'assert', 'assert/strict', 'async_hooks', 'buffer', 'child_process', 'cluster',
  'console', 'constants', 'crypto', 'dgram', 'diagnostics_channel', 'dns', 'dns/promises', 'domain', 'events', 'fs',
  'fs/promises', 'http', 'http2', 'https', 'inspector', 'inspector/promises', 'module', 'net', 'os', 'path',
  'path/posix', 'path/win32', 'perf_hooks', 'process', 'punycode', 'querystring', 'readline', 'readline/promises',
  'repl', 'stream', 'stream/consumers', 'stream/promises', 'stream/web', 'string_decoder', 'sys', 'timers',
  'timers/promises', 'tls', 'trace_events', 'tty', 'url', 'util', 'util/types', 'v8', 'vm', 'wasi', 'worker_threads',
  'zlib', 'node:sea', 'node:sqlite', 'node:test', 'node:test/reporters',
];

/** The names of the module-scoped bindings the banner declares for `__dirname` and `__filename` (through `define`). */
export const ESM_DIRNAME = '__lambdaKitDirname';
export const ESM_FILENAME = '__lambdaKitFilename';

/** The banner's line that gives the bundle `require` (for built-ins, and CommonJS code requiring externals). */
export const ESM_REQUIRE_BANNER =
  "import{createRequire as __lambdaKitCreateRequire}from'node:module';var require=__lambdaKitCreateRequire(import.meta.url);";

/** The banner's line that gives the bundle `__dirname` and `__filename` (`define` maps them onto these names). */
export const ESM_DIRNAME_BANNER =
  "import{fileURLToPath as __lambdaKitFileURLToPath}from'node:url';import{dirname as __lambdaKitPathDirname}from'node:path';" +
  `var ${ESM_FILENAME}=__lambdaKitFileURLToPath(import.meta.url),${ESM_DIRNAME}=__lambdaKitPathDirname(${ESM_FILENAME});`;

/** The CommonJS file standing for a built-in (`fs/promises` -> `fs/promises.cjs`), relative to the shims' folder. */
export function builtinShimFile(name: string): string {
  return `${name.replace(/^node:/, '')}.cjs`;
}

/** The text of a built-in's CommonJS file. */
export function builtinShimText(name: string): string {
  const specifier = name.startsWith('node:') || name.startsWith('_') ? name : `node:${name}`;
  return `module.exports = (0, require)(${JSON.stringify(specifier)});\n`;
}

/** Where this package keeps the built-ins' CommonJS files: `src/bundling/esbuild/node-builtins` of its root (shipped). */
export function builtinShimDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      return path.join(dir, 'src', 'bundling', 'esbuild', 'node-builtins');
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`cdk-lambda-kit: no package.json above ${__dirname}: the package is incomplete, reinstall it`);
    }
  }
}

/**
 * esbuild's `alias` option mapping every built-in specifier, bare and `node:`, onto its CommonJS file. Names that
 * only exist with the `node:` prefix (`node:test`) are not mapped bare: `test` is an npm package.
 */
export function builtinAliases(projectRoot: string): Record<string, string> {
  // Relative to esbuild's working directory (as `inject` is), so that the options and the cache key do not depend
  // on where the project is.
  const rel = path.relative(projectRoot, builtinShimDir()).split(path.sep).join('/');
  const dir = rel.startsWith('..') ? rel : `./${rel}`;
  const aliases: Record<string, string> = {};
  for (const name of NODE_BUILTINS) {
    const file = `${dir}/${builtinShimFile(name)}`;
    if (name.startsWith('node:')) {
      aliases[name] = file;
    } else {
      aliases[name] = file;
      if (!name.startsWith('_')) {
        aliases[`node:${name}`] = file;
      }
    }
  }
  return aliases;
}

/**
 * The banner an ESM bundle needs, from its text: the `require` line when the word `require` stands anywhere in it,
 * the `__dirname` line when it names the bindings `define` maps `__dirname` and `__filename` onto. A minifier never
 * renames a free identifier, so a bundle without these words cannot use them; a word in a string only costs the
 * banner.
 */
export function esmBannerFor(text: string): string {
  const lines: string[] = [];
  if (/(?<![\w$])require(?![\w$])/.test(text)) {
    lines.push(ESM_REQUIRE_BANNER);
  }
  if (text.includes(ESM_DIRNAME) || text.includes(ESM_FILENAME)) {
    lines.push(ESM_DIRNAME_BANNER);
  }
  return lines.join('');
}

/**
 * Give an ESM bundle written by esbuild the banner it needs (nothing when it needs none): one line put first (after
 * a hashbang), and one empty line of mappings put first in its linked source map, so that the map still matches.
 */
export function addEsmBanner(file: string): boolean {
  const text = fs.readFileSync(file, 'utf8');
  const banner = esmBannerFor(text);
  if (!banner) {
    return false;
  }
  const hashbangEnd = text.startsWith('#!') ? text.indexOf('\n') : -1;
  const out = !text.startsWith('#!') ? `${banner}\n${text}`
    : hashbangEnd < 0 ? `${text}\n${banner}\n`
      : `${text.slice(0, hashbangEnd + 1)}${banner}\n${text.slice(hashbangEnd + 1)}`;
  fs.writeFileSync(file, out);
  const map = `${file}.map`;
  if (fs.existsSync(map)) {
    const parsed = JSON.parse(fs.readFileSync(map, 'utf8')) as { mappings: string };
    parsed.mappings = ';' + parsed.mappings;
    fs.writeFileSync(map, JSON.stringify(parsed));
  }
  return true;
}
