import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ServerlessFunction, SnsSource } from '../../src';
import { entry, makeUnbundledApp } from '../helpers';


function setup() {
  const { stack } = makeUnbundledApp();
  const topic = new sns.Topic(stack, 'Orders');
  const fn = new ServerlessFunction(stack, 'Notify', { entry });
  return { stack, topic, fn };
}

describe('SnsSource', () => {
  test('defaults: the alias subscribes, with a dead-letter queue only this topic may send to, and async failure handling engaged', () => {
    const { stack, topic, fn } = setup();
    const source = new SnsSource(topic);
    fn.addEventSource(source);
    const template = Template.fromStack(stack);
    const aliasRef = { Ref: stack.getLogicalId(fn.alias.node.defaultChild as any) };
    const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as any) };
    const [dlqId] = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => /^NotifyOrders[0-9A-F]{8}DeadLetterQueue/.test(id));
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: aliasRef,
      TopicArn: topicRef,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'sns.amazonaws.com', FunctionName: aliasRef, SourceArn: topicRef });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: dlqId }],
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: 'sqs:SendMessage',
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] },
          Condition: { ArnEquals: { 'aws:SourceArn': topicRef } },
        }]),
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }] });
    // SNS invokes asynchronously: the alias gets the default on-failure destination.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotifyAsyncFailureQueue'), 'Arn'] } } },
    });
    expect(source.subscription).toBeDefined();
  });

  test('the CloudFormation validator\'s W3694 on the alias endpoint is acknowledged with the reason', () => {
    const { topic, fn } = setup();
    const source = new SnsSource(topic);
    fn.addEventSource(source);
    const printed: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      printed.push(args.join(' '));
    });
    try {
      Template.fromStack(Stack.of(fn));
    } finally {
      spy.mockRestore();
    }
    expect(printed.join('\n')).not.toMatch(/W3694|expects a Lambda Function/);
    expect(JSON.stringify(source.subscription!.node.metadata)).toMatch(/CloudFormation-Validate::W3694.*qualified Lambda function ARN/);
  });

  test('user-supplied options are used: attribute filter, dead-letter queue', () => {
    const { stack, topic, fn } = setup();
    const queue = new sqs.Queue(stack, 'Mine');
    fn.addEventSource(new SnsSource(topic, {
      filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['created'] }) },
      deadLetterQueue: queue,
    }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      FilterPolicy: { kind: ['created'] },
      FilterPolicyScope: Match.absent(),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as any), 'Arn'] } },
    });
    expect(Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => /^NotifyOrders[0-9A-F]{8}DeadLetterQueue/.test(id))).toEqual([]);
  });

  test('a body filter sets the filter policy scope to the message body', () => {
    const { stack, topic, fn } = setup();
    fn.addEventSource(new SnsSource(topic, {
      filterPolicyWithMessageBody: {
        order: sns.FilterOrPolicy.policy({ total: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.numericFilter({ greaterThan: 100 })) }),
      },
    }));
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: { order: { total: [{ numeric: ['>', 100] }] } },
    });
  });

  test('the dead-letter queue alarm runs the function\'s alarm action', () => {
    const { stack } = makeUnbundledApp();
    const pager = new sns.Topic(stack, 'Pager');
    const fn = new ServerlessFunction(stack, 'Notify', { entry, alarms: { action: new actions.SnsAction(pager) } });
    fn.addEventSource(new SnsSource(new sns.Topic(stack, 'Orders')));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotifyOrders[0-9A-F]{8}DeadLetterQueue'), 'QueueName'] } }],
      AlarmActions: [{ Ref: stack.getLogicalId(pager.node.defaultChild as any) }],
    });
  });

  test('a topic in another region is subscribed from the function\'s stack with the topic\'s region, its dead-letter queue in the topic\'s', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Service', { env: { account: '111111111111', region: 'eu-west-1' } });
    const topic = sns.Topic.fromTopicArn(stack, 'Remote', 'arn:aws:sns:us-east-1:222222222222:orders');
    const fn = new ServerlessFunction(stack, 'Notify', { entry });
    // Issue 24: SNS writes only to a queue of the subscription's account and Region, so the default queue (beside the
    // function) cannot be used; one there is given.
    const deadLetterQueue = sqs.Queue.fromQueueArn(stack, 'RemoteDlq', 'arn:aws:sqs:us-east-1:222222222222:orders-dlq');
    fn.addEventSource(new SnsSource(topic, { deadLetterQueue }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: 'arn:aws:sns:us-east-1:222222222222:orders',
      Region: 'us-east-1',
      RedrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:222222222222:orders-dlq' },
      Endpoint: { Ref: stack.getLogicalId(fn.alias.node.defaultChild as any) },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'sns.amazonaws.com', SourceArn: 'arn:aws:sns:us-east-1:222222222222:orders' });
  });

  test('fails if both an attribute filter and a body filter are given', () => {
    const { topic, fn } = setup();
    expect(() => fn.addEventSource(new SnsSource(topic, {
      filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['a'] }) },
      filterPolicyWithMessageBody: { kind: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.stringFilter({ allowlist: ['a'] })) },
    }))).toThrow(/^Stack\/Notify: `SnsSource\(Stack\/Orders\)\.filterPolicy` and `filterPolicyWithMessageBody` cannot both be set/);
  });
});
