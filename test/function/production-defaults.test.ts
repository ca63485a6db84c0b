import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Deployment, ProvisionedConcurrency, ServerlessFunction, ServerlessFunctionProps } from '../../src';
import { entry, makeUnbundledApp, unbundledFunction } from '../helpers';


function make(props: Partial<ServerlessFunctionProps> = {}): { stack: Stack; fn: ServerlessFunction; template: () => Template } {
  const { stack, fn } = unbundledFunction(props, 'Orders');
  return { stack, fn, template: () => Template.fromStack(stack) };
}

function aliasLogicalId(stack: Stack, fn: ServerlessFunction): string {
  return stack.getLogicalId(fn.alias.node.defaultChild as lambda.CfnAlias);
}

describe('production defaults', () => {
  test('explicit memory and timeout, arm64, newest Node.js, active tracing, JSON logs with levels', () => {
    make().template().hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Timeout: 30,
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO', LogGroup: { Ref: Match.stringLikeRegexp('^OrdersLogGroup') } },
    });
  });

  test('user-supplied memory, timeout, tracing and log levels are used', () => {
    make({
      memorySize: 256,
      timeout: Duration.seconds(5),
      tracing: lambda.Tracing.PASS_THROUGH,
      applicationLogLevelV2: lambda.ApplicationLogLevel.DEBUG,
    }).template().hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 256,
      Timeout: 5,
      TracingConfig: { Mode: 'PassThrough' },
      LoggingConfig: { ApplicationLogLevel: 'DEBUG' },
    });
  });

  test('text logs get no log levels', () => {
    make({ loggingFormat: lambda.LoggingFormat.TEXT }).template().hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogFormat: 'Text', ApplicationLogLevel: Match.absent(), SystemLogLevel: Match.absent() },
    });
  });

  test('a log group with one month of retention is created by default, and is the function\'s logGroup', () => {
    const { fn, template } = make();
    template().hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template().resourceCountIs('Custom::LogRetention', 0);
    expect(fn.logGroup.node.path).toEqual('Stack/Orders/LogGroup');
  });

  test('logGroupRetention sets the retention', () => {
    make({ logGroupRetention: logs.RetentionDays.ONE_YEAR }).template().hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('a user-supplied log group is used, and none is created', () => {
    const { stack } = makeUnbundledApp();
    const logGroup = new logs.LogGroup(stack, 'Mine', { retention: logs.RetentionDays.ONE_WEEK });
    const fn = new ServerlessFunction(stack, 'Orders', { entry, logGroup });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^Mine') } } });
    expect(fn.logGroup).toBe(logGroup);
  });

  test('a version is published behind the alias "live"', () => {
    const { stack, fn, template } = make();
    template().hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionVersion: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersCurrentVersion'), 'Version'] },
    });
    template().resourceCountIs('AWS::Lambda::Version', 1);
    expect(fn.alias.aliasName).toEqual('live');
    expect(aliasLogicalId(stack, fn)).toMatch(/^OrdersLiveAlias/);
  });

  test('a user-supplied alias name is used', () => {
    make({ aliasName: 'prod' }).template().hasResourceProperties('AWS::Lambda::Alias', { Name: 'prod' });
  });

  test('alarms on errors, throttles and p99 duration near the timeout are created by default', () => {
    const { fn, template } = make();
    template().resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Threshold: 1,
      Period: 60,
      Statistic: 'Sum',
      // every qualifier: the function-level metric, not the alias' (Resource) one
      Dimensions: [{ Name: 'FunctionName', Value: Match.anyValue() }],
    });
    template().hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', Threshold: 1 });
    template().hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: 27000 });
    expect(fn.alarms!.all).toHaveLength(3);
  });
});

