/**
 * Runs an example app (a CDK app file that creates its own `App` and calls `synth()`) and checks every stack of it
 * with cdk-nag 3's AwsSolutions and Serverless packs, after synthesis, so that aspects have run and the tree is the
 * one that is deployed. Prints one JSON line: `{ "<stack path>": ["<rule id> <construct path>: <message>", ...] }`.
 *
 * Usage: tsx --tsconfig examples/tsconfig.json test/harness/nag-app.ts examples/<name>/app.ts
 */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

const appFile = path.resolve(process.argv[2]);
const findings: Record<string, string[]> = {};
const synth = App.prototype.synth;
App.prototype.synth = function nagAfterSynth(this: App, options) {
  const assembly = synth.call(this, options);
  for (const stack of this.node.findAll().filter((c): c is Stack => Stack.isStack(c))) {
    const violations = [new AwsSolutionsChecks(), new ServerlessChecks()]
      .flatMap((pack) => pack.validateScope(stack).violations)
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${(r as any).constructPath ?? r.resourceLogicalId}: ${v.description.split('\n')[0]}`));
    findings[stack.node.path] = violations;
  }
  return assembly;
};

void import(appFile).then(() => process.stdout.write(`${JSON.stringify(findings)}\n`));
