import * as fs from 'fs';
import * as path from 'path';
import type { ICommandHooks } from '../command-hooks';
import { CopiedFile, resolveCopyFiles } from '../copy-files';
import { translateEsbuildArgs } from './cli-args';
import { ESM_DIRNAME, ESM_FILENAME, builtinAliases, builtinShimDir } from './esm-interop';
import { sha256 } from '../hash';
import type { NativeModules } from '../install/native-modules';
import { BundlingOptions, OutputFormat } from '../options';
import { findProjectRoot, isDirectory, isFile } from '../project-root';

/** Lambda's hard limit for a function's code and layers, unzipped. */
export const LAMBDA_UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024;

/**
 * The esbuild loaders a function can use. `file` and `copy` emit files beside the bundle: functions using them are
 * built in a pass each, with the files named into their own bundle.
 */
const ESBUILD_LOADERS = ['base64', 'binary', 'copy', 'dataurl', 'default', 'empty', 'file', 'js', 'json', 'jsx', 'text', 'ts', 'tsx'];

/** File extensions an entry may have. */
const ENTRY_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];

/** Bundling options resolved for one function: what the bundler needs, with every default applied. */
export interface ResolvedBundling {
  /** Absolute path of the entry file. */
  readonly entry: string;
  /** esbuild's working directory. */
  readonly projectRoot: string;
  /** `index.mjs` or `index.js`. */
  readonly outputFileName: string;
  /** Whether a source map is emitted. */
  readonly sourceMap: boolean;
  /** A size above which a warning is given, in bytes. */
  readonly sizeBudgetBytes?: number;
  /** Files whose content is part of the cache key besides the inputs esbuild reports (the tsconfig). */
  readonly configFiles: string[];
  /** The esbuild options every entry of the group shares (plain JSON, no entry points). */
  readonly buildOptions: Record<string, unknown>;
  /** Functions with equal keys are bundled in the same esbuild pass. */
  readonly groupKey: string;
  /** Files copied into the bundle (`bundling.copyFiles`), sorted by target; not part of the esbuild pass. */
  readonly copyFiles?: CopiedFile[];
  /** `bundling.commandHooks`, run around the bundle's build; not part of the esbuild pass. */
  readonly commandHooks?: ICommandHooks;
  /** `bundling.typeCheck`. */
  readonly typeCheck?: boolean;
  /**
   * Whether the ESM banner (`require`, `__dirname`, `__filename`) is added after the build, only the lines the
   * bundle uses (`addEsmBanner`): ESM output.
   */
  readonly esmBannerAfterBuild: boolean;
  /** The project's native packages, left out of the bundle and installed beside it when imported. */
  readonly nativeModules?: NativeModules;
}

/** What `resolveBundling` needs to know about the function. */
export interface BundlingContext {
  /** The `entry` prop as given. */
  readonly entry: string;
  /** The runtime's name, for example `nodejs24.x`. */
  readonly runtimeName: string;
  /** The directory relative paths are resolved against (the CDK app's working directory). */
  readonly cwd: string;
}

/**
 * Apply defaults to the bundling options and check them. Returns the problems found instead of throwing, so that
 * the construct can report all of its problems together.
 */