describe('invokers go through the alias', () => {
  test('event sources added with addEventSource or `events` invoke the alias', () => {
    const { stack } = makeUnbundledApp();
    const queue = new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.minutes(5) });
    const fn = new ServerlessFunction(stack, 'Orders', { entry, events: [new SqsEventSource(queue)] });
    fn.addEventSource(new SqsEventSource(new sqs.Queue(stack, 'Other', { visibilityTimeout: Duration.minutes(5) })));
    const template = Template.fromStack(stack);
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(2);
    for (const mapping of mappings) {
      expect(JSON.stringify(mapping.Properties.FunctionName)).toContain(`"Ref":"${aliasLogicalId(stack, fn)}"`);
    }
  });

  test('a function URL is created on the alias with AWS_IAM auth by default', () => {
    const { stack, fn, template } = make({ functionUrl: {} });
    template().hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      Qualifier: 'live',
      TargetFunctionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Orders[0-9A-F]'), 'Arn'] },
    });
    expect(fn.url).toBeDefined();
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('publicFunctionUrl'));
  });

  test('a public function URL is allowed when asked, with a warning', () => {
    const { stack, template } = make({ functionUrl: { authType: lambda.FunctionUrlAuthType.NONE, cors: { allowedOrigins: ['*'], allowCredentials: true } } });
    template().hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', Qualifier: 'live' });
    Annotations.fromStack(stack).hasWarning('/Stack/Orders', Match.stringLikeRegexp('anyone on the internet.*\\[ack: cdk-lambda-kit:publicFunctionUrl\\]'));
    Annotations.fromStack(stack).hasWarning('/Stack/Orders', Match.stringLikeRegexp('\\[ack: cdk-lambda-kit:corsCredentialsWithAnyOrigin\\]'));
  });

  test('grants to invokers cover the alias', () => {
    const { stack, fn } = make();
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    fn.grantInvoke(role);
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('Caller'));
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain(':*');
  });
});

describe('concurrency', () => {
  test('reservedConcurrentExecutions passes through', () => {
    make({ reservedConcurrentExecutions: 50 }).template().hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 50 });
  });

  test('fixed provisioned concurrency is set on the alias, with a spillover alarm', () => {
    const { template } = make({ provisionedConcurrency: ProvisionedConcurrency.fixed(5) });
    template().hasResourceProperties('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 5 } });
    template().resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    template().hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ProvisionedConcurrencySpilloverInvocations' });
  });

  test('autoscaled provisioned concurrency is owned by Application Auto Scaling alone, with schedules', () => {
    const { template } = make({
      provisionedConcurrency: ProvisionedConcurrency.autoscaled({
        minCapacity: 2,
        maxCapacity: 20,
        schedules: [
          { name: 'WeekdayMorning', schedule: appscaling.Schedule.cron({ weekDay: 'MON-FRI', hour: '8', minute: '0' }), minCapacity: 10 },
          { name: 'Evening', schedule: appscaling.Schedule.cron({ hour: '20', minute: '0' }), minCapacity: 2 },
        ],
      }),
    });
    template().hasResourceProperties('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: Match.absent() });
    template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 20,
      ScalableDimension: 'lambda:function:ProvisionedConcurrency',
      ScheduledActions: [
        Match.objectLike({ ScheduledActionName: 'WeekdayMorning', Schedule: 'cron(0 8 ? * MON-FRI *)', ScalableTargetAction: { MinCapacity: 10 } }),
        Match.objectLike({ ScheduledActionName: 'Evening', ScalableTargetAction: { MinCapacity: 2 } }),
      ],
    });
    template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 0.7 }),
    });
  });
});

