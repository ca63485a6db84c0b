import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { S3Source, ServerlessFunction, SqsSource, WorkerQueue } from '../../src';
import { eventBridgePattern } from '../../src/event-sources/s3-eventbridge';
import { entry, makeUnbundledApp, unbundledFunction } from '../helpers';


describe('SQS source queue age alarm', () => {
  test('an ApproximateAgeOfOldestMessage alarm at half the queue\'s retention, by default', () => {
    const { stack, fn } = unbundledFunction();
    const queue = new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.minutes(3), retentionPeriod: Duration.days(2) });
    fn.addEventSource(new SqsSource(queue));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Statistic: 'Maximum',
      Threshold: 86_400,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Queue'), 'QueueName'] } }],
    });
  });

  test('the queue age alarm can be turned off', () => {
    const { stack, fn } = unbundledFunction();
    fn.addEventSource(new SqsSource(new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.minutes(3) }), { messageAgeAlarm: false }));
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage' }, 0);
  });

  test('fails if the same queue is added twice as a source', () => {
    const { stack, fn } = unbundledFunction();
    const queue = new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.minutes(3) });
    fn.addEventSource(new SqsSource(queue));
    expect(() => fn.addEventSource(new SqsSource(queue))).toThrow(/^Stack\/Fn: `SqsSource\(Stack\/Queue\)` must be added once per function, got it a second time/);
  });
});

describe('WorkerQueue retention', () => {
  test('fails if messages expire before reaching the dead-letter queue', () => {
    const { stack, fn } = unbundledFunction({ timeout: Duration.minutes(10) });
    // visibility 3600 s × 100 receives = 100 hours > 4 days (the default retention)
    expect(() => new WorkerQueue(stack, 'Work', { consumer: fn, maxReceiveCount: 100 })).toThrow(
      /^Stack\/Work: `retentionPeriod` \(4 days\) must be at least the visibility timeout × `maxReceiveCount` \(3600 seconds × 100 = 4 days 4 hours\)/,
    );
  });

  test('warns if the user set both the retention and the receive count', () => {
    const { stack, fn } = unbundledFunction({ timeout: Duration.minutes(10) });
    new WorkerQueue(stack, 'Work', { consumer: fn, maxReceiveCount: 50, retentionPeriod: Duration.days(1) });
    Annotations.fromStack(stack).hasWarning('/Stack/Work', Match.stringLikeRegexp('`retentionPeriod` \\(1 day\\).*3600 seconds × 50.*cdk-lambda-kit:retentionBelowRedrive'));
  });

  test('fails if the retention is over 14 days', () => {
    const { stack, fn } = unbundledFunction();
    expect(() => new WorkerQueue(stack, 'Work', { consumer: fn, retentionPeriod: Duration.days(15) }))
      .toThrow(/^Stack\/Work: `retentionPeriod` must be whole seconds from 60 seconds to 14 days, got 15 days/);
  });
});

