import { Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { workspaceVersion } from '../bundling/install/workspace-versions';

/**
 * The version of Powertools for AWS Lambda (TypeScript) whose official layer `powertools` attaches.
 *
 * Layer version 50 of `AWSLambdaPowertoolsTypeScriptV2` holds Powertools 2.35.0 (published 2026-08-18). Both are
 * pinned: a new Powertools release changes them in a release of this library, never under a deployed function.
 *
 * @see https://docs.aws.amazon.com/powertools/typescript/latest/getting-started/lambda-layers/
 */
export const POWERTOOLS_VERSION = '2.35.0';

/** The layer version of `AWSLambdaPowertoolsTypeScriptV2` that holds {@link POWERTOOLS_VERSION}. */
export const POWERTOOLS_LAYER_VERSION = 50;

/** The packages the official layer ships (its publisher stack installs exactly these). */
export const POWERTOOLS_LAYER_PACKAGES = [
  'batch', 'commons', 'event-handler', 'idempotency', 'jmespath', 'logger', 'metrics', 'parameters', 'parser', 'tracer',
].map((p) => `@aws-lambda-powertools/${p}`);

/** The runtimes the layer is published for. */
const LAYER_RUNTIMES = [lambda.Runtime.NODEJS_22_X, lambda.Runtime.NODEJS_24_X];

/** The account that publishes the layer in the commercial regions. */
const COMMERCIAL_ACCOUNT = '094274105915';

/** The regions where layer version 50 is published, and where it is published from another account or partition. */
const COMMERCIAL_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ap-south-1', 'ap-south-2', 'ap-east-1', 'ap-northeast-1',
  'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
  'ap-southeast-5', 'ap-southeast-7', 'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'eu-north-1', 'eu-south-1', 'eu-south-2', 'ca-central-1', 'ca-west-1', 'sa-east-1', 'af-south-1', 'il-central-1',
  'mx-central-1',
];
const OTHER_PARTITIONS: Record<string, { partition: string; account: string }> = {
  'us-gov-west-1': { partition: 'aws-us-gov', account: '165093116878' },
  'us-gov-east-1': { partition: 'aws-us-gov', account: '165087284144' },
  'cn-north-1': { partition: 'aws-cn', account: '498634801083' },
};

/** Log levels of Powertools' Logger, from the most verbose to none. */
export enum PowertoolsLogLevel {
  /** Everything, including traces. */
  TRACE = 'TRACE',
  /** Debug messages and above. */
  DEBUG = 'DEBUG',
  /** Informational messages and above (Powertools' default). */
  INFO = 'INFO',
  /** Warnings and above. */
  WARN = 'WARN',
  /** Errors and above. */
  ERROR = 'ERROR',
  /** Critical errors only. */
  CRITICAL = 'CRITICAL',
  /** No logs from Logger. */
  SILENT = 'SILENT',
}

/** The Lambda (advanced logging controls) level that lets a Powertools level through and no more. */
const APPLICATION_LOG_LEVELS: Record<PowertoolsLogLevel, lambda.ApplicationLogLevel> = {
  [PowertoolsLogLevel.TRACE]: lambda.ApplicationLogLevel.TRACE,
  [PowertoolsLogLevel.DEBUG]: lambda.ApplicationLogLevel.DEBUG,
  [PowertoolsLogLevel.INFO]: lambda.ApplicationLogLevel.INFO,
  [PowertoolsLogLevel.WARN]: lambda.ApplicationLogLevel.WARN,
  [PowertoolsLogLevel.ERROR]: lambda.ApplicationLogLevel.ERROR,
  [PowertoolsLogLevel.CRITICAL]: lambda.ApplicationLogLevel.FATAL,
  [PowertoolsLogLevel.SILENT]: lambda.ApplicationLogLevel.FATAL,
};

/**
 * Powertools for AWS Lambda (TypeScript) for a function: its environment, and its official layer.
 *
 * @see https://docs.aws.amazon.com/powertools/typescript/latest/
 */
export interface PowertoolsOptions {
  /**
   * The service name every log line, metric and trace carries (`POWERTOOLS_SERVICE_NAME`).
   *
   * @default - the function's construct ID
   */
  readonly serviceName?: string;

  /**
   * The CloudWatch namespace of the function's metrics (`POWERTOOLS_METRICS_NAMESPACE`).
   *
   * @default - not set: Metrics publishes to `default_namespace` unless the code names one
   */
  readonly metricsNamespace?: string;

  /**
   * The Logger's level (`POWERTOOLS_LOG_LEVEL`).
   *
   * With JSON logs, Lambda's `applicationLogLevelV2` (`AWS_LAMBDA_LOG_LEVEL`) wins over `POWERTOOLS_LOG_LEVEL`, so
   * unless you set `applicationLogLevelV2` it is set to the same level (`CRITICAL` and `SILENT` to `FATAL`).
   *
   * @default PowertoolsLogLevel.INFO
   * @see https://docs.aws.amazon.com/powertools/typescript/latest/features/logger/#aws-lambda-advanced-logging-controls-alc
   */
  readonly logLevel?: PowertoolsLogLevel;

