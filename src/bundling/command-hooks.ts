import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BundleRecord, rehashRecord } from './cache/records';
import { listFiles } from './cache/verified-files';

/**
 * Commands run before and after a function is bundled, like `NodejsFunction`'s `commandHooks`.
 *
 * Each method returns shell commands, run in order in the project root with `sh -c` (on Windows, `cmd /c`); a
 * command that exits non-zero fails the function's bundling with its output. Implement it as a class in every
 * language (in Python, a class decorated with `@jsii.implements(ICommandHooks)`; in Java, a class implementing
 * `ICommandHooks`).
 *
 * The methods only return commands, and must have no effect of their own: they are called more than once. When the
 * function is constructed, and again when the bundle cache computes its key, they are called with the stand-in
 * directory `<bundle-output-dir>` as `outputDir` (the real one differs on every synth), and the commands returned
 * then are part of the cache key and of the asset hash. When the bundle is built, they are called with the real
 * directory, and the commands returned are run. A bundle restored from the cache runs no command. So the commands
 * must depend on the arguments only, not on the time, a counter or anything else that changes between calls.
 *
 * ```ts
 * import { ICommandHooks, ServerlessFunction } from 'cdk-lambda-kit';
 *
 * class CopyVersion implements ICommandHooks {
 *   public beforeBundling(inputDir: string, outputDir: string): string[] {
 *     return ['cp ' + inputDir + '/VERSION ' + outputDir + '/VERSION'];
 *   }
 *   public afterBundling(inputDir: string, outputDir: string): string[] {
 *     return [];
 *   }
 * }
 *
 * new ServerlessFunction(this, 'Orders', { entry: 'src/orders.ts', bundling: { commandHooks: new CopyVersion() } });
 * ```
 */
export interface ICommandHooks {
  /**
   * Commands run before esbuild bundles the function. Files they write into `outputDir` join the bundle.
   *
   * @param inputDir the project root
   * @param outputDir the bundle's directory
   */
  beforeBundling(inputDir: string, outputDir: string): string[];

  /**
   * Commands run after esbuild bundled the function (and after `copyFiles`). They may add or change files in
   * `outputDir`, the bundle's directory.
   *
   * @param inputDir the project root
   * @param outputDir the bundle's directory
   */
  afterBundling(inputDir: string, outputDir: string): string[];
}

/** What the cache key holds in place of the bundle's directory, which differs on every synth. */
const OUTPUT_PLACEHOLDER = '<bundle-output-dir>';

/**
 * The hooks' commands as the cache key holds them: with the bundle's directory as a fixed stand-in (the project root is
 * real: it is part of the key anyway). Undefined without hooks, so that keys without hooks do not change.
 */
export function hookCommandsKey(hooks: ICommandHooks | undefined, projectRoot: string): string[][] | undefined {
  if (!hooks) {
    return undefined;
  }
  return [hooks.beforeBundling(projectRoot, OUTPUT_PLACEHOLDER), hooks.afterBundling(projectRoot, OUTPUT_PLACEHOLDER)];
}

/** Run commands in order in `cwd`; returns the failure as a sentence, or undefined. */
export function runCommands(hook: 'beforeBundling' | 'afterBundling', commands: string[], cwd: string): string | undefined {
  for (const command of commands) {
    const shell = process.platform === 'win32' ? ['cmd', ['/c', command]] as const : ['sh', ['-c', command]] as const;
    const result = spawnSync(shell[0], [...shell[1]], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (result.status !== 0) {
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-10).join('\n');
      const how = result.error ? result.error.message : result.signal ? `signal ${result.signal}` : `exit code ${result.status}`;
      return `\`bundling.commandHooks\` ${hook} command failed (${how}): ${command}${output ? `\n${output}` : ''}`;
    }
  }
  return undefined;
}

/** Move every file of `from` into `to` (existing files of `to` win: esbuild's output is never replaced). */
export function mergeInto(from: string, to: string): void {
  if (!fs.existsSync(from)) {
    return;
  }
  for (const name of listFiles(from)) {
    const target = path.join(to, name);
    if (!fs.existsSync(target)) {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(path.join(from, name), target);
    }
  }
  fs.rmSync(from, { recursive: true, force: true });
}

/** What the hooks need of a resolved bundle. */
interface HookedBundle {
  readonly projectRoot: string;
  readonly outputFileName: string;
  readonly commandHooks?: ICommandHooks;
}

