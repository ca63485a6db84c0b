import { Duration, Lazy, TimeZone } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ScheduleSource, ServerlessFunction } from '../../src';
import { checkScheduleExpression } from '../../src/event-sources/schedule';
import { entry, makeUnbundledApp, unbundledFunction } from '../helpers';

const everyHour = scheduler.ScheduleExpression.rate(Duration.hours(1));

const aliasRef = (stack: any, fn: ServerlessFunction) => ({ Ref: stack.getLogicalId(fn.alias.node.defaultChild) });

describe('ScheduleSource', () => {
  test('defaults: the alias is the target, retries for 24 hours, a dead-letter queue with an alarm, async failure handling engaged', () => {
    const { stack, fn } = unbundledFunction({}, 'Report');
    const source = new ScheduleSource(everyHour);
    fn.addEventSource(source);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: aliasRef(stack, fn),
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReportSchedule[0-9A-F]{8}DeadLetterQueue'), 'Arn'] } },
      },
    });
    // The schedule's role may invoke the alias and send to the dead-letter queue, nothing else.
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref.startsWith('SchedulerRoleForTarget')));
    expect(policies).toHaveLength(1);
    const [dlqId] = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => /^ReportSchedule[0-9A-F]{8}DeadLetterQueue/.test(id));
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: aliasRef(stack, fn) },
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
    ]);
    // Only EventBridge Scheduler, for schedules of this account's default group, may assume it.
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': Match.anyValue() } },
        })],
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'QueueName'] } }],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { Qualifier: Match.anyValue(), DestinationConfig: Match.anyValue() });
    expect(source.schedule).toBeDefined();
    expect(source.deadLetterQueueAlarm).toBeDefined();
  });

  test('user-supplied options are used: cron in a time zone, flexible window, retry policy, input, dead-letter queue', () => {
    const { stack, fn } = unbundledFunction({}, 'Report');
    const queue = new sqs.Queue(stack, 'Mine');
    fn.addEventSource(new ScheduleSource(scheduler.ScheduleExpression.cron({ minute: '0', hour: '8', weekDay: 'MON-FRI', timeZone: TimeZone.EUROPE_PARIS }), {
      id: 'Morning',
      timeWindow: Duration.minutes(15),
      retryAttempts: 3,
      maxEventAge: Duration.minutes(10),
      input: { report: 'daily' },
      deadLetterQueue: queue,
      description: 'weekday report',
      enabled: false,
    }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      State: 'DISABLED',
      Description: 'weekday report',
      Target: Match.objectLike({
        RetryPolicy: { MaximumEventAgeInSeconds: 600, MaximumRetryAttempts: 3 },
        Input: '{"report":"daily"}',
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as any), 'Arn'] } },
      }),
    });
    expect(fn.node.tryFindChild('Morning')).toBeDefined();
    template.resourceCountIs('AWS::SQS::Queue', 2); // the user's and the function's async failure queue
  });

  test('a one-time schedule at a date in a time zone', () => {
    const { stack, fn } = unbundledFunction({}, 'Report');
    fn.addEventSource(new ScheduleSource(scheduler.ScheduleExpression.at(new Date(Date.UTC(2027, 0, 15, 9, 30)), TimeZone.AMERICA_NEW_YORK)));
    Template.fromStack(stack).hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'at(2027-01-15T09:30:00)', ScheduleExpressionTimezone: 'America/New_York',
    });
  });

  test('the dead-letter queue alarm runs the function\'s alarm action', () => {
    const { stack } = makeUnbundledApp();
    const topic = new sns.Topic(stack, 'Pager');
    const fn = new ServerlessFunction(stack, 'Report', { entry, alarms: { action: new actions.SnsAction(topic) } });
    fn.addEventSource(new ScheduleSource(everyHour));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReportSchedule'), 'QueueName'] } }],
      AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as any) }],
    });
  });

  test('fails if the retry policy is out of range', () => {
    const { fn } = unbundledFunction({}, 'Report');
    expect(() => fn.addEventSource(new ScheduleSource(everyHour, { retryAttempts: 186, maxEventAge: Duration.seconds(59) })))
      .toThrow(/^Stack\/Report: 2 problems:\n {2}- `ScheduleSource\(rate\(1 hour\)\)\.retryAttempts` must be a whole number from 0 to 185, got 186\n {2}- `ScheduleSource\(rate\(1 hour\)\)\.maxEventAge` must be whole seconds from 60 seconds to 24 hours, got 59 seconds$/);
    expect(() => fn.addEventSource(new ScheduleSource(everyHour, { maxEventAge: Duration.hours(25) }))).toThrow(/got 1 day 1 hour/);
  });

  test('fails if the flexible time window is out of range', () => {
    const { fn } = unbundledFunction({}, 'Report');
    expect(() => fn.addEventSource(new ScheduleSource(everyHour, { timeWindow: Duration.hours(25) })))
      .toThrow(/`ScheduleSource\(rate\(1 hour\)\)\.timeWindow` must be whole minutes from 1 to 1440 minutes, got 1 day 1 hour/);
    expect(() => fn.addEventSource(new ScheduleSource(everyHour, { timeWindow: Duration.seconds(90) }))).toThrow(/got 1 minute 30 seconds/);
  });

  test('fails if the expression is invalid', () => {
    const { fn } = unbundledFunction({}, 'Report');
    expect(() => fn.addEventSource(new ScheduleSource(scheduler.ScheduleExpression.expression('cron(0 25 * * ? *)'))))
      .toThrow(/^Stack\/Report: `ScheduleSource\(cron\(0 25 \* \* \? \*\)\)\.expression` hours must be 0-23 with the wildcards EventBridge allows there, got "25"/);
  });

  test('fails if the same schedule is added twice without an id', () => {
    const { fn } = unbundledFunction({}, 'Report');
    fn.addEventSource(new ScheduleSource(everyHour));
    expect(() => fn.addEventSource(new ScheduleSource(everyHour))).toThrow(/ScheduleSource\(rate\(1 hour\)\) is already on this function \(as Schedule[0-9A-F]{8}\): give one of them another `id`/);
    fn.addEventSource(new ScheduleSource(everyHour, { id: 'Second' }));
  });

  test('tokens are not judged, and reach the template although aws-cdk-lib refuses them: retryAttempts, maxEventAge, timeWindow, expression', () => {
    const { stack, fn } = unbundledFunction({}, 'Report');
    const n = Lazy.number({ produce: () => 3 });
    fn.addEventSource(new ScheduleSource(scheduler.ScheduleExpression.expression(Lazy.string({ produce: () => 'rate(5 minutes)' })), {
      retryAttempts: n,
      maxEventAge: Duration.seconds(Lazy.number({ produce: () => 120 })),
      timeWindow: Duration.minutes(Lazy.number({ produce: () => 5 })),
    }));
    Template.fromStack(stack).hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 5 },
      Target: Match.objectLike({ RetryPolicy: { MaximumEventAgeInSeconds: 120, MaximumRetryAttempts: 3 } }),
    });
  });
});

