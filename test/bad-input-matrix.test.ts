import * as fs from 'fs';
import * as path from 'path';
import { CfnParameter, Duration, Size, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventtargets from 'aws-cdk-lib/aws-events-targets';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, KinesisEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  Deployment, DependencyLayer, DynamoStreamSource, EventBridgeSource, KinesisStreamSource, OutputFormat, ProvisionedConcurrency,
  S3Source, ScheduleSource, ServerlessFunction, SnsSource, SqsSource, StreamFailureDestination, WorkerQueue,
} from '../src';
import { ErrorCase, failureOf, matrixContext, MatrixContext, WarningCase } from './harness/matrix';
import { entry, makeApp, makeProject, makeUnbundledApp, streamTable } from './helpers';

/**
 * One table of invalid configurations across every construct and source. Each must fail at synth (in the
 * constructor, or when the app is synthesized for what can only be known then) with a message that names the
 * construct path, the prop, what is allowed and the value given, or, where AWS accepts it, warn with a stable id.
 */

const root = makeProject({
  'src/handler.ts': 'export const handler = async () => 1;\n',
  'src/uses-left-pad.ts': 'import leftPad from "left-pad";\nexport const handler = async () => leftPad("1", 2);\n',
  'tsconfig.json': '{}',
  // The project installs left-pad: left out of the bundle, it is missing at run time (issue 23: an external the project
  // does not install is only a warning, `externalNotInstalled`).
  'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/left-pad': { version: '1.3.0' } } }),
});

function context(bundled = false): MatrixContext {
  const { app, stack } = bundled ? makeApp() : makeUnbundledApp();
  return matrixContext(app, stack, { entry });
}

const queue = (stack: Stack, props: sqs.QueueProps = {}) => new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.minutes(5), ...props });
const schedule = appscaling.Schedule.cron({ hour: '8', minute: '0' });
const everyHour = scheduler.ScheduleExpression.rate(Duration.hours(1));
const pythonLayer = (stack: Stack) => new lambda.LayerVersion(stack, 'PyLayer', { code: lambda.Code.fromAsset(path.join(root, 'src')), compatibleRuntimes: [lambda.Runtime.PYTHON_3_12] });

