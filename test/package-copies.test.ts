import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DependencyLayer, ServerlessFunction } from '../src';
import { entry } from './helpers';

/**
 * A second copy of the library, with its own classes (and its own aws-cdk-lib): what an app gets when two versions of
 * cdk-lambda-kit are installed, one of them nested under a dependency. `instanceof` is false across copies.
 */
function otherCopy(): { layer: unknown; fn: unknown } {
  let made: { layer: unknown; fn: unknown } | undefined;
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const cdk = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const copy = require('../src') as typeof import('../src');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const stack = new cdk.Stack(new cdk.App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Other');
    made = {
      layer: new copy.DependencyLayer(stack, 'Layer', { dependencies: { zod: '4.1.12' } }),
      fn: new copy.ServerlessFunction(stack, 'Fn', { entry }),
    };
  });
  return made!;
}

describe('type checks across copies of the library (Symbol.for, never instanceof)', () => {
  const copy = otherCopy();
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Stack');

  test('DependencyLayer.isDependencyLayer is true for a layer of another copy, where instanceof is false', () => {
    expect(copy.layer instanceof DependencyLayer).toBe(false);
    expect(DependencyLayer.isDependencyLayer(copy.layer)).toBe(true);
    expect(DependencyLayer.isDependencyLayer(new DependencyLayer(stack, 'Layer', { dependencies: { zod: '4.1.12' } }))).toBe(true);
  });

  test('ServerlessFunction.isServerlessFunction is true for a function of another copy, where instanceof is false', () => {
    expect(copy.fn instanceof ServerlessFunction).toBe(false);
    expect(ServerlessFunction.isServerlessFunction(copy.fn)).toBe(true);
    expect(ServerlessFunction.isServerlessFunction(new ServerlessFunction(stack, 'Fn', { entry }))).toBe(true);
  });

  test('both are false for anything else', () => {
    const plainLayer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Plain', 'arn:aws:lambda:us-east-1:123456789012:layer:plain:1');
    const plainFunction = new lambda.Function(stack, 'PlainFn', { code: lambda.Code.fromInline('x'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
    expect([plainLayer, plainFunction, copy.layer, undefined, null, 'ServerlessFunction', {}].some((x) => ServerlessFunction.isServerlessFunction(x))).toBe(false);
    expect([plainLayer, plainFunction, copy.fn, undefined, null, {}].some((x) => DependencyLayer.isDependencyLayer(x))).toBe(false);
  });
});
