import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { CopiedFile } from '../copy-files';
import { sha256 } from '../hash';
import { install } from './npm-install';
import { workspaceVersions } from './workspace-versions';
import { listFiles } from '../cache/verified-files';

/**
 * `bundling.nodeModules`: packages installed with npm for Linux and the function's architecture, the way a
 * `DependencyLayer` installs them (and in the same cache), then shipped in the bundle's `node_modules`.
 */

/** npm package names (optionally scoped). */
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** Check the names in `bundling.nodeModules`. */
export function checkNodeModules(names: string[] | undefined): string[] {
  return (names ?? []).filter((n) => !PACKAGE_NAME.test(n))
    .map((n) => `\`bundling.nodeModules\` entries must be npm package names, got "${n}"`);
}

/**
 * The version of each package the function's own workspace locks (see `workspaceVersions`): in a monorepo, the
 * version of the workspace that holds the entry, not the one hoisted for another.
 */
export function projectVersions(names: string[], entry: string): { versions: Record<string, string>; problems: string[] } {
  const { versions, unresolved, source } = workspaceVersions(names, path.dirname(path.resolve(entry)));
  const problems = unresolved.map((name) => '`bundling.nodeModules` must name packages the function\'s workspace depends on ' +
    `(read from ${source}, else node_modules), got "${name}": add it to the package.json beside the entry (or above it) and install it`);
  return { versions, problems };
}

/**
 * Install the packages at the project's versions for the function's platform (cached like a DependencyLayer's
 * install) and list their files as copies into the bundle's `node_modules`.
 */
export function installNodeModules(scope: Construct, constructPath: string, options: {
  versions: Record<string, string>;
  projectRoot: string;
  architecture: lambda.Architecture;
  runtime: lambda.Runtime;
  runInstallScripts: boolean;
}): CopiedFile[] {
  const packageJson = JSON.stringify({ name: 'lambda-node-modules', private: true, dependencies: options.versions }, undefined, 2);
  const hash = sha256(JSON.stringify({
    format: 1,
    packageJson,
    lockFile: null,
    architecture: options.architecture.name,
    runtime: options.runtime.name,
    scripts: options.runInstallScripts,
  }));
  const built = install(scope, constructPath, {
    packageJson,
    modules: Object.keys(options.versions),
    projectRoot: options.projectRoot,
  }, hash, options.architecture, options.runInstallScripts);
  const nodeModules = path.join(built.dir, 'nodejs', 'node_modules');
  // Files, and symbolic links to files.
  return listFiles(nodeModules)
    .map((rel) => ({ source: path.join(nodeModules, ...rel.split('/')), target: `node_modules/${rel}` }))
    .filter(({ source }) => fs.statSync(source).isFile());
}
