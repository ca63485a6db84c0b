import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The benchmark's quick mode (N=10, one run) as a smoke test: the generator, every side (ServerlessFunction,
 * NodejsFunction with its defaults and hand-wired, cdk-esbuild hand-wired) through the real CDK CLI, the floors, the
 * report and the chart all work. Timings are printed, never asserted: speed is the benchmark's business.
 */
test('the benchmark runs in quick mode and reports every side, measure and target', () => {
  const bench = path.join(__dirname, '..', '..', 'benchmarks');
  const result = spawnSync(process.execPath, [path.join(bench, 'run.mjs'), '--quick'], {
    encoding: 'utf8',
    // About 3 minutes on an idle 2-core machine; 10 on one shared with other suites (a CI run beside three test runs
    // hit the former limit of 10 minutes in the fourth side).
    timeout: 1_200_000,
  });
  if (result.status !== 0) {
    const how = result.signal ? `was stopped by ${result.signal} after ${result.error ? 'its 20-minute limit' : 'a signal'}` : `failed (exit ${result.status})`;
    throw new Error(`benchmark ${how}:\n${result.stdout}\n${result.stderr}`);
  }
  const number = '[\\d.]+';
  for (const side of ['ServerlessFunction', 'NodejsFunction \\(defaults\\)', 'NodejsFunction, hand-wired', 'cdk-esbuild TypeScriptCode, hand-wired']) {
    // | N | side | runs | floor | cold | warm | one changed | peak RSS | raw / gzip |
    expect(result.stdout).toMatch(new RegExp(
      `\\| 10 \\| ${side} \\| 1 \\| ${number} s \\| ${number} s \\| ${number} s \\| ${number} s \\| ${number} MB \\| ${number} kB / ${number} kB \\|`));
  }
  // | N | bundler time | one plain esbuild pass | its CPU time (n/a without GNU time) | bundler ÷ plain |
  expect(result.stdout).toMatch(/\| 10 \| [\d.]+ s \| [\d.]+ s \| (?:[\d.]+ s|n\/a) \| [\d.]+× \|/);
  // Each run's ratio to its floor, and the bounds a bundler costing one plain esbuild pass would reach.
  expect(result.stdout).toMatch(/\| warm ÷ floor \| [\d.]+ \|/);
  for (const bound of ['cold ÷ floor, at least', 'cold, faster than cdk-esbuild, at most', 'warm, faster than hand-wired NodejsFunction, at most']) {
    expect(result.stdout).toMatch(new RegExp(`\\| ${bound} \\| [\\d.]+× \\|`));
  }
  for (const target of ['warm ÷ floor', 'cold, faster than cdk-esbuild', 'warm, faster than hand-wired NodejsFunction', 'our floor ÷ hand-wired NodejsFunction floor']) {
    expect(result.stdout).toMatch(new RegExp(`\\| ${target}[^|]* \\| [≤≥] [\\d.]+× \\| [\\d.]+× (met|\\*\\*missed\\*\\*) \\|`));
  }
  const svg = fs.readFileSync(path.join(bench, '.work', 'chart.svg'), 'utf8');
  expect(svg).toMatch(/^<svg /);
  // Every side: cold, warm and floor lines.
  expect(svg.match(/<polyline /g)).toHaveLength(12);
}, 1_300_000);
