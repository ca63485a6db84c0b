import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { checkIntegerRange, checkRange } from '../core/limits';

/**
 * Which alarms a function gets and when they fire. The errors, throttles and duration alarms watch every invocation of
 * the function, whatever the qualifier (the alias, a version, or `$LATEST`), so that an invoker that bypasses the
 * alias still fails watched; the spillover alarm watches the alias, where provisioned concurrency is.
 */
export interface FunctionAlarmsOptions {
  /**
   * Create the alarms at all. When off, deployments roll back only on the alarms you pass them.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * An action (for example an SNS topic) run when any of the alarms fires.
   *
   * @default - no action
   */
  readonly action?: cloudwatch.IAlarmAction;

  /**
   * Alarm on errors.
   *
   * @default true
   */
  readonly errors?: boolean;

  /**
   * Errors in one minute that fire the errors alarm (1 or more).
   *
   * @default 1
   */
  readonly errorsThreshold?: number;

  /**
   * Alarm on throttled invocations.
   *
   * @default true
   */
  readonly throttles?: boolean;

  /**
   * Throttles in five minutes that fire the throttles alarm (1 or more).
   *
   * @default 1
   */
  readonly throttlesThreshold?: number;

  /**
   * Alarm when the p99 duration comes close to the timeout.
   *
   * @default true
   */
  readonly duration?: boolean;

  /**
   * The p99 duration, as a percentage of the timeout (1 to 100), that fires the duration alarm.
   *
   * @default 90
   */
  readonly durationThresholdPercent?: number;

  /**
   * Alarm when invocations spill over provisioned concurrency onto on-demand environments
   * (only when provisioned concurrency is on).
   *
   * @default true
   */
  readonly provisionedConcurrencySpillover?: boolean;
}

/** Properties of {@link FunctionAlarms}. */
export interface FunctionAlarmsProps extends FunctionAlarmsOptions {
  /** The alias whose metrics are watched. */
  readonly alias: lambda.IAlias;

  /** The function's timeout, for the duration alarm. */
  readonly timeout: Duration;

  /**
   * Whether the alias has provisioned concurrency (for the spillover alarm).
   *
   * @default false
   */
  readonly provisionedConcurrency?: boolean;

  /**
   * Create `newVersionErrors`, the alarm a traffic-shifting deployment rolls back on: errors of the alias' current
   * version only (the `ExecutedVersion` dimension), so that errors of the old version or of other qualifiers during
   * a canary do not roll back a healthy new version.
   *
   * @default false
   */
  readonly newVersionErrorsAlarm?: boolean;
}

/**
 * The default alarms of a function: errors, throttles, p99 duration near the timeout, and provisioned-concurrency
 * spillover. Each can be turned off; thresholds are configurable; one action can be applied to all of them.
 */
export class FunctionAlarms extends Construct {
  /** What is wrong with the options. @internal */
  public static _problems(options: FunctionAlarmsOptions): string[] {
    return [
      checkIntegerRange('alarms.errorsThreshold', options.errorsThreshold, 1, 1_000_000),
      checkIntegerRange('alarms.throttlesThreshold', options.throttlesThreshold, 1, 1_000_000),
      checkRange('alarms.durationThresholdPercent', options.durationThresholdPercent, 1, 100),
    ].filter((p): p is string => p !== undefined);
  }

  /** Fires on errors of any invocation of the function. Undefined when turned off. */
  public readonly errors?: cloudwatch.Alarm;

  /**
   * Fires on errors of the alias' current version (what a deployment rolls back on). Undefined without a deployment,
   * or when the errors alarm is turned off.
   */
  public readonly newVersionErrors?: cloudwatch.Alarm;

  /** Fires on throttles. Undefined when turned off. */
  public readonly throttles?: cloudwatch.Alarm;

  /** Fires when the p99 duration nears the timeout. Undefined when turned off. */
  public readonly duration?: cloudwatch.Alarm;

