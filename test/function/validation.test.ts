import { CfnParameter, Duration, Size, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Deployment, ProvisionedConcurrency, ServerlessFunction, ServerlessFunctionProps } from '../../src';
import { entry, makeUnbundledApp, unbundledFunction } from '../helpers';


/** Construct a function and synthesize its stack; returns nothing, throws what the library throws. */
function build(props: Partial<ServerlessFunctionProps>): void {
  const { app } = unbundledFunction(props, 'Orders');
  app.synth();
}

const layer = (stack: any, i: number) => lambda.LayerVersion.fromLayerVersionArn(stack, `L${i}`, `arn:aws:lambda:us-east-1:123456789012:layer:l${i}:1`);
const weekday = appscaling.Schedule.cron({ weekDay: 'MON-FRI', hour: '8', minute: '0' });

describe('Lambda limits are checked at synth', () => {
  test.each<[string, Partial<ServerlessFunctionProps>, RegExp]>([
    ['memory below 128 MB', { memorySize: 100 }, /^Stack\/Orders: `memorySize` must be a whole number from 128 to 10240 MB, got 100 MB$/],
    ['memory above 10,240 MB', { memorySize: 10241 }, /`memorySize` must be a whole number from 128 to 10240 MB, got 10241 MB/],
    ['a timeout of 0', { timeout: Duration.seconds(0) }, /`timeout` must be whole seconds from 1 to 900 seconds \(15 minutes\), got 0 seconds/],
    ['a timeout above 15 minutes', { timeout: Duration.seconds(1200) }, /`timeout` must be whole seconds from 1 to 900 seconds \(15 minutes\), got 20 minutes/],
    ['a timeout in fractions of a second', { timeout: Duration.millis(1500) }, /`timeout` must be whole seconds .* got 1 second 500 millis/],
    ['ephemeral storage below 512 MB', { ephemeralStorageSize: Size.mebibytes(256) }, /`ephemeralStorageSize` must be a whole number from 512 to 10240 MB, got 256 MB/],
    ['ephemeral storage above 10,240 MB', { ephemeralStorageSize: Size.gibibytes(11) }, /`ephemeralStorageSize` must be .* got 11264 MB/],
    ['negative reserved concurrency', { reservedConcurrentExecutions: -1 }, /`reservedConcurrentExecutions` must be a whole number from 0 to 1000000, got -1/],
    ['an alias name of digits only', { aliasName: '123' }, /`aliasName` must be 1 to 128 letters, digits, "-" or "_", and not only digits, got "123"/],
    ['an alias name with spaces', { aliasName: 'my alias' }, /`aliasName` must be .* got "my alias"/],
    ['a moving runtime', { runtime: lambda.Runtime.NODEJS_LATEST }, /`runtime` must be a fixed runtime .* use Runtime.NODEJS_24_X/],
    ['fixed provisioned concurrency of 0', { provisionedConcurrency: ProvisionedConcurrency.fixed(0) }, /`provisionedConcurrency \(fixed\)` must be a whole number from 1 to 100000, got 0/],
    ['provisioned concurrency above reserved', { reservedConcurrentExecutions: 5, provisionedConcurrency: ProvisionedConcurrency.fixed(10) },
      /provisioned concurrency \(up to 10\) must be at most `reservedConcurrentExecutions` \(5\)/],
    ['provisioned concurrency with reserved concurrency 0', { reservedConcurrentExecutions: 0, provisionedConcurrency: ProvisionedConcurrency.fixed(1) },
      /`provisionedConcurrency` cannot be used with `reservedConcurrentExecutions` 0/],
    ['autoscaling min above max', { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 10, maxCapacity: 5 }) },
      /`provisionedConcurrency.minCapacity` must be at most `maxCapacity` \(5\), got 10/],
    ['autoscaling max above reserved', { reservedConcurrentExecutions: 10, provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 50 }) },
      /provisioned concurrency \(up to 50\) must be at most `reservedConcurrentExecutions` \(10\)/],
    ['autoscaling utilization above 0.9', { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, utilizationTarget: 0.95 }) },
      /`provisionedConcurrency.utilizationTarget` must be from 0.1 to 0.9, got 0.95/],
    ['a schedule that scales to 0', { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, schedules: [{ name: 'Night', schedule: weekday, minCapacity: 0 }] }) },
      /`provisionedConcurrency.schedules\["Night"\].minCapacity` must be at least 1 \(scaling provisioned concurrency to 0 breaks later deployments, aws-cdk #29992\), got 0/],
    ['a schedule without capacities', { provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, schedules: [{ name: 'Empty', schedule: weekday }] }) },
      /`provisionedConcurrency.schedules\["Empty"\]` must set `minCapacity`, `maxCapacity` or both/],
    ['two schedules with one name', {
      provisionedConcurrency: ProvisionedConcurrency.autoscaled({
        minCapacity: 1,
        maxCapacity: 5,
        schedules: [{ name: 'Same', schedule: weekday, minCapacity: 2 }, { name: 'Same', schedule: weekday, minCapacity: 3 }],
      }),
    }, /`provisionedConcurrency.schedules\["Same"\].name` must be unique among the schedules/],
    ['a schedule max above reserved', {
      reservedConcurrentExecutions: 8,
      provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, schedules: [{ name: 'Peak', schedule: weekday, maxCapacity: 20 }] }),
    }, /`provisionedConcurrency.schedules\["Peak"\].maxCapacity` must be at most `reservedConcurrentExecutions` \(8\), got 20/],
    ['a canary of 0 percent', { deployment: Deployment.canary({ percentage: 0, interval: Duration.minutes(5) }) }, /`deployment \(canary\).percentage` must be a whole number from 1 to 99 %, got 0 %/],
    ['a linear step of 100 percent', { deployment: Deployment.linear({ percentage: 100, interval: Duration.minutes(5) }) }, /`deployment \(linear\).percentage` must be .* got 100 %/],
    ['a canary interval in seconds', { deployment: Deployment.canary({ percentage: 10, interval: Duration.seconds(90) }) }, /`deployment \(canary\).interval` must be whole minutes from 1 to 2880 \(2 days\), got 1 minute 30 seconds/],
    ['an errors threshold of 0', { alarms: { errorsThreshold: 0 } }, /`alarms.errorsThreshold` must be a whole number from 1 to 1000000, got 0/],
    ['a duration threshold above 100%', { alarms: { durationThresholdPercent: 120 } }, /`alarms.durationThresholdPercent` must be from 1 to 100, got 120/],
    ['logGroupRetention with logRetention', { logGroupRetention: logs.RetentionDays.ONE_DAY, logRetention: logs.RetentionDays.ONE_DAY },
      /`logGroupRetention` and `logRetention` cannot both be set/],
    ['an environment key of one letter', { environment: { A: 'x' } }, /^Stack\/Orders: `environment` keys must start with a letter and have at least two letters, digits or underscores, got "A"/],
    ['a reserved environment key', { environment: { AWS_REGION: 'eu-west-1' } }, /`environment` must not set "AWS_REGION", which Lambda reserves/],
    ['an environment over 4 KB', { environment: { BIG: 'x'.repeat(4094) } }, /`environment` must be at most 4 KB \(4096 bytes of keys and values\), got 4097 bytes/],
  ])('fails if %s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('fails if there are more than five layers', () => {
    const { stack } = makeUnbundledApp();
    const layers = [0, 1, 2, 3, 4, 5].map((i) => layer(stack, i));
    expect(() => new ServerlessFunction(stack, 'Orders', { entry, layers })).toThrow(/`layers` must hold at most 5 layers, got 6/);
  });

  test('fails if the environment grows over 4 KB through addEnvironment', () => {
    const { app, fn } = unbundledFunction({ environment: { FIRST: 'a' } }, 'Orders');
    fn.addEnvironment('LATER', 'y'.repeat(5000));
    expect(() => app.synth()).toThrow(/\[Stack\/Orders\] `environment` must be at most 4 KB \(4096 bytes of keys and values\), got 5011 bytes/);
  });

  test('reports every problem of the construct together', () => {
    expect(() => build({ memorySize: 1, timeout: Duration.seconds(1000), aliasName: '1' }))
      .toThrow(/^Stack\/Orders: 3 problems:\n {2}- `memorySize`.*\n {2}- `timeout`.*\n {2}- `aliasName`.*$/);
  });

  test.each<[string, (p: (name: string) => number) => Partial<ServerlessFunctionProps>]>([
    ['memorySize', (p) => ({ memorySize: p('Memory') })],
    ['timeout', (p) => ({ timeout: Duration.seconds(p('Timeout')), alarms: { duration: false } })],
    ['ephemeralStorageSize', (p) => ({ ephemeralStorageSize: Size.mebibytes(p('Storage')) })],
    ['reservedConcurrentExecutions', (p) => ({ reservedConcurrentExecutions: p('Reserved') })],
    ['environment values', (p) => ({ environment: { TABLE: Token.asString(p('Table')) } })],
    ['provisionedConcurrency', (p) => ({ provisionedConcurrency: ProvisionedConcurrency.fixed(p('Pc')) })],
  ])('a token %s is not judged', (_name, props) => {
    const { app, stack } = makeUnbundledApp();
    const parameter = (name: string) => new CfnParameter(stack, name, { type: 'Number' }).valueAsNumber;
    new ServerlessFunction(stack, 'Orders', { entry, ...props(parameter) });
    expect(() => app.synth()).not.toThrow();
  });
});