const errors: ErrorCase[] = [
  // ServerlessFunction: Lambda's limits
  { name: 'memory below 128 MB', build: (c) => c.fn({ memorySize: 64 }), path: 'Stack/Fn', prop: '`memorySize`', allowed: 'from 128 to 10240 MB', given: 'got 64 MB' },
  { name: 'memory above 10,240 MB', build: (c) => c.fn({ memorySize: 10241 }), path: 'Stack/Fn', prop: '`memorySize`', allowed: 'from 128 to 10240 MB', given: 'got 10241 MB' },
  { name: 'memory not a whole number', build: (c) => c.fn({ memorySize: 1536.5 }), path: 'Stack/Fn', prop: '`memorySize`', allowed: 'whole number', given: 'got 1536.5 MB' },
  { name: 'timeout above 15 minutes', build: (c) => c.fn({ timeout: Duration.seconds(901) }), path: 'Stack/Fn', prop: '`timeout`', allowed: 'from 1 to 900 seconds', given: 'got 15 minutes 1 second' },
  { name: 'timeout in milliseconds', build: (c) => c.fn({ timeout: Duration.millis(1500) }), path: 'Stack/Fn', prop: '`timeout`', allowed: 'whole seconds', given: 'got 1 second 500 millis' },
  { name: 'timeout of zero', build: (c) => c.fn({ timeout: Duration.seconds(0) }), path: 'Stack/Fn', prop: '`timeout`', allowed: 'from 1 to 900 seconds', given: 'got 0 seconds' },
  { name: 'ephemeral storage below 512 MB', build: (c) => c.fn({ ephemeralStorageSize: Size.mebibytes(256) }), path: 'Stack/Fn', prop: '`ephemeralStorageSize`', allowed: 'from 512 to 10240 MB', given: 'got 256 MB' },
  { name: 'ephemeral storage above 10 GB', build: (c) => c.fn({ ephemeralStorageSize: Size.gibibytes(20) }), path: 'Stack/Fn', prop: '`ephemeralStorageSize`', allowed: 'from 512 to 10240 MB', given: 'got 20480 MB' },
  {
    name: 'six layers',
    build: (c) => c.fn({ layers: [1, 2, 3, 4, 5, 6].map((i) => lambda.LayerVersion.fromLayerVersionArn(c.stack, `L${i}`, `arn:aws:lambda:us-east-1:123456789012:layer:l${i}:1`)) }),
    path: 'Stack/Fn',
    prop: '`layers`',
    allowed: 'at most 5 layers',
    given: 'got 6',
  },
  { name: 'negative reserved concurrency', build: (c) => c.fn({ reservedConcurrentExecutions: -1 }), path: 'Stack/Fn', prop: '`reservedConcurrentExecutions`', allowed: 'from 0 to 1000000', given: 'got -1' },
  { name: 'fractional reserved concurrency', build: (c) => c.fn({ reservedConcurrentExecutions: 1.5 }), path: 'Stack/Fn', prop: '`reservedConcurrentExecutions`', allowed: 'whole number', given: 'got 1.5' },
  { name: 'alias name with a space', build: (c) => c.fn({ aliasName: 'live now' }), path: 'Stack/Fn', prop: '`aliasName`', allowed: '1 to 128 letters, digits, "-" or "_"', given: 'got "live now"' },
  { name: 'alias name of digits only', build: (c) => c.fn({ aliasName: '123' }), path: 'Stack/Fn', prop: '`aliasName`', allowed: 'not only digits', given: 'got "123"' },
  { name: 'environment key starting with a digit', build: (c) => c.fn({ environment: { '1TABLE': 'x' } }), path: 'Stack/Fn', prop: '`environment` keys', allowed: 'start with a letter', given: 'got "1TABLE"' },
  { name: 'environment key Lambda reserves', build: (c) => c.fn({ environment: { AWS_REGION: 'eu-west-1' } }), path: 'Stack/Fn', prop: '`environment`', allowed: 'must not set', given: '"AWS_REGION", which Lambda reserves' },
  { name: 'environment over 4 KB', build: (c) => c.fn({ environment: { CONFIG: 'x'.repeat(4100) } }), path: 'Stack/Fn', prop: '`environment`', allowed: 'at most 4 KB', given: 'got 4106 bytes' },
  { name: 'environment over 4 KB through addEnvironment (at synth)', build: (c) => c.fn().addEnvironment('CONFIG', 'x'.repeat(5000)), path: 'Stack/Fn', prop: '`environment`', allowed: 'at most 4 KB', given: 'got 5006 bytes' },
  { name: 'a description over 256 characters', build: (c) => c.fn({ description: 'd'.repeat(300) }), path: 'Stack/Fn', prop: '`description`', allowed: 'at most 256 characters', given: 'got 300' },
  { name: 'a function name with a space', build: (c) => c.fn({ functionName: 'orders api' }), path: 'Stack/Fn', prop: '`functionName`', allowed: '1 to 64 letters, digits, "-" or "_"', given: 'got "orders api"' },
  { name: 'a function name over 64 characters', build: (c) => c.fn({ functionName: 'f'.repeat(65) }), path: 'Stack/Fn', prop: '`functionName`', allowed: '1 to 64 letters', given: `got "${'f'.repeat(65)}"` },
  { name: 'a CORS max age over a day', build: (c) => c.fn({ functionUrl: { cors: { maxAge: Duration.seconds(86401) } } }), path: 'Stack/Fn', prop: '`functionUrl.cors.maxAge`', allowed: 'at most 86400 seconds', given: 'got 86401 seconds' },
  { name: 'a reserved environment key through addEnvironment', build: (c) => c.fn().addEnvironment('AWS_REGION', 'eu-west-1'), path: 'Stack/Fn', prop: '`environment`', allowed: 'must not set', given: '"AWS_REGION", which Lambda reserves' },
  { name: 'an invalid environment key through addEnvironment', build: (c) => c.fn().addEnvironment('1X', 'y'), path: 'Stack/Fn', prop: '`environment` keys', allowed: 'start with a letter', given: 'got "1X"' },
  { name: 'a moving runtime', build: (c) => c.fn({ runtime: lambda.Runtime.NODEJS_LATEST }), path: 'Stack/Fn', prop: '`runtime`', allowed: 'fixed runtime', given: 'got nodejs' },
  { name: 'a runtime that is not Node.js', build: (c) => c.fn({ runtime: lambda.Runtime.PYTHON_3_12 }), path: 'Stack/Fn', prop: '`runtime`', allowed: 'Node.js runtime (nodejs18.x or later)', given: 'got python3.12' },
  { name: 'a Node.js runtime older than 18', build: (c) => c.fn({ runtime: lambda.Runtime.NODEJS_16_X }), path: 'Stack/Fn', prop: '`runtime`', allowed: 'nodejs18.x or later', given: 'got nodejs16.x' },

  // Provisioned concurrency and deployments
  { name: 'fixed provisioned concurrency of zero', build: (c) => c.fn({ provisionedConcurrency: ProvisionedConcurrency.fixed(0) }), path: 'Stack/Fn', prop: '`provisionedConcurrency (fixed)`', allowed: 'from 1 to 100000', given: 'got 0' },
  {
    name: 'provisioned concurrency with reserved concurrency 0',
    build: (c) => c.fn({ reservedConcurrentExecutions: 0, provisionedConcurrency: ProvisionedConcurrency.fixed(2) }),
    path: 'Stack/Fn',
    prop: '`provisionedConcurrency`',
    allowed: 'cannot be used with',
    given: '`reservedConcurrentExecutions` 0',
  },
  {
    name: 'provisioned concurrency above reserved concurrency',
    build: (c) => c.fn({ reservedConcurrentExecutions: 100, provisionedConcurrency: ProvisionedConcurrency.fixed(200) }),
    path: 'Stack/Fn',
    prop: '`reservedConcurrentExecutions`',
    allowed: 'at most',
    given: 'up to 200',
  },
  {
    name: 'autoscaled minimum above maximum',
    build: (c) => c.fn({ provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 10, maxCapacity: 5 }) }),
    path: 'Stack/Fn',
    prop: '`provisionedConcurrency.minCapacity`',
    allowed: 'at most `maxCapacity` (5)',
    given: 'got 10',
  },
  {
    name: 'autoscaled utilization target of 95%',
    build: (c) => c.fn({ provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, utilizationTarget: 0.95 }) }),
    path: 'Stack/Fn',
    prop: '`provisionedConcurrency.utilizationTarget`',
    allowed: 'from 0.1 to 0.9',
    given: 'got 0.95',
  },
  {
    name: 'a schedule scaling to zero',
    build: (c) => c.fn({ provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, schedules: [{ name: 'Night', schedule, minCapacity: 0 }] }) }),
    path: 'Stack/Fn',
    prop: '`provisionedConcurrency.schedules["Night"].minCapacity`',
    allowed: 'at least 1',
    given: 'got 0',
  },
  {
    name: 'two schedules with one name',
    build: (c) => c.fn({ provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, schedules: [{ name: 'Peak', schedule, minCapacity: 2 }, { name: 'Peak', schedule, minCapacity: 3 }] }) }),
    path: 'Stack/Fn',
    prop: '`provisionedConcurrency.schedules["Peak"].name`',
    allowed: 'unique among the schedules',
    given: 'got "Peak" more than once',
  },
  {
    name: 'a schedule that sets no capacity',
    build: (c) => c.fn({ provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, schedules: [{ name: 'Noop', schedule }] }) }),
    path: 'Stack/Fn',
    prop: '`provisionedConcurrency.schedules["Noop"]`',
    allowed: 'must set `minCapacity`, `maxCapacity` or both',
    given: 'got neither',
  },
  {
    name: 'a schedule above reserved concurrency',
    build: (c) => c.fn({ reservedConcurrentExecutions: 10, provisionedConcurrency: ProvisionedConcurrency.autoscaled({ minCapacity: 1, maxCapacity: 5, schedules: [{ name: 'Peak', schedule, maxCapacity: 20 }] }) }),
    path: 'Stack/Fn',
    prop: '`provisionedConcurrency.schedules["Peak"].maxCapacity`',
    allowed: 'at most `reservedConcurrentExecutions` (10)',
    given: 'got 20',
  },
  { name: 'a canary of 0%', build: (c) => c.fn({ deployment: Deployment.canary({ percentage: 0, interval: Duration.minutes(5) }) }), path: 'Stack/Fn', prop: '`deployment (canary).percentage`', allowed: 'from 1 to 99 %', given: 'got 0 %' },
  { name: 'a canary of 100%', build: (c) => c.fn({ deployment: Deployment.canary({ percentage: 100, interval: Duration.minutes(5) }) }), path: 'Stack/Fn', prop: '`deployment (canary).percentage`', allowed: 'from 1 to 99 %', given: 'got 100 %' },
  { name: 'a linear interval in seconds', build: (c) => c.fn({ deployment: Deployment.linear({ percentage: 10, interval: Duration.seconds(90) }) }), path: 'Stack/Fn', prop: '`deployment (linear).interval`', allowed: 'whole minutes from 1 to 2880', given: 'got 1 minute 30 seconds' },
  { name: 'a linear interval over two days', build: (c) => c.fn({ deployment: Deployment.linear({ percentage: 10, interval: Duration.days(3) }) }), path: 'Stack/Fn', prop: '`deployment (linear).interval`', allowed: 'whole minutes from 1 to 2880', given: 'got 3 days' },

  // Asynchronous invocation
  { name: 'three async retries', build: (c) => c.fn({ retryAttempts: 3 }), path: 'Stack/Fn', prop: '`retryAttempts`', allowed: 'from 0 to 2', given: 'got 3' },
  { name: 'max event age under a minute', build: (c) => c.fn({ maxEventAge: Duration.seconds(30) }), path: 'Stack/Fn', prop: '`maxEventAge`', allowed: 'from 60 seconds to 6 hours', given: 'got 30 seconds' },
  { name: 'max event age over six hours', build: (c) => c.fn({ maxEventAge: Duration.hours(7) }), path: 'Stack/Fn', prop: '`maxEventAge`', allowed: 'from 60 seconds to 6 hours', given: 'got 7 hours' },

  // Alarms and logs
  { name: 'an errors threshold of zero', build: (c) => c.fn({ alarms: { errorsThreshold: 0 } }), path: 'Stack/Fn', prop: '`alarms.errorsThreshold`', allowed: 'from 1 to 1000000', given: 'got 0' },
  { name: 'a fractional throttles threshold', build: (c) => c.fn({ alarms: { throttlesThreshold: 1.5 } }), path: 'Stack/Fn', prop: '`alarms.throttlesThreshold`', allowed: 'whole number', given: 'got 1.5' },
  { name: 'a duration threshold of 150%', build: (c) => c.fn({ alarms: { durationThresholdPercent: 150 } }), path: 'Stack/Fn', prop: '`alarms.durationThresholdPercent`', allowed: 'from 1 to 100', given: 'got 150' },
  {
    name: 'logGroupRetention with your own log group',
    build: (c) => c.fn({ logGroup: new logs.LogGroup(c.stack, 'Logs'), logGroupRetention: logs.RetentionDays.ONE_WEEK }),
    path: 'Stack/Fn',
    prop: '`logGroupRetention`',
    allowed: 'cannot be combined with `logGroup`',
    given: '`logGroup`',
  },
  {
    name: 'logGroupRetention with logRetention',
    build: (c) => c.fn({ logRetention: logs.RetentionDays.ONE_WEEK, logGroupRetention: logs.RetentionDays.ONE_WEEK }),
    path: 'Stack/Fn',
    prop: '`logGroupRetention`',
    allowed: 'cannot both be set',
    given: '`logRetention`',
  },
  {
    name: 'logRetention with your own log group',
    build: (c) => c.fn({ logGroup: new logs.LogGroup(c.stack, 'Logs'), logRetention: logs.RetentionDays.ONE_WEEK }),
    path: 'Stack/Fn',
    prop: '`logRetention`',
    allowed: 'cannot be combined with `logGroup`',
    given: '`logGroup`',
  },

  // Entries, handlers and bundling options
  { name: 'an entry that does not exist', build: (c) => c.fn({ entry: path.join(root, 'src', 'nope.ts') }), path: 'Stack/Fn', prop: '`entry`', allowed: 'an existing file', given: `got ${path.join(root, 'src', 'nope.ts')}` },
  { name: 'an entry that is a directory', build: (c) => c.fn({ entry: path.join(root, 'src') }), path: 'Stack/Fn', prop: '`entry`', allowed: 'must be a file', given: 'which is a directory' },
  { name: 'an entry that is not code', build: (c) => c.fn({ entry: path.join(root, 'tsconfig.json') }), path: 'Stack/Fn', prop: '`entry`', allowed: 'JavaScript or TypeScript file', given: `got ${path.join(root, 'tsconfig.json')}` },
  { name: 'a handler that is not an identifier', build: (c) => c.fn({ handler: 'main-handler' }), path: 'Stack/Fn', prop: '`handler`', allowed: 'a JavaScript identifier', given: 'got "main-handler"' },
  { name: 'a handler the entry does not export (at synth)', bundled: true, build: (c) => c.fn({ entry: path.join(root, 'src', 'handler.ts'), handler: 'main' }), path: 'Stack/Fn', prop: '`handler`', allowed: 'is not exported', given: '(exports: handler)' },
  { name: 'an unknown output format', build: (c) => c.fn({ bundling: { format: 'umd' as OutputFormat } }), path: 'Stack/Fn', prop: '`bundling.format`', allowed: 'one of esm, cjs', given: 'got umd' },
  { name: 'an esbuild target that is not one', build: (c) => c.fn({ bundling: { target: 'node 22' } }), path: 'Stack/Fn', prop: '`bundling.target`', allowed: 'an esbuild target', given: 'got node 22' },
  { name: 'a loader key without a dot', build: (c) => c.fn({ bundling: { loader: { txt: 'text' } } }), path: 'Stack/Fn', prop: '`bundling.loader` keys', allowed: 'starting with a dot', given: 'got "txt"' },
  { name: 'an unknown loader', build: (c) => c.fn({ bundling: { loader: { '.yml': 'yaml' } } }), path: 'Stack/Fn', prop: '`bundling.loader`', allowed: 'must be one of', given: 'got "yaml"' },
  { name: 'an external module with a space', build: (c) => c.fn({ bundling: { externalModules: ['left pad'] } }), path: 'Stack/Fn', prop: '`bundling.externalModules`', allowed: 'module names or patterns without spaces', given: 'got "left pad"' },
  { name: 'a project root that does not exist', build: (c) => c.fn({ bundling: { projectRoot: '/nonexistent/project' } }), path: 'Stack/Fn', prop: '`bundling.projectRoot`', allowed: 'an existing directory', given: 'got /nonexistent/project' },
  { name: 'a tsconfig that does not exist', build: (c) => c.fn({ bundling: { tsconfig: '/nonexistent/tsconfig.json' } }), path: 'Stack/Fn', prop: '`bundling.tsconfig`', allowed: 'an existing file', given: 'got /nonexistent/tsconfig.json' },
  { name: 'an inject file that does not exist', build: (c) => c.fn({ bundling: { inject: ['/nonexistent/shim.js'] } }), path: 'Stack/Fn', prop: '`bundling.inject`', allowed: 'existing files', given: 'got /nonexistent/shim.js' },
  { name: 'a size budget over 250 MB', build: (c) => c.fn({ bundling: { sizeBudget: Size.mebibytes(300) } }), path: 'Stack/Fn', prop: '`bundling.sizeBudget`', allowed: 'between 1 byte and 250 MB', given: 'got 314572800 bytes' },
  {
    name: 'an external module nothing provides (at synth)',
    bundled: true,
    build: (c) => c.fn({ entry: path.join(root, 'src', 'uses-left-pad.ts'), bundling: { externalModules: ['left-pad'] } }),
    path: 'Stack/Fn',
    prop: '`bundling.externalModules`',
    allowed: 'list it in `bundling.nodeModules`, add a DependencyLayer that provides it, or remove it',
    given: 'imports left-pad',
  },

  // Layers
  { name: 'a layer for another runtime', build: (c) => c.fn({ layers: [pythonLayer(c.stack)] }), path: 'Stack/Fn', prop: '`layers`', allowed: 'compatible with python3.12', given: 'the function\'s nodejs24.x' },
  {
    name: 'a dependency layer for another architecture',
    build: (c) => c.fn({ layers: [new DependencyLayer(c.stack, 'Deps', { dependencies: { ms: '2.1.3' }, architecture: lambda.Architecture.X86_64 })] }),
    path: 'Stack/Fn',
    prop: '`layers`',
    allowed: 'built for x86_64',
    given: 'the function\'s arm64',
  },
  {
    name: 'a dependency layer added after construction',
    build: (c) => c.fn().addLayers(new DependencyLayer(c.stack, 'Deps', { dependencies: { ms: '2.1.3' } })),
    path: 'Stack/Fn',
    prop: '`addLayers`',
    allowed: 'pass it in `layers`',
    given: 'the DependencyLayer Stack/Deps',
  },
  { name: 'a dependency layer with neither dependencies nor packageJson', build: (c) => new DependencyLayer(c.stack, 'Deps', {}), path: 'Stack/Deps', prop: '`dependencies` and `packageJson`', allowed: 'exactly one', given: 'got neither' },
  {
    name: 'a dependency layer with both dependencies and packageJson',
    build: (c) => new DependencyLayer(c.stack, 'Deps', { dependencies: { ms: '2.1.3' }, packageJson: path.join(root, 'package.json') }),
    path: 'Stack/Deps',
    prop: '`dependencies` and `packageJson`',
    allowed: 'exactly one',
    given: 'got both',
  },
  { name: 'a dependency layer with no packages', build: (c) => new DependencyLayer(c.stack, 'Deps', { dependencies: {} }), path: 'Stack/Deps', prop: '`dependencies`', allowed: 'at least one package', given: 'got none' },
  { name: 'a dependency layer with a bad package name', build: (c) => new DependencyLayer(c.stack, 'Deps', { dependencies: { 'Not A Package': '1.0.0' } }), path: 'Stack/Deps', prop: '`dependencies` keys', allowed: 'npm package names', given: 'got "Not A Package"' },
  { name: 'a dependency layer whose package.json does not exist', build: (c) => new DependencyLayer(c.stack, 'Deps', { packageJson: '/nonexistent/package.json' }), path: 'Stack/Deps', prop: '`packageJson`', allowed: 'a readable package.json', given: 'got /nonexistent/package.json' },
  { name: 'a dependency layer for Python', build: (c) => new DependencyLayer(c.stack, 'Deps', { dependencies: { ms: '2.1.3' }, runtime: lambda.Runtime.PYTHON_3_12 }), path: 'Stack/Deps', prop: '`runtime`', allowed: 'a Node.js runtime', given: 'got python3.12' },

  // SQS
  { name: 'an SQS batch over 10 without a window', build: (c) => c.fn().addEventSource(new SqsSource(queue(c.stack), { batchSize: 11 })), path: 'Stack/Fn', prop: '`SqsSource(Stack/Queue).batchSize`', allowed: 'from 1 to 10', given: 'got 11 (more than 10 needs a `maxBatchingWindow`)' },
  { name: 'an SQS batch over 10,000', build: (c) => c.fn().addEventSource(new SqsSource(queue(c.stack), { batchSize: 10001, maxBatchingWindow: Duration.seconds(1) })), path: 'Stack/Fn', prop: '`SqsSource(Stack/Queue).batchSize`', allowed: 'from 1 to 10000', given: 'got 10001' },
  { name: 'a FIFO batch over 10', build: (c) => c.fn().addEventSource(new SqsSource(queue(c.stack, { fifo: true }), { batchSize: 20 })), path: 'Stack/Fn', prop: '`SqsSource(Stack/Queue).batchSize`', allowed: 'from 1 to 10', given: 'got 20' },
  { name: 'a batching window on a FIFO queue', build: (c) => c.fn().addEventSource(new SqsSource(queue(c.stack, { fifo: true }), { maxBatchingWindow: Duration.seconds(5) })), path: 'Stack/Fn', prop: '`SqsSource(Stack/Queue).maxBatchingWindow`', allowed: 'cannot be used with a FIFO queue', given: 'got 5 seconds' },
  { name: 'an SQS batching window over 5 minutes', build: (c) => c.fn().addEventSource(new SqsSource(queue(c.stack), { maxBatchingWindow: Duration.seconds(301) })), path: 'Stack/Fn', prop: '`SqsSource(Stack/Queue).maxBatchingWindow`', allowed: 'whole seconds from 0 to 300', given: 'got 5 minutes 1 second' },
  { name: 'an SQS maximum concurrency of 1', build: (c) => c.fn().addEventSource(new SqsSource(queue(c.stack), { maxConcurrency: 1 })), path: 'Stack/Fn', prop: '`SqsSource(Stack/Queue).maxConcurrency`', allowed: 'from 2 to 1000', given: 'got 1' },
  {
    name: 'a visibility timeout shorter than the function timeout',
    build: (c) => c.fn({ timeout: Duration.minutes(2) }).addEventSource(new SqsSource(queue(c.stack, { visibilityTimeout: Duration.seconds(60) }))),
    path: 'Stack/Fn',
    prop: 'the visibility timeout of Stack/Queue',
    allowed: 'at least the function\'s timeout (120 seconds)',
    given: '(60 seconds)',
  },
  {
    name: 'aws-cdk-lib\'s SqsEventSource on a queue whose visibility timeout is under the function timeout (the README\'s case)',
    build: (c) => c.fn({ timeout: Duration.seconds(30) })
      .addEventSource(new SqsEventSource(queue(c.stack, { visibilityTimeout: Duration.seconds(10) }))),
    path: 'Stack/Fn',
    prop: 'the visibility timeout of Stack/Queue',
    allowed: 'at least the function\'s timeout (30 seconds)',
    given: '(10 seconds)',
  },
  {
    name: 'a hand-made mapping of a FIFO queue with 20 messages per batch',
    build: (c) => new lambda.EventSourceMapping(c.stack, 'Mapping', {
      target: c.fn().alias, eventSourceArn: queue(c.stack, { fifo: true }).queueArn, batchSize: 20, maxBatchingWindow: Duration.seconds(1),
    }),
    path: 'Stack/Fn',
    prop: '`Stack/Mapping.batchSize`',
    allowed: 'from 1 to 10',
    given: 'got 20',
  },
  { name: 'a worker queue with maxReceiveCount 0', build: (c) => new WorkerQueue(c.stack, 'Jobs', { consumer: c.fn(), maxReceiveCount: 0 }), path: 'Stack/Jobs', prop: '`maxReceiveCount`', allowed: 'from 1 to 1000', given: 'got 0' },
  {
    name: 'a worker queue for a function whose timeout is a token',
    build: (c) => new WorkerQueue(c.stack, 'Jobs', { consumer: c.fn({ timeout: Duration.seconds(Token.asNumber(new CfnParameter(c.stack, 'T', { type: 'Number' }).value)) }) }),
    path: 'Stack/Jobs',
    prop: '`consumer`',
    allowed: 'a concrete timeout',
    given: 'got a token',
  },

  // DynamoDB Streams and Kinesis
  { name: 'a table without a stream', build: (c) => c.fn().addEventSource(new DynamoStreamSource(new dynamodb.Table(c.stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }))), path: 'Stack/Fn', prop: '`stream`', allowed: 'set `stream`', given: 'Stack/Table has no stream' },
  { name: 'a stream batch over 10,000', build: (c) => c.fn().addEventSource(new DynamoStreamSource(streamTable(c.stack), { batchSize: 10001 })), path: 'Stack/Fn', prop: '`DynamoStreamSource(Stack/Table).batchSize`', allowed: 'from 1 to 10000', given: 'got 10001' },
  { name: 'negative stream retries', build: (c) => c.fn().addEventSource(new DynamoStreamSource(streamTable(c.stack), { retryAttempts: -1 })), path: 'Stack/Fn', prop: '`DynamoStreamSource(Stack/Table).retryAttempts`', allowed: 'from 0 to 10000', given: 'got -1' },
  { name: 'a parallelization factor of 11', build: (c) => c.fn().addEventSource(new DynamoStreamSource(streamTable(c.stack), { parallelizationFactor: 11 })), path: 'Stack/Fn', prop: '`DynamoStreamSource(Stack/Table).parallelizationFactor`', allowed: 'from 1 to 10', given: 'got 11' },
  { name: 'a maximum record age under a minute', build: (c) => c.fn().addEventSource(new DynamoStreamSource(streamTable(c.stack), { maxRecordAge: Duration.seconds(30) })), path: 'Stack/Fn', prop: '`DynamoStreamSource(Stack/Table).maxRecordAge`', allowed: 'whole seconds from 60 to 604800', given: 'got 30 seconds' },
  { name: 'a tumbling window over 15 minutes', build: (c) => c.fn().addEventSource(new DynamoStreamSource(streamTable(c.stack), { tumblingWindow: Duration.minutes(16) })), path: 'Stack/Fn', prop: '`DynamoStreamSource(Stack/Table).tumblingWindow`', allowed: 'whole seconds from 0 to 900', given: 'got 16 minutes' },
  { name: 'a Kinesis batching window over 5 minutes', build: (c) => c.fn().addEventSource(new KinesisStreamSource(new kinesis.Stream(c.stack, 'Clicks'), { maxBatchingWindow: Duration.minutes(6) })), path: 'Stack/Fn', prop: '`KinesisStreamSource(Stack/Clicks).maxBatchingWindow`', allowed: 'whole seconds from 0 to 300', given: 'got 6 minutes' },
  { name: 'a Kinesis batch of 0', build: (c) => c.fn().addEventSource(new KinesisStreamSource(new kinesis.Stream(c.stack, 'Clicks'), { batchSize: 0 })), path: 'Stack/Fn', prop: '`KinesisStreamSource(Stack/Clicks).batchSize`', allowed: 'from 1 to 10000', given: 'got 0' },

  // S3
  {
    name: 'two S3 notifications that overlap',
    build: (c) => {
      const bucket = new s3.Bucket(c.stack, 'Uploads');
      new ServerlessFunction(c.stack, 'Images', { entry, events: [new S3Source(bucket, { filters: [{ prefix: 'images/' }] })] });
      c.fn({ events: [new S3Source(bucket, { filters: [{ prefix: 'images/raw/' }] })] });
    },
    path: 'Stack/Fn',
    prop: 'S3Source: a notification on Stack/Uploads',
    allowed: 'make the prefixes or suffixes disjoint',
    given: 'prefix "images/raw/" overlaps the one for Stack/Images',
  },
  {
    name: 'an EventBridge S3 source for replication events',
    build: (c) => c.fn({ events: [new S3Source(new s3.Bucket(c.stack, 'Uploads'), { viaEventBridge: true, events: [s3.EventType.REPLICATION_OPERATION_FAILED_REPLICATION] })] }),
    path: 'Stack/Fn',
    prop: '`S3Source(Stack/Uploads).events`',
    allowed: 'events S3 sends to EventBridge',
    given: 'got s3:Replication:OperationFailedReplication',
  },
  {
    name: 'an EventBridge S3 source on an imported bucket',
    build: (c) => c.fn({ events: [new S3Source(s3.Bucket.fromBucketName(c.stack, 'Uploads', 'uploads'), { viaEventBridge: true })] }),
    path: 'Stack/Fn',
    prop: 'S3Source(Stack/Uploads) with `viaEventBridge`',
    allowed: 'needs a bucket defined in this app',
    given: 'for an imported bucket',
  },
  // Powertools, secrets and parameters (issue 14)
  { name: 'an esbuild flag that breaks the one-pass build', build: (c) => c.fn({ bundling: { esbuildArgs: { '--splitting': 'true' } } }), path: 'Stack/Fn', prop: '`bundling.esbuildArgs`', allowed: 'esbuild flags that keep one bundle per function', given: 'got "--splitting"' },
  { name: 'copyFiles matching no file', build: (c) => c.fn({ entry: path.join(root, 'src', 'handler.ts'), bundling: { copyFiles: [{ include: 'certs/*.pem' }] } }), path: 'Stack/Fn', prop: '`bundling.copyFiles` `include`', allowed: 'must match at least one file', given: 'got "certs/*.pem" (matches none)' },
  { name: 'copyFiles outside the project root', build: (c) => c.fn({ entry: path.join(root, 'src', 'handler.ts'), bundling: { copyFiles: [{ include: '../x' }] } }), path: 'Stack/Fn', prop: '`bundling.copyFiles` `include`', allowed: 'inside the project root', given: 'got "../x"' },
  { name: 'a metrics namespace CloudWatch reserves', build: (c) => c.fn({ powertools: { metricsNamespace: 'AWS/Lambda' } }), path: 'Stack/Fn', prop: '`powertools.metricsNamespace`', allowed: 'not start with "AWS/"', given: 'got "AWS/Lambda"' },
  { name: 'the Powertools layer on a runtime it is not published for', build: (c) => c.fn({ runtime: lambda.Runtime.NODEJS_20_X, powertools: {} }), path: 'Stack/Fn', prop: '`powertools`', allowed: 'published for nodejs22.x and nodejs24.x', given: "not for the function's nodejs20.x" },
  { name: 'a secret and an environment variable of the same name', build: (c) => c.fn({ environment: { DB: 'x' }, secrets: { DB: new secretsmanager.Secret(c.stack, 'Db') } }), path: 'Stack/Fn', prop: '`secrets`', allowed: 'must not both set', given: '"DB"' },

  // Schedules (EventBridge Scheduler)
  { name: 'a schedule with 186 retries', build: (c) => c.fn().addEventSource(new ScheduleSource(everyHour, { retryAttempts: 186 })), path: 'Stack/Fn', prop: '`ScheduleSource(rate(1 hour)).retryAttempts`', allowed: 'from 0 to 185', given: 'got 186' },
  { name: 'a schedule with a maximum event age under a minute', build: (c) => c.fn().addEventSource(new ScheduleSource(everyHour, { maxEventAge: Duration.seconds(30) })), path: 'Stack/Fn', prop: '`ScheduleSource(rate(1 hour)).maxEventAge`', allowed: 'whole seconds from 60 seconds to 24 hours', given: 'got 30 seconds' },
  { name: 'a schedule with a time window over a day', build: (c) => c.fn().addEventSource(new ScheduleSource(everyHour, { timeWindow: Duration.minutes(1441) })), path: 'Stack/Fn', prop: '`ScheduleSource(rate(1 hour)).timeWindow`', allowed: 'whole minutes from 1 to 1440 minutes', given: 'got 1 day 1 minute' },
  { name: 'a cron schedule with hour 24', build: (c) => c.fn().addEventSource(new ScheduleSource(scheduler.ScheduleExpression.expression('cron(0 24 * * ? *)'))), path: 'Stack/Fn', prop: '`ScheduleSource(cron(0 24 * * ? *)).expression` hours', allowed: 'must be 0-23', given: 'got "24"' },
  { name: 'a cron schedule with both day fields set', build: (c) => c.fn().addEventSource(new ScheduleSource(scheduler.ScheduleExpression.expression('cron(0 8 1 * MON *)'))), path: 'Stack/Fn', prop: '`ScheduleSource(cron(0 8 1 * MON *)).expression`', allowed: '"?" in exactly one of day-of-month and day-of-week', given: 'got "1" and "MON"' },
  { name: 'a cron schedule with five fields', build: (c) => c.fn().addEventSource(new ScheduleSource(scheduler.ScheduleExpression.expression('cron(0 8 * * ?)'))), path: 'Stack/Fn', prop: '`ScheduleSource(cron(0 8 * * ?)).expression`', allowed: 'six cron fields', given: 'got 5' },
  { name: 'a rate schedule in weeks', build: (c) => c.fn().addEventSource(new ScheduleSource(scheduler.ScheduleExpression.expression('rate(2 weeks)'))), path: 'Stack/Fn', prop: '`ScheduleSource(rate(2 weeks)).expression`', allowed: 'a unit of minute(s), hour(s) or day(s)', given: 'got "rate(2 weeks)"' },
  { name: 'a one-time schedule on a date that does not exist', build: (c) => c.fn().addEventSource(new ScheduleSource(scheduler.ScheduleExpression.expression('at(2027-02-30T08:00:00)'))), path: 'Stack/Fn', prop: '`ScheduleSource(at(2027-02-30T08:00:00)).expression`', allowed: 'a real date and time', given: 'got "at(2027-02-30T08:00:00)"' },

  // SNS
  {
    name: 'an SNS source filtering both attributes and body',
    build: (c) => c.fn().addEventSource(new SnsSource(new sns.Topic(c.stack, 'Topic'), {
      filterPolicy: { a: sns.SubscriptionFilter.existsFilter() },
      filterPolicyWithMessageBody: { a: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.existsFilter()) },
    })),
    path: 'Stack/Fn',
    prop: '`SnsSource(Stack/Topic).filterPolicy` and `filterPolicyWithMessageBody`',
    allowed: 'cannot both be set',
    given: 'a subscription filters either attributes or the body',
  },

  // EventBridge
  { name: 'an EventBridge source with neither pattern nor rule', build: (c) => c.fn().addEventSource(new EventBridgeSource({})), path: 'Stack/Fn', prop: '`EventBridgeSource.eventPattern` or `rule`', allowed: 'must be given', given: 'got neither' },
  { name: 'an EventBridge source with 200 retries', build: (c) => c.fn().addEventSource(new EventBridgeSource({ eventPattern: { source: ['shop'] }, retryAttempts: 200 })), path: 'Stack/Fn', prop: '`EventBridgeSource.retryAttempts`', allowed: 'from 0 to 185', given: 'got 200' },
  { name: 'an EventBridge source with a maximum event age over a day', build: (c) => c.fn().addEventSource(new EventBridgeSource({ eventPattern: { source: ['shop'] }, maxEventAge: Duration.hours(25) })), path: 'Stack/Fn', prop: '`EventBridgeSource.maxEventAge`', allowed: 'whole seconds from 60 seconds to 24 hours', given: 'got 1 day 1 hour' },
  { name: 'an empty event pattern', build: (c) => c.fn().addEventSource(new EventBridgeSource({ eventPattern: {} })), path: 'Stack/Fn', prop: '`EventBridgeSource.eventPattern`', allowed: 'at least one field', given: 'got an empty pattern' },
  { name: 'an event pattern with an empty array', build: (c) => c.fn().addEventSource(new EventBridgeSource({ eventPattern: { source: [] } })), path: 'Stack/Fn', prop: '`EventBridgeSource.eventPattern` source', allowed: 'at least one value', given: 'got []' },
  { name: 'an event pattern with an unknown content filter', build: (c) => c.fn().addEventSource(new EventBridgeSource({ eventPattern: { detail: { key: [{ startsWith: 'a' }] } } })), path: 'Stack/Fn', prop: '`EventBridgeSource.eventPattern` detail.key', allowed: 'content filters must be one of prefix, suffix', given: 'got {"startsWith":"a"}' },
];

