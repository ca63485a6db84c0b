import * as path from 'path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { ServerlessFunction } from '../../src';
import { plaintextCredentialKeys } from '../../src/function/secrets';
import { makeProject, makeUnbundledApp, unbundledFunction } from '../helpers';

const root = makeProject({ 'src/a.ts': 'export const handler = async () => 1;\n' });
const entry = path.join(root, 'src/a.ts');

/** The statements of the function's default policy. */
function statements(template: Template): any[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values<any>(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('secrets and parameters', () => {
  test('a secret\'s ARN goes into the environment, never its value, and the function may read it and decrypt its key', () => {
    const { stack } = makeUnbundledApp();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const secret = new secretsmanager.Secret(stack, 'Db', { encryptionKey: key });
    new ServerlessFunction(stack, 'Fn', { entry, secrets: { DB_SECRET_ARN: secret } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { DB_SECRET_ARN: { Ref: stack.getLogicalId(secret.node.defaultChild as secretsmanager.CfnSecret) } } },
    });
    const actions = statements(template).flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']));
    // The key policy lets the function's role decrypt through Secrets Manager.
    const keyPolicy = JSON.stringify(template.findResources('AWS::KMS::Key'));
    expect(keyPolicy).toMatch(/kms:Decrypt/);
    expect(keyPolicy).toMatch(/FnServiceRole/);
  });

  test('a parameter\'s name goes into the environment and the function may read it (and decrypt a SecureString key)', () => {
    const { stack } = makeUnbundledApp();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const flags = new ssm.StringParameter(stack, 'Flags', { parameterName: '/shop/flags', stringValue: '{}' });
    const apiKey = ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'ApiKey', { parameterName: '/shop/api-key', encryptionKey: key });
    new ServerlessFunction(stack, 'Fn', { entry, parameters: { FLAGS_PARAMETER: flags, API_KEY_PARAMETER: apiKey } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { FLAGS_PARAMETER: { Ref: Match.anyValue() }, API_KEY_PARAMETER: '/shop/api-key' } },
    });
    const all = statements(template);
    const actions = all.flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['ssm:GetParameter', 'kms:Decrypt']));
    expect(JSON.stringify(all)).toMatch(/parameter\/shop\/api-key/);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('plaintextSecret'))).toEqual([]);
  });

  test('with the AWS Parameters and Secrets Lambda Extension (`paramsAndSecrets` passes through)', () => {
    const { stack } = makeUnbundledApp();
    const secret = new secretsmanager.Secret(stack, 'Db');
    new ServerlessFunction(stack, 'Fn', {
      entry,
      secrets: { DB_SECRET_ARN: secret },
      paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion.fromVersion(lambda.ParamsAndSecretsVersions.V1_0_103),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Layers: [Match.anyValue()],
      Environment: { Variables: { DB_SECRET_ARN: Match.anyValue(), PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773' } },
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('plaintextSecret'))).toEqual([]);
  });

  test('fails if `secrets` and `environment` set the same variable', () => {
    const { stack } = makeUnbundledApp();
    const secret = new secretsmanager.Secret(stack, 'Db');
    expect(() => new ServerlessFunction(stack, 'Fn', { entry, environment: { DB: 'x' }, secrets: { DB: secret } }))
      .toThrow(/`secrets` and `environment` must not both set "DB"/);
  });

  test('fails if `secrets` and `parameters` set the same variable', () => {
    const { stack } = makeUnbundledApp();
    const secret = new secretsmanager.Secret(stack, 'Db');
    const parameter = ssm.StringParameter.fromStringParameterName(stack, 'P', '/p');
    expect(() => new ServerlessFunction(stack, 'Fn', { entry, secrets: { DB: secret }, parameters: { DB: parameter } }))
      .toThrow(/`secrets` and `parameters` must not both set "DB"/);
  });
});

describe('plaintextSecret', () => {
  test('warns with a stable id on a literal credential in the environment, also one added later', () => {
    const { stack, fn } = unbundledFunction({ entry, environment: { DB_PASSWORD: 'hunter2', STAGE: 'prod' } });
    fn.addEnvironment('STRIPE_API_KEY', 'sk_live_abc123');
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Fn', Match.stringLikeRegexp('cdk-lambda-kit:plaintextSecret'));
    expect(warnings.map((w) => (w.entry.data as string).match(/`environment\.(\w+)`/)![1]).sort()).toEqual(['DB_PASSWORD', 'STRIPE_API_KEY']);
  });

  test('does not warn on references, tokens, settings and ordinary names', () => {
    const { stack } = makeUnbundledApp();
    const secret = new secretsmanager.Secret(stack, 'Db');
    new ServerlessFunction(stack, 'Fn', {
      entry,
      environment: {
        DB_SECRET_ARN: secret.secretArn,
        TOKEN_TTL: '3600',
        API_KEY_PARAMETER: '/shop/api-key',
        SECRET_NAME: 'prod/db',
        AUTH_TOKEN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x',
        USE_TOKENS: 'true',
        SERVICE: 'orders',
      },
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('plaintextSecret'))).toEqual([]);
  });

  test.each([
    ['PASSWORD', 'p4ss'], ['DB_PASSWORD', 'hunter2'], ['GITHUB_TOKEN', 'ghp_x'], ['API_KEY', 'abc'], ['JWT_SECRET', 's3cr3t'],
    ['PRIVATE_KEY', '-----BEGIN'], ['AWS_SECRET_ACCESS_KEY_2', 'x'],
  ])('%s with a literal value is a credential', (key, value) => {
    expect(plaintextCredentialKeys({ [key]: value })).toEqual([key]);
  });

  test.each([
    ['DB_SECRET_ARN', 'x'], ['TOKEN_TTL', '300'], ['SECRETS_MANAGER_TTL', '300'], ['API_KEY_PARAMETER', '/p'], ['LOG_LEVEL', 'x'],
    ['PASSWORD', ''], ['SECRET', 'arn:aws:secretsmanager:eu-west-1:1:secret:s'],
  ])('%s=%s is not', (key, value) => {
    expect(plaintextCredentialKeys({ [key]: value })).toEqual([]);
  });
});
