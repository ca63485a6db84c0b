import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDlq, StreamEventSourceProps } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { checkIntegerRange } from './limits';
import { formatProblems } from './problems';
import { functionOf } from './targets';
import { StreamSourceOptions } from '../event-sources/stream';
import { createFailureQueue } from '../failure-handling/failure-queue';

/** Check stream options; `name` describes the source in messages.*/
export function checkStreamOptions(name: string, o: StreamSourceOptions): string[] {
  const problems = [
    checkIntegerRange(`${name}.batchSize`, o.batchSize, 1, 10000),
    checkIntegerRange(`${name}.retryAttempts`, o.retryAttempts, 0, 10000),
    checkIntegerRange(`${name}.parallelizationFactor`, o.parallelizationFactor, 1, 10),
    checkSeconds(`${name}.maxBatchingWindow`, o.maxBatchingWindow, 0, 300),
    checkSeconds(`${name}.maxRecordAge`, o.maxRecordAge, 60, 604_800),
    checkSeconds(`${name}.tumblingWindow`, o.tumblingWindow, 0, 900),
  ];
  return problems.filter((p): p is string => p !== undefined);
}

function checkSeconds(prop: string, value: Duration | undefined, min: number, max: number): string | undefined {
  if (value === undefined || value.isUnresolved()) {
    return undefined;
  }
  const ms = value.toMilliseconds();
  if (ms % 1000 !== 0 || ms < min * 1000 || ms > max * 1000) {
    return `\`${prop}\` must be whole seconds from ${min} to ${max}, got ${value.toHumanString()}`;
  }
  return undefined;
}

/**
 * The aws-cdk-lib stream props with this library's defaults; creates the default failure queue under the function
 * when none is given.
 */
export function streamProps(target: lambda.IFunction, sourceId: string, name: string, o: StreamSourceOptions): StreamEventSourceProps {
  const fn = functionOf(target);
  const problems = checkStreamOptions(name, o);
  if (problems.length > 0) {
    throw new Error(formatProblems(fn.node.path, problems));
  }
  const queue = o.onFailureQueue ?? createFailureQueue(fn as unknown as Construct, `${sourceId}FailureQueue`).queue;
  return {
    startingPosition: o.startingPosition ?? lambda.StartingPosition.LATEST,
    batchSize: o.batchSize ?? 100,
    maxBatchingWindow: o.maxBatchingWindow,
    bisectBatchOnError: o.bisectBatchOnError ?? true,
    retryAttempts: o.retryAttempts ?? 2,
    maxRecordAge: o.maxRecordAge ?? Duration.hours(1),
    onFailure: new SqsDlq(queue),
    parallelizationFactor: o.parallelizationFactor,
    tumblingWindow: o.tumblingWindow,
    reportBatchItemFailures: o.reportBatchItemFailures ?? true,
    filters: o.filters,
    enabled: o.enabled,
  };
}
