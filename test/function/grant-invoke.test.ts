import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { unbundledFunction } from '../helpers';


/** The resources of the IAM statements of `role`'s policy that allow lambda:InvokeFunction. */
function invokeResources(template: Template, roleId: string): unknown[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId));
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement)
    .filter((st: any) => [].concat(st.Action).includes('lambda:InvokeFunction' as never))
    .flatMap((st: any) => [].concat(st.Resource));
}

describe('grantInvoke keeps aws-cdk-lib\'s grant (docs/alias-deployments-and-alarms.md)', () => {
  test('grants a role the function and every qualifier (so the alias), and does not warn', () => {
    // GIVEN
    const { stack, fn } = unbundledFunction();
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });

    // WHEN
    fn.grantInvoke(role);

    // THEN
    const functionArn = { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as any), 'Arn'] };
    expect(invokeResources(Template.fromStack(stack), 'Caller')).toEqual([functionArn, { 'Fn::Join': ['', [functionArn, ':*']] }]);
    Annotations.fromStack(stack).hasNoWarning('/Stack/Fn', Match.stringLikeRegexp('cdk-lambda-kit:invokedWithoutAlias'));
  });

  test('warns for a service principal: its resource permission is on the unqualified function', () => {
    const { stack, fn } = unbundledFunction();
    fn.grantInvoke(new iam.ServicePrincipal('events.amazonaws.com'));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as any), 'Arn'] },
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp('events\\.amazonaws\\.com.*\\$LATEST.*`fn\\.alias`'));
  });

  test('grantInvokeLatestVersion (the unqualified function only) warns that it bypasses the alias', () => {
    const { stack, fn } = unbundledFunction();
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    fn.grantInvokeLatestVersion(role);
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp('IAM policy Stack/Caller.*\\$LATEST'));
  });

  test('fn.alias.grantInvoke grants the alias only, without a warning', () => {
    const { stack, fn } = unbundledFunction();
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    fn.alias.grantInvoke(role);
    expect(invokeResources(Template.fromStack(stack), 'Caller')).toEqual([{ Ref: stack.getLogicalId(fn.alias.node.defaultChild as any) }]);
    Annotations.fromStack(stack).hasNoWarning('/Stack/Fn', Match.stringLikeRegexp('cdk-lambda-kit:invokedWithoutAlias'));
  });
});
