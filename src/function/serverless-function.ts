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
import { asyncPermissions } from './async-permissions';
import { invokedWithoutAliasMessage, unqualifiedInvokers } from './invokers';
import { POWERTOOLS_VERSION, PowertoolsOptions, powertoolsLayerRuntimes, powertoolsSetup, powertoolsSkew } from './powertools';
import { checkFunctionProps, checkFunctionUrl, hasDeadLetterQueue } from './prop-checks';
import { narrowVpcPermissions, scopeLogPermissions } from './roles';
import { bindSecrets, checkSecretKeys, plaintextCredentialKeys } from './secrets';
import { watchStackLimits } from './stack-limits';
import { BundledCode } from '../bundling/bundled-code';
import { BundlingOptions } from '../bundling/bundling-options';
import { loadEsbuild } from '../bundling/esbuild-loader';
import { LAMBDA_UNZIPPED_LIMIT_BYTES, checkHandlerName, resolveBundling } from '../bundling/esbuild-options';
import { checkNodeModules, installNodeModules, projectVersions } from '../bundling/node-modules';
import { checkEnvironment } from '../core/limits';
import { formatProblems } from '../core/problems';
import { Deployment } from '../deployment/deployment';
import { ProvisionedConcurrency } from '../deployment/provisioned-concurrency';
import { checkEventSourceMappingsOf } from '../event-sources/mapping-checks';
import { FailureDestination } from '../failure-handling/failure-destination';
import { createFailureQueue } from '../failure-handling/failure-queue';
import { DependencyLayer } from '../layers/dependency-layer';
import { checkLayers, layerExternals, versionSkew } from '../layers/layer-checks';
import { acknowledgeFunctionFindings } from '../monitoring/acknowledgements';
import { FunctionAlarms, FunctionAlarmsOptions } from '../monitoring/function-alarms';

