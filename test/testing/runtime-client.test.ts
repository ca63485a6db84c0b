import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveRuntimeClient } from '../../src/testing/runtime-client';
import { writeFiles } from '../helpers';

/** A project directory with a fake aws-lambda-ric package of the given version and entry point. */
function projectWithRic(version: string, bin: string | undefined, files: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-ric-'));
  writeFiles(dir, {
    'node_modules/aws-lambda-ric/package.json': JSON.stringify({ name: 'aws-lambda-ric', version, ...(bin ? { bin: { 'aws-lambda-ric': bin } } : {}) }),
    ...Object.fromEntries(files.map((f) => [`node_modules/aws-lambda-ric/${f}`, '// entry\n'])),
  });
  return dir;
}

describe('the runtime client the testing helpers start', () => {
  test('aws-lambda-ric 4.x (Node 22 and later): its entry point is index.mjs at the package root', () => {
    const dir = projectWithRic('4.0.2', './index.mjs', ['index.mjs']);
    expect(resolveRuntimeClient([dir])).toEqual(path.join(dir, 'node_modules', 'aws-lambda-ric', 'index.mjs'));
  });

  test('aws-lambda-ric 3.x (what npm installs on Node 20): its entry point is bin/index.mjs', () => {
    const dir = projectWithRic('3.3.0', 'bin/index.mjs', ['bin/index.mjs', 'dist/index.mjs']);
    expect(resolveRuntimeClient([dir])).toEqual(path.join(dir, 'node_modules', 'aws-lambda-ric', 'bin', 'index.mjs'));
  });

  test('the project\'s own install is found first', () => {
    const project = projectWithRic('3.3.0', 'bin/index.mjs', ['bin/index.mjs']);
    const other = projectWithRic('4.0.2', './index.mjs', ['index.mjs']);
    expect(resolveRuntimeClient([project, other])).toMatch(/bin\/index\.mjs$/);
  });

  test('fails if the installed line is not supported, saying exactly what to install', () => {
    const dir = projectWithRic('2.1.0', 'bin/index.js', ['bin/index.js']);
    expect(() => resolveRuntimeClient([dir])).toThrow(
      /^cdk-lambda-kit\/lib\/testing runs aws-lambda-ric 3\.x or 4\.x, found 2\.1\.0 in \S+: `npm install --save-dev aws-lambda-ric@\^4` on Node\.js 22 or later, `aws-lambda-ric@\^3` on Node\.js 20$/);
  });

  test('fails if the package has no entry point on disk, saying exactly what to reinstall', () => {
    const dir = projectWithRic('4.0.2', './index.mjs', []);
    expect(() => resolveRuntimeClient([dir])).toThrow(/aws-lambda-ric 4\.0\.2 in \S+ has no .*index\.mjs: its install did not finish; reinstall it/);
  });

  test('fails if aws-lambda-ric is not installed, saying what to install and what it needs to build', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-no-ric-'));
    expect(() => resolveRuntimeClient([dir], /* includeOwn */ false)).toThrow(/`npm install --save-dev aws-lambda-ric` \(4\.x on Node\.js 22 or later, 3\.x on Node\.js 20\).*autoconf, automake, libtool, cmake, make and g\+\+/);
  });

  test('the repository\'s own install resolves to a file that exists', () => {
    expect(fs.existsSync(resolveRuntimeClient([process.cwd()]))).toBe(true);
  });
});
