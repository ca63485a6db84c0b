import * as fs from 'fs';
import * as path from 'path';

/** The aws-lambda-ric major versions whose entry point and command line the helpers know. */
const SUPPORTED_MAJORS = [3, 4];
const WHAT_TO_INSTALL = '`npm install --save-dev aws-lambda-ric@^4` on Node.js 22 or later, `aws-lambda-ric@^3` on Node.js 20';

/** The directory of an installed package, found the way Node.js finds it from `from` (its node_modules, then up). */
function findPackage(name: string, from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) {
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

/**
 * The entry point of the official Lambda runtime interface client (`aws-lambda-ric`): from the first of `from`
 * that has it installed (the project running the tests), else this package's own install.
 *
 * Both published lines take the handler as their first argument and the task root as their working directory; they
 * differ in where the entry point is (3.x: `bin/index.mjs`, 4.x: `index.mjs`), which their package.json `bin` names.
 * 4.x requires Node.js 22 or later, so npm installs 3.x on Node.js 20.
 */
export function resolveRuntimeClient(from: string[], includeOwn: boolean = true): string {
  const dirs = includeOwn ? [...from, __dirname] : from;
  const pkgDir = dirs.map((d) => findPackage('aws-lambda-ric', d)).find((d) => d !== undefined);
  if (!pkgDir) {
    throw new Error('cdk-lambda-kit/lib/testing runs bundles in the official Lambda runtime client: ' +
      '`npm install --save-dev aws-lambda-ric` (4.x on Node.js 22 or later, 3.x on Node.js 20). ' +
      'It builds natively on Linux and needs autoconf, automake, libtool, cmake, make and g++');
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version?: string; bin?: string | Record<string, string> };
  const version = manifest.version ?? 'an unknown version';
  const major = Number(/^(\d+)\./.exec(manifest.version ?? '')?.[1]);
  if (!SUPPORTED_MAJORS.includes(major)) {
    throw new Error(`cdk-lambda-kit/lib/testing runs aws-lambda-ric 3.x or 4.x, found ${version} in ${pkgDir}: ${WHAT_TO_INSTALL}`);
  }
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.['aws-lambda-ric'];
  const entry = path.join(pkgDir, bin ?? (major === 3 ? 'bin/index.mjs' : 'index.mjs'));
  if (!fs.existsSync(entry)) {
    throw new Error(`aws-lambda-ric ${version} in ${pkgDir} has no ${path.relative(pkgDir, entry)}: its install did not finish; reinstall it (${WHAT_TO_INSTALL})`);
  }
  return entry;
}