/**
 * Run a bundle's `beforeBundling` commands with `${entryDir}.before` as the output directory (esbuild has not
 * written `entryDir` yet). Returns the failure, if any.
 */
export function runBeforeBundling(bundle: HookedBundle, entryDir: string): string | undefined {
  if (!bundle.commandHooks) {
    return undefined;
  }
  const outputDir = `${entryDir}.before`;
  fs.mkdirSync(outputDir, { recursive: true });
  return runCommands('beforeBundling', bundle.commandHooks.beforeBundling(bundle.projectRoot, outputDir), bundle.projectRoot);
}

/**
 * After esbuild: move what `beforeBundling` wrote into the bundle, run `afterBundling` on it, and describe the
 * bundle as it now is. Returns the record, or the failure.
 */
export function runAfterBundling(bundle: HookedBundle, record: BundleRecord, entryDir: string): { record: BundleRecord; error?: string } {
  if (!bundle.commandHooks) {
    return { record };
  }
  mergeInto(`${entryDir}.before`, entryDir);
  const error = runCommands('afterBundling', bundle.commandHooks.afterBundling(bundle.projectRoot, entryDir), bundle.projectRoot);
  const rehashed = rehashRecord(record, entryDir, bundle.outputFileName);
  const main = bundle.outputFileName;
  if (main.endsWith('.mjs') || rehashed.fileHashes[main] === record.fileHashes[main]) {
    // An ES module's exports are read from the staged file (bundled-code.ts); an untouched file keeps esbuild's.
    return { record: rehashed, error };
  }
  // `afterBundling` removed or rewrote the CommonJS main file: its exports are what the file now exports.
  const file = path.join(entryDir, main);
  const exports = fs.existsSync(file) ? cjsExportsOf(fs.readFileSync(file, 'utf8')) : [];
  return { record: { ...rehashed, exports: exports ?? [], exportsKnown: exports !== undefined }, error };
}

/**
 * The names a CommonJS file exports, as far as its text says: `exports.name =`, `module.exports.name =`,
 * `Object.defineProperty(exports, 'name'`, the keys of `module.exports = { ... }`, and esbuild's
 * `__export(x, { name: ... })` with `module.exports = __toCommonJS(x)`. Undefined when `module.exports` is set to
 * anything else (only running the file would tell).
 */
export function cjsExportsOf(text: string): string[] | undefined {
  const names = new Set<string>();
  for (const m of text.matchAll(/(?:^|[^.\w$])(?:module\.)?exports(?:\.([A-Za-z_$][\w$]*)|\[\s*["']([^"']+)["']\s*\])\s*=[^=]/g)) {
    names.add(m[1] ?? m[2]);
  }
  for (const m of text.matchAll(/Object\.defineProperty\(\s*(?:module\.)?exports\s*,\s*["']([^"']+)["']/g)) {
    names.add(m[1]);
  }
  for (const m of text.matchAll(/(?:^|[^.\w$])module\.exports\s*=\s*/g)) {
    const at = m.index! + m[0].length;
    if (text[at] === '{') {
      objectKeys(text, at).forEach((k) => names.add(k));
    } else if (/^__toCommonJS\(/.test(text.slice(at))) {
      for (const e of text.matchAll(/__export\(\s*[\w$]+\s*,\s*\{/g)) {
        objectKeys(text, e.index! + e[0].length - 1).forEach((k) => names.add(k));
      }
    } else {
      return undefined;
    }
  }
  names.delete('__esModule');
  return [...names].sort();
}

/** The top-level keys of the object literal whose `{` is at `start`. */
function objectKeys(text: string, start: number): string[] {
  const keys: string[] = [];
  let depth = 0;
  let segment = '';
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if ('{[('.includes(ch)) {
      depth++;
      if (depth === 1) {
        continue;
      }
    } else if ('}])'.includes(ch)) {
      depth--;
    }
    if (depth === 0) {
      break;
    }
    if (depth === 1 && ch === ',') {
      keys.push(segment);
      segment = '';
    } else {
      segment += ch;
    }
  }
  keys.push(segment);
  return keys.map((k) => /^\s*(?:async\s+)?(?:["']([^"']+)["']|([A-Za-z_$][\w$]*))/.exec(k)).filter((m): m is RegExpExecArray => m !== null).map((m) => m[1] ?? m[2]);
}
