import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Deployment, ProvisionedConcurrency, ServerlessFunction } from '../../src';
import { entry, makeApp, scrubbed } from '../helpers';


test('snapshot: ServerlessFunction with defaults', () => {
  const { stack } = makeApp();
  new ServerlessFunction(stack, 'Orders', { entry });
  expect(scrubbed(Template.fromStack(stack))).toMatchSnapshot();
});

test('snapshot: ServerlessFunction with everything on', () => {
  const { stack } = makeApp();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  new ServerlessFunction(stack, 'Orders', {
    entry,
    memorySize: 2048,
    timeout: Duration.seconds(20),
    reservedConcurrentExecutions: 100,
    vpc,
    bundling: { sourceMap: true },
    provisionedConcurrency: ProvisionedConcurrency.autoscaled({
      minCapacity: 2,
      maxCapacity: 50,
      utilizationTarget: 0.6,
      schedules: [{ name: 'WeekdayMorning', schedule: appscaling.Schedule.cron({ weekDay: 'MON-FRI', hour: '8', minute: '0' }), minCapacity: 10 }],
    }),
    deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(5) }),
    functionUrl: { authType: lambda.FunctionUrlAuthType.AWS_IAM, cors: { allowedOrigins: ['https://example.com'] } },
  });
  expect(scrubbed(Template.fromStack(stack))).toMatchSnapshot();
});
