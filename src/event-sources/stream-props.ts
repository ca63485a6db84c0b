import { createHash } from 'crypto';
import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IEventSourceDlq } from 'aws-cdk-lib/aws-lambda';
import { StreamEventSourceProps } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct, IConstruct } from 'constructs';
import { StreamSourceOptions } from './stream';
import { checkIntegerRange, checkWholeDuration } from '../core/limits';
import { formatProblems } from '../core/problems';
import { functionOf } from '../core/targets';
import { createFailureBucket } from '../failure-handling/failure-bucket';
import { StreamFailureDestination } from '../failure-handling/stream-failure-destination';
import { createFunctionAlarm, firstOccurrence } from '../monitoring/alarm-action';

/** What differs between DynamoDB Streams and Kinesis. */
export interface StreamFacts {
  readonly kind: 'dynamodb' | 'kinesis';
  /** How long the stream keeps records, when known. */
  readonly retention?: Duration;
  /** Kinesis AT_TIMESTAMP start, in Unix seconds. */
  readonly startingPositionTimestamp?: number;
}

/** Check stream options; `name` describes the source in messages. Pure: usable on any stream mapping's settings. */
export function checkStreamOptions(name: string, o: StreamSourceOptions, facts?: StreamFacts): string[] {
  const problems = [
    checkIntegerRange(`${name}.batchSize`, o.batchSize, 1, 10000),
    checkIntegerRange(`${name}.retryAttempts`, o.retryAttempts, 0, 10000),
    checkIntegerRange(`${name}.parallelizationFactor`, o.parallelizationFactor, 1, 10),
    checkWholeDuration(`${name}.maxBatchingWindow`, o.maxBatchingWindow, 'seconds', 0, 300),
    checkWholeDuration(`${name}.maxRecordAge`, o.maxRecordAge, 'seconds', 60, 604_800),
    checkWholeDuration(`${name}.tumblingWindow`, o.tumblingWindow, 'seconds', 0, 900),
  ];
  const atTimestamp = o.startingPosition === lambda.StartingPosition.AT_TIMESTAMP;
  if (facts?.kind === 'dynamodb' && atTimestamp) {
    problems.push(`\`${name}.startingPosition\` must be LATEST or TRIM_HORIZON (DynamoDB Streams do not support AT_TIMESTAMP), got AT_TIMESTAMP`);
  }
  if (facts?.kind === 'kinesis') {
    const timestamp = facts.startingPositionTimestamp;
    if (atTimestamp && timestamp === undefined) {
      problems.push(`\`${name}.startingPositionTimestamp\` must be set with AT_TIMESTAMP (the Unix time in seconds to start reading from), got none`);
    } else if (!atTimestamp && timestamp !== undefined) {
      problems.push(`\`${name}.startingPositionTimestamp\` can only be used with \`startingPosition\` AT_TIMESTAMP, got ${timestamp} with ${o.startingPosition ?? 'LATEST'}`);
    } else if (timestamp !== undefined && !Token.isUnresolved(timestamp) && !(Number.isFinite(timestamp) && timestamp >= 0)) {
      problems.push(`\`${name}.startingPositionTimestamp\` must be a Unix time in seconds (0 or more), got ${timestamp}`);
    }
  }
  if (o.onFailure && o.onFailureQueue) {
    problems.push(`\`${name}.onFailureQueue\` cannot be combined with \`onFailure\`: use \`onFailure\` alone, got both`);
  }
  if (o.onFailureQueue?.fifo) {
    problems.push(`\`${name}.onFailureQueue\` must be a standard (not FIFO) queue: Lambda cannot send to FIFO destinations, got ${o.onFailureQueue.node.path}`);
  }
  problems.push(...(o.onFailure?._problems(`${name}.onFailure`) ?? []));
  return problems.filter((p): p is string => p !== undefined);
}

/**
 * The iterator age at which the alarm fires: half the age at which records are lost (`maxRecordAge`, or the stream's
 * retention when shorter), in milliseconds. Undefined when neither is known.
 */
export function iteratorAgeThreshold(maxRecordAge: Duration | undefined, retention: Duration | undefined): number | undefined {
  const limits = [maxRecordAge, retention].filter((d): d is Duration => d !== undefined && !d.isUnresolved()).map((d) => d.toMilliseconds());
  return limits.length === 0 ? undefined : Math.min(...limits) / 2;
}

/**
 * The aws-cdk-lib stream props with this library's defaults; creates the default failure bucket (and the iterator
 * age alarm) under the function.
 */
export function streamProps(
  target: lambda.IFunction, sourceId: string, name: string, o: StreamSourceOptions, facts: StreamFacts,
): StreamEventSourceProps {
  const fn = functionOf(target) as lambda.IFunction & Construct;
  const problems = checkStreamOptions(name, o, facts);
  if (problems.length > 0) {
    throw new Error(formatProblems(fn.node.path, problems));
  }
  let onFailure: IEventSourceDlq;
  if (o.onFailure) {
    onFailure = o.onFailure._dlq;
  } else if (o.onFailureQueue) {
    onFailure = StreamFailureDestination.queue(o.onFailureQueue)._dlq;
  } else {
    onFailure = StreamFailureDestination.bucket(createFailureBucket(fn, `${sourceId}FailureBucket`, target).bucket)._dlq;
  }
  const maxRecordAge = o.maxRecordAge ?? Duration.hours(1);
  const threshold = iteratorAgeThreshold(maxRecordAge, facts.retention);
  if ((o.iteratorAgeAlarm ?? true) && threshold !== undefined) {
    const metric = fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) });
    createFunctionAlarm(fn, `${sourceId}IteratorAgeAlarm`, target, firstOccurrence(metric,
      `The function's stream records reached half the age at which ${name} gives them up (${Duration.millis(threshold * 2).toHumanString()})`,
      threshold));
  }
  return {
    startingPosition: o.startingPosition ?? lambda.StartingPosition.LATEST,
    batchSize: o.batchSize ?? 100,
    maxBatchingWindow: o.maxBatchingWindow,
    bisectBatchOnError: o.bisectBatchOnError ?? true,
    retryAttempts: o.retryAttempts ?? 2,
    maxRecordAge,
    onFailure,
    parallelizationFactor: o.parallelizationFactor,
    tumblingWindow: o.tumblingWindow,
    reportBatchItemFailures: o.reportBatchItemFailures ?? true,
    filters: o.filters,
    enabled: o.enabled,
  };
}

/**
 * An enhanced fan-out consumer name: Kinesis allows 1 to 128 letters, digits, `_`, `.` and `-`, unique per stream.
 * The function's and stream's ids, sanitized, plus a hash of both construct paths (two functions with the same id
 * on one stream get different names).
 */
export function consumerName(fn: IConstruct, stream: IConstruct): string {
  const readable = `${fn.node.id}-${stream.node.id}`.replace(/[^a-zA-Z0-9_.-]+/g, '-').slice(0, 119);
  const hash = createHash('sha256').update(`${fn.node.path}\0${stream.node.path}`).digest('hex').slice(0, 8);
  return `${readable}-${hash}`;
}


