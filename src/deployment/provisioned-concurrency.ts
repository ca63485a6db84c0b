import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { checkIntegerRange, checkRange } from '../core/limits';

/** A scheduled change of the provisioned concurrency range, for example "weekdays 08:00 at least 10". */
export interface ConcurrencySchedule {
  /**
   * A name for the action, unique among the function's schedules (letters, digits, `-` and `_`).
   */
  readonly name: string;

  /**
   * When the action runs, for example `Schedule.cron({ weekDay: 'MON-FRI', hour: '8', minute: '0' })`.
   */
  readonly schedule: appscaling.Schedule;

  /**
   * The new minimum number of provisioned execution environments.
   *
   * Must be at least 1: scaling provisioned concurrency to 0 on a schedule breaks later deployments
   * (aws-cdk #29992). To pause, lower it to 1.
   *
   * @default - the minimum is not changed
   */
  readonly minCapacity?: number;

  /**
   * The new maximum number of provisioned execution environments.
   *
   * @default - the maximum is not changed
   */
  readonly maxCapacity?: number;
}

/** Options for provisioned concurrency that follows utilization. */
export interface AutoscaledConcurrencyOptions {
  /**
   * The fewest provisioned execution environments (at least 1).
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
   */
  readonly minCapacity: number;

  /**
   * The most provisioned execution environments. At most `reservedConcurrentExecutions` when that is set.
   */
  readonly maxCapacity: number;

  /**
   * Target tracking: the provisioned concurrency utilization to keep, from 0.1 to 0.9.
   *
   * @default 0.7
   * @see https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html#managing-provisioned-concurency
   */
  readonly utilizationTarget?: number;

  /**
   * Scheduled changes of the range, for example more capacity in business hours.
   *
   * @default - none
   */
  readonly schedules?: ConcurrencySchedule[];
}

/**
 * How provisioned concurrency is managed on the function's alias.
 *
 * Exactly one mechanism manages it: a fixed count is a property of the alias; autoscaled concurrency is owned by
 * Application Auto Scaling alone (the alias carries no count), so switching between the two never drifts
 * (aws-cdk #30503).
 */
export class ProvisionedConcurrency {
  /**
   * Keep a fixed number of execution environments initialized.
   *
   * @param executions at least 1, at most `reservedConcurrentExecutions` when that is set
   */
  public static fixed(executions: number): ProvisionedConcurrency {
    return new ProvisionedConcurrency(executions, undefined);
  }

  /**
   * Scale on utilization, and optionally on schedules, with Application Auto Scaling.
   */
  public static autoscaled(options: AutoscaledConcurrencyOptions): ProvisionedConcurrency {
    return new ProvisionedConcurrency(undefined, options);
  }

  private constructor(
    private readonly fixedExecutions: number | undefined,
    private readonly autoscaling: AutoscaledConcurrencyOptions | undefined,
  ) {}

  /**
   * The most environments this can provision.
   *
   * @internal
   */
  public get _maxExecutions(): number {
    return this.fixedExecutions ?? this.autoscaling!.maxCapacity;
  }

  /**
   * The count to set on the alias (fixed only).
   *
   * @internal
   */
  public get _aliasExecutions(): number | undefined {
    return this.fixedExecutions;
  }

  /**
   * What is wrong with this configuration for a function with the given reserved concurrency.
   *
   * @internal
   */
  public _problems(reservedConcurrentExecutions: number | undefined): string[] {
    const problems: (string | undefined)[] = [];
    if (this.fixedExecutions !== undefined) {
      problems.push(checkIntegerRange('provisionedConcurrency (fixed)', this.fixedExecutions, 1, 100_000));
    } else {
      const a = this.autoscaling!;
      problems.push(checkIntegerRange('provisionedConcurrency.minCapacity', a.minCapacity, 1, 100_000));
      problems.push(checkIntegerRange('provisionedConcurrency.maxCapacity', a.maxCapacity, 1, 100_000));
      if (a.minCapacity > a.maxCapacity) {
        problems.push(`\`provisionedConcurrency.minCapacity\` must be at most \`maxCapacity\` (${a.maxCapacity}), got ${a.minCapacity}`);
      }
      problems.push(checkRange('provisionedConcurrency.utilizationTarget', a.utilizationTarget, 0.1, 0.9));
      const names = new Set<string>();
      for (const s of a.schedules ?? []) {
        const where = `provisionedConcurrency.schedules["${s.name}"]`;
        if (!/^[A-Za-z0-9_-]{1,100}$/.test(s.name)) {
          problems.push(`\`${where}.name\` must be 1 to 100 letters, digits, "-" or "_", got "${s.name}"`);
        }
        if (names.has(s.name)) {
          problems.push(`\`${where}.name\` must be unique among the schedules, got "${s.name}" more than once`);
        }
        names.add(s.name);
        if (s.minCapacity === undefined && s.maxCapacity === undefined) {
          problems.push(`\`${where}\` must set \`minCapacity\`, \`maxCapacity\` or both, got neither`);
        }
        if (s.minCapacity !== undefined && s.minCapacity < 1) {
          problems.push(`\`${where}.minCapacity\` must be at least 1 (scaling provisioned concurrency to 0 breaks later deployments, aws-cdk #29992), got ${s.minCapacity}`);
        } else {
          problems.push(checkIntegerRange(`${where}.minCapacity`, s.minCapacity, 1, 100_000));
        }
        problems.push(checkIntegerRange(`${where}.maxCapacity`, s.maxCapacity, 1, 100_000));
        if (s.minCapacity !== undefined && s.maxCapacity !== undefined && s.minCapacity > s.maxCapacity) {
          problems.push(`\`${where}.minCapacity\` must be at most its \`maxCapacity\` (${s.maxCapacity}), got ${s.minCapacity}`);
        }
        if (reservedConcurrentExecutions !== undefined && s.maxCapacity !== undefined && s.maxCapacity > reservedConcurrentExecutions) {
          problems.push(`\`${where}.maxCapacity\` must be at most \`reservedConcurrentExecutions\` (${reservedConcurrentExecutions}), got ${s.maxCapacity}`);
        }
      }
    }
    if (reservedConcurrentExecutions !== undefined && this._maxExecutions > reservedConcurrentExecutions) {
      problems.push(`provisioned concurrency (up to ${this._maxExecutions}) must be at most \`reservedConcurrentExecutions\` (${reservedConcurrentExecutions})`);
    }
    return problems.filter((p): p is string => p !== undefined);
  }

  /**
   * Attach to the alias: autoscaling with its schedules (a fixed count is already an alias property).
   *
   * @internal
   */
  public _bind(alias: lambda.Alias): void {
    const a = this.autoscaling;
    if (!a) {
      return;
    }
    const scaling = alias.addAutoScaling({ minCapacity: a.minCapacity, maxCapacity: a.maxCapacity });
    scaling.scaleOnUtilization({ utilizationTarget: a.utilizationTarget ?? 0.7 });
    for (const s of a.schedules ?? []) {
      scaling.scaleOnSchedule(s.name, { schedule: s.schedule, minCapacity: s.minCapacity, maxCapacity: s.maxCapacity });
    }
  }
}
