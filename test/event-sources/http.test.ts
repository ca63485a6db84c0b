import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { LambdaTarget } from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import { LoadBalancerTarget } from '../../src';
import { unbundledFunction } from '../helpers';

/**
 * The README's HTTP section, as tests: API Gateway REST and HTTP APIs take `fn.alias` in aws-cdk-lib's own
 * integrations; an Application Load Balancer takes `new LoadBalancerTarget(fn)`. Each permission is on the alias and
 * scoped to its invoker.
 */


function setup() {
  const { stack, fn } = unbundledFunction({}, 'Api');
  const aliasRef = { Ref: stack.getLogicalId(fn.alias.node.defaultChild as any) };
  return { stack, fn, aliasRef };
}

const permissions = (stack: Stack) => Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Permission')).map((p) => p.Properties);

describe('HTTP', () => {
  test('API Gateway REST API: LambdaIntegration(fn.alias) invokes the alias, permission scoped to the method of the API', () => {
    const { stack, fn, aliasRef } = setup();
    const api = new apigw.RestApi(stack, 'Rest');
    api.root.addResource('orders').addMethod('POST', new apigw.LambdaIntegration(fn.alias));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      Integration: Match.objectLike({ Type: 'AWS_PROXY', Uri: { 'Fn::Join': ['', Match.arrayWith([aliasRef])] } }),
    });
    const restApiId = { Ref: stack.getLogicalId(api.node.defaultChild as any) };
    const own = permissions(stack).filter((p) => p.Principal === 'apigateway.amazonaws.com');
    expect(own.length).toBeGreaterThan(0);
    for (const p of own) {
      expect(p.FunctionName).toEqual(aliasRef);
      const sourceArn = JSON.stringify(p.SourceArn);
      expect(sourceArn).toContain(JSON.stringify(restApiId));
      expect(sourceArn).toContain('/POST/orders');
    }
  });

  test('API Gateway HTTP API: HttpLambdaIntegration with fn.alias invokes the alias, permission scoped to the route of the API', () => {
    const { stack, fn, aliasRef } = setup();
    const api = new apigwv2.HttpApi(stack, 'Http');
    api.addRoutes({ path: '/orders', methods: [apigwv2.HttpMethod.POST], integration: new HttpLambdaIntegration('Orders', fn.alias) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', IntegrationUri: aliasRef, PayloadFormatVersion: '2.0' });
    const own = permissions(stack).filter((p) => p.Principal === 'apigateway.amazonaws.com');
    expect(own).toHaveLength(1);
    expect(own[0].FunctionName).toEqual(aliasRef);
    expect(JSON.stringify(own[0].SourceArn)).toContain(JSON.stringify({ Ref: stack.getLogicalId(api.node.defaultChild as any) }));
    expect(JSON.stringify(own[0].SourceArn)).toContain('/*/*/orders');
  });

  test('Application Load Balancer: LoadBalancerTarget(fn) registers the alias, permission scoped to this account\'s target groups and made first', () => {
    const { stack, fn, aliasRef } = setup();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
    const listener = alb.addListener('Http', { port: 80 });
    const group = listener.addTargets('Orders', { targets: [new LoadBalancerTarget(fn)] });
    const template = Template.fromStack(stack);
    const groupId = stack.getLogicalId(group.node.defaultChild as any);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'lambda', Targets: [{ Id: aliasRef }] });
    const own = permissions(stack).filter((p) => p.Principal === 'elasticloadbalancing.amazonaws.com');
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({
      FunctionName: aliasRef,
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticloadbalancing:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':targetgroup/*']] },
    });
    const [permissionId] = Object.entries<any>(template.findResources('AWS::Lambda::Permission')).find(([, p]) => p.Properties.Principal === 'elasticloadbalancing.amazonaws.com')!;
    expect(template.toJSON().Resources[groupId].DependsOn).toContain(permissionId);
  });

  test('aws-cdk-lib\'s LambdaTarget, for comparison, grants the load balancer service with no source at all', () => {
    const { stack, fn } = setup();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const listener = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc }).addListener('Http', { port: 80 });
    listener.addTargets('Orders', { targets: [new LambdaTarget(fn.alias)] });
    const own = permissions(stack).filter((p) => p.Principal === 'elasticloadbalancing.amazonaws.com');
    expect(own[0].SourceArn).toBeUndefined();
    expect(own[0].SourceAccount).toBeUndefined();
  });
});
