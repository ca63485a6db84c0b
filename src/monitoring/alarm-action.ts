import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { functionOf } from '../core/targets';

/**
 * Every alarm this library creates for a function (failure queues and buckets, dead-letter queues, source age
 * alarms) runs the function's `alarms.action`. Sources and failure handling create their alarms through
 * {@link createFunctionAlarm} so that none is forgotten.
 */

/** A function that knows its alarm action (a ServerlessFunction). */
interface AlarmActionHolder {
  readonly _alarmAction?: cloudwatch.IAlarmAction;
}

/** The alarm action of the function behind a target (alias, version or function), if it has one. */
export function alarmActionOf(target: lambda.IFunction | undefined): cloudwatch.IAlarmAction | undefined {
  if (!target) {
    return undefined;
  }
  return (functionOf(target) as IConstruct & AlarmActionHolder)._alarmAction;
}

/** Create an alarm that runs the alarm action of the function behind `target`. */
export function createFunctionAlarm(
  scope: Construct, id: string, target: lambda.IFunction | undefined, props: cloudwatch.AlarmProps,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, props);
  const action = alarmActionOf(target);
  if (action) {
    alarm.addAlarmAction(action);
  }
  return alarm;
}

/** The props of an alarm that fires as soon as a metric reaches `threshold` in one period. */
export function firstOccurrence(metric: cloudwatch.IMetric, description: string, threshold = 1): cloudwatch.AlarmProps {
  return {
    metric,
    threshold,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: description,
  };
}