/** The defaults that differ from Lambda's own. */
const DEFAULT_MEMORY_MB = 1024;
const DEFAULT_TIMEOUT = Duration.seconds(30);
const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;
const DEFAULT_ALIAS = 'live';

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
  private readonly asyncProps: ServerlessFunctionProps;
  private asyncReasons: string[] = [];
  /** Whether the function is invoked asynchronously, once decided. */
  private asyncConfigured?: boolean;
  private _failureQueue?: sqs.Queue;
  /** The packages layers provide (dependency layers, Powertools): externals the runtime will find. */
  private readonly layerModules: string[];

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
    const dependencyLayers = layers.filter((l): l is DependencyLayer => l instanceof DependencyLayer);
    const problems = checkFunctionProps({ ...props, memorySize, timeout, aliasName });
    problems.push(...checkLayers(layers, runtime, architecture));
    const handlerProblem = checkHandlerName(handlerExport);
    if (handlerProblem) {
      problems.unshift(handlerProblem);
    }
    // Powertools (issue 14): its environment, layer and the packages the layer provides.
    const powertools = props.powertools && powertoolsSetup(props.powertools, {
      id, region: Stack.of(scope).region, runtime, environment: props.environment, layerCount: layers.length,
    });
    problems.push(...powertools?.problems ?? []);
    // Secrets and parameters (issue 14): their references go into the environment below.
    problems.push(...checkSecretKeys(props.secrets, props.parameters, props.environment));
    // Issue 14: `bundling.nodeModules` are shipped beside the bundle.
    const nodeModules = props.bundling?.nodeModules ?? [];
    problems.push(...checkNodeModules(nodeModules));
    const layerModules = [...dependencyLayers.flatMap((l) => l.modules), ...powertools?.modules ?? [], ...nodeModules];
    // The packages of dependency layers (and the Powertools layer, and nodeModules) stay out of the bundle: the
    // layer provides them, or the bundle's node_modules.
    const bundling: BundlingOptions = layerModules.length === 0 ? props.bundling ?? {} : {
      ...props.bundling,
      externalModules: [...(props.bundling?.externalModules ?? []), ...layerExternals(layerModules)],
    };
    const { resolved: resolvedOptions, problems: bundlingProblems } = resolveBundling(bundling, {
      entry: props.entry,
      runtimeName: runtime.name,
      cwd: process.cwd(),
    });
    problems.push(...bundlingProblems);
    const shipped = resolvedOptions && nodeModules.length > 0 ? projectVersions(nodeModules, resolvedOptions.projectRoot) : undefined;
    problems.push(...shipped?.problems ?? []);
    if (problems.length > 0 || !resolvedOptions) {
      throw new Error(formatProblems(path, problems));
    }
    // Issue 14: the nodeModules packages, installed for the function's platform, join the bundle as copied files.
    const resolved = shipped && Stack.of(scope).bundlingRequired ? {
      ...resolvedOptions,
      copyFiles: [...resolvedOptions.copyFiles ?? [], ...installNodeModules(scope, path, {
        versions: shipped.versions,
        projectRoot: resolvedOptions.projectRoot,
        architecture,
        runtime,
        runInstallScripts: bundling.runInstallScripts ?? false,
      })],
    } : resolvedOptions;
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
    this.handlerExport = handlerExport;
    this._alarmAction = props.alarms?.action;
    this.entry = resolved.entry;
    this.asyncProps = props;
    this.layerModules = layerModules;
    const secretReferences = bindSecrets(this, props.secrets, props.parameters);
    for (const [key, value] of Object.entries(secretReferences)) {
      this.addEnvironment(key, value);
    }
    // Credentials in plain text, once every `addEnvironment` call has been made.
    Aspects.of(this).add({ visit: (node) => node === this && this.warnPlaintextCredentials(Object.keys(secretReferences)) });
    if (powertools?.layerArn) {
      super.addLayers(lambda.LayerVersion.fromLayerVersionAttributes(this, 'PowertoolsLayer', {
        layerVersionArn: powertools.layerArn,
        compatibleRuntimes: powertoolsLayerRuntimes(),
      }));
      for (const [module, localVersion] of powertoolsSkew(resolved.projectRoot)) {
        Annotations.of(this).addWarningV2('cdk-lambda-kit:powertoolsVersionSkew',
          `the Powertools layer provides ${module}@${POWERTOOLS_VERSION}, but this project resolves ${module}@${localVersion}: ` +
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

    this.alias = new lambda.Alias(this, 'LiveAlias', {
      aliasName,
      version: this.currentVersion,
      provisionedConcurrentExecutions: props.provisionedConcurrency?._aliasExecutions,
    });
    props.provisionedConcurrency?._bind(this.alias);

    if (alarmsEnabled) {
      this.alarms = new FunctionAlarms(this, 'Alarms', {
        ...props.alarms,
        alias: this.alias,
        timeout,
        provisionedConcurrency: props.provisionedConcurrency !== undefined,
        newVersionErrorsAlarm: props.deployment !== undefined,
      });
    }

    if (props.deployment) {
      const ownAlarms = this.alarms?.newVersionErrors ? [this.alarms.newVersionErrors] : [];
      if (ownAlarms.length === 0 && !props.deployment._hasUserAlarms) {
        Annotations.of(this).addWarningV2('cdk-lambda-kit:deploymentWithoutAlarms',
          '`deployment` has no alarm to roll back on: the errors alarm is off and `deployment` lists no `alarms`');
      }
      this.deploymentGroup = props.deployment._bind(this, this.alias, ownAlarms);
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
    watchStackLimits(this.stack, (c) => c instanceof ServerlessFunction);
    // Sources, permissions and policy statements may still be added after construction: finish when the app is complete.
    Aspects.of(this).add({ visit: (node) => node === this && this.completeAtSynth(props) });

    for (const [module, layerVersion, localVersion] of versionSkew(dependencyLayers, resolved.projectRoot)) {
      Annotations.of(this).addWarningV2('cdk-lambda-kit:layerVersionSkew',
        `the layer provides ${module}@${layerVersion}, but this project resolves ${module}@${localVersion}: ` +
        'the function runs against the layer\'s version (and two copies break `instanceof`); align the versions');
    }

    this.node.addValidation({
      validate: () => [
        ...this.environmentProblems(),
        ...code.problems(handlerExport),
        ...this.layerProblems(code, layers, dependencyLayers),
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
   * Add layers. Dependency layers must be passed in `layers` at construction, so that their packages are left out
   * of the bundle.
   */
  public addLayers(...layers: lambda.ILayerVersion[]): void {
    if (this.alias !== undefined) {
      const dependencyLayer = layers.find((l) => l instanceof DependencyLayer);
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
    return this._failureQueue;
  }

  /**
   * Record that a source invokes the function asynchronously.
   *
   * @internal
   */
  public _markInvokedAsynchronously(reason: string): void {
    this.asyncReasons.push(reason);
  }

  /** What can only be decided once the app is complete: asynchronous invocation, and cdk-nag acknowledgements. */
  private completeAtSynth(props: ServerlessFunctionProps): void {
    const invokedAsync = this.configureAsyncInvocation();
    acknowledgeFunctionFindings(this, { ownRole: !props.role, hasDeadLetterQueue: hasDeadLetterQueue(props), invokedAsync });
    for (const invoker of unqualifiedInvokers(this)) {
      Annotations.of(this).addWarningV2('cdk-lambda-kit:invokedWithoutAlias', invokedWithoutAliasMessage(invoker, this.alias.aliasName));
    }
  }

  /**
   * Configure asynchronous invocation on the alias: the user's settings, and the default failure destination when
   * the function is invoked asynchronously and has none.
   */
  private configureAsyncInvocation(): boolean {
    if (this.asyncConfigured !== undefined) {
      return this.asyncConfigured;
    }
    const p = this.asyncProps;
    const permissions = p.asyncInvocation === undefined ? asyncPermissions(this, this.alias) : { alias: false, unqualified: false };
    const invokedAsync = p.asyncInvocation ?? (this.asyncReasons.length > 0 || permissions.alias || permissions.unqualified);
    const configured = p.retryAttempts !== undefined || p.maxEventAge !== undefined || p.onSuccess !== undefined || p.onFailure !== undefined;
    this.asyncConfigured = invokedAsync;
    if (!invokedAsync && !configured) {
      return invokedAsync;
    }
    let onFailure = p.onFailure;
    const extraAlarms: cloudwatch.Alarm[] = [];
    if (invokedAsync && !onFailure && !hasDeadLetterQueue(p)) {
      const created = createFailureQueue(this, 'AsyncFailureQueue', this);
      this._failureQueue = created.queue;
      extraAlarms.push(created.alarm);
      onFailure = FailureDestination.queue(created.queue);
    }
    const options: lambda.EventInvokeConfigOptions = {
      retryAttempts: p.retryAttempts,
      maxEventAge: p.maxEventAge,
      onSuccess: p.onSuccess,
      onFailure,
    };
    // Configure where the invocations arrive: the alias (our sources, and the default), and the unqualified
    // function ($LATEST) too when a service was allowed to invoke it directly.
    if (!permissions.unqualified || permissions.alias || this.asyncReasons.length > 0 || p.asyncInvocation !== undefined || configured) {
      this.alias.configureAsyncInvoke(options);
    }
    if (permissions.unqualified) {
      super.configureAsyncInvoke(options);
    }
    if (invokedAsync) {
      this.alarms?._addAsyncAlarms(this, onFailure !== undefined || p.onSuccess !== undefined, extraAlarms);
    }
    return invokedAsync;
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

  /** Checks of the bundle against the layers: externals nobody provides, and the total size. */
  private layerProblems(code: BundledCode, layers: lambda.ILayerVersion[], dependencyLayers: DependencyLayer[]): string[] {
    const built = code.builtBundle();
    if (!built) {
      return [];
    }
    const problems: string[] = [];
    const provided = new Set(this.layerModules);
    // The Node.js runtimes ship the AWS SDK for JavaScript v3.
    const missing = built.externalImports.filter((m) => !provided.has(m) && !m.startsWith('@aws-sdk/'));
    if (missing.length > 0) {
      const it = missing.length === 1 ? 'it' : 'them';
      const message = `the bundle imports ${missing.join(', ')} but leaves ${it} out (external), ` +
        `and neither the runtime nor a dependency layer provides ${it} ("Cannot find module" at run time): ` +
        `list ${it} in \`bundling.nodeModules\`, add a DependencyLayer that provides ${it}, or remove ${it} from \`bundling.externalModules\``;
      if (layers.length > dependencyLayers.length) {
        Annotations.of(this).addWarningV2('cdk-lambda-kit:externalNotProvided', `${message} (a layer whose contents are unknown may provide it)`);
      } else {
        problems.push(message);
      }
    }
    const total = built.bytes + dependencyLayers.reduce((n, l) => n + l.sizeBytes, 0);
    if (dependencyLayers.length > 0 && total > LAMBDA_UNZIPPED_LIMIT_BYTES) {
      problems.push(`the function and its layers must be at most 250 MB unzipped (Lambda's limit), got ${(total / 1024 / 1024).toFixed(1)} MB`);
    }
    return problems;
  }

  /** Warn about environment values that look like credentials in plain text. */
  private warnPlaintextCredentials(references: string[]): void {
    const cfn = this.node.defaultChild as lambda.CfnFunction;
    const environment = this.stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
    for (const key of plaintextCredentialKeys(environment?.variables, references)) {
      Annotations.of(this).addWarningV2('cdk-lambda-kit:plaintextSecret',
        `\`environment.${key}\` looks like a credential in plain text (anyone who can read the function's configuration ` +
        'or the template can read it): keep it in Secrets Manager or SSM Parameter Store and pass it in `secrets` or ' +
        '`parameters`, which put its ARN or name in the environment and grant read access');
    }
  }

  /** Environment checks at synth, when every `addEnvironment` call has been made. */
  private environmentProblems(): string[] {
    const cfn = this.node.defaultChild as lambda.CfnFunction;
    const environment = this.stack.resolve(cfn.environment) as { variables?: Record<string, string> } | undefined;
    return checkEnvironment(environment?.variables);
  }
}