  /** Fires on provisioned-concurrency spillover. Undefined without provisioned concurrency or when turned off. */
  public readonly provisionedConcurrencySpillover?: cloudwatch.Alarm;

  private readonly action?: cloudwatch.IAlarmAction;
  private readonly asyncAlarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: FunctionAlarmsProps) {
    super(scope, id);
    this.action = props.action;
    const alias = props.alias;
    const fnConstruct: IConstruct = alias.version.lambda;
    const create = (alarmId: string, metric: cloudwatch.IMetric, threshold: number, description: string, watched = fnConstruct) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${description} (${watched.node.path})`,
      });
      if (props.action) {
        alarm.addAlarmAction(props.action);
      }
      return alarm;
    };

    // Metrics with the FunctionName dimension alone aggregate every version and alias of the function.
    const fn = alias.version.lambda;
    if (props.errors ?? true) {
      this.errors = create('Errors', fn.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
        props.errorsThreshold ?? 1, 'Invocations of the function (any qualifier) failed');
      if (props.newVersionErrorsAlarm) {
        this.newVersionErrors = create('NewVersionErrors', new cloudwatch.Metric({
          namespace: 'AWS/Lambda',
          metricName: 'Errors',
          dimensionsMap: { FunctionName: fn.functionName, Resource: `${fn.functionName}:${alias.aliasName}`, ExecutedVersion: alias.version.version },
          period: Duration.minutes(1),
          statistic: 'Sum',
        }), props.errorsThreshold ?? 1, 'Invocations of the current version through the alias failed', alias);
      }
    }
    if (props.throttles ?? true) {
      this.throttles = create('Throttles', fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        props.throttlesThreshold ?? 1, 'Invocations of the function (any qualifier) were throttled');
    }
    if ((props.duration ?? true) && props.timeout.isUnresolved()) {
      Annotations.of(this).addWarningV2('cdk-lambda-kit:durationAlarmSkipped',
        'the duration alarm needs a concrete `timeout` to derive its threshold; it was not created');
    } else if (props.duration ?? true) {
      const percent = props.durationThresholdPercent ?? 90;
      this.duration = create('Duration', fn.metricDuration({ period: Duration.minutes(5), statistic: 'p99' }),
        Math.round(props.timeout.toMilliseconds() * percent / 100), `p99 duration is at least ${percent}% of the timeout`);
    }
    if (props.provisionedConcurrency && (props.provisionedConcurrencySpillover ?? true)) {
      this.provisionedConcurrencySpillover = create('ProvisionedConcurrencySpillover',
        alias.metric('ProvisionedConcurrencySpilloverInvocations', { period: Duration.minutes(5), statistic: 'Sum' }),
        1, 'Invocations spilled over provisioned concurrency', alias);
    }
  }

  /** Every alarm that was created. */
  public get all(): cloudwatch.Alarm[] {
    return [this.errors, this.newVersionErrors, this.throttles, this.duration, this.provisionedConcurrencySpillover, ...this.asyncAlarms]
      .filter((a): a is cloudwatch.Alarm => a !== undefined);
  }

  /**
   * Alarms for asynchronous invocation: events dropped, and (with destinations) deliveries that failed.
   *
   * @internal
   */
  public _addAsyncAlarms(fn: lambda.IFunction, withDestinations: boolean, extra: cloudwatch.Alarm[]): void {
    const create = (alarmId: string, metricName: string, description: string) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        metric: fn.metric(metricName, { period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${description} (${fn.node.path})`,
      });
      this.asyncAlarms.push(alarm);
      if (this.action) {
        alarm.addAlarmAction(this.action);
      }
    };
    create('AsyncEventsDropped', 'AsyncEventsDropped', 'Asynchronous events were dropped without being processed');
    if (withDestinations) {
      create('DestinationDeliveryFailures', 'DestinationDeliveryFailures', 'Records could not be delivered to a destination');
    }
    // The extra alarms (the failure queue's) were created with the function's alarm action already.
    this.asyncAlarms.push(...extra);
  }
}