describe('checkScheduleExpression', () => {
  const valid = [
    'rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(7 days)',
    'cron(0 8 ? * MON-FRI *)', 'cron(0/15 * * * ? *)', 'cron(0 18 ? * 6L 2027-2030)', 'cron(15 10 L * ? *)',
    'cron(0 9 3W * ? *)', 'cron(0 9 ? * 3#1 *)', 'cron(*/5 8-17 ? JAN,FEB * *)', 'cron(0 0 LW * ? *)',
    'at(2027-02-28T23:59:59)',
  ];
  test.each(valid)('accepts %s', (e) => expect(checkScheduleExpression('p', e)).toEqual([]));

  const invalid: Array<[string, RegExp]> = [
    ['rate(0 minutes)', /positive whole value/],
    ['rate(5 weeks)', /unit of minute\(s\), hour\(s\) or day\(s\)/],
    ['rate(1.5 hours)', /positive whole value/],
    ['cron(0 8 * * ?)', /six cron fields .* got 5/],
    ['cron(60 8 * * ? *)', /minutes must be 0-59/],
    ['cron(0 8 32 * ? *)', /day-of-month must be 1-31/],
    ['cron(0 8 ? 13 * *)', /month must be 1-12 or JAN-DEC/],
    ['cron(0 8 ? * 8 *)', /day-of-week must be 1-7 or SUN-SAT/],
    ['cron(0 8 ? * FUN *)', /day-of-week must be 1-7 or SUN-SAT/],
    ['cron(0 8 * * ? 2200)', /year must be 1970-2199/],
    ['cron(0 8 * * * *)', /"\?" in exactly one of day-of-month and day-of-week, got "\*" and "\*"/],
    ['cron(0 8 ? * ? *)', /"\?" in exactly one of day-of-month and day-of-week/],
    ['cron(? 8 * * ? *)', /minutes must be 0-59/],
    ['cron(0 8 ? * MON/2 *)', /day-of-week must be/],
    ['at(2027-02-29T10:00:00)', /one-time schedule at\(yyyy-mm-ddThh:mm:ss\) with a real date and time, got "at\(2027-02-29T10:00:00\)"/],
    ['at(2027-01-01T24:00:00)', /real date and time/],
    ['at(2027-01-01 10:00:00)', /real date and time/],
    ['every(5 minutes)', /must be an at\(...\), rate\(...\) or cron\(...\) expression, got "every\(5 minutes\)"/],
  ];
  test.each(invalid)('fails if the expression is %s', (e, message) => {
    expect(checkScheduleExpression('p', e).join('\n')).toMatch(message);
  });
});
