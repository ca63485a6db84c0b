import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { BundleCacheContext, ServerlessFunction, ServerlessFunctionProps } from '../src';

/** The fixture handler, for tests of what a function's props make (not of its code). */
export const entry = path.join(__dirname, 'fixtures', 'handlers', 'hello.ts');

/** A new, empty directory for a bundle cache. */
export function freshCache(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-cache-'));
}

/** Write a throw-away project (files relative to its root) with a lock file; returns its root. */
export function makeProject(files: Record<string, string>, root?: string): string {
  const dir = root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-test-'));
  writeFiles(dir, { 'package-lock.json': '{"lockfileVersion":3}\n', ...files });
  return dir;
}

/** Write files relative to a directory. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
}

/** Let a throw-away project resolve the repository's packages (TypeScript, Powertools): a link to its node_modules. */
export function linkRepoNodeModules(root: string): void {
  fs.symlinkSync(path.join(__dirname, '..', 'node_modules'), path.join(root, 'node_modules'), 'dir');
}

/** An app with its own cache directory and output directory, and one stack. */
export function makeApp(options: { cacheDir?: string; context?: Record<string, unknown> } = {}): { app: App; stack: Stack } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-out-'));
  const app = new App({
    outdir,
    context: {
      [BundleCacheContext.DIRECTORY]: options.cacheDir ?? freshCache(),
      ...options.context,
    },
  });
  return { app, stack: new Stack(app, 'Stack') };
}

/** An app whose stacks are not bundled (what `cdk synth` does for stacks it was not asked for). */
export function makeUnbundledApp(context: Record<string, unknown> = {}): { app: App; stack: Stack } {
  return makeApp({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
}

/**
 * A ServerlessFunction with the fixture handler and these props, in an app whose stacks are not bundled: for tests of
 * what the props make, not of the code.
 */
export function unbundledFunction(
  props: Partial<ServerlessFunctionProps> = {}, id = 'Fn', context: Record<string, unknown> = {},
): { app: App; stack: Stack; fn: ServerlessFunction } {
  const { app, stack } = makeUnbundledApp(context);
  return { app, stack, fn: new ServerlessFunction(stack, id, { entry, ...props }) };
}

/** The README's function, `Orders` with a 30-second timeout, its stack not bundled. */
export function readmeFunction(context: Record<string, unknown> = {}): { app: App; stack: Stack; fn: ServerlessFunction } {
  return unbundledFunction({ timeout: Duration.seconds(30) }, 'Orders', context);
}

/** A DynamoDB table with a stream (partition key `pk`), for stream sources. */
export function streamTable(scope: Construct, id = 'Table', view = dynamodb.StreamViewType.NEW_IMAGE): dynamodb.Table {
  return new dynamodb.Table(scope, id, { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, stream: view });
}

/** Capture the bundler's summary lines printed while running `fn`. */
export function captureSummary(fn: () => void): string[] {
  const lines: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: any, ...rest: any[]) => {
    if (typeof chunk === 'string' && chunk.startsWith('cdk-lambda-kit: ')) {
      lines.push(chunk.trim());
      return true;
    }
    return (original as any).call(process.stderr, chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    fn();
  } finally {
    process.stderr.write = original;
  }
  return lines;
}

/** Synthesize `app`: the bundler's summary lines printed, and the message of the error synth threw, if any. */
export function synthCapturing(app: App): { lines: string[]; error?: string } {
  let error: string | undefined;
  const lines = captureSummary(() => {
    try {
      app.synth();
    } catch (e) {
      error = (e as Error).message;
    }
  });
  return { lines, error };
}

/**
 * Synthesize functions of a project (entry names under `src/`, each `src/<name>.ts`) with `bundling.typeCheck`: the
 * error, if any, and the summary's count of functions type-checked and TypeScript programs (`2/1`, or `0/0` when
 * nothing was checked).
 */
export function synthTypeChecked(root: string, entries: string[], cacheDir = freshCache(), typeCheck = true): { error?: string; checked: string } {
  const { app, stack } = makeApp({ cacheDir });
  for (const name of entries) {
    new ServerlessFunction(stack, name.charAt(0).toUpperCase() + name.slice(1), { entry: path.join(root, `src/${name}.ts`), bundling: { typeCheck } });
  }
  const { lines, error } = synthCapturing(app);
  const match = /, (\d+) type-checked in (\d+) TypeScript programs?/.exec(lines[0] ?? '');
  return { error, checked: match ? `${match[1]}/${match[2]}` : '0/0' };
}

/**
 * Synthesize an app whose stack holds one bundled function: the summary line printed, the function's asset key and
 * its staged bundle directory.
 */
export function synthOneFunction(app: App, stack: Stack): { line: string; key: string; dir: string } {
  let assembly: any;
  const [line] = captureSummary(() => {
    assembly = app.synth();
  });
  const key = Object.values<any>(assembly.getStackByName(stack.stackName).template.Resources)
    .find((r) => r.Type === 'AWS::Lambda::Function').Properties.Code.S3Key as string;
  return { line, key, dir: path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`) };
}

/**
 * Import a bundle in a fresh Node.js process, from a copy in an empty directory (no node_modules anywhere above
 * it) with only the given environment variables, call the handler with the event, and return what it resolved to.
 */
export function invokeBundle(bundleDir: string, handler: string, event: unknown = {}, env: Record<string, string> = {}): any {
  const isolated = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-task-'));
  fs.cpSync(bundleDir, isolated, { recursive: true });
  const main = fs.existsSync(path.join(isolated, 'index.mjs')) ? 'index.mjs' : 'index.js';
  const script = `
    const mod = await import(${JSON.stringify(path.join(isolated, main))});
    const fn = mod[${JSON.stringify(handler)}] ?? mod.default?.[${JSON.stringify(handler)}];
    const result = await fn(${JSON.stringify(event)}, {});
    process.stdout.write(JSON.stringify({ result, dir: ${JSON.stringify(isolated)} }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: isolated,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return JSON.parse(out);
}

/** The staged bundle directory of a function in a synthesized app. */
export function bundleDirOf(app: App, stack: Stack, logicalIdPrefix: string): string {
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template;
  const [, resource] = Object.entries<any>(template.Resources)
    .find(([id, r]) => id.startsWith(logicalIdPrefix) && r.Type === 'AWS::Lambda::Function')!;
  const key: string = resource.Properties.Code.S3Key;
  return path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
}

/**
 * A template with what changes by itself scrubbed, for snapshots: asset hashes (64 hex digits) and the version's
 * logical ID suffix, which hashes the function's configuration including its code location.
 */
export function scrubbed(template: Template | Record<string, any>): any {
  const json = JSON.stringify(template instanceof Template ? template.toJSON() : template)
    .replace(/[0-9a-f]{64}/g, '<asset-hash>')
    .replace(/CurrentVersion[0-9A-F]{8}[0-9a-f]{32}/g, 'CurrentVersion<hash>');
  return JSON.parse(json);
}

/** The resources of `stack` that are new or different from those of `baseline`: what a source or option adds. */
export function addedResources(stack: Stack, baseline: Stack): Record<string, any> {
  const before = Template.fromStack(baseline).toJSON().Resources ?? {};
  const after = Template.fromStack(stack).toJSON().Resources ?? {};
  return Object.fromEntries(Object.entries<any>(after).filter(([id, r]) => JSON.stringify(before[id]) !== JSON.stringify(r)));
}
