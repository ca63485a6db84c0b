import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { checkAliasName, checkEnvironment, checkEphemeralStorage, checkIntegerRange, checkLayerCount, checkMemorySize, checkTimeout, checkWholeDuration } from '../core/limits';
import { Warning } from '../core/problems';
import { Deployment } from '../deployment/deployment';
import { ProvisionedConcurrency } from '../deployment/provisioned-concurrency';
import { FunctionAlarms, FunctionAlarmsOptions } from '../monitoring/function-alarms';

/**
 * The props of a ServerlessFunction that are checked before anything is created, with defaults applied. Declared
 * here rather than picked from `ServerlessFunctionProps`, so that the function imports its checks and not the other
 * way round; the function passes its props in, so the compiler still holds the two to the same types.
 */
export type CheckedFunctionProps = Pick<lambda.FunctionOptions,
'ephemeralStorageSize' | 'layers' | 'reservedConcurrentExecutions' | 'logGroup' | 'logRetention' | 'environment' |
'retryAttempts' | 'maxEventAge' | 'onFailure' | 'deadLetterQueue' | 'deadLetterTopic' | 'deadLetterQueueEnabled' |
'description' | 'functionName' | 'codeSigningConfig' | 'tenancyConfig'>
& {
  readonly runtime?: lambda.Runtime;
  readonly provisionedConcurrency?: ProvisionedConcurrency;
  readonly deployment?: Deployment;
  readonly alarms?: FunctionAlarmsOptions;
  readonly logGroupRetention?: logs.RetentionDays;
  readonly functionUrl?: lambda.FunctionUrlOptions;
}
& { readonly memorySize: number; readonly timeout: Duration; readonly aliasName: string };

/** Every problem with a function's props, in the order the props are documented. */
export function checkFunctionProps(props: CheckedFunctionProps): string[] {
  const problems: (string | undefined)[] = [
    checkMemorySize(props.memorySize),
    checkTimeout(props.timeout),
    checkEphemeralStorage(props.ephemeralStorageSize),
    checkIntegerRange('reservedConcurrentExecutions', props.reservedConcurrentExecutions, 0, 1_000_000),
    checkAliasName(props.aliasName),
    checkDescription(props.description),
    checkFunctionName(props.functionName),
    checkCorsMaxAge(props.functionUrl),
    checkCodeSigning(props.codeSigningConfig),
    // Checked again at synth, after any `addEnvironment` call; checked here so that aws-cdk-lib's own reserved-key
    // error does not pre-empt the rest of the problems.
    ...checkEnvironment(props.environment),
  ];
  if (props.runtime && props.runtime.isVariable) {
    problems.push(`\`runtime\` must be a fixed runtime so that the bundle targets what runs, got ${props.runtime.name} as a moving value (NODEJS_LATEST): use Runtime.NODEJS_24_X`);
  }
  const reserved = props.reservedConcurrentExecutions !== undefined && !Token.isUnresolved(props.reservedConcurrentExecutions)
    ? props.reservedConcurrentExecutions
    : undefined;
  if (reserved === 0 && props.provisionedConcurrency) {
    problems.push('`provisionedConcurrency` cannot be used with `reservedConcurrentExecutions` 0, which stops the function from running');
  } else {
    problems.push(...(props.provisionedConcurrency?._problems(reserved) ?? []));
  }
  problems.push(...(props.deployment?._problems() ?? []));
  if (props.tenancyConfig && props.functionUrl) {
    problems.push('`functionUrl` cannot be used with `tenancyConfig`: a function URL sends no tenant id, and Lambda requires one on every ' +
      'invocation of a tenant-isolated function; invoke it directly or through an API Gateway REST API that maps a tenant id');
  }
  if (props.tenancyConfig && props.provisionedConcurrency) {
    problems.push('`provisionedConcurrency` cannot be used with `tenancyConfig`: Lambda gives each tenant its own execution environments, ' +
      'so none can be provisioned in advance; remove one of them');
  }
  problems.push(...[
    checkIntegerRange('retryAttempts', props.retryAttempts, 0, 2),
    checkWholeDuration('maxEventAge', props.maxEventAge, 'seconds', 60, 21_600, '60 seconds to 6 hours'),
  ].filter((p): p is string => p !== undefined));
  problems.push(...FunctionAlarms._problems(props.alarms ?? {}));
  if (props.logGroupRetention !== undefined && props.logGroup !== undefined) {
    problems.push('`logGroupRetention` applies to the log group this construct creates, and cannot be combined with `logGroup`: set the retention on your log group');
  }
  if (props.logGroupRetention !== undefined && props.logRetention !== undefined) {
    problems.push('`logGroupRetention` and `logRetention` cannot both be set: use `logGroupRetention`');
  }
  if (props.logGroup !== undefined && props.logRetention !== undefined) {
    problems.push('`logRetention` cannot be combined with `logGroup`: set the retention on your log group');
  }
  return problems.filter((p): p is string => p !== undefined);
}

/**
 * The props that add a layer to the function besides \`layers\`: aws-cdk-lib's \`insightsVersion\`,
 * \`paramsAndSecrets\` and \`adotInstrumentation\`, and \`powertools\` (unless \`powertools.layer\` is false).
 */
