import { Annotations, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { checkEnvironment } from '../core/limits';

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
  // Their keys become environment variables: checked here so that the message names the prop the key was given in.
  for (const [prop, keys] of [['secrets', Object.keys(secrets ?? {})], ['parameters', Object.keys(parameters ?? {})]] as const) {
    for (const key of keys) {
      problems.push(...checkEnvironment({ [key]: '' }).filter((p) => !p.includes('4 KB')).map((p) => p.replace(/^`environment`/, `\`${prop}\``)));
    }
  }
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
const CREDENTIAL_KEY = /(PASSWORD|PASSWD|PASSPHRASE|(^|_)PASS($|_)|(^|_)PWD($|_)|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CLIENT_?KEY|CREDENTIALS?|AUTH_?KEY|SIGNING_?KEY)/i;

/** Key names that say "a reference to, or a setting of, a credential", not the credential itself. */
const REFERENCE_KEY = /_(ARN|NAME|ID|PATH|PARAM|PARAMETER|PARAMETER_NAME|URL|URI|TTL|TIMEOUT|TIMEOUT_MILLIS|PORT|HEADER|ENABLED|REGION|ENDPOINT|FILE|LENGTH|EXPIRY|EXPIRATION|HEADER_NAME|TYPE|LOCATION|VERSION|STAGE|ISSUER|AUDIENCE|POLICY|SCOPES?|ALGORITHM|USER|USERNAME|ROTATION_DAYS|PREFIX)$/i;

/** Variables the AWS Parameters and Secrets Lambda Extension reads (settings, not credentials). */
const EXTENSION_KEY = /^(PARAMETERS_SECRETS_EXTENSION_|SECRETS_MANAGER_|SSM_PARAMETER_STORE_)/;

/**
 * Values that are credentials whatever the key: tokens with a published format (GitHub, AWS access keys, Slack,
 * Stripe, private keys).
 */
const CREDENTIAL_VALUE = /^(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|(AKIA|ASIA)[0-9A-Z]{16}|xox[abposr]-[A-Za-z0-9-]{10,}|[rs]k_live_[A-Za-z0-9]{10,}|-----BEGIN [A-Z ]*PRIVATE KEY-----)/;

/** A URL with a password in its user information (`postgres://user:password@host/db`). */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:([^\s/@]+)@/i;

/** A value that is a name or path of a secret or parameter (`prod/orders/db`), not a secret. */
const NAME_LIKE = /^[a-z0-9_.-]+(\/[a-z0-9_.-]+)+$/;

/** Why an environment value looks like a credential in plain text. */
export interface PlaintextCredential {
  readonly key: string;
  readonly reason: string;
}

/**
 * Environment variables that hold a credential in plain text: a credential-like key with a literal value that is not
 * a reference (a token, an ARN, a parameter path or a secret's name, a URL without a password) nor a number or a
 * boolean; any value in a known token format; a URL with a password; a Secrets Manager value CloudFormation resolves
 * into the environment (`{{resolve:secretsmanager:...}}`, `SecretValue.unsafeUnwrap()`), which anyone who can read
 * the function's configuration can read.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html
 */
export function plaintextCredentials(variables: Record<string, unknown> | undefined, references: string[] = []): PlaintextCredential[] {
  const found: PlaintextCredential[] = [];
  for (const [key, value] of Object.entries(variables ?? {})) {
    if (Token.isUnresolved(key) || references.includes(key) || EXTENSION_KEY.test(key)) {
      continue;
    }
    if (JSON.stringify(value ?? '').includes('{{resolve:secretsmanager:') || JSON.stringify(value ?? '').includes('{{resolve:ssm-secure:')) {
      found.push({ key, reason: 'is a Secrets Manager value CloudFormation resolves into the function\'s configuration, where anyone who can read the configuration reads it' });
      continue;
    }
    if (typeof value !== 'string' || Token.isUnresolved(value)) {
      continue;
    }
    const v = value.trim();
    const password = URL_WITH_PASSWORD.exec(v)?.[1];
    if (password !== undefined && !/^(\$\{.*\}|\*+|<.*>|%[A-Z_]+%)$/.test(password)) {
      found.push({ key, reason: 'holds a password in its connection string (anyone who can read the function\'s configuration or the template can read it)' });
      continue;
    }
    if (CREDENTIAL_VALUE.test(v)) {
      found.push({ key, reason: 'holds a token in a published credential format (anyone who can read the function\'s configuration or the template can read it)' });
      continue;
    }
    if (!CREDENTIAL_KEY.test(key) || REFERENCE_KEY.test(key)) {
      continue;
    }
    if (v === '' || /^(true|false|yes|no|on|off|none|null)$/i.test(v) || /^-?\d+(\.\d+)?$/.test(v)
      || v.startsWith('arn:') || v.startsWith('/') || v.startsWith('{{resolve:') || /^[a-z][a-z0-9+.-]*:\/\//i.test(v) || NAME_LIKE.test(v)) {
      continue;
    }
    found.push({ key, reason: 'looks like a credential in plain text (anyone who can read the function\'s configuration or the template can read it)' });
  }
  return found;
}

/** The keys of {@link plaintextCredentials}. */
export function plaintextCredentialKeys(variables: Record<string, unknown> | undefined, references: string[] = []): string[] {
  return plaintextCredentials(variables, references).map((c) => c.key);
}

/** Warn about environment values that look like credentials in plain text. */
export function warnPlaintextCredentials(fn: lambda.Function, references: string[]): void {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const environment = fn.stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
  for (const { key, reason } of plaintextCredentials(environment?.variables, references)) {
    Annotations.of(fn).addWarningV2('cdk-lambda-kit:plaintextSecret',
      `\`environment.${key}\` ${reason}: keep it in Secrets Manager or SSM Parameter Store and pass it in \`secrets\` or ` +
      '`parameters`, which put its ARN or name in the environment and grant read access');
  }
}
