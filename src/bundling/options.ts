import { Size } from 'aws-cdk-lib';
import { ICommandHooks } from './command-hooks';
import { BundleFiles } from './copy-files';

/**
 * The module format of the bundle.
 */
export enum OutputFormat {
  /**
   * ECMAScript modules: the bundle is `index.mjs`.
   *
   * A banner provides `require`, `__dirname` and `__filename` to bundles that use them, so CommonJS-only packages
   * keep working; a bundle that uses none of them gets no banner. Node.js built-ins are loaded through `require`,
   * never a static `import` (which makes Node.js load much more: 34 ms of CPU at init for `node:http` on Node.js 24).
   */
  ESM = 'esm',

  /**
   * CommonJS: the bundle is `index.js`.
   */
  CJS = 'cjs',
}

/**
 * How esbuild bundles one function.
 *
 * Functions whose options are equal are bundled together in one esbuild pass.
 */
export interface BundlingOptions {
  /**
   * The module format of the bundle.
   *
   * @default OutputFormat.ESM
   */
  readonly format?: OutputFormat;

  /**
   * Minify identifiers, syntax and whitespace.
   *
   * @default true
   */
  readonly minify?: boolean;

  /**
   * Emit a linked source map (`index.mjs.map`) beside the bundle.
   *
   * When on, `NODE_OPTIONS=--enable-source-maps` is added to the function's environment so that stack traces
   * point into your sources.
   *
   * @default false
   */
  readonly sourceMap?: boolean;

  /**
   * Embed the original sources in the source map.
   *
   * Only used when `sourceMap` is on. Stack traces do not need them; they make the bundle larger.
   *
   * @default false
   */
  readonly sourcesContent?: boolean;

  /**
   * Keep the `name` property of functions and classes when minifying.
   *
   * Without it, minifying renames classes and functions: `new OrderNotFoundError().constructor.name` reads back as
   * `e`, which changes what error reporters and logs show and breaks code that dispatches on names. It costs a few
   * percent of bundle size (measured in docs/compatibility.md). Without `minify` nothing is renamed and it has no
   * effect.
   *
   * @default - true when `minify` is on (the default), false otherwise
   */
  readonly keepNames?: boolean;

  /**
   * The esbuild target, for example `node22`.
   *
   * @default - derived from the function's runtime (`nodejs24.x` gives `node24`)
   */
  readonly target?: string;

  /**
   * Modules left out of the bundle, to be provided at run time by the runtime or a layer.
   *
   * Each entry is a package name or an esbuild pattern such as `@smithy/*`.
   *
   * @default - none besides `@aws-sdk/*` (see `bundleAwsSdk`)
   */
  readonly externalModules?: string[];

  /**
   * Bundle the AWS SDK for JavaScript v3 instead of using the copy the Lambda runtime ships.
   *
   * Bundling pins the SDK version you test with and starts faster, at the cost of a larger bundle: a DynamoDB
   * handler's init took 92 ms of CPU with the SDK bundled against 124 ms with the runtime's copy (Node.js 24,
   * benchmarks/COLDSTART.md), for 363 kB instead of 2 kB. The runtime's copy gets the SDK's fixes without a deploy.
   *
   * @default false - `@aws-sdk/*` is external on every Node.js runtime that ships SDK v3 (nodejs18.x and later)
   */
  readonly bundleAwsSdk?: boolean;

  /**
   * Replace global identifiers with constant expressions at build time.
   *
   * Values are JavaScript expressions, so a string is given with its quotes: `{ 'process.env.STAGE': '"prod"' }`
   * (in TypeScript, `JSON.stringify('prod')` writes the same).
   *
   * @default - no replacements
   */
  readonly define?: Record<string, string>;

  /**
   * esbuild loaders by file extension, for example `{ '.png': 'dataurl', '.sql': 'text' }`.
   *
   * `file` and `copy` emit the imported files into the bundle beside the code (`file` gives the import the file's
   * path relative to the bundle: read it with `path.join(__dirname, imported)`); a function using them is built in an
   * esbuild pass of its own. The emitted files are part of the asset hash, and their sources of the cache check.
   *
   * @default - esbuild's defaults (`.js`, `.ts`, `.json`, ... by extension)
   * @see https://esbuild.github.io/api/#loader
   */
  readonly loader?: Record<string, string>;

  /**
   * Text placed at the top of the bundle, after the ESM compatibility banner when the bundle has one.
   *
   * @default - none
   */
  readonly banner?: string;

  /**
   * Text placed at the end of the bundle.
   *
   * @default - none
   */
  readonly footer?: string;

  /**
   * The tsconfig.json esbuild reads `paths`, `jsx` and decorator settings from, relative to the working directory.
   *
   * @default - the tsconfig.json esbuild finds next to each source file
   */
  readonly tsconfig?: string;

  /**
   * The package.json fields esbuild reads, in order, to find a package's entry point.
   *
   * @default - `['module', 'main']` for ESM output, `['main', 'module']` for CJS
   */
  readonly mainFields?: string[];

  /**
   * Files whose exports are injected as globals into every module (esbuild `inject`).
   *
   * @default - none
   */
  readonly inject?: string[];

