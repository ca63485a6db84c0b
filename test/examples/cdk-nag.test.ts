import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const apps = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'cdk.json'))).sort();
/** An example's app file: `app.ts`, or `bin/app.ts` as `cdk init` lays a project out (examples/starter). */
const appFile = (name: string) => [path.join(EXAMPLES, name, 'app.ts'), path.join(EXAMPLES, name, 'bin', 'app.ts')].find((f) => fs.existsSync(f))!;

/**
 * Every example, as written (default props unless the example is about a prop) and under its cdk.json, checked with cdk-nag 3's
 * AwsSolutions and Serverless packs through `validateScope` after synthesis. Bundling is skipped: the packs read
 * the construct tree, not the code.
 */
describe.each(apps)('examples/%s', (name) => {
  test('has no AwsSolutions or Serverless findings', () => {
    // The context the CDK CLI would pass: the example's cdk.json (cdk init's feature flags), bundling skipped.
    const context = JSON.parse(fs.readFileSync(path.join(EXAMPLES, name, 'cdk.json'), 'utf8')).context ?? {};
    const result = spawnSync(process.execPath, [TSX, '--tsconfig', path.join(EXAMPLES, 'tsconfig.json'), path.join(__dirname, '..', 'harness', 'nag-app.ts'), appFile(name)], {
      cwd: path.join(EXAMPLES, name),
      encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ ...context, 'aws:cdk:bundling-stacks': [] }), CDK_OUTDIR: fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-nag-')) },
    });
    if (result.status !== 0) {
      throw new Error(`examples/${name} failed:\n${result.stdout}\n${result.stderr}`);
    }
    const findings: Record<string, string[]> = JSON.parse(result.stdout.trim().split('\n').pop()!);
    expect(Object.keys(findings).length).toBeGreaterThan(0);
    expect(findings).toEqual(Object.fromEntries(Object.keys(findings).map((stack) => [stack, []])));
  });
});

test('examples/production-service: the VPC function roles have no logs action on `*`', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-nag-'));
  const result = spawnSync(process.execPath, [TSX, '--tsconfig', path.join(EXAMPLES, 'tsconfig.json'), path.join(__dirname, '..', 'harness', 'nag-app.ts'), path.join(EXAMPLES, 'production-service', 'app.ts')], {
    cwd: path.join(EXAMPLES, 'production-service'),
    encoding: 'utf8',
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [] }), CDK_OUTDIR: outdir },
  });
  expect(result.status).toBe(0);
  const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).map((f) => JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')));
  expect(templates.length).toBeGreaterThan(0);
  const resources = templates.flatMap((t) => Object.values<any>(t.Resources ?? {}));
  const statements = resources.filter((r) => r.Type === 'AWS::IAM::Policy').flatMap((p) => p.Properties.PolicyDocument.Statement);
  const logsOnEverything = statements.filter((s: any) => [].concat(s.Action).some((a: string) => a.startsWith('logs:')) && [].concat(s.Resource).includes('*' as never));
  expect(logsOnEverything).toEqual([]);
  const managed = JSON.stringify(resources.filter((r) => r.Type === 'AWS::IAM::Role').map((r) => r.Properties.ManagedPolicyArns ?? []));
  expect(managed).toContain('AWSLambdaENIManagementAccess');
  expect(managed).not.toContain('AWSLambdaVPCAccessExecutionRole');
});