errors.push(
  { name: 'an S3Source with no events', build: (c) => c.fn().addEventSource(new S3Source(new s3.Bucket(c.stack, 'B'), { events: [] })), path: 'Stack/Fn', prop: '`S3Source(Stack/B).events`', allowed: 'at least one event type', given: 'got []' },
  { name: 'an S3Source with an empty prefix', build: (c) => c.fn().addEventSource(new S3Source(new s3.Bucket(c.stack, 'B'), { filters: [{ prefix: '' }] })), path: 'Stack/Fn', prop: '`S3Source(Stack/B).filters[0].prefix`', allowed: 'non-empty string', given: 'got ""' },
  { name: 'a WorkerQueue retention over 14 days', build: (c) => new WorkerQueue(c.stack, 'Work', { consumer: c.fn(), retentionPeriod: Duration.days(15) }), path: 'Stack/Work', prop: '`retentionPeriod`', allowed: 'from 60 seconds to 14 days', given: 'got 15 days' },
  {
    name: 'a WorkerQueue retention shorter than its redrive',
    build: (c) => new WorkerQueue(c.stack, 'Work', { consumer: c.fn({ timeout: Duration.minutes(10) }), maxReceiveCount: 100 }),
    path: 'Stack/Work',
    prop: '`retentionPeriod` (4 days)',
    allowed: 'at least the visibility timeout × `maxReceiveCount`',
    given: '3600 seconds × 100',
  },
  {
    name: 'the same queue added twice as a source',
    build: (c) => {
      const fn = c.fn();
      const q = queue(c.stack);
      fn.addEventSource(new SqsSource(q));
      fn.addEventSource(new SqsSource(q));
    },
    path: 'Stack/Fn',
    prop: '`SqsSource(Stack/Queue)`',
    allowed: 'added once per function',
    given: 'got it a second time',
  },
  {
    name: 'a FIFO queue as a stream failure destination',
    build: (c) => c.fn().addEventSource(new DynamoStreamSource(streamTable(c.stack), { onFailure: StreamFailureDestination.queue(new sqs.Queue(c.stack, 'F', { fifo: true })) })),
    path: 'Stack/Fn',
    prop: '`DynamoStreamSource(Stack/Table).onFailure`',
    allowed: 'standard (not FIFO) queue',
    given: 'got Stack/F',
  },
  {
    name: 'a DynamoDB stream starting AT_TIMESTAMP',
    build: (c) => c.fn().addEventSource(new DynamoStreamSource(streamTable(c.stack), { startingPosition: lambda.StartingPosition.AT_TIMESTAMP })),
    path: 'Stack/Fn',
    prop: '`DynamoStreamSource(Stack/Table).startingPosition`',
    allowed: 'LATEST or TRIM_HORIZON',
    given: 'got AT_TIMESTAMP',
  },
  {
    name: 'a Kinesis stream starting AT_TIMESTAMP without a timestamp',
    build: (c) => c.fn().addEventSource(new KinesisStreamSource(new kinesis.Stream(c.stack, 'S'), { startingPosition: lambda.StartingPosition.AT_TIMESTAMP })),
    path: 'Stack/Fn',
    prop: '`KinesisStreamSource(Stack/S).startingPositionTimestamp`',
    allowed: 'must be set with AT_TIMESTAMP',
    given: 'got none',
  },
);

