import { dirname } from 'path';
import { Annotations, Aspects, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { AsyncInvocation } from './async-invocation';
import { invokingServices } from './async-permissions';
import { resolveFunctionBundling, withNodeModules } from './function-bundling';
import { invokedWithoutAliasMessage, unqualifiedInvokers } from './invokers';
import { POWERTOOLS_VERSION, PowertoolsOptions, powertoolsLayerRuntimes, powertoolsSetup, powertoolsSkew } from './powertools';
import { checkFunctionProps, checkFunctionUrl, checkLayerTotal, checkReservedConcurrencyQuota, hasDeadLetterQueue, layersAddedBy } from './prop-checks';
import { narrowVpcPermissions, scopeLogPermissions } from './roles';
import { bindSecrets, checkSecretKeys, warnPlaintextCredentials } from './secrets';
import { watchStackLimits } from './stack-limits';
import { BundledCode } from '../bundling/bundled-code';
import { checkHandlerName } from '../bundling/esbuild/build-options';
import { loadEsbuild } from '../bundling/esbuild/loader';
import { BundlingOptions } from '../bundling/options';
import { checkEnvironment, LAYER_LIMIT } from '../core/limits';
import { formatProblems } from '../core/problems';
import { enforceTemplateRules } from '../core/template-rules';
import { Deployment } from '../deployment/deployment';
import { createLiveAlias } from '../deployment/live-alias';
import { ProvisionedConcurrency } from '../deployment/provisioned-concurrency';
import { checkEventSourceMappingsOf } from '../event-sources/mapping-checks';
import { bucketNotificationProblems } from '../event-sources/s3';
import { eventSourceMappingsOf, watchFailureDestinations } from '../failure-handling/destination-watch';
import { DependencyLayer } from '../layers/dependency-layer';
import { bundleLayerProblems, checkLayerPlacement, checkLayers, versionSkew } from '../layers/layer-checks';
import { acknowledgeFunctionFindings } from '../monitoring/acknowledgements';
import { FunctionAlarms, FunctionAlarmsOptions } from '../monitoring/function-alarms';

/** The defaults that differ from Lambda's own. */
const DEFAULT_MEMORY_MB = 1024;
const DEFAULT_TIMEOUT = Duration.seconds(30);
const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;
const DEFAULT_ALIAS = 'live';

/** Marks ServerlessFunctions across copies of this library (see {@link ServerlessFunction.isServerlessFunction}). */
const SERVERLESS_FUNCTION = Symbol.for('cdk-lambda-kit.ServerlessFunction');

/**
 * Properties of a {@link ServerlessFunction}.
 *
 * Every option of `lambda.Function` (besides `code`, which the bundler produces) passes through unchanged.
 */
export interface ServerlessFunctionProps extends lambda.FunctionOptions {
  /**
   * The handler's source file (`.ts`, `.mts`, `.cts`, `.tsx`, `.js`, `.mjs`, `.cjs` or `.jsx`), absolute or relative
   * to the directory `cdk` runs in.
   */
  readonly entry: string;

  /**
   * The name of the exported function Lambda invokes.
   *
   * Checked at synth against the bundle's exports.
   *
   * @default 'handler'
   */
  readonly handler?: string;

  /**
   * The Node.js runtime, as a fixed value (not `NODEJS_LATEST`), so that the esbuild target and the SDK externals
   * match what runs.
   *
   * @default lambda.Runtime.NODEJS_24_X
   * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
   */
  readonly runtime?: lambda.Runtime;

  /**
   * How the entry is bundled with esbuild.
   *
   * @default - ESM, minified, tree-shaken, `@aws-sdk/*` external, no source map
   */
  readonly bundling?: BundlingOptions;

  /**
   * The name of the alias every invoker goes through. A version is published on every code or configuration change
   * and the alias points at it.
   *
   * 1 to 128 letters, digits, `-` or `_`, not only digits.
   *
   * @default 'live'
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html
   */
  readonly aliasName?: string;

  /**
   * Provisioned concurrency on the alias: a fixed count, or autoscaled on utilization and schedules.
   *
   * At most `reservedConcurrentExecutions` when that is set.
   *
   * @default - none
   * @see https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
   */
  readonly provisionedConcurrency?: ProvisionedConcurrency;

  /**
   * How a new version receives traffic: CodeDeploy all-at-once, canary or linear on the alias, rolled back on the
   * function's errors alarm and any alarms you add.
   *
   * @default - the alias moves to the new version at once, without CodeDeploy
   */
  readonly deployment?: Deployment;

  /**
   * The function's alarms on the alias: errors, throttles, p99 duration near the timeout, provisioned-concurrency
   * spillover.
   *
   * @default - all on, with default thresholds and no action
   */
  readonly alarms?: FunctionAlarmsOptions;

  /**
   * A function URL on the alias.
   *
   * `authType` defaults to `AWS_IAM`; `NONE` makes the URL public and gives a warning
   * (`cdk-lambda-kit:publicFunctionUrl`).
   *
   * @default - no function URL
   * @see https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html
   */
  readonly functionUrl?: lambda.FunctionUrlOptions;

  /**
   * The retention of the log group this construct creates for the function.
   *
   * Not used when you pass `logGroup` (yours is used) or `logRetention` (aws-cdk-lib's log retention resource).
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logGroupRetention?: logs.RetentionDays;

  /**
   * Whether something invokes the function asynchronously (S3, SNS, EventBridge, ...).
   *
   * An asynchronously invoked function gets, unless you configure `onFailure` or a dead-letter queue, a failure
   * destination that loses nothing: an encrypted, SSL-only SQS queue with 14 days of retention and an alarm on its
   * depth, plus alarms on dropped events. A function only ever invoked synchronously or by polling sources (SQS,
   * streams) gets none of it, because it could never receive anything.
   *
   * `retryAttempts` (0 to 2), `maxEventAge` (60 seconds to 6 hours), `onSuccess` and `onFailure` apply to the alias.
   *
   * @default - detected at synth: an `S3Source`, or a permission for S3, SNS, EventBridge, IoT, SES, CloudWatch Logs,
   * AWS Config, CodeCommit or CloudFormation to invoke the function or its alias, means asynchronous
   * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
   */
  readonly asyncInvocation?: boolean;

  /**
   * Powertools for AWS Lambda (TypeScript): the service name, metrics namespace and log level in the environment,
   * and the official Powertools layer (version pinned, see `PowertoolsOptions.layer`) with its packages left out of
   * the bundle.
   *
   * Warns (`cdk-lambda-kit:powertoolsVersionSkew`) when the project resolves a Powertools package at another version
   * than the layer's.
   *
   * @default - no Powertools configuration
   * @see https://docs.aws.amazon.com/powertools/typescript/latest/
   */
  readonly powertools?: PowertoolsOptions;

  /**
   * Secrets Manager secrets the function reads, by the environment variable that receives the secret's ARN (never
   * its value): `{ DB_SECRET_ARN: secret }`.
   *
   * The function is granted read access (`secretsmanager:GetSecretValue` and `DescribeSecret`, plus `kms:Decrypt` on
   * the secret's key when it has one). Read the value at run time with the AWS SDK, Powertools Parameters, or the
   * AWS Parameters and Secrets Lambda Extension (`paramsAndSecrets`).
   *
   * @default - none
   * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
   */
  readonly secrets?: Record<string, secretsmanager.ISecret>;

  /**
   * SSM Parameter Store parameters the function reads, by the environment variable that receives the parameter's
   * name (never its value): `{ FEATURE_FLAGS_PARAMETER: parameter }`.
   *
   * The function is granted read access (`ssm:GetParameter*` and `DescribeParameters`, plus `kms:Decrypt` on the
   * parameter's key when it has one).
   *
   * @default - none
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html
   */
  readonly parameters?: Record<string, ssm.IParameter>;
}

/**
 * A production-ready Node.js Lambda function.
 *
 * - Bundled with esbuild in-process, in one pass with every other function of the app, and cached between synths.
 * - Newest Node.js runtime, arm64, explicit memory and timeout, its own log group with retention, JSON logs, active
 *   tracing.
 * - A version published on every change, behind an alias (`live`) that event sources added with `addEventSource`,
 *   function URLs and CodeDeploy go through; provisioned concurrency and traffic shifting on that alias.
 * - Alarms on errors, throttles, duration and spillover.
 * - Every limit Lambda enforces at deploy time is checked at synth.
 *
 * It is a `lambda.Function`: pass it wherever aws-cdk-lib takes a `lambda.IFunction`; pass `.alias` where the
 * invoker should go through the alias.
 */
export class ServerlessFunction extends lambda.Function {
  /**
   * Whether `x` is a ServerlessFunction, from this copy of the library or another one (where `instanceof` is false:
   * two installed copies of cdk-lambda-kit each have their own class).
   */
  public static isServerlessFunction(x: any): x is ServerlessFunction {
    return x !== null && typeof x === 'object' && SERVERLESS_FUNCTION in x;
  }

  /** The name of the exported function Lambda invokes. */
  public readonly handlerExport: string;

  /** The entry file, as an absolute path. */
  public readonly entry: string;

  /** The alias every invoker goes through. */
  public readonly alias: lambda.Alias;

  /** The function's alarms; undefined when turned off. */
  public readonly alarms?: FunctionAlarms;

  /** The CodeDeploy deployment group; undefined without `deployment`. */
  public readonly deploymentGroup?: codedeploy.LambdaDeploymentGroup;

  /** The function URL on the alias; undefined without `functionUrl`. */
  public readonly url?: lambda.FunctionUrl;

  /**
   * The action every alarm created for this function runs (`alarms.action`), read by sources and failure handling.
   *
   * @internal
   */
  public readonly _alarmAction?: cloudwatch.IAlarmAction;

  private readonly ownLogGroup?: logs.LogGroup;
  private readonly asyncInvocation: AsyncInvocation;
  /** The packages layers provide (dependency layers, Powertools): externals the runtime will find. */
  private readonly layerModules: string[];
  /** The roles, users and groups granted invoke with {@link ServerlessFunction.grantInvoke}. */
  private readonly invokeGrantees: Construct[] = [];

  constructor(scope: Construct, id: string, props: ServerlessFunctionProps) {
    const path = scope.node.path ? `${scope.node.path}/${id}` : id;
    const handlerExport = props.handler ?? 'handler';
    const runtime = props.runtime ?? lambda.Runtime.NODEJS_24_X;
    const memorySize = props.memorySize ?? DEFAULT_MEMORY_MB;
    const timeout = props.timeout ?? DEFAULT_TIMEOUT;
    const aliasName = props.aliasName ?? DEFAULT_ALIAS;
    const alarmsEnabled = props.alarms?.enabled ?? true;

    const architecture = props.architecture ?? lambda.Architecture.ARM_64;
    const layers = props.layers ?? [];
    const dependencyLayers = layers.filter((l): l is DependencyLayer => DependencyLayer.isDependencyLayer(l));
    const problems = checkFunctionProps({ ...props, memorySize, timeout, aliasName });
    problems.push(...checkLayers(layers, runtime, architecture));
    const handlerProblem = checkHandlerName(handlerExport);
    if (handlerProblem) {
      problems.unshift(handlerProblem);
    }
    // Powertools: its environment, layer and the packages the layer provides.
    const powertools = props.powertools && powertoolsSetup(props.powertools, {
      id, region: Stack.of(scope).region, runtime, environment: props.environment, layerCount: layers.length,
    });
    problems.push(...powertools?.problems ?? []);
    // Lambda's five layers, with those aws-cdk-lib's props and Powertools add (aws-cdk-lib would refuse the sixth
    // with a message that names neither the prop nor the count).
    problems.push(...checkLayerTotal(layers.length, layersAddedBy(props, powertools?.layerArn !== undefined)));
    // Secrets and parameters: their references go into the environment below.
    problems.push(...checkSecretKeys(props.secrets, props.parameters, props.environment));
    // The bundling options, with the packages of the layers and `bundling.nodeModules` left out of the bundle.
    const bundling = resolveFunctionBundling(props.bundling, {
      entry: props.entry,
      runtime,
      layerModules: [...dependencyLayers.flatMap((l) => l.modules), ...powertools?.modules ?? []],
    });
    problems.push(...bundling.problems);
    const resolvedOptions = bundling.resolved;
    if (problems.length > 0 || !resolvedOptions) {
      throw new Error(formatProblems(path, problems));
    }
    // The nodeModules packages, installed for the function's platform, join the bundle as copied files.
    const resolved = Stack.of(scope).bundlingRequired
      ? withNodeModules(scope, path, resolvedOptions, bundling, { architecture, runtime })
      : resolvedOptions;
    if (Stack.of(scope).bundlingRequired) {
      loadEsbuild(resolved.projectRoot);
    }

    const loggingFormat = props.loggingFormat ?? (props.logFormat === undefined ? lambda.LoggingFormat.JSON : undefined);
    const jsonLogs = loggingFormat === lambda.LoggingFormat.JSON;
    const code = new BundledCode(resolved);
    super(scope, id, {
      ...props,
      environment: powertools ? { ...powertools.environment, ...props.environment } : props.environment,
      runtime,
      memorySize,
      timeout,
      architecture,
      tracing: props.tracing ?? lambda.Tracing.ACTIVE,
      loggingFormat,
      // With Powertools, Lambda's level follows `powertools.logLevel` (it wins over POWERTOOLS_LOG_LEVEL).
      applicationLogLevelV2: props.applicationLogLevelV2
        ?? (jsonLogs ? powertools?.applicationLogLevel ?? lambda.ApplicationLogLevel.INFO : undefined),
      systemLogLevelV2: props.systemLogLevelV2 ?? (jsonLogs ? lambda.SystemLogLevel.INFO : undefined),
      // Event sources bind to the alias, which exists only after this call: they are added below.
      events: undefined,
      // Asynchronous invocation is configured on the alias, where invokers arrive (below, or at synth).
      retryAttempts: undefined,
      maxEventAge: undefined,
      onSuccess: undefined,
      onFailure: undefined,
      handler: `index.${handlerExport}`,
      code,
    });
    Object.defineProperty(this, SERVERLESS_FUNCTION, { value: true });
    this.handlerExport = handlerExport;
    this._alarmAction = props.alarms?.action;
    this.entry = resolved.entry;
    this.asyncInvocation = new AsyncInvocation(props);
    this.layerModules = bundling.layerModules;
    const secretReferences = bindSecrets(this, props.secrets, props.parameters);
    for (const [key, value] of Object.entries(secretReferences)) {
      this.addEnvironment(key, value);
    }
    // Credentials in plain text, once every `addEnvironment` call has been made.
    Aspects.of(this).add({ visit: (node) => node === this && warnPlaintextCredentials(this, Object.keys(secretReferences)) });
    if (powertools?.layerArn) {
      super.addLayers(lambda.LayerVersion.fromLayerVersionAttributes(this, 'PowertoolsLayer', {
        layerVersionArn: powertools.layerArn,
        compatibleRuntimes: powertoolsLayerRuntimes(),
      }));
      for (const [module, localVersion] of powertoolsSkew(dirname(resolved.entry))) {
        Annotations.of(this).addWarningV2('cdk-lambda-kit:powertoolsVersionSkew',
          `the Powertools layer provides ${module}@${POWERTOOLS_VERSION}, but this function's workspace locks ${module}@${localVersion}: ` +
          `the function runs against the layer's version; install ${POWERTOOLS_VERSION} or set \`powertools.layer: false\` to bundle yours`);
      }
    }

    if (resolved.sourceMap) {
      const nodeOptions = props.environment?.NODE_OPTIONS ?? '';
      if (!nodeOptions.includes('--enable-source-maps')) {
        this.addEnvironment('NODE_OPTIONS', `${nodeOptions} --enable-source-maps`.trim());
      }
    }

    if (!props.logGroup && props.logRetention === undefined) {
      // Under `@aws-cdk/aws-lambda:useCdkManagedLogGroup` (which `cdk init` writes into cdk.json), aws-cdk-lib has just
      // created a log group of its own under this id, named after the function and with its default retention. The
      // function gets one log group, the same with the flag as without: this one.
      this.node.tryRemoveChild('LogGroup');
      this.ownLogGroup = new logs.LogGroup(this, 'LogGroup', { retention: props.logGroupRetention ?? DEFAULT_LOG_RETENTION });
      (this.node.defaultChild as lambda.CfnFunction).addPropertyOverride('LoggingConfig.LogGroup', this.ownLogGroup.logGroupName);
    }
    if (!props.role && this.role instanceof iam.Role && props.logRetention === undefined) {
      // The function logs to one known log group: write access to it replaces AWSLambdaBasicExecutionRole
      // (logs:CreateLogGroup, CreateLogStream and PutLogEvents on every log group of the account).
      scopeLogPermissions(this.role, this.logGroup);
    }
    if (!props.role && this.role instanceof iam.Role) {
      // In a VPC: the ENI actions only; logging is granted above (own log group) or by the basic execution policy.
      narrowVpcPermissions(this.role);
    }

    // Event source mappings from any class (aws-cdk-lib's SqsEventSource too) get this library's checks at synth.
    checkEventSourceMappingsOf(this);
    // CloudFormation's schema findings on the function's resources, and those bound to it, are errors at synth.
    enforceTemplateRules(this);

    // The alias, its provisioned concurrency, the alarms and the deployment group.
    const live = createLiveAlias(this, {
      aliasName,
      timeout,
      alarmsEnabled,
      provisionedConcurrency: props.provisionedConcurrency,
      deployment: props.deployment,
      alarms: props.alarms,
    });
    this.alias = live.alias;
    this.alarms = live.alarms;
    this.deploymentGroup = live.deploymentGroup;

    for (const warning of checkReservedConcurrencyQuota(props.reservedConcurrentExecutions)) {
      Annotations.of(this).addWarningV2(warning.id, warning.message);
    }
    if (props.functionUrl) {
      for (const warning of checkFunctionUrl(props.functionUrl)) {
        Annotations.of(this).addWarningV2(warning.id, warning.message);
      }
      this.url = this.addFunctionUrl(props.functionUrl);
    }

    for (const source of props.events ?? []) {
      this.addEventSource(source);
    }

    if (props.asyncInvocation === true) {
      this.configureAsyncInvocation();
    }
    watchStackLimits(this.stack, (c) => ServerlessFunction.isServerlessFunction(c));
    // Sources, permissions and policy statements may still be added after construction: finish when the app is complete.
    Aspects.of(this).add({ visit: (node) => node === this && this.completeAtSynth(props) });

    for (const [module, layerVersion, localVersion] of versionSkew(dependencyLayers, dirname(resolved.entry))) {
      Annotations.of(this).addWarningV2('cdk-lambda-kit:layerVersionSkew',
        `the layer provides ${module}@${layerVersion}, but this function's workspace locks ${module}@${localVersion}: ` +
        'the function runs against the layer\'s version (and two copies break `instanceof`); align the versions');
    }

    this.node.addValidation({
      validate: () => [
        ...this.environmentProblems(),
        ...code.problems(handlerExport),
        ...bundleLayerProblems(this, code, this.layerModules, layers, dependencyLayers, resolved.entry),
        ...checkLayerPlacement(this, this.addedLayers(), this.stack.region, this.architecture),
      ],
    });
  }

  /**
   * Add an environment variable. Keys Lambda reserves, or that it would reject, are an error here, in this library's
   * format (the 4 KB total is checked at synth, once every variable is known).
   */
  public addEnvironment(key: string, value: string, options?: lambda.EnvironmentOptions): this {
    const problems = checkEnvironment({ [key]: '' }).filter((p) => !p.includes('4 KB'));
    if (problems.length > 0) {
      throw new Error(formatProblems(this.node.path, problems));
    }
    return super.addEnvironment(key, value, options);
  }

  /**
   * Grant `grantee` the right to invoke the function and every qualifier, the alias included, as aws-cdk-lib does: a
   * role granted this way may invoke `fn.alias` (which is what it should call), and aws-cdk-lib integrations that
   * grant with this method and then call the unqualified ARN (an ALB `LambdaTarget`, an AppSync data source, a
   * custom resource provider) keep working. Such a grant to a role, user or group is not reported as an invoker
   * that bypasses the alias (a grant says who may invoke, not what is called); a service principal's grant, a
   * resource permission on the function itself, is (`cdk-lambda-kit:invokedWithoutAlias`): give that integration
   * `fn.alias`. See docs/alias-deployments-and-alarms.md.
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    if (Construct.isConstruct(grantee.grantPrincipal)) {
      this.invokeGrantees.push(grantee.grantPrincipal);
    }
    return super.grantInvoke(grantee);
  }

  /**
   * Add layers. Dependency layers must be passed in `layers` at construction, so that their packages are left out
   * of the bundle.
   */
  public addLayers(...layers: lambda.ILayerVersion[]): void {
    const count = this.addedLayers().length;
    if (count + layers.length > LAYER_LIMIT) {
      throw new Error(formatProblems(this.node.path,
        [`\`addLayers\` cannot add ${layers.length} more layers to the ${count} the function has: Lambda's limit is ${LAYER_LIMIT} a function`]));
    }
    if (this.alias !== undefined) {
      const dependencyLayer = layers.find((l) => DependencyLayer.isDependencyLayer(l));
      if (dependencyLayer) {
        throw new Error(`${this.node.path}: \`addLayers\` cannot add the DependencyLayer ${dependencyLayer.node.path} after construction: pass it in \`layers\` so that its packages are left out of the bundle`);
      }
    }
    super.addLayers(...layers);
  }

  /**
   * The queue failed asynchronous events go to, when this construct created it (see `asyncInvocation`).
   *
   * Known at construction with `asyncInvocation: true`; otherwise once the app is synthesized.
   */
  public get failureQueue(): sqs.IQueue | undefined {
    return this.asyncInvocation.failureQueue;
  }

  /**
   * Record that a source invokes the function asynchronously.
   *
   * @internal
   */
  public _markInvokedAsynchronously(reason: string): void {
    this.asyncInvocation.markInvokedAsynchronously(reason);
  }

  /** What can only be decided once the app is complete: asynchronous invocation, and cdk-nag acknowledgements. */
  private completeAtSynth(props: ServerlessFunctionProps): void {
    const invokedAsync = this.configureAsyncInvocation();
    // Every place failed events can land, whoever wired it, checked against AWS's rules and alarmed on.
    watchFailureDestinations(this, { alarms: this.alarms !== undefined });
    const overlaps = bucketNotificationProblems(this);
    if (overlaps.length > 0) {
      throw new Error(formatProblems(this.node.path, overlaps));
    }
    if (props.tenancyConfig) {
      this.checkTenantInvokers();
    }
    acknowledgeFunctionFindings(this, { ownRole: !props.role, hasDeadLetterQueue: hasDeadLetterQueue(props), invokedAsync });
    for (const invoker of unqualifiedInvokers(this, this.invokeGrantees)) {
      Annotations.of(this).addWarningV2('cdk-lambda-kit:invokedWithoutAlias', invokedWithoutAliasMessage(invoker, this.alias.aliasName));
    }
  }

  /**
   * Tenant isolation: every invocation must carry a tenant id, which only direct invokes and API Gateway REST APIs
   * (mapping a request value to `X-Amz-Tenant-Id`) send. Sources, services and function URLs send none.
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/tenant-isolation-invoke.html
   */
  private checkTenantInvokers(): void {
    const invokers = [
      ...this.asyncInvocation.sourceReasons,
      ...eventSourceMappingsOf(this).map((p) => `the event source mapping ${p}`),
      ...invokingServices(this, this.alias).filter((s) => s !== 'apigateway.amazonaws.com'),
      ...this.url ? ['the function URL'] : [],
    ];
    if (invokers.length > 0) {
      throw new Error(formatProblems(this.node.path, [
        `\`tenancyConfig\` is PER_TENANT, so every invocation must carry a tenant id, but ${invokers.join(', ')} invoke the function without one: ` +
        'Lambda rejects them ("When invoking a function that has tenant isolation enabled, you must provide a tenant-id parameter"). ' +
        'Invoke it directly with a tenant id, or through an API Gateway REST API that maps one to X-Amz-Tenant-Id; or remove `tenancyConfig`',
      ]));
    }
  }

  /** Configure asynchronous invocation on the alias, once (see `AsyncInvocation`). */
  private configureAsyncInvocation(): boolean {
    return this.asyncInvocation.configure(this, this.alias, this.alarms);
  }

  /**
   * The function's log group: the one this construct created, or the one you passed.
   */
  public get logGroup(): logs.ILogGroup {
    return this.ownLogGroup ?? super.logGroup;
  }

  /**
   * Add an event source that invokes the function through its alias.
   */
  public addEventSource(source: lambda.IEventSource): void {
    source.bind(this.alias);
  }

  /**
   * Add a function URL on the alias. `authType` defaults to `AWS_IAM`.
   */
  public addFunctionUrl(options: lambda.FunctionUrlOptions = {}): lambda.FunctionUrl {
    return this.alias.addFunctionUrl({ ...options, authType: options.authType ?? lambda.FunctionUrlAuthType.AWS_IAM });
  }

  /**
   * The layers the function has: aws-cdk-lib keeps them in `_layers` (an array, or a box of one); empty should a
   * later version rename it.
   */
  private addedLayers(): lambda.ILayerVersion[] {
    const held = (this as unknown as { _layers?: unknown })._layers as { get?: () => unknown } | undefined;
    const value = typeof held?.get === 'function' ? held.get() : held;
    return Array.isArray(value) ? value : [];
  }

  /** Environment checks at synth, when every `addEnvironment` call has been made. */
  private environmentProblems(): string[] {
    const cfn = this.node.defaultChild as lambda.CfnFunction;
    const environment = this.stack.resolve(cfn.environment) as { variables?: Record<string, string> } | undefined;
    return checkEnvironment(environment?.variables);
  }
}
