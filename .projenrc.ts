import { awscdk, javascript, release, ReleasableCommits } from 'projen';

/** The esbuild release we develop and test against. Users install any 0.x >= this. */
const ESBUILD_VERSION = '0.28.2';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-lambda-kit',
  description:
    'Production-ready AWS Lambda functions for AWS CDK: one-pass cached esbuild bundling, versions behind an alias, safe deployments, and synth-time checks of every Lambda limit.',
  author: 'cdk-lambda-kit developers',
  authorAddress: 'maintainers@cdk-lambda-kit.dev',
  repositoryUrl: 'https://github.com/cdk-lambda-kit/cdk-lambda-kit.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'aws-cdk', 'awscdk', 'lambda', 'esbuild', 'serverless', 'bundling', 'nodejs'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // The floor of the peer dependency: the release our whole test suite runs against.
  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  // Bindings for the other jsii languages. Their registries are out of reach here, so only the code is generated
  // (see the package-all task below); publishing them is a release concern.
  publishToPypi: { distName: 'cdk-lambda-kit', module: 'cdk_lambda_kit' },
  publishToMaven: { javaPackage: 'io.github.cdklambdakit', mavenGroupId: 'io.github.cdk-lambda-kit', mavenArtifactId: 'cdk-lambda-kit' },
  publishToNuget: { dotNetNamespace: 'CdkLambdaKit', packageId: 'CdkLambdaKit' },
  publishToGo: { moduleName: 'github.com/cdk-lambda-kit/cdk-lambda-kit-go' },

  // No GitHub here: `.ci/run` is the CI. Releases are cut by hand (CONTRIBUTING.md): `npx projen release` bumps the
  // version from the conventional commits since the last tag (feat: minor, fix: patch; 0.x while experimental),
  // writes CHANGELOG.md, builds and tags; publishing the packages in dist/ is a maintainer's step.
  github: false,
  release: true,
  majorVersion: 0,
  stability: 'experimental',
  releaseTrigger: release.ReleaseTrigger.manual({ changelog: true, changelogPath: 'CHANGELOG.md', gitPushCommand: '' }),
  releasableCommits: ReleasableCommits.featuresAndFixes(),
  // The first release (no v* tag yet) is 0.1.0; after it, the commits decide.
  nextVersionCommand: "git tag -l 'v*' | grep -q . || echo 0.1.0",
  depsUpgrade: false,
  pullRequestTemplate: false,

  lambdaAutoDiscover: false,
  integrationTestAutoDiscover: false,
  docgen: true,

  // Lock files of every package manager, read to ship the versions a function's own workspace locks (#28): Yarn's
  // own parser (classic and Berry yarn.lock, ~0.5 MB) and js-yaml, which it depends on anyway, for pnpm-lock.yaml.
  // @npmcli/arborist (~40 packages) and @pnpm/lockfile-file (~20) would add megabytes for what a JSON parse and a
  // YAML parse give; npm's lock is JSON.
  bundledDeps: ['@yarnpkg/parsers@^3.1.0', 'js-yaml@^4.1.0'],

  devDeps: [
    '@types/js-yaml@^4',
    // The package managers the workspace tests install a monorepo with (#28): pinned, so CI installs them once.
    'pnpm@10.34.8',
    'yarn@1.22.22',
    '@yarnpkg/cli-dist@4.18.1',
    `esbuild@${ESBUILD_VERSION}`,
    'aws-cdk@2.1148.1',
    'tsx@^4.21.0',
    // The TypeScript jsii 6 compiles with, for ts-jest, ts-node and eslint too.
    'typescript@~6.0.0',
    '@types/node@^20',
    // The reference app of the benchmark and the example apps import these.
    'zod@^4',
    'uuid@^13',
    'date-fns@^4',
    'lodash-es@^4',
    '@types/lodash-es@^4',
    '@aws-sdk/client-dynamodb@^3',
    '@types/aws-lambda@^8',
    'ms@^2.1.3',
    '@types/ms@^2',
    // Verification (#6): cdk-nag rule packs, the official Lambda runtime client, event fixtures, property tests.
    'cdk-nag@^3.0.2',
    'aws-lambda-ric@^4.0.2',
    '@serverless/event-mocks@^1.1.1',
    'fast-check@^4',
    // The benchmark's fastest in-process peer (#15): cdk-esbuild's TypeScriptCode.
    '@mrgrain/cdk-esbuild@^5.8.4',
    // The powertools example and its stand-in for the Powertools layer: exactly the version of the layer pinned in
    // src/function/powertools.ts (the example's test fails on skew).
    '@aws-lambda-powertools/logger@2.35.0',
    '@aws-lambda-powertools/metrics@2.35.0',
  ],

  jestOptions: {
    passWithNoTests: false,
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // The starter example's own tests (#28) run as a newcomer's would, against the repository's sources.
      testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/examples/starter/test/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
      testTimeout: 120_000,
      // Bundling tests spawn esbuild and the CDK CLI; two workers match the two cores we have.
      maxWorkers: 2,
      coveragePathIgnorePatterns: ['/node_modules/', '/test/', '/examples/', '/benchmarks/'],
      modulePathIgnorePatterns: ['<rootDir>/test/fixtures/.*/cdk.out', '<rootDir>/examples/.*/cdk.out', '<rootDir>/test/corpus/', '<rootDir>/benchmarks/coldstart/node_modules', '<rootDir>/benchmarks/.work'],
      // Tests import the library as users do (the examples' constructs, and tests written as the README shows).
      moduleNameMapper: {
        '^cdk-lambda-kit$': '<rootDir>/src/index.ts',
        '^cdk-lambda-kit/lib/testing$': '<rootDir>/src/testing/index.ts',
      },
    },
  },

  tsconfigDev: {
    // The dev tsconfig lives in test/: these paths are relative to it.
    include: ['../examples/**/*.ts', '../benchmarks/**/*.ts'],
    // The cold-start benchmark's handlers type-check against their own dependencies (benchmarks/coldstart/).
    exclude: ['../examples/**/cdk.out', '../benchmarks/.work', '../benchmarks/coldstart', 'corpus/handlers', 'corpus/node_modules'],
    compilerOptions: {
      // Examples and tests import the library by its package name, from src/ (as jest's moduleNameMapper does).
      paths: {
        'cdk-lambda-kit': ['../src/index.ts'],
        'cdk-lambda-kit/lib/testing': ['../src/testing/index.ts'],
      },
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'benchmarks', 'projenrc', '.projenrc.ts'],
    // The corpus' handlers import packages only its own package.json installs (test/corpus/node_modules).
    ignorePatterns: ['test/fixtures/**', 'test/.snippets-*/**', 'benchmarks/.work/**', '**/cdk.out/**', 'test/corpus/handlers/**', 'test/corpus/node_modules/**', 'benchmarks/coldstart/**'],
  },

  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/bindings/', '/benchmarks/', '/.ci/', 'cdk.out/', '/test/', '/projenrc/'] },
  gitignore: [
    '.jsii.tabl.json', 'cdk.out/', '/benchmarks/.work/', '/test/fixtures/**/node_modules/', '.lambda-kit-cache/', '/test/.snippets-*/',
    '/test/corpus/node_modules/', '/benchmarks/coldstart/node_modules/',
  ],
});

