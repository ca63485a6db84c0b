import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { checkIntegerRange, checkWholeDuration } from '../core/limits';
import { acknowledgeCodeDeployPolicy } from '../monitoring/acknowledgements';

/** Options every deployment style shares. */
export interface DeploymentOptions {
  /**
   * More alarms that roll a deployment back, besides the function's own errors alarm.
   *
   * @default - only the function's errors alarm (when alarms are on)
   */
  readonly alarms?: cloudwatch.IAlarm[];

  /**
   * A function CodeDeploy runs before shifting any traffic; it reports the result with `PutLifecycleEventHookExecutionStatus`.
   *
   * @default - no pre-traffic hook
   * @see https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-lambda
   */
  readonly preTrafficHook?: lambda.IFunction;

  /**
   * A function CodeDeploy runs after all traffic has shifted.
   *
   * @default - no post-traffic hook
   */
  readonly postTrafficHook?: lambda.IFunction;

  /**
   * Roll back automatically when a deployment fails or an alarm fires during it.
   *
   * @default true
   */
  readonly autoRollback?: boolean;

  /**
   * The CodeDeploy application.
   *
   * @default - one is created for the function
   */
  readonly application?: codedeploy.ILambdaApplication;
}

/** How much traffic moves at each step, and how often. */
export interface TrafficShiftOptions extends DeploymentOptions {
  /**
   * The percentage of traffic shifted in the first step (canary) or in every step (linear), from 1 to 99.
   */
  readonly percentage: number;

  /**
   * The time between steps, in whole minutes from 1 minute to 2 days (2880 minutes).
   *
   * @see https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
   */
  readonly interval: Duration;
}

/** CodeDeploy's predefined Lambda configurations, by style, percentage and minutes. */
const PREDEFINED: Record<string, codedeploy.ILambdaDeploymentConfig> = {
  'canary-10-5': codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  'canary-10-10': codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_10MINUTES,
  'canary-10-15': codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_15MINUTES,
  'canary-10-30': codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_30MINUTES,
  'linear-10-1': codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
  'linear-10-2': codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_2MINUTES,
  'linear-10-3': codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_3MINUTES,
  'linear-10-10': codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_10MINUTES,
};

/**
 * How a new version receives traffic: all at once, canary or linear, through CodeDeploy on the function's alias,
 * rolled back automatically on alarms (like AWS SAM's `DeploymentPreference`).
 */
export class Deployment {
  /** Shift all traffic at once, still with hooks and alarm-based rollback. */
  public static allAtOnce(options: DeploymentOptions = {}): Deployment {
    return new Deployment('all-at-once', options, undefined);
  }

  /** Shift `percentage` of traffic, wait `interval`, then shift the rest. */
  public static canary(options: TrafficShiftOptions): Deployment {
    return new Deployment('canary', options, options);
  }

  /** Shift `percentage` of traffic every `interval` until all has moved. */
  public static linear(options: TrafficShiftOptions): Deployment {
    return new Deployment('linear', options, options);
  }

  /** Use any CodeDeploy Lambda deployment configuration. */
  public static fromConfig(config: codedeploy.ILambdaDeploymentConfig, options: DeploymentOptions = {}): Deployment {
    return new Deployment(config, options, undefined);
  }

  private constructor(
    private readonly style: 'all-at-once' | 'canary' | 'linear' | codedeploy.ILambdaDeploymentConfig,
    private readonly options: DeploymentOptions,
    private readonly shift: TrafficShiftOptions | undefined,
  ) {}

  /**
   * What is wrong with the options.
   *
   * @internal
   */
  public _problems(): string[] {
    if (!this.shift) {
      return [];
    }
    const problems = [
      checkIntegerRange(`deployment (${this.style}).percentage`, this.shift.percentage, 1, 99, '%'),
      checkWholeDuration(`deployment (${this.style}).interval`, this.shift.interval, 'minutes', 1, 2880, '1 to 2880 (2 days)'),
    ];
    return problems.filter((p): p is string => p !== undefined);
  }

  /** Whether alarms were given by the user. @internal */
  public get _hasUserAlarms(): boolean {
    return (this.options.alarms ?? []).length > 0;
  }

  /**
   * Create the deployment group (and configuration, when custom) for the alias.
   *
   * @internal
   */
  public _bind(scope: Construct, alias: lambda.Alias, ownAlarms: cloudwatch.IAlarm[]): codedeploy.LambdaDeploymentGroup {
    const rollback = this.options.autoRollback ?? true;
    const alarms = [...ownAlarms, ...(this.options.alarms ?? [])];
    const group = new codedeploy.LambdaDeploymentGroup(scope, 'DeploymentGroup', {
      alias,
      application: this.options.application,
      deploymentConfig: this.config(scope),
      alarms: alarms.length > 0 ? alarms : undefined,
      preHook: this.options.preTrafficHook,
      postHook: this.options.postTrafficHook,
      autoRollback: { failedDeployment: rollback, deploymentInAlarm: rollback && alarms.length > 0, stoppedDeployment: false },
    });
    acknowledgeCodeDeployPolicy(group.role);
    return group;
  }

  private config(scope: Construct): codedeploy.ILambdaDeploymentConfig {
    if (typeof this.style !== 'string') {
      return this.style;
    }
    if (this.style === 'all-at-once') {
      return codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE;
    }
    const { percentage, interval } = this.shift!;
    const predefined = interval.isUnresolved() ? undefined : PREDEFINED[`${this.style}-${percentage}-${interval.toMinutes()}`];
    if (predefined) {
      return predefined;
    }
    return new codedeploy.LambdaDeploymentConfig(scope, 'DeploymentConfig', {
      trafficRouting: this.style === 'canary'
        ? codedeploy.TrafficRouting.timeBasedCanary({ percentage, interval })
        : codedeploy.TrafficRouting.timeBasedLinear({ percentage, interval }),
    });
  }
}
