import { Duration, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as elbtargets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventtargets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Deployment, ServerlessFunction } from '../../src';
import { entry, makeUnbundledApp, unbundledFunction } from '../helpers';


type Invoker = (stack: Stack, target: lambda.IFunction) => void;

const invokers: Array<[string, Invoker, RegExp]> = [
  ['API Gateway LambdaIntegration', (s, t) => new apigateway.LambdaRestApi(s, 'Api', { handler: t }), /apigateway\.amazonaws\.com/],
  ['an ALB target', (s, t) => {
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const alb = new elbv2.ApplicationLoadBalancer(s, 'Alb', { vpc });
    alb.addListener('Http', { port: 80 }).addTargets('Fn', { targets: [new elbtargets.LambdaTarget(t)] });
  }, /elasticloadbalancing\.amazonaws\.com/],
  ['a Step Functions LambdaInvoke', (s, t) => new sfn.StateMachine(s, 'Machine', {
    definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(s, 'Invoke', { lambdaFunction: t })),
  }), /IAM policy Stack\/Machine\/Role\/DefaultPolicy/],
  ['an EventBridge rule target', (s, t) => new events.Rule(s, 'Nightly', {
    schedule: events.Schedule.rate(Duration.days(1)),
    targets: [new eventtargets.LambdaFunction(t)],
  }), /events\.amazonaws\.com/],
  ['an SNS subscription', (s, t) => new sns.Topic(s, 'Topic').addSubscription(new subscriptions.LambdaSubscription(t)), /sns\.amazonaws\.com/],
];

describe('invokers that bypass the alias', () => {
  test.each(invokers)('warns when %s invokes the function itself, naming the invoker and the fix', (_name, invoke, invoker) => {
    const { stack, fn } = unbundledFunction();
    invoke(stack, fn);
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Fn', Match.stringLikeRegexp('cdk-lambda-kit:invokedWithoutAlias'));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    const text = warnings.map((w) => String(w.entry.data)).join('\n');
    expect(text).toMatch(invoker);
    expect(text).toMatch(/\$LATEST.*`fn\.alias`/s);
  });

  test.each(invokers)('does not warn when %s invokes the alias', (_name, invoke) => {
    const { stack, fn } = unbundledFunction();
    invoke(stack, fn.alias);
    Annotations.fromStack(stack).hasNoWarning('/Stack/Fn', Match.stringLikeRegexp('cdk-lambda-kit:invokedWithoutAlias'));
  });
});

describe('invokers across environments', () => {
  test('functions in stages of other accounts are never resolved across them (synth does not fail)', () => {
    // GIVEN one service Stage for two accounts, each function invoked by EventBridge
    const { app } = makeUnbundledApp();
    const stacks: Stack[] = [];
    for (const [name, account] of [['Dev', '111111111111'], ['Prod', '222222222222']]) {
      const stack = new Stack(new Stage(app, name, { env: { account, region: 'eu-west-1' } }), 'Service');
      const fn = new ServerlessFunction(stack, 'Api', { entry });
      new events.Rule(stack, 'Nightly', { schedule: events.Schedule.rate(Duration.days(1)), targets: [new eventtargets.LambdaFunction(fn)] });
      stacks.push(stack);
    }

    // WHEN
    app.synth();

    // THEN each stage's function is warned about its own rule only
    for (const stack of stacks) {
      const warnings = Annotations.fromStack(stack).findWarning(`/${stack.node.path}/Api`, Match.stringLikeRegexp('cdk-lambda-kit:invokedWithoutAlias'));
      expect(warnings.map((w) => String(w.entry.data))).toEqual([expect.stringContaining(`${stack.node.path}/Nightly`)]);
    }
  });
});

describe('the alarms see every invocation', () => {
  test('errors, throttles and duration alarms watch the function (every qualifier), not only the alias', () => {
    const { stack } = makeUnbundledApp();
    new ServerlessFunction(stack, 'Fn', { entry });
    const template = Template.fromStack(stack);
    for (const metric of ['Errors', 'Throttles', 'Duration']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: metric, Dimensions: [{ Name: 'FunctionName', Value: Match.anyValue() }] });
    }
  });

  test('the deployment rolls back on errors of the new version through the alias', () => {
    const { stack } = makeUnbundledApp();
    new ServerlessFunction(stack, 'Fn', { entry, deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(5) }) });
    const template = Template.fromStack(stack);
    const [alarmId] = Object.entries<any>(template.findResources('AWS::CloudWatch::Alarm')).find(([, a]) =>
      JSON.stringify(a.Properties.Dimensions ?? []).includes('ExecutedVersion'))!;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: Match.arrayWith([
        { Name: 'ExecutedVersion', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnCurrentVersion'), 'Version'] } },
        { Name: 'Resource', Value: Match.anyValue() },
      ]),
    });
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', { AlarmConfiguration: { Alarms: [{ Name: { Ref: alarmId } }], Enabled: true } });
  });
});
