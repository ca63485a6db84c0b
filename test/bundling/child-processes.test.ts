import * as fs from 'fs';
import * as path from 'path';
import { ServerlessFunction } from '../../src';
import { captureSummary, makeApp, makeProject } from '../helpers';

/**
 * The children of this process, with their state letter from /proc/<pid>/stat (`Z`: exited, never reaped: a
 * `<defunct>` entry in `ps`). Every thread's children count: a child spawned from a worker thread has the process as
 * its parent too.
 */
function children(): Array<{ pid: number; state: string; name: string }> {
  const out: Array<{ pid: number; state: string; name: string }> = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    let stat: string;
    try {
      stat = fs.readFileSync(path.join('/proc', entry, 'stat'), 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so split after its last `)`.
    const close = stat.lastIndexOf(')');
    const [state, ppid] = stat.slice(close + 2).split(' ');
    if (Number(ppid) === process.pid) {
      out.push({ pid: Number(entry), state, name: stat.slice(stat.indexOf('(') + 1, close) });
    }
  }
  return out;
}

const onLinux = process.platform === 'linux' ? test : test.skip;

describe('child processes', () => {
  onLinux('10 apps that bundle, synthesized in one process, leave no zombie process behind', () => {
    const root = makeProject({
      'src/a.ts': 'export const handler = async () => "a";\n',
      'src/b.ts': "import { x } from './x';\nexport const handler = async () => x;\n",
      'src/x.ts': 'export const x = "x";\n',
    });
    // Other test files run in this process before may have left their own children (each test file loads its own
    // copy of esbuild, with its own service): only those that appear during this test count.
    const before = new Set(children().map((c) => c.pid));
    for (let i = 0; i < 10; i++) {
      // A cache of its own each time: every app runs esbuild.
      const { app, stack } = makeApp();
      new ServerlessFunction(stack, 'A', { entry: path.join(root, 'src/a.ts') });
      new ServerlessFunction(stack, 'B', { entry: path.join(root, 'src/b.ts') });
      const [line] = captureSummary(() => app.synth());
      expect(line).toMatch(/2 bundles for 2 functions \(2 built, 0 from cache\)/);
    }
    const added = children().filter((c) => !before.has(c.pid));
    expect(added.filter((c) => c.state === 'Z')).toEqual([]);
    // esbuild's own service (one child, reused by every app) is all that runs.
    expect(added.length).toBeLessThanOrEqual(1);
  });
});
