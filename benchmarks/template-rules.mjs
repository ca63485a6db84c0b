// What CloudFormation's rules as errors (src/core/template-rules.ts) cost a synth, side by side:
//   on  — as shipped: the library asks aws-cdk-lib's validator for each stack's report when the template is written,
//         and aws-cdk-lib's own run reuses it;
//   off — the library's hook not installed: aws-cdk-lib validates the templates alone (warnings).
// Each run is a fresh Node.js process (the validator's engine is built once a process), the sides alternate, and
// the CPU time (user + system) of `app.synth()` is measured with process.cpuUsage(), with the number of times the
// validator ran. Bundling is skipped (`aws:cdk:bundling-stacks: []`): what is measured is synth and validation.
//
//   node benchmarks/template-rules.mjs [--n 100] [--stacks 4] [--runs 5]      (needs `npx projen compile` first: lib/)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import * as os from 'node:os';
import * as fs from 'node:fs';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

if (process.argv[2] === '--child') {
  const [, , , side, n, stacks] = process.argv;
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const cdk = require('aws-cdk-lib');
  const sqs = require('aws-cdk-lib/aws-sqs');
  const { SqsSource, ServerlessFunction } = require(path.join(here, '..', 'lib'));
  const entry = path.join(here, '..', 'test', 'fixtures', 'handlers', 'hello.ts');
  const plugin = cdk.CloudFormationValidatePlugin._singletonInstance();
  const proto = Object.getPrototypeOf(plugin);
  let validations = 0;
  const original = proto.validate;
  proto.validate = function (...a) {
    validations += a[0].stackTemplates.length;
    return original.apply(this, a);
  };
  const app = new cdk.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'rules-bench-')), context: { 'aws:cdk:bundling-stacks': [] } });
  for (let s = 0; s < Number(stacks); s++) {
    const stack = new cdk.Stack(app, `Stack${s}`);
    if (side === 'off') {
      stack[Symbol.for('cdk-lambda-kit.templateRules.watched')] = true;
    }
    for (let i = 0; i < Number(n) / Number(stacks); i++) {
      const fn = new ServerlessFunction(stack, `Fn${i}`, { entry });
      fn.addEventSource(new SqsSource(new sqs.Queue(stack, `Queue${i}`, { visibilityTimeout: cdk.Duration.minutes(5) })));
    }
  }
  const before = process.cpuUsage();
  const wall = performance.now();
  app.synth();
  const cpu = process.cpuUsage(before);
  process.stdout.write(JSON.stringify({ side, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - wall, validations }));
  process.exit(0);
}

const n = arg('n', '100');
const stacks = arg('stacks', '4');
const runs = Number(arg('runs', '5'));
const results = { on: [], off: [] };
for (let r = 0; r < runs; r++) {
  for (const side of r % 2 === 0 ? ['on', 'off'] : ['off', 'on']) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', side, n, stacks], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const result = JSON.parse(out);
    results[side].push(result);
    console.log(`run ${r + 1} ${side}: CPU ${result.cpuMs.toFixed(0)} ms, wall ${result.wallMs.toFixed(0)} ms, templates validated ${result.validations}`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const side of ['on', 'off']) {
  console.log(`${side}: median CPU ${median(results[side].map((x) => x.cpuMs)).toFixed(0)} ms, median wall ${median(results[side].map((x) => x.wallMs)).toFixed(0)} ms`);
}
const ratios = results.on.map((x, i) => x.cpuMs / results.off[i].cpuMs);
console.log(`CPU on/off per run: ${ratios.map((x) => x.toFixed(3)).join(', ')}; median ${median(ratios).toFixed(3)}`);