export function resolveBundling(
  options: BundlingOptions,
  context: BundlingContext,
): { resolved?: ResolvedBundling; problems: string[] } {
  const problems: string[] = [];
  const entry = path.resolve(context.cwd, context.entry);
  problems.push(...checkEntry(context.entry, entry));

  const nodeMajor = nodeMajorOf(context.runtimeName);
  if (nodeMajor === undefined) {
    problems.push(`\`runtime\` must be a Node.js runtime (nodejs18.x or later), got ${context.runtimeName}`);
  }

  const format = options.format ?? OutputFormat.ESM;
  if (!Object.values(OutputFormat).includes(format)) {
    problems.push(`\`bundling.format\` must be one of ${Object.values(OutputFormat).join(', ')}, got ${format}`);
  }
  const esm = format === OutputFormat.ESM;

  const target = options.target ?? (nodeMajor !== undefined ? `node${nodeMajor}` : 'node18');
  if (!/^(node\d+(\.\d+){0,2}|es20\d\d|esnext)$/.test(target)) {
    problems.push(`\`bundling.target\` must be an esbuild target such as node22, es2023 or esnext, got ${target}`);
  }

  for (const [extension, loader] of Object.entries(options.loader ?? {})) {
    if (!/^\.[A-Za-z0-9_.-]+$/.test(extension)) {
      problems.push(`\`bundling.loader\` keys must be file extensions starting with a dot, got "${extension}"`);
    }
    if (!ESBUILD_LOADERS.includes(loader)) {
      problems.push(`\`bundling.loader\` for "${extension}" must be one of ${ESBUILD_LOADERS.join(', ')}, got "${loader}"`);
    }
  }

  for (const external of options.externalModules ?? []) {
    if (external.trim() === '' || /\s/.test(external)) {
      problems.push(`\`bundling.externalModules\` entries must be module names or patterns without spaces, got "${external}"`);
    }
  }

  const projectRoot = options.projectRoot !== undefined
    ? path.resolve(context.cwd, options.projectRoot)
    : findProjectRoot(entry);
  if (options.projectRoot !== undefined && !isDirectory(projectRoot)) {
    problems.push(`\`bundling.projectRoot\` must be an existing directory, got ${options.projectRoot} (resolved to ${projectRoot})`);
  }

  const tsconfig = options.tsconfig !== undefined ? path.resolve(context.cwd, options.tsconfig) : undefined;
  if (options.tsconfig !== undefined && !isFile(tsconfig!)) {
    problems.push(`\`bundling.tsconfig\` must be an existing file, got ${options.tsconfig} (resolved to ${tsconfig})`);
  }

  const inject = (options.inject ?? []).map((f) => path.resolve(context.cwd, f));
  (options.inject ?? []).forEach((f, i) => {
    if (!isFile(inject[i])) {
      problems.push(`\`bundling.inject\` entries must be existing files, got ${f} (resolved to ${inject[i]})`);
    }
  });

  // Files copied beside the code, expanded against the project root; esbuild flags.
  const copied = resolveCopyFiles(options.copyFiles, projectRoot);
  problems.push(...copied.problems);
  const esbuildArgs = translateEsbuildArgs(options.esbuildArgs);
  problems.push(...esbuildArgs.problems);

  let sizeBudgetBytes: number | undefined;
  if (options.sizeBudget !== undefined) {
    if (options.sizeBudget.isUnresolved()) {
      problems.push('`bundling.sizeBudget` must be a concrete size, got a token');
    } else {
      sizeBudgetBytes = options.sizeBudget.toBytes();
      if (sizeBudgetBytes <= 0 || sizeBudgetBytes > LAMBDA_UNZIPPED_LIMIT_BYTES) {
        problems.push(`\`bundling.sizeBudget\` must be between 1 byte and 250 MB (Lambda's unzipped limit), got ${sizeBudgetBytes} bytes`);
      }
    }
  }

  if (problems.length > 0) {
    return { problems };
  }

  const sourceMap = options.sourceMap ?? false;
  const external = [...(options.externalModules ?? [])];
  if (!(options.bundleAwsSdk ?? false)) {
    external.push('@aws-sdk/*');
  }

  const define: Record<string, string> = esm ? { __dirname: ESM_DIRNAME, __filename: ESM_FILENAME } : {};
  Object.assign(define, options.define ?? {});

  // An ESM bundle gets the lines of the banner it uses after the build (`addEsmBanner`: its source map, always a
  // linked file, is moved down a line). The user's banner is esbuild's.
  const banner = options.banner ?? '';
  // ESM: Node.js built-ins through `require`, never a static import (esm-interop.ts); `bundling.esbuildArgs`
  // aliases win.
  const alias = esm ? { ...builtinAliases(projectRoot), ...(esbuildArgs.options.alias as Record<string, string> | undefined) } : undefined;

  const buildOptions: Record<string, unknown> = sortKeys({
    bundle: true,
    platform: 'node',
    format,
    target,
    minify: options.minify ?? true,
    treeShaking: true,
    sourcemap: sourceMap ? 'linked' : false,
    sourcesContent: sourceMap ? (options.sourcesContent ?? false) : false,
    // Minify must not rename classes and functions (`error.constructor.name`, logs, dispatch on names).
    keepNames: options.keepNames ?? (options.minify ?? true),
    external: [...new Set(external)].sort(),
    define: sortKeys(define),
    loader: sortKeys(options.loader ?? {}),
    mainFields: options.mainFields ?? (esm ? ['module', 'main'] : ['main', 'module']),
    banner: banner ? { js: banner } : {},
    footer: options.footer ? { js: options.footer } : {},
    tsconfig,
    inject: inject.map((f) => path.relative(projectRoot, f)).sort(),
    absWorkingDir: projectRoot,
    outExtension: esm ? { '.js': '.mjs' } : {},
    charset: 'utf8',
    // `bundling.esbuildArgs` (only flags that keep one bundle per function), over the defaults above.
    ...esbuildArgs.options,
    alias: alias ? sortKeys(alias) : esbuildArgs.options.alias,
  });

  // The built-ins' files live wherever this package is installed, and a jsii host (Python, Java, ...) unpacks it into a
  // new temporary directory in every process: the key names them by what they are, not where, so the cache hits.
  const shimDir = esm ? JSON.stringify(path.relative(projectRoot, builtinShimDir()).split(path.sep).join('/')).slice(1, -1) : '';
  const keyed = JSON.stringify(buildOptions);
  const groupKey = sha256(shimDir ? keyed.split(shimDir).join('<node-builtins>') : keyed).slice(0, 16);
  return {
    problems,
    resolved: {
      entry,
      projectRoot,
      outputFileName: esm ? 'index.mjs' : 'index.js',
      sourceMap,
      sizeBudgetBytes,
      configFiles: tsconfig ? [tsconfig] : [],
      buildOptions,
      groupKey,
      copyFiles: copied.files.length > 0 ? copied.files : undefined,
      commandHooks: options.commandHooks,
      typeCheck: options.typeCheck ? true : undefined,
      esmBannerAfterBuild: esm,
    },
  };
}

