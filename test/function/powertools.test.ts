import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PowertoolsLogLevel, ServerlessFunction } from '../../src';
import { POWERTOOLS_LAYER_PACKAGES, POWERTOOLS_VERSION } from '../../src/function/powertools';
import { invokeInLambdaRuntime, runtimeOptionsOf } from '../../src/testing';
import { linkRepoNodeModules, makeApp, makeProject, makeUnbundledApp } from '../helpers';

const REPO = path.join(__dirname, '..', '..');
const HANDLER = "import { Logger } from '@aws-lambda-powertools/logger';\nconst logger = new Logger();\nexport const handler = async () => { logger.info('hi'); return 1; };\n";

/** A project whose node_modules holds Powertools packages at a version. */
function projectWithPowertools(version: string): string {
  const files: Record<string, string> = { 'src/fn.ts': HANDLER };
  for (const name of ['logger', 'commons']) {
    files[`node_modules/@aws-lambda-powertools/${name}/package.json`] = JSON.stringify({ name: `@aws-lambda-powertools/${name}`, version, main: 'index.js' });
    files[`node_modules/@aws-lambda-powertools/${name}/index.js`] = 'exports.Logger = class {};\n';
  }
  return makeProject(files);
}

function unbundledStack(region?: string): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return new Stack(app, 'Stack', region ? { env: { region, account: '123456789012' } } : undefined);
}

describe('powertools', () => {
  const root = projectWithPowertools(POWERTOOLS_VERSION);
  const entry = path.join(root, 'src/fn.ts');

  test('sets the service name, metrics namespace and log level, and attaches the layer for the region', () => {
    const stack = unbundledStack('eu-west-1');
    new ServerlessFunction(stack, 'Orders', {
      entry,
      powertools: { serviceName: 'orders', metricsNamespace: 'Shop', logLevel: PowertoolsLogLevel.DEBUG },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'orders', POWERTOOLS_METRICS_NAMESPACE: 'Shop', POWERTOOLS_LOG_LEVEL: 'DEBUG' } },
      Layers: ['arn:aws:lambda:eu-west-1:094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:50'],
      // Lambda's own level would win over POWERTOOLS_LOG_LEVEL: it follows.
      LoggingConfig: { ApplicationLogLevel: 'DEBUG', LogFormat: 'JSON' },
    });
  });

  test('defaults: the construct ID as service name, INFO, no namespace', () => {
    const stack = unbundledStack('us-east-1');
    new ServerlessFunction(stack, 'Orders', { entry, powertools: {} });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'Orders', POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_NAMESPACE: Match.absent() } },
      LoggingConfig: { ApplicationLogLevel: 'INFO' },
    });
  });

  test('a user-supplied applicationLogLevelV2 is kept', () => {
    const stack = unbundledStack('us-east-1');
    new ServerlessFunction(stack, 'Orders', { entry, powertools: { logLevel: PowertoolsLogLevel.DEBUG }, applicationLogLevelV2: lambda.ApplicationLogLevel.WARN });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { ApplicationLogLevel: 'WARN' } });
  });

  test('GovCloud and China use their own partition and account', () => {
    const gov = unbundledStack('us-gov-west-1');
    new ServerlessFunction(gov, 'Fn', { entry, powertools: {} });
    Template.fromStack(gov).hasResourceProperties('AWS::Lambda::Function', {
      Layers: ['arn:aws-us-gov:lambda:us-gov-west-1:165093116878:layer:AWSLambdaPowertoolsTypeScriptV2:50'],
    });
    const cn = unbundledStack('cn-north-1');
    new ServerlessFunction(cn, 'Fn', { entry, powertools: {} });
    Template.fromStack(cn).hasResourceProperties('AWS::Lambda::Function', {
      Layers: ['arn:aws-cn:lambda:cn-north-1:498634801083:layer:AWSLambdaPowertoolsTypeScriptV2:50'],
    });
  });

  test('a stack without a region gets the deploy-time region in the ARN', () => {
    const { stack } = makeUnbundledApp();
    new ServerlessFunction(stack, 'Fn', { entry, powertools: {} });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Layers: [{ 'Fn::Join': ['', ['arn:aws:lambda:', { Ref: 'AWS::Region' }, ':094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:50']] }],
    });
  });

  test('layer: false attaches no layer', () => {
    const stack = unbundledStack('us-east-1');
    new ServerlessFunction(stack, 'Fn', { entry, powertools: { layer: false } });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Layers: Match.absent() });
  });

  test('fails if the region has no layer of the pinned version', () => {
    const stack = unbundledStack('me-south-1');
    expect(() => new ServerlessFunction(stack, 'Fn', { entry, powertools: {} }))
      .toThrow(/Stack\/Fn: `powertools`: the Powertools layer version 50 \(Powertools 2\.35\.0\) is not published in me-south-1/);
  });

  test('fails if the runtime is not one the layer is published for', () => {
    const stack = unbundledStack('us-east-1');
    expect(() => new ServerlessFunction(stack, 'Fn', { entry, runtime: lambda.Runtime.NODEJS_20_X, powertools: {} }))
      .toThrow(/`powertools`: the Powertools layer is published for nodejs22.x and nodejs24.x, not for the function's nodejs20.x/);
  });

  test('fails if the environment contradicts powertools', () => {
    const stack = unbundledStack('us-east-1');
    expect(() => new ServerlessFunction(stack, 'Fn', { entry, environment: { POWERTOOLS_SERVICE_NAME: 'a' }, powertools: { serviceName: 'b' } }))
      .toThrow(/`environment.POWERTOOLS_SERVICE_NAME` \("a"\) contradicts `powertools`, which sets it to "b"/);
  });

  test('fails if the metrics namespace is reserved by CloudWatch', () => {
    const stack = unbundledStack('us-east-1');
    expect(() => new ServerlessFunction(stack, 'Fn', { entry, powertools: { metricsNamespace: 'AWS/Lambda' } }))
      .toThrow(/`powertools.metricsNamespace` must be 1 to 255 characters and not start with "AWS\/".*got "AWS\/Lambda"/);
  });

  test('fails if the layer would be the sixth', () => {
    const stack = unbundledStack('us-east-1');
    const layers = [1, 2, 3, 4, 5].map((n) => lambda.LayerVersion.fromLayerVersionArn(stack, `L${n}`, `arn:aws:lambda:us-east-1:123456789012:layer:l${n}:1`));
    expect(() => new ServerlessFunction(stack, 'Fn', { entry, layers, powertools: {} }))
      .toThrow(/`layers` must hold at most 4 layers with `powertools`, which add a layer/);
  });
});