// The compiled files carry inline source maps whose sources are src/*.ts: ship those sources, so that stack traces
// (tsx, ts-node and `--enable-source-maps` apply the maps) point at files that exist in the installed package.
project.npmignore?.include('/src/');

// esbuild runs in-process. jsii refuses it as a dependency, so it is an optional dependency for users
// (installed by default, skippable) and a devDependency for us.
project.package.addField('optionalDependencies', { esbuild: `^${ESBUILD_VERSION}` });

// Examples import the library by its package name (examples/tsconfig.json maps it onto src/).
project.tryFindObjectFile('.eslintrc.json')?.addOverride('settings.import/resolver.typescript.project', [
  './tsconfig.json',
  './examples/tsconfig.json',
]);

// Package the npm tarball, and generate (not build) the Python, Java, .NET and Go bindings: proof they generate.
project.tasks.tryFind('package-all')?.reset();
project.tasks.tryFind('package-all')?.spawn(project.tasks.tryFind('package:js')!);
project.tasks.tryFind('package-all')?.exec('jsii-pacmak --code-only --targets python java dotnet go --outdir dist/code-only');

// Examples every language can read: jsii-rosetta compiles every example of the README and the API docs under the fixtures
// in rosetta/ (strict: one that does not compile fails) and translates them into the tablet jsii-pacmak writes the
// bindings' docs from; then the same for the pages of docs/. Strict in the assembly's metadata too, for Construct Hub.
project.addTask('rosetta', {
  description: 'Compile and translate every example of README.md, the API docs and docs/ (jsii-rosetta --strict)',
  steps: [
    { exec: 'jsii-rosetta extract --strict .jsii' },
    { exec: 'node .ci/rosetta-docs.mjs' },
  ],
});
project.package.file.addOverride('jsii.metadata.jsii.rosetta.strict', true);