const warnings: WarningCase[] = [
  { name: 'an EventBridge rule invoking the function without its alias', build: (c) => new events.Rule(c.stack, 'Nightly', { schedule: events.Schedule.rate(Duration.days(1)), targets: [new eventtargets.LambdaFunction(c.fn())] }), path: '/Stack/Fn', id: 'cdk-lambda-kit:invokedWithoutAlias' },
  {
    name: 'a WorkerQueue whose explicit retention is shorter than its explicit redrive',
    build: (c) => new WorkerQueue(c.stack, 'Work', { consumer: c.fn({ timeout: Duration.minutes(10) }), maxReceiveCount: 50, retentionPeriod: Duration.days(1) }),
    path: '/Stack/Work',
    id: 'cdk-lambda-kit:retentionBelowRedrive',
  },
  { name: 'a public function URL', build: (c) => c.fn({ functionUrl: { authType: lambda.FunctionUrlAuthType.NONE } }), path: '/Stack/Fn', id: 'cdk-lambda-kit:publicFunctionUrl' },
  {
    name: 'CORS credentials with any origin',
    build: (c) => c.fn({ functionUrl: { cors: { allowedOrigins: ['*'], allowCredentials: true } } }),
    path: '/Stack/Fn',
    id: 'cdk-lambda-kit:corsCredentialsWithAnyOrigin',
  },
  { name: 'a deployment with nothing to roll back on', build: (c) => c.fn({ alarms: { errors: false }, deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(5) }) }), path: '/Stack/Fn', id: 'cdk-lambda-kit:deploymentWithoutAlarms' },
  { name: 'a visibility timeout under six function timeouts', build: (c) => c.fn({ timeout: Duration.seconds(30) }).addEventSource(new SqsSource(queue(c.stack, { visibilityTimeout: Duration.seconds(60) }))), path: '/Stack/Fn', id: 'cdk-lambda-kit:sqsVisibilityTimeout' },
  { name: 'aws-cdk-lib\'s DynamoEventSource with its default unbounded retries', build: (c) => c.fn().addEventSource(new DynamoEventSource(streamTable(c.stack), { startingPosition: lambda.StartingPosition.LATEST, onFailure: new SqsDlq(queue(c.stack)) })), path: '/Stack/Fn', id: 'cdk-lambda-kit:unboundedStreamRetries' },
  { name: 'aws-cdk-lib\'s KinesisEventSource without an on-failure destination', build: (c) => c.fn().addEventSource(new KinesisEventSource(new kinesis.Stream(c.stack, 'Stream'), { startingPosition: lambda.StartingPosition.LATEST, retryAttempts: 2 })), path: '/Stack/Fn', id: 'cdk-lambda-kit:streamWithoutOnFailure' },
  { name: 'a queue without a dead-letter queue', build: (c) => c.fn().addEventSource(new SqsSource(queue(c.stack))), path: '/Stack/Fn', id: 'cdk-lambda-kit:queueWithoutRedrive' },
  {
    name: 'a timeout that is a token (no duration alarm)',
    build: (c) => c.fn({ timeout: Duration.seconds(Token.asNumber(new CfnParameter(c.stack, 'T', { type: 'Number' }).value)) }),
    path: '/Stack/Fn/Alarms',
    id: 'cdk-lambda-kit:durationAlarmSkipped',
  },
  {
    name: 'an external module that a layer of unknown contents may provide',
    bundled: true,
    build: (c) => c.fn({
      entry: path.join(root, 'src', 'uses-left-pad.ts'),
      bundling: { externalModules: ['left-pad'] },
      layers: [lambda.LayerVersion.fromLayerVersionArn(c.stack, 'L', 'arn:aws:lambda:us-east-1:123456789012:layer:l:1')],
    }),
    path: '/Stack/Fn',
    id: 'cdk-lambda-kit:externalNotProvided',
  },
  { name: 'a bundle over its size budget', bundled: true, build: (c) => c.fn({ entry: path.join(root, 'src', 'handler.ts'), bundling: { sizeBudget: Size.bytes(10) } }), path: '/Stack/Fn', id: 'cdk-lambda-kit:bundleSizeBudget' },
  { name: 'a credential in plain text in the environment', build: (c) => c.fn({ environment: { DB_PASSWORD: 'hunter2' } }), path: '/Stack/Fn', id: 'cdk-lambda-kit:plaintextSecret' },
];

/** Run a case and return the error message it fails with, or undefined when it synthesizes. */
test('the matrix has at least 60 invalid configurations', () => {
  expect(errors.length + warnings.length).toBeGreaterThanOrEqual(60);
  expect(new Set([...errors, ...warnings].map((c) => c.name)).size).toEqual(errors.length + warnings.length);
});

describe.each(errors)('fails if $name', (c) => {
  test('with the construct path, the prop, what is allowed and the value given', () => {
    const message = failureOf(context(c.bundled), c.build);
    expect(message).toBeDefined();
    expect(message!.startsWith(`${c.path}: `) || message!.startsWith(`Validation failed with the following errors:\n  [${c.path}]`)).toBe(true);
    expect(message).toContain(c.prop);
    expect(message).toContain(c.allowed);
    expect(message).toContain(c.given);
  });
});

describe.each(warnings)('warns if $name', (c) => {
  test('with a stable id', () => {
    const ctx = context(c.bundled);
    expect(failureOf(ctx, c.build)).toBeUndefined();
    Annotations.fromStack(ctx.stack).hasWarning(c.path ?? '/Stack/Fn', Match.stringLikeRegexp(`\\[ack: ${c.id}\\]`));
  });
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