describe('powertools bundling', () => {
  test('the layer\'s packages are left out of the bundle, without an externalNotProvided warning', () => {
    const root = projectWithPowertools(POWERTOOLS_VERSION);
    const { app, stack } = makeApp();
    const fn = new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts'), powertools: {} });
    const assembly = app.synth();
    const logicalId = stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
    const key = Template.fromStack(stack).toJSON().Resources[logicalId].Properties.Code.S3Key as string;
    const bundle = fs.readFileSync(path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
    expect(bundle).toMatch(/from"@aws-lambda-powertools\/logger"/);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('externalNotProvided'))).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('powertoolsVersionSkew'))).toEqual([]);
  });

  test('layer: false bundles Powertools', () => {
    const root = projectWithPowertools(POWERTOOLS_VERSION);
    const { app, stack } = makeApp();
    new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts'), powertools: { layer: false } });
    const assembly = app.synth();
    const assets = fs.readdirSync(assembly.directory).filter((d) => d.startsWith('asset.'));
    const bundle = fs.readFileSync(path.join(assembly.directory, assets[0], 'index.mjs'), 'utf8');
    expect(bundle).not.toMatch(/@aws-lambda-powertools\/logger/);
  });

  test('warns with a stable id when the project resolves another Powertools version than the layer\'s', () => {
    const root = projectWithPowertools('2.20.0');
    const { stack } = makeUnbundledApp();
    new ServerlessFunction(stack, 'Fn', { entry: path.join(root, 'src/fn.ts'), powertools: {} });
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp(
      `the Powertools layer provides @aws-lambda-powertools/logger@${POWERTOOLS_VERSION.replace(/\./g, '\\.')}, but this function's workspace locks @aws-lambda-powertools/logger@2\\.20\\.0.*\\[ack: cdk-lambda-kit:powertoolsVersionSkew\\]`));
  });

  test('the bundle logs through the layer\'s Logger in the Lambda runtime client', async () => {
    // The layer's packages, as Lambda mounts them: the repository's devDependencies at the layer's version.
    const layerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'powertools-layer-'));
    for (const pkg of ['@aws-lambda-powertools/logger', '@aws-lambda-powertools/commons', '@aws/lambda-invoke-store']) {
      fs.cpSync(path.join(REPO, 'node_modules', pkg), path.join(layerDir, 'nodejs', 'node_modules', pkg), { recursive: true });
    }
    expect(JSON.parse(fs.readFileSync(path.join(layerDir, 'nodejs/node_modules/@aws-lambda-powertools/logger/package.json'), 'utf8')).version).toEqual(POWERTOOLS_VERSION);
    const project = makeProject({
      'src/fn.ts': "import { Logger } from '@aws-lambda-powertools/logger';\nconst logger = new Logger();\n" +
        "export const handler = async () => { logger.info('order placed'); return { service: process.env.POWERTOOLS_SERVICE_NAME }; };\n",
    });
    // Resolve Powertools from the repository (as a project with it installed would).
    linkRepoNodeModules(project);
    const { app, stack } = makeApp();
    const fn = new ServerlessFunction(stack, 'Fn', { entry: path.join(project, 'src/fn.ts'), powertools: { serviceName: 'orders' } });
    app.synth();
    const options = runtimeOptionsOf(fn, { layerDirs: [layerDir] });
    expect(await invokeInLambdaRuntime(options, {})).toEqual({ service: 'orders' });
    await expect(invokeInLambdaRuntime({ ...options, layerDirs: [] }, {})).rejects.toThrow(/Cannot find package '@aws-lambda-powertools\/logger'/);
  });
});

test('the layer ships the packages left out of the bundle', () => {
  expect(POWERTOOLS_LAYER_PACKAGES).toContain('@aws-lambda-powertools/logger');
  expect(POWERTOOLS_LAYER_PACKAGES).not.toContain('@aws-lambda-powertools/kafka');
});