  /**
   * The project root: esbuild's working directory, which paths in source maps and in the bundle report are
   * relative to.
   *
   * @default - the nearest directory above the entry that holds a lock file (package-lock.json, yarn.lock,
   * pnpm-lock.yaml, bun.lockb or bun.lock), else the nearest with a package.json
   */
  readonly projectRoot?: string;

  /**
   * Warn when the unzipped bundle is larger than this.
   *
   * The bundle is always checked against Lambda's hard limit of 250 MB unzipped.
   *
   * @default - no budget
   * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
   */
  readonly sizeBudget?: Size;

  /**
   * Files copied into the bundle beside the code, from globs relative to the project root: certificates (the RDS
   * CA bundle), templates, WASM modules.
   *
   * Part of the asset hash and of the bundle cache's key (each file's content): editing a copied file rebuilds the
   * asset. A pattern that matches no file fails the synth.
   *
   * @default - no files copied
   */
  readonly copyFiles?: BundleFiles[];

  /**
   * Commands run before and after the function is bundled, once per bundle, in the project root, with the bundle's
   * directory (like `NodejsFunction`'s `commandHooks`).
   *
   * The commands are part of the bundle cache's key: changing one rebuilds the bundle. What they read is not: a
   * command that reads files besides the function's imports should get them from `copyFiles` instead, or the app
   * should turn the bundle cache off (`BundleCacheContext.ENABLED`).
   *
   * @default - no commands
   */
  readonly commandHooks?: ICommandHooks;

  /**
   * Packages shipped beside the bundle in its `node_modules` instead of bundled: native modules (sharp, Prisma's
   * engines) and packages that read their own files.
   *
   * Installed with npm for Linux and the function's architecture (`npm install --os=linux --cpu=arm64|x64
   * --libc=glibc`), at the versions the project's package-lock.json (or, without one, its node_modules) resolves,
   * without install scripts unless `runInstallScripts`; cached like a `DependencyLayer`'s install. The packages are
   * left out of the bundle (external) automatically. The optional peers of the packages (`peerDependenciesMeta`)
   * that the project has installed are installed with them (knex with pg, typeorm with its driver).
   *
   * @default - none
   */
  readonly nodeModules?: string[];

  /**
   * Ship what bundling cannot carry installed beside the bundle, for Linux and the function's architecture: the
   * native addons the bundle imports, the packages that read their own files, and the optional peers a package
   * loads by name.
   *
   * - A package that loads a native binary at run time (a `binding.gyp`, `prebuilds/`, a loader such as
   *   node-gyp-build, bindings, node-pre-gyp or prebuild-install, sharp's `@img/sharp-*` packages) cannot be bundled:
   *   its binary stays behind. The project's native packages are left out of the bundle (external); those the bundle
   *   then imports are installed. `import sharp from 'sharp'` gives a working arm64 function.
   * - A bundled package that reads its own files when its module loads, or reads a data file of its own by a literal
   *   path (jsdom's stylesheet, pdfkit's fonts), is left out of the bundle and installed.
   * - A bundled package that loads its optional peers (`peerDependenciesMeta`) through `require(<variable>)`
   *   (sequelize's driver) gets those the project has installed and the bundle does not hold.
   *
   * They are installed the way `nodeModules` installs (with the optional peers the project has installed), and listed
   * in the bundle report's "installed" column with why. Turn it off to bundle them as esbuild does, or to ship them
   * from a layer.
   *
   * @default true
   */
  readonly installNativeModules?: boolean;

  /**
   * Run the install scripts of the `nodeModules` packages. Off by default: they would run on the synthesizing
   * machine, not on Lambda's, and platform packages (such as sharp's `@img/sharp-linux-arm64`) need none.
   *
   * @default false
   */
  readonly runInstallScripts?: boolean;

  /**
   * Type-check the function's entry with TypeScript (`tsc --noEmit`, the project's `typescript` package and the
   * tsconfig nearest the entry, or `tsconfig`). Every function of the app that turns it on is checked in one
   * TypeScript program per tsconfig, in the synth's process; type errors fail the synth, reported per function. A
   * function whose checked files, tsconfig and lock file are unchanged since it last passed is not checked again.
   *
   * Off by default: esbuild strips types without checking them, and a check costs more than the bundling itself.
   *
   * @default false
   */
  readonly typeCheck?: boolean;

  /**
   * esbuild command-line flags, as `NodejsFunction` takes them: `{ '--legal-comments': 'none', '--drop:console': '' }`
   * (boolean flags take `'true'` or `'false'`).
   *
   * Accepted: `--legal-comments`, `--charset`, `--jsx`, `--jsx-factory`, `--jsx-fragment`, `--jsx-import-source`,
   * `--jsx-dev`, `--jsx-side-effects`, `--ignore-annotations`, `--line-limit`, `--log-limit`, `--conditions`,
   * `--resolve-extensions`, `--minify-whitespace`, `--minify-identifiers`, `--minify-syntax`, `--tree-shaking`,
   * `--preserve-symlinks`, `--packages`, and `--drop:`, `--pure:`, `--alias:`, `--supported:`, `--drop-labels:`.
   * Flags that change where or how many files esbuild writes (`--outdir`, `--splitting`, ...) would break the
   * one-pass build, and flags with a `bundling` option of their own must be set there: both fail the synth.
   *
   * @default - none
   * @see https://esbuild.github.io/api/
   */
  readonly esbuildArgs?: Record<string, string>;
}
