import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeFailureQueue } from '../private/acknowledgements';

/**
 * Options of the queues this library creates to keep failed events: encrypted, SSL-only, 14 days of retention.
 */
export function failureQueueProps(): sqs.QueueProps {
  return {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  };
}

/** Create a failure queue (`<id>`) and an alarm on its depth (`<id>Alarm`), which fires when anything lands in it. */
export function createFailureQueue(scope: Construct, id: string, action?: cloudwatch.IAlarmAction): { queue: sqs.Queue; alarm: cloudwatch.Alarm } {
  const queue = new sqs.Queue(scope, id, failureQueueProps());
  acknowledgeFailureQueue(queue, `the on-failure destination of ${scope.node.path}`);
  const alarm = new cloudwatch.Alarm(scope, `${id}Alarm`, {
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: `Failed events are waiting in ${queue.node.path}`,
  });
  if (action) {
    alarm.addAlarmAction(action);
  }
  return { queue, alarm };
}
