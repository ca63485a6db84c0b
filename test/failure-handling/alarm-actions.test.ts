import { Template } from 'aws-cdk-lib/assertions';
import * as cwactions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DynamoStreamSource, KinesisStreamSource, S3Source, ServerlessFunction, SqsSource, WorkerQueue } from '../../src';
import { entry, makeUnbundledApp, streamTable } from '../helpers';


/** Every alarm in the template, with its description, that has no action or an action other than the topic. */
function alarmsWithoutTheAction(template: Template, topicLogicalId: string): string[] {
  return Object.entries<any>(template.findResources('AWS::CloudWatch::Alarm'))
    .filter(([, a]) => JSON.stringify(a.Properties.AlarmActions ?? []) !== JSON.stringify([{ Ref: topicLogicalId }]))
    .map(([id, a]) => `${id}: ${a.Properties.AlarmDescription}`);
}

describe('every alarm the library creates runs the function\'s alarm action', () => {
  test.each([true, false])('with every source and failure path (function alarms enabled: %s)', (enabled) => {
    const { stack } = makeUnbundledApp();
    const topic = new sns.Topic(stack, 'OnCall');
    const fn = new ServerlessFunction(stack, 'Fn', { entry, alarms: { enabled, action: new cwactions.SnsAction(topic) } });
    const table = streamTable(stack);
    fn.addEventSource(new DynamoStreamSource(table));
    fn.addEventSource(new KinesisStreamSource(new kinesis.Stream(stack, 'Stream')));
    fn.addEventSource(new S3Source(new s3.Bucket(stack, 'Direct')));
    fn.addEventSource(new S3Source(new s3.Bucket(stack, 'Bridged'), { viaEventBridge: true }));
    const dlq = new sqs.Queue(stack, 'Dlq');
    fn.addEventSource(new SqsSource(new sqs.Queue(stack, 'Queue', { visibilityTimeout: fn.timeout!.plus(fn.timeout!), deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } })));
    new WorkerQueue(stack, 'Work', { consumer: fn });
    const template = Template.fromStack(stack);
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    // failure buckets (2), iterator age (2), async failure queue, EventBridge DLQ, worker DLQ, queue ages (2), and the
    // function's own alarms when enabled
    expect(alarms.length).toBeGreaterThanOrEqual(9);
    expect(alarmsWithoutTheAction(template, stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic))).toEqual([]);
  });
});
