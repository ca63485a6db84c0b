import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3Source, ServerlessFunction } from '../../src';
import { eventsOverlap, keysOverlap } from '../../src/event-sources/s3';
import { entry, makeUnbundledApp } from '../helpers';


describe('S3Source', () => {
  test('object created by default, through the alias, and async failure handling follows', () => {
    const { stack } = makeUnbundledApp();
    const bucket = new s3.Bucket(stack, 'Uploads');
    const fn = new ServerlessFunction(stack, 'Thumbnails', { entry, events: [new S3Source(bucket, { filters: [{ prefix: 'in/', suffix: '.jpg' }] })] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [Match.objectLike({
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.jpg' }, { Name: 'prefix', Value: 'in/' }] } },
          LambdaFunctionArn: { Ref: stack.getLogicalId(fn.alias.node.defaultChild as any) },
        })],
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      Qualifier: { 'Fn::Select': Match.arrayWith([Match.objectLike({ 'Fn::Split': Match.arrayWith([{ Ref: Match.stringLikeRegexp('LiveAlias') }]) })]) },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ThumbnailsAsyncFailureQueue'), 'Arn'] } } },
    });
    expect(fn.failureQueue).toBeDefined();
  });

  test('delivery through EventBridge creates a rule on the bucket\'s events', () => {
    const { stack } = makeUnbundledApp();
    const bucket = new s3.Bucket(stack, 'Uploads');
    new ServerlessFunction(stack, 'Thumbnails', { entry, events: [new S3Source(bucket, { viaEventBridge: true, filters: [{ prefix: 'in/' }] })] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.s3'], 'detail-type': ['Object Created'], 'detail': { object: { key: [{ prefix: 'in/' }] } } },
    });
    template.hasResourceProperties('Custom::S3BucketNotifications', { NotificationConfiguration: { EventBridgeConfiguration: {} } });
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
  });

  test('events EventBridge cannot deliver go to a dead-letter queue of the rule target, with an alarm', () => {
    const { stack } = makeUnbundledApp();
    const bucket = new s3.Bucket(stack, 'Uploads');
    new ServerlessFunction(stack, 'Thumbnails', { entry, events: [new S3Source(bucket, { viaEventBridge: true })] });
    const template = Template.fromStack(stack);
    const [queueId] = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => id.startsWith('ThumbnailsUploadsDeliveryFailureQueue'));
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } } })],
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sqs:SendMessage', Principal: { Service: 'events.amazonaws.com' } })]) },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }] });
  });

  test('fails if two notifications on one bucket overlap', () => {
    const { stack } = makeUnbundledApp();
    const bucket = new s3.Bucket(stack, 'Uploads');
    new ServerlessFunction(stack, 'Images', { entry, events: [new S3Source(bucket, { filters: [{ prefix: 'images/' }] })] });
    new ServerlessFunction(stack, 'Docs', { entry, events: [new S3Source(bucket, { filters: [{ prefix: 'docs/' }] })] });
    expect(() => new ServerlessFunction(stack, 'All', { entry, events: [new S3Source(bucket, { events: [s3.EventType.OBJECT_CREATED_PUT] })] }))
      .toThrow(/^Stack\/All: 2 problems:\n {2}- S3Source: a notification on Stack\/Uploads for s3:ObjectCreated:Put with no key filter overlaps the one for Stack\/Images .*S3 rejects overlapping notifications/);
    new ServerlessFunction(stack, 'Removed', { entry, events: [new S3Source(bucket, { events: [s3.EventType.OBJECT_REMOVED] })] });
  });

  test('fails if EventBridge delivery is asked for events it does not carry', () => {
    const { stack } = makeUnbundledApp();
    const bucket = new s3.Bucket(stack, 'Uploads');
    expect(() => new ServerlessFunction(stack, 'Fn', { entry, events: [new S3Source(bucket, { viaEventBridge: true, events: [s3.EventType.REPLICATION_OPERATION_FAILED_REPLICATION] })] }))
      .toThrow(/`viaEventBridge` must be events S3 sends to EventBridge .*, got s3:Replication:OperationFailedReplication/);
  });

  test('overlap rules', () => {
    expect(eventsOverlap(['s3:ObjectCreated:*'], ['s3:ObjectCreated:Put'])).toBe(true);
    expect(eventsOverlap(['s3:ObjectCreated:Put'], ['s3:ObjectCreated:Copy'])).toBe(false);
    expect(eventsOverlap(['s3:ObjectRemoved:*'], ['s3:ObjectCreated:*'])).toBe(false);
    expect(keysOverlap({ prefix: 'a/', suffix: '' }, { prefix: 'a/b/', suffix: '.jpg' })).toBe(true);
    expect(keysOverlap({ prefix: 'a/', suffix: '.png' }, { prefix: 'a/', suffix: '.jpg' })).toBe(false);
    expect(keysOverlap({ prefix: 'a/', suffix: '' }, { prefix: 'b/', suffix: '' })).toBe(false);
  });
});