  /**
   * Whether to attach the official Powertools layer (`AWSLambdaPowertoolsTypeScriptV2`, version 50: Powertools
   * 2.35.0, for arm64 and x86_64, Node.js 22 and 24) and leave its packages out of the bundle.
   *
   * The layer's ARN is the one published for the stack's region (GovCloud and China included); a stack without a
   * region gets the commercial-partition ARN with the deploy-time region. When false, Powertools is bundled like any
   * other package.
   *
   * @default true
   * @see https://docs.aws.amazon.com/powertools/typescript/latest/getting-started/lambda-layers/
   */
  readonly layer?: boolean;
}

/** What `powertools` adds to a function. */
export interface PowertoolsSetup {
  readonly environment: Record<string, string>;
  /** The layer's ARN, when the layer is attached. */
  readonly layerArn?: string;
  /** Packages left out of the bundle (provided by the layer). */
  readonly modules: string[];
  /** The level for `applicationLogLevelV2` when the user set none. */
  readonly applicationLogLevel: lambda.ApplicationLogLevel;
  readonly problems: string[];
}

/**
 * Resolve `powertools` for one function: environment, layer ARN, externals, and what is wrong.
 *
 * @param region the stack's region (may be a token)
 */
export function powertoolsSetup(options: PowertoolsOptions, context: {
  id: string;
  region: string;
  runtime: lambda.Runtime;
  environment?: Record<string, string>;
  layerCount: number;
}): PowertoolsSetup {
  const problems: string[] = [];
  const logLevel = options.logLevel ?? PowertoolsLogLevel.INFO;
  const environment: Record<string, string> = {
    POWERTOOLS_SERVICE_NAME: options.serviceName ?? context.id,
    POWERTOOLS_LOG_LEVEL: logLevel,
  };
  if (options.metricsNamespace !== undefined) {
    environment.POWERTOOLS_METRICS_NAMESPACE = options.metricsNamespace;
  }
  for (const [key, value] of Object.entries(environment)) {
    const own = context.environment?.[key];
    if (own !== undefined && own !== value) {
      problems.push(`\`environment.${key}\` ("${own}") contradicts \`powertools\`, which sets it to "${value}": set it in \`powertools\` only`);
    }
  }
  if (options.serviceName !== undefined && !Token.isUnresolved(options.serviceName) && options.serviceName.trim() === '') {
    problems.push('`powertools.serviceName` must not be empty, got ""');
  }
  if (options.metricsNamespace !== undefined && !Token.isUnresolved(options.metricsNamespace)
    && (options.metricsNamespace.length < 1 || options.metricsNamespace.length > 255 || options.metricsNamespace.startsWith('AWS/'))) {
    problems.push(`\`powertools.metricsNamespace\` must be 1 to 255 characters and not start with "AWS/" (CloudWatch reserves it), got "${options.metricsNamespace}"`);
  }

  let layerArn: string | undefined;
  const modules: string[] = [];
  if (options.layer ?? true) {
    modules.push(...POWERTOOLS_LAYER_PACKAGES);
    if (!LAYER_RUNTIMES.some((r) => r.runtimeEquals(context.runtime))) {
      problems.push(`\`powertools\`: the Powertools layer is published for ${LAYER_RUNTIMES.map((r) => r.name).join(' and ')}, not for the function's ${context.runtime.name}: use one of those runtimes or \`powertools.layer: false\` to bundle Powertools`);
    }
    // The layer count, with this layer and those of other props, is checked with the function's props.
    const suffix = `layer:AWSLambdaPowertoolsTypeScriptV2:${POWERTOOLS_LAYER_VERSION}`;
    if (Token.isUnresolved(context.region)) {
      layerArn = `arn:aws:lambda:${context.region}:${COMMERCIAL_ACCOUNT}:${suffix}`;
    } else if (COMMERCIAL_REGIONS.includes(context.region)) {
      layerArn = `arn:aws:lambda:${context.region}:${COMMERCIAL_ACCOUNT}:${suffix}`;
    } else if (OTHER_PARTITIONS[context.region]) {
      const { partition, account } = OTHER_PARTITIONS[context.region];
      layerArn = `arn:${partition}:lambda:${context.region}:${account}:${suffix}`;
    } else {
      problems.push(`\`powertools\`: the Powertools layer version ${POWERTOOLS_LAYER_VERSION} (Powertools ${POWERTOOLS_VERSION}) is not published in ${context.region}: set \`powertools.layer: false\` to bundle Powertools`);
    }
  }
  return { environment, layerArn, modules, applicationLogLevel: APPLICATION_LOG_LEVELS[logLevel], problems };
}

/**
 * The layer's packages the function's workspace (`entryDir`: the directory of its entry) locks at another version
 * than the layer's: `[module, workspace version]`.
 */
export function powertoolsSkew(entryDir: string): Array<[string, string]> {
  const skew: Array<[string, string]> = [];
  for (const module of POWERTOOLS_LAYER_PACKAGES) {
    const local = workspaceVersion(module, entryDir);
    if (local !== undefined && local !== POWERTOOLS_VERSION) {
      skew.push([module, local]);
    }
  }
  return skew;
}

/** The runtimes the Powertools layer supports, for the imported layer's `compatibleRuntimes`. */
export function powertoolsLayerRuntimes(): lambda.Runtime[] {
  return [...LAYER_RUNTIMES];
}