describe('safe deployments', () => {
  test('a canary matching a predefined configuration uses it, rolls back on the errors alarm of the new version', () => {
    const { template } = make({ deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(5) }) });
    template().hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      AlarmConfiguration: { Enabled: true, Alarms: [{ Name: { Ref: Match.stringLikeRegexp('^OrdersAlarmsNewVersionErrors') } }] },
      AutoRollbackConfiguration: { Enabled: true, Events: Match.arrayWith(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']) },
    });
    template().hasResource('AWS::Lambda::Alias', { UpdatePolicy: { CodeDeployLambdaAliasUpdate: Match.anyValue() } });
    template().resourceCountIs('AWS::CodeDeploy::Application', 1);
  });

  test('a custom canary or linear creates its own configuration', () => {
    make({ deployment: Deployment.canary({ percentage: 20, interval: Duration.minutes(7) }) }).template()
      .hasResourceProperties('AWS::CodeDeploy::DeploymentConfig', {
        ComputePlatform: 'Lambda',
        TrafficRoutingConfig: { Type: 'TimeBasedCanary', TimeBasedCanary: { CanaryPercentage: 20, CanaryInterval: 7 } },
      });
    make({ deployment: Deployment.linear({ percentage: 25, interval: Duration.minutes(2) }) }).template()
      .hasResourceProperties('AWS::CodeDeploy::DeploymentConfig', {
        TrafficRoutingConfig: { Type: 'TimeBasedLinear', TimeBasedLinear: { LinearPercentage: 25, LinearInterval: 2 } },
      });
  });

  test('linear, all-at-once and any configuration are available, with hooks and extra alarms', () => {
    const { stack } = makeUnbundledApp();
    const hook = new ServerlessFunction(stack, 'Hook', { entry, alarms: { enabled: false } });
    const extra = new cloudwatch.Alarm(stack, 'Latency', { metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'Latency' }), threshold: 1, evaluationPeriods: 1 });
    new ServerlessFunction(stack, 'Orders', {
      entry,
      deployment: Deployment.linear({ percentage: 10, interval: Duration.minutes(1), preTrafficHook: hook, postTrafficHook: hook, alarms: [extra] }),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      AlarmConfiguration: { Alarms: [{ Name: Match.anyValue() }, { Name: { Ref: Match.stringLikeRegexp('^Latency') } }] },
    });
    template.hasResource('AWS::Lambda::Alias', {
      UpdatePolicy: { CodeDeployLambdaAliasUpdate: { BeforeAllowTrafficHook: Match.anyValue(), AfterAllowTrafficHook: Match.anyValue() } },
    });
    make({ deployment: Deployment.allAtOnce() }).template().hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
    });
  });

  test('warns when a deployment has no alarm to roll back on', () => {
    const { stack } = make({ deployment: Deployment.allAtOnce(), alarms: { errors: false } });
    Annotations.fromStack(stack).hasWarning('/Stack/Orders', Match.stringLikeRegexp('\\[ack: cdk-lambda-kit:deploymentWithoutAlarms\\]'));
  });
});

describe('alarms', () => {
  test('thresholds are configurable and one action applies to all', () => {
    const { stack } = makeUnbundledApp();
    const topic = new sns.Topic(stack, 'Pager');
    new ServerlessFunction(stack, 'Orders', {
      entry,
      timeout: Duration.seconds(10),
      alarms: { errorsThreshold: 5, throttlesThreshold: 3, durationThresholdPercent: 50, action: new actions.SnsAction(topic) },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Threshold: 5 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', Threshold: 3 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', Threshold: 5000 });
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Pager/) }]);
    }
  });

  test('warns, and skips the duration alarm, when the timeout is a token', () => {
    const { stack } = makeUnbundledApp();
    const seconds = new CfnParameter(stack, 'Timeout', { type: 'Number' }).valueAsNumber;
    new ServerlessFunction(stack, 'Orders', { entry, timeout: Duration.seconds(seconds) });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 2);
    Annotations.fromStack(stack).hasWarning('/Stack/Orders/Alarms', Match.stringLikeRegexp('\\[ack: cdk-lambda-kit:durationAlarmSkipped\\]'));
  });

  test('each alarm can be turned off, and all of them at once', () => {
    make({ alarms: { throttles: false, duration: false } }).template().resourceCountIs('AWS::CloudWatch::Alarm', 1);
    const { fn, template } = make({ alarms: { enabled: false } });
    template().resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(fn.alarms).toBeUndefined();
  });
});

describe('VPC', () => {
  test('placed in private subnets with egress and a security group by default; connections exposed', () => {
    const { stack } = makeUnbundledApp();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const fn = new ServerlessFunction(stack, 'Orders', { entry, vpc });
    const template = Template.fromStack(stack);
    const [resource] = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(JSON.stringify(resource.Properties.VpcConfig.SubnetIds)).toContain('PrivateSubnet');
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('Orders') });
    expect(fn.connections.securityGroups).toHaveLength(1);
  });

  test('fails if placed in public subnets without allowPublicSubnet', () => {
    const { stack } = makeUnbundledApp();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    expect(() => new ServerlessFunction(stack, 'Orders', { entry, vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }))
      .toThrow(/public subnet/);
    expect(() => new ServerlessFunction(stack, 'Allowed', { entry, vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, allowPublicSubnet: true }))
      .not.toThrow();
  });

  test('IPv6 dual stack passes through', () => {
    const { stack } = makeUnbundledApp();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, ipProtocol: ec2.IpProtocol.DUAL_STACK });
    new ServerlessFunction(stack, 'Orders', { entry, vpc, ipv6AllowedForDualStack: true });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { Ipv6AllowedForDualStack: true } });
  });
});
