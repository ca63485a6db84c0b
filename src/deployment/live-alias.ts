import { Annotations, Duration } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Deployment } from './deployment';
import { ProvisionedConcurrency } from './provisioned-concurrency';
import { FunctionAlarms, FunctionAlarmsOptions } from '../monitoring/function-alarms';

/** What a function's live alias is made of (the function's own props of these names). */
export interface LiveAliasOptions {
  readonly aliasName: string;
  readonly timeout: Duration;
  /** Whether the function's alarms are created (`alarms.enabled`, resolved). */
  readonly alarmsEnabled: boolean;
  readonly provisionedConcurrency?: ProvisionedConcurrency;
  readonly deployment?: Deployment;
  readonly alarms?: FunctionAlarmsOptions;
}

/** A function's live alias and what watches and shifts its traffic. */
export interface LiveAlias {
  readonly alias: lambda.Alias;
  /** Undefined when the alarms are turned off. */
  readonly alarms?: FunctionAlarms;
  /** Undefined without `deployment`. */
  readonly deploymentGroup?: codedeploy.LambdaDeploymentGroup;
}

/**
 * The alias every invoker goes through (`LiveAlias`), on the function's current version: its provisioned
 * concurrency, the function's alarms on it (`Alarms`), and the CodeDeploy deployment group that shifts traffic to a
 * new version, rolled back on the errors alarm of the new version and the alarms `deployment` lists.
 */
export function createLiveAlias(fn: lambda.Function, options: LiveAliasOptions): LiveAlias {
  const alias = new lambda.Alias(fn, 'LiveAlias', {
    aliasName: options.aliasName,
    version: fn.currentVersion,
    provisionedConcurrentExecutions: options.provisionedConcurrency?._aliasExecutions,
  });
  options.provisionedConcurrency?._bind(alias);

  const alarms = options.alarmsEnabled ? new FunctionAlarms(fn, 'Alarms', {
    ...options.alarms,
    alias,
    timeout: options.timeout,
    provisionedConcurrency: options.provisionedConcurrency !== undefined,
    newVersionErrorsAlarm: options.deployment !== undefined,
  }) : undefined;

  let deploymentGroup: codedeploy.LambdaDeploymentGroup | undefined;
  if (options.deployment) {
    const ownAlarms = alarms?.newVersionErrors ? [alarms.newVersionErrors] : [];
    if (ownAlarms.length === 0 && !options.deployment._hasUserAlarms) {
      Annotations.of(fn).addWarningV2('cdk-lambda-kit:deploymentWithoutAlarms',
        '`deployment` has no alarm to roll back on: the errors alarm is off and `deployment` lists no `alarms`');
    }
    deploymentGroup = options.deployment._bind(fn, alias, ownAlarms);
  }
  return { alias, alarms, deploymentGroup };
}
