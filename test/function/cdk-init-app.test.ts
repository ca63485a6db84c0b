import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  Deployment, DependencyLayer, DynamoStreamSource, FailureDestination, FunctionAlarms, KinesisStreamSource, ProvisionedConcurrency,
  S3Source, ServerlessFunction, SqsSource, WorkerQueue,
} from '../../src';
import { entry, streamTable } from '../helpers';

const REPO = path.join(__dirname, '..', '..');

/** The `context` of the cdk.json that `cdk init app --language typescript` writes with the pinned CLI. */
const CDK_INIT_CONTEXT: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'cdk-init-context.json'), 'utf8'));

/** An app configured as a `cdk init` app is (bundling skipped: the feature flags are the subject). */
function cdkInitApp(context: Record<string, unknown> = CDK_INIT_CONTEXT): { app: App; stack: Stack } {
  const app = new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-init-')),
    context: { ...context, 'aws:cdk:bundling-stacks': [] },
  });
  return { app, stack: new Stack(app, 'Service') };
}

/** Every construct of the library, with everything on. */
function everything(stack: Stack): ServerlessFunction[] {
  const oncall = new sns.Topic(stack, 'OnCall');
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1 });
  const layer = new DependencyLayer(stack, 'Deps', { dependencies: { ms: '2.1.3' } });
  const api = new ServerlessFunction(stack, 'Api', {
    entry,
    timeout: Duration.seconds(20),
    vpc,
    layers: [layer],
    functionUrl: {},
    reservedConcurrentExecutions: 20,
    provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 10 }),
    deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(5) }),
    alarms: { action: new actions.SnsAction(oncall) },
    onFailure: FailureDestination.topic(oncall),
    retryAttempts: 1,
  });
  const worker = new ServerlessFunction(stack, 'Worker', { entry, timeout: Duration.seconds(10), provisionedConcurrency: ProvisionedConcurrency.fixed(1) });
  new WorkerQueue(stack, 'Jobs', { consumer: worker });
  const table = streamTable(stack);
  const streams = new ServerlessFunction(stack, 'Streams', { entry });
  streams.addEventSource(new DynamoStreamSource(table));
  streams.addEventSource(new KinesisStreamSource(new kinesis.Stream(stack, 'Clicks')));
  const queued = new ServerlessFunction(stack, 'Queued', { entry, timeout: Duration.seconds(5) });
  const deadLetters = new sqs.Queue(stack, 'DeadLetters', { enforceSSL: true });
  queued.addEventSource(new SqsSource(new sqs.Queue(stack, 'Orders', {
    enforceSSL: true, visibilityTimeout: Duration.seconds(30), deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
  })));
  const uploads = new ServerlessFunction(stack, 'Uploads', { entry });
  uploads.addEventSource(new S3Source(new s3.Bucket(stack, 'Bucket', { enforceSSL: true })));
  new FunctionAlarms(stack, 'ExtraAlarms', { alias: uploads.alias, timeout: Duration.seconds(3) });
  return [api, worker, streams, queued, uploads];
}

describe('an app made by `cdk init app --language typescript`', () => {
  test('the fixture holds exactly the context the pinned CLI writes into cdk.json', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-cdk-init-'));
    const result = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'aws-cdk', 'bin', 'cdk'), 'init', 'app', '--language', 'typescript', '--generate-only'], {
      cwd: dir, encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'cdk.json'), 'utf8')).context).toEqual(CDK_INIT_CONTEXT);
    expect(CDK_INIT_CONTEXT['@aws-cdk/aws-lambda:useCdkManagedLogGroup']).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('synthesizes every construct of the library under its feature flags', () => {
    // GIVEN
    const { app, stack } = cdkInitApp();

    // WHEN
    const functions = everything(stack);
    app.synth();

    // THEN one log group per function, no error
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', functions.length);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('useCdkManagedLogGroup: one log group, with the retention and the least-privilege policy of the default', () => {
    // GIVEN the same function with the flag on (as cdk init writes it) and off
    const template = (flag: boolean) => {
      const { stack } = cdkInitApp({ ...CDK_INIT_CONTEXT, '@aws-cdk/aws-lambda:useCdkManagedLogGroup': flag });
      const fn = new ServerlessFunction(stack, 'Api', { entry, logGroupRetention: undefined });
      return { fn, template: Template.fromStack(stack) };
    };

    // WHEN
    const on = template(true);
    const off = template(false);

    // THEN
    expect(on.template.toJSON()).toEqual(off.template.toJSON());
    on.template.resourceCountIs('AWS::Logs::LogGroup', 1);
    on.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue(), LogGroupName: Match.absent() });
    on.template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^ApiLogGroup') } } });
    on.template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    expect(on.fn.logGroup.node.path).toEqual('Service/Api/LogGroup');
  });
});
