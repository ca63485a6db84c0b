import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * `test:unit` and `test:integration` (.projenrc.ts) split the suites `npm test` runs: every suite in exactly one of
 * them, and each task's arguments are ones the installed jest accepts.
 */

const REPO = path.join(__dirname, '..');
const tasks = JSON.parse(fs.readFileSync(path.join(REPO, '.projen', 'tasks.json'), 'utf8')).tasks;

/** The suites a jest command line of a task would run (`jest --listTests` with the task's arguments). */
function suitesOf(exec: string): string[] {
  const args = [...exec.replace(/^jest\b/, '').matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
  const out = execFileSync(process.execPath, [require.resolve('jest/bin/jest'), '--listTests', ...args], { cwd: REPO, encoding: 'utf8' });
  return out.split('\n').filter((line) => line.endsWith('.ts')).map((file) => path.relative(REPO, file)).sort();
}

test('test:unit and test:integration each run a part of the suites, together all of them, none in both', () => {
  const all = suitesOf('');
  const unit = suitesOf(tasks['test:unit'].steps[0].exec);
  const integration = suitesOf(tasks['test:integration'].steps[0].exec);
  expect(unit.length).toBeGreaterThan(0);
  expect(integration.length).toBeGreaterThan(0);
  expect(unit.filter((s) => integration.includes(s))).toEqual([]);
  expect([...unit, ...integration].sort()).toEqual(all);
  expect(integration).toContain('test/testing/runtime-client.test.ts');
  expect(unit).toContain('test/layout.test.ts');
});

test('only test:unit turns CloudFormation schema validation off (test/setup.ts): npm test validates every synth', () => {
  expect(tasks['test:unit'].env).toEqual({ LAMBDA_KIT_TEST_TASK: 'unit' });
  expect(tasks.test.env?.LAMBDA_KIT_TEST_TASK).toBeUndefined();
  expect(tasks['test:integration'].env?.LAMBDA_KIT_TEST_TASK).toBeUndefined();
});