// The main job: synthesize every example app with the real CDK CLI.
project.addTask('synth:examples', {
  description: 'Synthesize every app in examples/ with the CDK CLI',
  exec: 'node examples/synth-all.mjs',
});

// The compatibility corpus (#23): real npm packages from test/corpus's own package.json and lock (never the library's
// devDependencies), one handler each, bundled by ServerlessFunction and NodejsFunction and run in the Lambda runtime
// client; writes docs/compatibility.md. (`compat` is jsii-diff's.)
project.addTask('corpus', {
  description: 'Run the compatibility corpus of real npm packages (writes docs/compatibility.md)',
  steps: [
    { exec: 'npm install --prefix test/corpus --no-audit --no-fund --loglevel=error' },
    { exec: 'tsx test/corpus/run.ts' },
  ],
});

// The benchmark: cdk-lambda-kit against aws-cdk-lib NodejsFunction.
project.addTask('bench', {
  description: 'Benchmark ServerlessFunction against NodejsFunction (writes benchmarks/RESULTS.md)',
  exec: 'node benchmarks/run.mjs',
  receiveArgs: true,
});

// `npm test` stays the whole suite CI runs. A maintainer's quick check: the suites that start no process beyond
// esbuild (no CDK CLI, npm, runtime client, TypeScript installs or network) as `test:unit`; the rest as
// `test:integration`. Both read jest's configuration above.
const INTEGRATION_SUITES = [
  '/test/examples/', // the CDK CLI, cfn-lint and the runtime client on every example
  '/test/testing/', // the Lambda runtime client
  '/test/layers/', // npm installs of dependency layers
  '/test/benchmarks/', // the benchmark harness through the CDK CLI
  '/test/docs/', // every README and docs/ example compiled
  '/test/package-contents.test.ts', // npm pack
  '/test/function/cdk-init-app.test.ts', // the CDK CLI
  '/test/bundling/node-modules.test.ts', // npm installs (bundling.nodeModules)
  '/test/bundling/native-modules.test.ts', // npm installs for the function's platform
  '/test/bundling/workspaces.test.ts', // npm, pnpm and yarn workspaces
  '/test/bundling/type-check-typescript-versions.test.ts', // TypeScript 5 to 7 installed
  '/test/bundling/after-bundling-handler.test.ts', // bundles run in Node.js
  '/test/bundling/esbuild-loader.test.ts', // apps run in a fresh Node.js
  '/test/bundling/cache-differential.property.test.ts', // hundreds of synths
  '/examples/starter/test/',
  '/test/bundling/esm-interop.test.ts', // bundles run in the runtime client
  '/test/bundling/init-time.test.ts', // the runtime client at synth
  '/test/bundling/bundling.test.ts', // bundles run in a fresh Node.js
  '/test/bundling/cache.test.ts', // a synth in a fresh Node.js process
  '/test/bundling/keep-names.test.ts', // bundles run in the runtime client
  '/test/bundling/copy-files.test.ts', // bundles run in the runtime client
  '/test/bundling/command-hooks.test.ts', // bundles run in the runtime client
  '/test/bundling/external-check.test.ts', // bundles run in the runtime client
  '/test/function/powertools.test.ts', // a bundle run in the runtime client with the Powertools layer
  '/test/numeric-props.property.test.ts', // thousands of validated synths
  '/test/test-tasks.test.ts', // jest itself, with each task's arguments
];
project.addTask('test:unit', {
  description: 'The unit tests: no CDK CLI, npm, runtime client or network (a quick check of a change; npm test runs everything)',
  exec: `jest --passWithNoTests=false --testPathIgnorePatterns ${INTEGRATION_SUITES.map((p) => `'${p}'`).join(' ')}`,
  receiveArgs: true,
  // test/setup.ts: no CloudFormation-schema validation, except in the suites that test the library's use of it.
  env: { LAMBDA_KIT_TEST_TASK: 'unit' },
});
project.addTask('test:integration', {
  description: 'The suites test:unit leaves out: the CDK CLI, npm, the runtime client, TypeScript installs',
  exec: `jest --passWithNoTests=false --testPathPatterns ${INTEGRATION_SUITES.map((p) => `'${p}'`).join(' ')}`,
  receiveArgs: true,
});

// The cold-start benchmark: the init time of each side's bundles, in the runtime client on Node.js 24 (#25).
project.addTask('bench:coldstart', {
  description: 'Benchmark the cold start of the bundles ServerlessFunction, NodejsFunction and cdk-esbuild ship (writes benchmarks/COLDSTART.md)',
  exec: 'node benchmarks/coldstart.mjs',
  receiveArgs: true,
});

project.synth();
