import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ServerlessFunction } from '../../src';
import { entry, makeUnbundledApp } from '../helpers';


describe('a VPC function\'s role', () => {
  test('gets only the ENI management actions and write access to its own log group (no logs:* on every log group)', () => {
    const { stack } = makeUnbundledApp();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    new ServerlessFunction(stack, 'Orders', { entry, vpc });
    const template = Template.fromStack(stack);
    const roles = Object.values(template.findResources('AWS::IAM::Role')).filter((r: any) => JSON.stringify(r).includes('lambda.amazonaws.com'));
    const managed = JSON.stringify(roles.map((r: any) => r.Properties.ManagedPolicyArns));
    expect(managed).toContain('service-role/AWSLambdaENIManagementAccess');
    expect(managed).not.toContain('AWSLambdaVPCAccessExecutionRole');
    expect(managed).not.toContain('AWSLambdaBasicExecutionRole');
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const logsOnEverything = statements.filter((s: any) => JSON.stringify(s.Action).includes('logs:') && [].concat(s.Resource).includes('*' as never));
    expect(logsOnEverything).toEqual([]);
    expect(JSON.stringify(statements)).toContain('logs:PutLogEvents');
  });
});
