import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The cold-start benchmark's quick mode (one repetition) as a smoke test: the 8 handlers built by every side
 * (ServerlessFunction, NodejsFunction with its defaults and tuned, cdk-esbuild's defaults), each started in the
 * official runtime client on Node.js 24 and invoked (the benchmark fails on a wrong answer), the report and the chart.
 * Timings are printed, never asserted: speed is the benchmark's business.
 */
test('the cold-start benchmark runs in quick mode and reports every handler on every side', () => {
  const bench = path.join(__dirname, '..', '..', 'benchmarks');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-coldstart-'));
  const result = spawnSync(process.execPath, [path.join(bench, 'coldstart.mjs'), '--quick', '--out', out], { encoding: 'utf8', timeout: 900_000 });
  if (result.status !== 0) {
    throw new Error(`cold-start benchmark failed:\n${result.stdout}\n${result.stderr}`);
  }
  const cell = '[\\d.]+ ms CPU, [\\d.]+ ms wall; [\\d.]+ k?B \\([\\d.]+ k?B zip\\)';
  for (const handler of ['hello world', "DynamoDB CRUD, runtime's SDK", 'DynamoDB CRUD, SDK bundled', 'Powertools \\+ middy', 'express \\+ serverless-http',
    'zod \\+ date-fns \\+ lodash-es', 'Apollo GraphQL server', 'S3 \\+ SQS \\+ SNS, SDK bundled']) {
    expect(result.stdout).toMatch(new RegExp(`\\| ${handler} \\| ${cell} \\| ${cell} \\| ${cell} \\| ${cell} \\| [\\d.]+× \\| [\\d.]+× \\|`));
  }
  expect(result.stdout).toMatch(/geometric mean of the 8 handlers' ratios: \*\*[\d.]+×\*\*/);
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'coldstart.json'), 'utf8'));
  expect(summary.node).toMatch(/^v24\./);
  expect(summary.rows).toHaveLength(8);
  const svg = fs.readFileSync(path.join(out, 'cold-start.svg'), 'utf8');
  expect(svg).toMatch(/^<svg /);
  expect(svg.match(/<rect /g)).toHaveLength(8 * 4 + 4);
}, 900_000);
