import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { destinationKey, recordWatched } from './watched-destinations';
import { acknowledgeFailureQueue } from '../monitoring/acknowledgements';
import { alarmActionOf, createFunctionAlarm, firstOccurrence } from '../monitoring/alarm-action';

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

/** An alarm (`<id>`) on a queue's depth that fires when anything lands in it, with the function's alarm action. */
export function createDepthAlarm(
  scope: Construct, id: string, queue: sqs.IQueue, target: lambda.IFunction | undefined, description: string,
): cloudwatch.Alarm {
  const metric = queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' });
  recordWatched(scope, destinationKey(queue, queue.queueArn), alarmActionOf(target));
  return createFunctionAlarm(scope, id, target, firstOccurrence(metric, description));
}

/**
 * Create a failure queue (`<id>`) and an alarm on its depth (`<id>Alarm`), which fires when anything lands in it and
 * runs the alarm action of the function behind `target`.
 */
export function createFailureQueue(
  scope: Construct, id: string, target: lambda.IFunction | undefined,
): { queue: sqs.Queue; alarm: cloudwatch.Alarm } {
  const queue = new sqs.Queue(scope, id, failureQueueProps());
  acknowledgeFailureQueue(queue, `the on-failure destination of ${scope.node.path}`);
  const alarm = createDepthAlarm(scope, `${id}Alarm`, queue, target, `Failed events are waiting in ${queue.node.path}`);
  return { queue, alarm };
}
