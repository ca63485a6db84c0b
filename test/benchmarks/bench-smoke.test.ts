import { spawnSync } from 'child_process';
import * as path from 'path';

/**
 * The benchmark's quick mode (N=10, one run) as a smoke test: the generator, both variants through the real CDK CLI,
 * and the report all work. Timings are printed, never asserted: speed is the benchmark's business.
 */
test('the benchmark runs in quick mode and reports every measure', () => {
  const result = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'benchmarks', 'run.mjs'), '--quick'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (result.status !== 0) {
    throw new Error(`benchmark failed:\n${result.stdout}\n${result.stderr}`);
  }
  for (const measure of ['cold synth', 'warm synth', 'one handler changed', 'bundles, raw', 'bundles, gzip', 'peak RSS']) {
    expect(result.stdout).toMatch(new RegExp(`\\| 10 \\| ${measure}[^|]* \\| [\\d.]+ (s|kB|MB) \\| [\\d.]+ (s|kB|MB) \\|`));
  }
  expect(result.stdout).toMatch(/\| 10 \| [\d.]+ s \| [\d.]+× \| [\d.]+ s \| [\d.]+ s \| [\d.]+× \|/);
}, 300_000);
