import { Duration, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Deployment, ProvisionedConcurrency, ServerlessFunction } from '../../src';
import { addedResources, entry, makeApp, scrubbed } from '../helpers';

/**
 * Snapshots of ServerlessFunction with defaults and with everything on. Each holds only the resources the function
 * adds to its stack, not aws-cdk-lib's own (the VPC the test gives it, the bootstrap version parameter and rule), so
 * an aws-cdk-lib upgrade that changes those does not churn them. Drift fails CI (jest runs with --ci); after an
 * intended change, regenerate with `npx jest test/function/snapshot.test.ts --ci=false -u` and review the diff.
 */

/** The VPC of the everything-on function: the test's, not the library's. */
const vpcIn = (stack: Stack) => new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });

test('snapshot: ServerlessFunction with defaults', () => {
  const { stack } = makeApp();
  new ServerlessFunction(stack, 'Orders', { entry });
  expect(scrubbed(addedResources(stack, makeApp().stack))).toMatchSnapshot();
});

test('snapshot: ServerlessFunction with everything on', () => {
  const { stack } = makeApp();
  new ServerlessFunction(stack, 'Orders', {
    entry,
    memorySize: 2048,
    timeout: Duration.seconds(20),
    reservedConcurrentExecutions: 100,
    vpc: vpcIn(stack),
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
  const baseline = makeApp().stack;
  vpcIn(baseline);
  expect(scrubbed(addedResources(stack, baseline))).toMatchSnapshot();
});
