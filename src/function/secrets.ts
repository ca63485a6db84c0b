import { Annotations, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';

/**
 * Secrets and parameters of a function: read access for the function, and their ARN or name (never their value) in
 * its environment.
 */

/** Problems with `secrets` and `parameters`: keys set twice, or also in `environment`. */
export function checkSecretKeys(
  secrets: Record<string, secretsmanager.ISecret> | undefined,
  parameters: Record<string, ssm.IParameter> | undefined,
  environment: Record<string, string> | undefined,
): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(secrets ?? {})) {
    if (parameters && key in parameters) {
      problems.push(`\`secrets\` and \`parameters\` must not both set "${key}"`);
    }
  }
  for (const [prop, keys] of [['secrets', Object.keys(secrets ?? {})], ['parameters', Object.keys(parameters ?? {})]] as const) {
    for (const key of keys) {
      if (environment && key in environment) {
        problems.push(`\`${prop}\` and \`environment\` must not both set "${key}": \`${prop}\` puts the reference there`);
      }
    }
  }
  return problems;
}

/**
 * Grant the function read access to each secret and parameter (with `kms:Decrypt` on their keys where they have one)
 * and return the environment: the secret's ARN, the parameter's name.
 */
export function bindSecrets(
  grantee: iam.IGrantable,
  secrets: Record<string, secretsmanager.ISecret> | undefined,
  parameters: Record<string, ssm.IParameter> | undefined,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [key, secret] of Object.entries(secrets ?? {})) {
    secret.grantRead(grantee);
    environment[key] = secret.secretArn;
  }
  for (const [key, parameter] of Object.entries(parameters ?? {})) {
    parameter.grantRead(grantee);
    environment[key] = parameter.parameterName;
  }
  return environment;
}

/** Key names that say "credential". */
const CREDENTIAL_KEY = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CLIENT_?KEY|CREDENTIALS?|AUTH_?KEY|SIGNING_?KEY)/i;

/** Key names that say "a reference to, or a setting of, a credential", not the credential itself. */
const REFERENCE_KEY = /_(ARN|NAME|ID|PATH|PARAM|PARAMETER|PARAMETER_NAME|URL|URI|TTL|TIMEOUT|TIMEOUT_MILLIS|PORT|HEADER|ENABLED|REGION|ENDPOINT|FILE|LENGTH|EXPIRY|EXPIRATION|HEADER_NAME|TYPE|LOCATION|VERSION|STAGE)$/i;

/** Variables the AWS Parameters and Secrets Lambda Extension reads (settings, not credentials). */
const EXTENSION_KEY = /^(PARAMETERS_SECRETS_EXTENSION_|SECRETS_MANAGER_|SSM_PARAMETER_STORE_)/;

/**
 * The keys of environment variables that look like a credential in plain text: a credential-like key name with a
 * literal value that is not a reference (a token, an ARN, a parameter path, a dynamic reference) nor a number or a
 * boolean.
 */
export function plaintextCredentialKeys(variables: Record<string, unknown> | undefined, references: string[] = []): string[] {
  const keys: string[] = [];
  for (const [key, value] of Object.entries(variables ?? {})) {
    if (Token.isUnresolved(key) || references.includes(key) || !CREDENTIAL_KEY.test(key) || REFERENCE_KEY.test(key) || EXTENSION_KEY.test(key)) {
      continue;
    }
    if (typeof value !== 'string' || Token.isUnresolved(value)) {
      continue;
    }
    const v = value.trim();
    if (v === '' || /^(true|false|yes|no|on|off|none|null)$/i.test(v) || /^-?\d+(\.\d+)?$/.test(v)
      || v.startsWith('arn:') || v.startsWith('/') || v.startsWith('{{resolve:')) {
      continue;
    }
    keys.push(key);
  }
  return keys;
}

/** Warn about environment values that look like credentials in plain text. */
export function warnPlaintextCredentials(fn: lambda.Function, references: string[]): void {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const environment = fn.stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
  for (const key of plaintextCredentialKeys(environment?.variables, references)) {
    Annotations.of(fn).addWarningV2('cdk-lambda-kit:plaintextSecret',
      `\`environment.${key}\` looks like a credential in plain text (anyone who can read the function's configuration ` +
      'or the template can read it): keep it in Secrets Manager or SSM Parameter Store and pass it in `secrets` or ' +
      '`parameters`, which put its ARN or name in the environment and grant read access');
  }
}
