import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { destinationKey, recordWatched } from './watched-destinations';
import { acknowledgeFailureBucket } from '../monitoring/acknowledgements';
import { alarmActionOf, createFunctionAlarm, firstOccurrence } from '../monitoring/alarm-action';

/** The id of the S3 request-metrics filter of a failure bucket (the alarm's `FilterId` dimension). */
export const FAILED_BATCHES_FILTER = 'FailedBatches';

/** How long a failure bucket keeps what it receives. */
export const FAILURE_BUCKET_RETENTION = Duration.days(14);

/**
 * Create the bucket a stream mapping writes failed batches to (`<id>`): encrypted, SSL-only, public access blocked,
 * objects expired after 14 days by a lifecycle rule, and request metrics on, so that an alarm (`<id>Alarm`) fires on
 * the first object written (S3 `PutRequests`, one-minute periods). Only Lambda writes to this bucket, so every write
 * is a failed batch.
 */
export function createFailureBucket(scope: Construct, id: string, target: lambda.IFunction): { bucket: s3.Bucket; alarm: cloudwatch.Alarm } {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ id: 'Retention', expiration: FAILURE_BUCKET_RETENTION }],
    metrics: [{ id: FAILED_BATCHES_FILTER }],
  });
  acknowledgeFailureBucket(bucket, `the on-failure destination of ${scope.node.path}`);
  const metric = new cloudwatch.Metric({
    namespace: 'AWS/S3',
    metricName: 'PutRequests',
    dimensionsMap: { BucketName: bucket.bucketName, FilterId: FAILED_BATCHES_FILTER },
    statistic: 'Sum',
    period: Duration.minutes(1),
  });
  recordWatched(scope, destinationKey(bucket, bucket.bucketArn), alarmActionOf(target));
  const alarm = createFunctionAlarm(scope, `${id}Alarm`, target, firstOccurrence(metric, `A failed batch was written to ${bucket.node.path}`));
  return { bucket, alarm };
}
