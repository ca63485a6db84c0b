import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** The files `npm pack` puts in the package, by path relative to the package root. */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return (JSON.parse(out)[0].files as Array<{ path: string }>).map((f) => f.path);
}

/**
 * The compiled files carry inline source maps (jsii's tsconfig) naming src/*.ts: stack traces of users' synths go
 * there, so the package ships those sources.
 */
test('the package ships the sources its source maps point to', () => {
  const files = packedFiles();
  const sources = execFileSync('git', ['ls-files', 'src'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.ts'));
  expect(sources.length).toBeGreaterThan(0);
  expect(sources.filter((s) => !files.includes(s))).toEqual([]);
  expect(files.filter((f) => f.startsWith('test/') || f.startsWith('examples/'))).toEqual([]);

  // With lib/ compiled (`npx projen compile`), every source a map names is in the package.
  const compiled = files.filter((f) => f.startsWith('lib/') && f.endsWith('.js'));
  for (const file of compiled) {
    const map = /sourceMappingURL=data:application\/json;base64,(\S+)/.exec(fs.readFileSync(path.join(ROOT, file), 'utf8'));
    for (const source of map ? JSON.parse(Buffer.from(map[1], 'base64').toString('utf8')).sources as string[] : []) {
      expect(files).toContain(path.posix.normalize(path.posix.join(path.posix.dirname(file), source)));
    }
  }
});