/** The Node.js major version of a Lambda runtime name (`nodejs22.x` gives 22); undefined for other families. */
export function nodeMajorOf(runtimeName: string): number | undefined {
  const match = /^nodejs(\d+)\.x$/.exec(runtimeName);
  if (!match) {
    return undefined;
  }
  const major = Number(match[1]);
  return major >= 18 ? major : undefined;
}

/** Check that an entry names an existing source file. */
export function checkEntry(given: string, resolved: string): string[] {
  if (!fs.existsSync(resolved)) {
    return [`\`entry\` must be an existing file, got ${given} (resolved to ${resolved}, which does not exist)`];
  }
  if (!isFile(resolved)) {
    return [`\`entry\` must be a file, got ${given} (resolved to ${resolved}, which is a directory)`];
  }
  if (!ENTRY_EXTENSIONS.includes(path.extname(resolved))) {
    return [`\`entry\` must be a JavaScript or TypeScript file (${ENTRY_EXTENSIONS.join(', ')}), got ${given}`];
  }
  return [];
}

/** Check that a handler names a JavaScript export. */
export function checkHandlerName(handler: string): string | undefined {
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(handler)) {
    return `\`handler\` must be the name of an exported function (a JavaScript identifier such as "handler"), got "${handler}"`;
  }
  return undefined;
}

function sortKeys<T extends Record<string, any>>(obj: T): T {
  const out: Record<string, any> = {};
  for (const key of Object.keys(obj).sort()) {
    if (obj[key] !== undefined) {
      out[key] = obj[key];
    }
  }
  return out as T;
}

