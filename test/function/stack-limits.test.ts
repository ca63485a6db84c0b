import { CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ServerlessFunction } from '../../src';
import { checkStackUsage } from '../../src/function/stack-limits';
import { entry, makeUnbundledApp } from '../helpers';


describe('CloudFormation stack limits', () => {
  test('a stack approaching 500 resources warns with how many more functions fit', () => {
    // GIVEN 45 functions with the defaults: 9 resources each
    const { app, stack } = makeUnbundledApp();
    for (let i = 0; i < 45; i++) {
      new ServerlessFunction(stack, `Fn${i}`, { entry });
    }

    // WHEN
    app.synth();

    // THEN 405 resources: 95 left, 10 more functions of 9
    Annotations.fromStack(stack).hasWarning('/Stack', Match.stringLikeRegexp(
      '^Stack has 405 of the 500 resources CloudFormation allows in one stack: at 9 resources a ServerlessFunction here, 10 more fit; split .*\\[ack: cdk-lambda-kit:stackResourceLimit\\]'));
  });

  test('a stack well under the limits does not warn', () => {
    const { app, stack } = makeUnbundledApp();
    for (let i = 0; i < 10; i++) {
      new ServerlessFunction(stack, `Fn${i}`, { entry });
    }
    app.synth();
    Annotations.fromStack(stack).hasNoWarning('/Stack', Match.stringLikeRegexp('cdk-lambda-kit:(stackResourceLimit|templateSizeLimit)'));
  });

  test('fails if the template is over 1 MB', () => {
    const { app, stack } = makeUnbundledApp();
    new ServerlessFunction(stack, 'Fn', { entry });
    new CfnResource(stack, 'Huge', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x'.repeat(1_100_000) } });
    expect(() => app.synth()).toThrow(/\[Stack\] the template of Stack must be at most 1 MB \(CloudFormation's limit\), got 10[78]\d KB: moving its 1 ServerlessFunctions \(about [4-9] KB each\) would not be enough: other resources must move too/);
  });

  test('a template approaching 1 MB warns', () => {
    const { app, stack } = makeUnbundledApp();
    new ServerlessFunction(stack, 'Fn', { entry });
    new CfnResource(stack, 'Large', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x'.repeat(900_000) } });
    app.synth();
    Annotations.fromStack(stack).hasWarning('/Stack', Match.stringLikeRegexp('^the template of Stack is about 88\\d KB of the 1 MB CloudFormation accepts.*\\[ack: cdk-lambda-kit:templateSizeLimit\\]'));
  });

  test('the error says how many functions must move when that is enough', () => {
    const { errors } = checkStackUsage('S', { resources: 300, templateBytes: 1024 * 1024 + 50 * 1024, functions: 30, resourcesPerFunction: 9, bytesPerFunction: 20 * 1024 });
    expect(errors).toEqual([expect.stringMatching(/^the template of S must be at most 1 MB \(CloudFormation's limit\), got 1074 KB: at about 20 KB a ServerlessFunction, 3 of its 30 must move to another stack;/)]);
  });

  test.each([
    ['at 399 resources, no warning', 399, 0],
    ['at 400 resources, a warning', 400, 1],
    ['at 500 resources, a warning that nothing more fits', 500, 1],
  ])('%s', (_name, resources, count) => {
    const { warnings } = checkStackUsage('S', { resources, templateBytes: 1000, functions: 40, resourcesPerFunction: 9, bytesPerFunction: 20 });
    expect(warnings).toHaveLength(count);
    if (resources === 500) {
      expect(warnings[0].message).toMatch(/, 0 more fit;/);
    }
  });
});

describe('CloudFormation stack limits in a Stage', () => {
  test('the template a stage writes is sized too', () => {
    // GIVEN a stack in a Stage (its template is written into the stage's nested assembly)
    const { app } = makeUnbundledApp();
    const stage = new Stage(app, 'Prod');
    const stack = new Stack(stage, 'Service');
    new ServerlessFunction(stack, 'Fn', { entry });
    new CfnResource(stack, 'Large', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x'.repeat(900_000) } });

    // WHEN
    app.synth();

    // THEN
    Annotations.fromStack(stack).hasWarning('/Prod/Service', Match.stringLikeRegexp('^the template of Prod/Service is about 88\\d KB of the 1 MB CloudFormation accepts'));
  });
});