export function layersAddedBy(props: Pick<lambda.FunctionOptions, 'insightsVersion' | 'paramsAndSecrets' | 'adotInstrumentation'>, powertoolsLayer: boolean): string[] {
  return [
    props.insightsVersion ? 'insightsVersion' : undefined,
    props.paramsAndSecrets ? 'paramsAndSecrets' : undefined,
    props.adotInstrumentation ? 'adotInstrumentation' : undefined,
    powertoolsLayer ? 'powertools' : undefined,
  ].filter((p): p is string => p !== undefined);
}

/** Every layer problem: the count, with the layers other props add. */
export function checkLayerTotal(layerCount: number, added: string[]): string[] {
  const problem = checkLayerCount(layerCount, added);
  return problem ? [problem] : [];
}

/** A description: at most 256 characters (Lambda's limit). */
export function checkDescription(value: string | undefined): string | undefined {
  if (value === undefined || Token.isUnresolved(value) || value.length <= 256) {
    return undefined;
  }
  return `\`description\` must be at most 256 characters, got ${value.length}`;
}

/** A function name: 1 to 64 letters, digits, `-` or `_`. */
export function checkFunctionName(value: string | undefined): string | undefined {
  if (value === undefined || Token.isUnresolved(value) || /^[a-zA-Z0-9_-]{1,64}$/.test(value)) {
    return undefined;
  }
  return `\`functionName\` must be 1 to 64 letters, digits, "-" or "_", got "${value}"`;
}

/** A function URL's CORS max age: at most 86,400 seconds (one day). */
export function checkCorsMaxAge(options: lambda.FunctionUrlOptions | undefined): string | undefined {
  const maxAge = options?.cors?.maxAge;
  if (maxAge === undefined || maxAge.isUnresolved()) {
    return undefined;
  }
  const ms = maxAge.toMilliseconds();
  if (ms % 1000 !== 0 || ms > 86_400_000) {
    return `\`functionUrl.cors.maxAge\` must be whole seconds, at most 86400 seconds (1 day), got ${ms / 1000} seconds`;
  }
  return undefined;
}

/**
 * Code signing that enforces signatures: the bundle this library builds at synth is deployed as CDK uploads it,
 * unsigned, so Lambda would block every deployment.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/API_CodeSigningPolicies.html
 */
export function checkCodeSigning(config: lambda.ICodeSigningConfigRef | undefined): string | undefined {
  const cfn = (config as unknown as IConstruct | undefined)?.node?.defaultChild;
  if (!(cfn instanceof lambda.CfnCodeSigningConfig)) {
    return undefined;
  }
  const policies = Stack.of(cfn).resolve(cfn.codeSigningPolicies) as { untrustedArtifactOnDeployment?: unknown } | undefined;
  if (policies?.untrustedArtifactOnDeployment !== 'Enforce') {
    return undefined;
  }
  return '`codeSigningConfig` enforces signatures (untrustedArtifactOnDeployment ENFORCE), but the code is the bundle this ' +
    'library builds at synth, which CDK uploads unsigned: Lambda blocks the deployment request when signature validation fails. ' +
    `Set \`untrustedArtifactOnDeployment: UntrustedArtifactOnDeployment.WARN\`, or deploy code signed by AWS Signer with lambda.Function; got ${cfn.node.path}`;
}

/** Whether the props give the function a dead-letter queue or topic for failed asynchronous events. */
export function hasDeadLetterQueue(props: lambda.FunctionOptions): boolean {
  return props.deadLetterQueue !== undefined || props.deadLetterTopic !== undefined || props.deadLetterQueueEnabled === true;
}

/** Lambda's default quota of concurrent executions a region, and what must stay unreserved. */
const DEFAULT_CONCURRENCY_QUOTA = 1000;
const UNRESERVED_MINIMUM = 100;

/**
 * Reserved concurrency over what the default account quota allows (1,000 concurrent executions, of which 100 stay
 * unreserved): the deployment fails unless the account's quota was raised, so a warning.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 */
export function checkReservedConcurrencyQuota(reserved: number | undefined): Warning[] {
  const most = DEFAULT_CONCURRENCY_QUOTA - UNRESERVED_MINIMUM;
  if (reserved === undefined || Token.isUnresolved(reserved) || reserved <= most) {
    return [];
  }
  return [{
    id: 'cdk-lambda-kit:reservedConcurrencyQuota',
    message: `\`reservedConcurrentExecutions\` is ${reserved}, over the ${most} the default quota allows (${DEFAULT_CONCURRENCY_QUOTA} concurrent ` +
      `executions a region, of which ${UNRESERVED_MINIMUM} stay unreserved): the deployment fails unless the account's quota was raised`,
  }];
}

/** Non-fatal concerns with a function URL's options. */
export function checkFunctionUrl(options: lambda.FunctionUrlOptions): Warning[] {
  const warnings: Warning[] = [];
  const open = options.authType === lambda.FunctionUrlAuthType.NONE;
  const anyOrigin = (options.cors?.allowedOrigins ?? []).includes('*');
  if (open) {
    warnings.push({
      id: 'cdk-lambda-kit:publicFunctionUrl',
      message: '`functionUrl.authType` is NONE: anyone on the internet can invoke the function',
    });
  }
  if (anyOrigin && options.cors?.allowCredentials) {
    warnings.push({
      id: 'cdk-lambda-kit:corsCredentialsWithAnyOrigin',
      message: '`functionUrl.cors` allows credentials from any origin ("*"): browsers reject that combination; list the origins',
    });
  }
  return warnings;
}
