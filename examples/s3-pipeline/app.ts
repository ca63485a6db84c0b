import * as path from 'path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3Source, ServerlessFunction } from 'cdk-lambda-kit';

/**
 * An upload pipeline: S3 invokes a function for new objects under `incoming/` (asynchronously, so failed events land
 * in the function's encrypted failure queue, with alarms), and a second function for new `.csv` reports under
 * `reports/`. The two notifications cannot overlap: that is checked at synth.
 */
const app = new App();
const stack = new Stack(app, 'S3Pipeline');

// Server access logs of the upload bucket go to a bucket of their own (which cannot log to itself).
const accessLogs = new s3.Bucket(stack, 'AccessLogs', {
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  lifecycleRules: [{ expiration: Duration.days(90) }],
});
Validations.of(accessLogs).acknowledge({
  id: 'AwsSolutions-S1',
  reason: 'this is the access-log bucket: logging it to itself would log its own writes forever',
});

const uploads = new s3.Bucket(stack, 'Uploads', {
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  serverAccessLogsBucket: accessLogs,
  serverAccessLogsPrefix: 'uploads/',
});

new ServerlessFunction(stack, 'Classify', {
  entry: path.join(__dirname, 'src', 'classify.ts'),
  events: [new S3Source(uploads, { filters: [{ prefix: 'incoming/' }] })],
});

new ServerlessFunction(stack, 'Reports', {
  entry: path.join(__dirname, 'src', 'classify.ts'),
  events: [new S3Source(uploads, { filters: [{ prefix: 'reports/', suffix: '.csv' }] })],
});

app.synth();
