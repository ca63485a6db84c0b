import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ServerlessFunction } from '../../src';
import { makeProject, makeUnbundledApp, unbundledFunction } from '../helpers';

const root = makeProject({ 'src/a.ts': 'export const handler = async () => 1;\n' });
const entry = path.join(root, 'src/a.ts');

describe('ServerlessFunction', () => {
  test('defaults: handler export "handler", newest Node.js runtime, arm64', () => {
    const { stack, fn } = unbundledFunction({ entry });
    expect(fn.handlerExport).toEqual('handler');
    expect(fn.entry).toEqual(entry);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
    });
  });

  test('user-supplied handler, runtime and architecture are used; other Function options pass through', () => {
    const { stack } = makeUnbundledApp();
    new ServerlessFunction(stack, 'Fn', {
      entry,
      handler: 'main',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      description: 'passes through',
      environment: { STAGE: 'prod' },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.main',
      Runtime: 'nodejs22.x',
      Architectures: ['x86_64'],
      Description: 'passes through',
      Environment: { Variables: { STAGE: 'prod' } },
    });
  });

  test('fails if the entry is missing, naming the construct path and the path', () => {
    const { stack } = makeUnbundledApp();
    expect(() => new ServerlessFunction(stack, 'Fn', { entry: 'src/missing.ts' }))
      .toThrow(/^Stack\/Fn: `entry` must be an existing file, got src\/missing.ts \(resolved to .*src\/missing.ts, which does not exist\)$/);
  });

  test('fails with all problems of the construct together', () => {
    const { stack } = makeUnbundledApp();
    expect(() => new ServerlessFunction(stack, 'Fn', { entry: 'src/missing.ts', handler: 'a.b', runtime: lambda.Runtime.PYTHON_3_13 }))
      .toThrow(/^Stack\/Fn: 3 problems:\n {2}- `handler` must be .*\n {2}- `entry` must be .*\n {2}- `runtime` must be a Node.js runtime \(nodejs18.x or later\), got python3.13$/);
  });
});