describe('S3Source rules', () => {
  test('fails if events is empty', () => {
    const { stack, fn } = unbundledFunction();
    expect(() => fn.addEventSource(new S3Source(new s3.Bucket(stack, 'B'), { events: [] })))
      .toThrow(/^Stack\/Fn: `S3Source\(Stack\/B\)\.events` must list at least one event type, got \[\]/);
  });

  test('fails if a filter has an empty prefix', () => {
    const { stack, fn } = unbundledFunction();
    expect(() => fn.addEventSource(new S3Source(new s3.Bucket(stack, 'B'), { filters: [{ prefix: '' }] })))
      .toThrow(/^Stack\/Fn: `S3Source\(Stack\/B\)\.filters\[0\]\.prefix` must be a non-empty string \(leave it out to match every key\), got ""/);
  });

  test('overlapping notifications on two imports of one bucket name are found', () => {
    const { stack } = makeUnbundledApp();
    const a = new ServerlessFunction(stack, 'A', { entry });
    const b = new ServerlessFunction(stack, 'B', { entry });
    a.addEventSource(new S3Source(s3.Bucket.fromBucketName(stack, 'One', 'shared-uploads')));
    expect(() => b.addEventSource(new S3Source(s3.Bucket.fromBucketName(stack, 'Two', 'shared-uploads'))))
      .toThrow(/^Stack\/B: S3Source: a notification on Stack\/Two .*overlaps the one for Stack\/A/);
  });

  test.each<[s3.EventType, Record<string, unknown>]>([
    [s3.EventType.OBJECT_CREATED, { 'detail-type': ['Object Created'] }],
    [s3.EventType.OBJECT_CREATED_PUT, { 'detail-type': ['Object Created'], 'detail': { reason: ['PutObject'] } }],
    [s3.EventType.OBJECT_CREATED_POST, { 'detail-type': ['Object Created'], 'detail': { reason: ['POST Object'] } }],
    [s3.EventType.OBJECT_CREATED_COPY, { 'detail-type': ['Object Created'], 'detail': { reason: ['CopyObject'] } }],
    [s3.EventType.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD, { 'detail-type': ['Object Created'], 'detail': { reason: ['CompleteMultipartUpload'] } }],
    [s3.EventType.OBJECT_REMOVED, { 'detail-type': ['Object Deleted'], 'detail': { reason: ['DeleteObject'] } }],
    [s3.EventType.OBJECT_REMOVED_DELETE, { 'detail-type': ['Object Deleted'], 'detail': { 'reason': ['DeleteObject'], 'deletion-type': ['Permanently Deleted'] } }],
    [s3.EventType.OBJECT_REMOVED_DELETE_MARKER_CREATED, { 'detail-type': ['Object Deleted'], 'detail': { 'reason': ['DeleteObject'], 'deletion-type': ['Delete Marker Created'] } }],
    [s3.EventType.LIFECYCLE_EXPIRATION, { 'detail-type': ['Object Deleted'], 'detail': { reason: ['Lifecycle Expiration'] } }],
    [s3.EventType.LIFECYCLE_EXPIRATION_DELETE, { 'detail-type': ['Object Deleted'], 'detail': { 'reason': ['Lifecycle Expiration'], 'deletion-type': ['Permanently Deleted'] } }],
    [s3.EventType.OBJECT_RESTORE_POST, { 'detail-type': ['Object Restore Initiated'] }],
    [s3.EventType.OBJECT_RESTORE_COMPLETED, { 'detail-type': ['Object Restore Completed'] }],
    [s3.EventType.OBJECT_RESTORE_DELETE, { 'detail-type': ['Object Restore Expired'] }],
    [s3.EventType.LIFECYCLE_TRANSITION, { 'detail-type': ['Object Storage Class Changed'] }],
    [s3.EventType.INTELLIGENT_TIERING, { 'detail-type': ['Object Access Tier Changed'] }],
    [s3.EventType.OBJECT_TAGGING_PUT, { 'detail-type': ['Object Tags Added'] }],
    [s3.EventType.OBJECT_TAGGING_DELETE, { 'detail-type': ['Object Tags Deleted'] }],
    [s3.EventType.OBJECT_ACL_PUT, { 'detail-type': ['Object ACL Updated'] }],
  ])('viaEventBridge maps %s exactly', (eventType, expected) => {
    expect(eventBridgePattern(eventType)).toEqual(expected);
  });

  test('viaEventBridge: each event type gets its own exact pattern on the rule', () => {
    const { stack, fn } = unbundledFunction();
    fn.addEventSource(new S3Source(new s3.Bucket(stack, 'B'), { viaEventBridge: true, events: [s3.EventType.OBJECT_CREATED_PUT, s3.EventType.OBJECT_TAGGING] }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.s3'], 'detail-type': ['Object Created'], 'detail': Match.objectLike({ reason: ['PutObject'] }) },
    });
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ 'detail-type': ['Object Tags Added', 'Object Tags Deleted'] }) });
  });
});
