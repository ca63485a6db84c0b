import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DeliveredEventSource, EventBridgeSource, ScheduleSource, SnsSource } from '../../src';
import { unbundledFunction } from '../helpers';


describe('sources a service delivers to (EventBridge rules, schedules, SNS)', () => {
  test('what bind() creates is read through getters, never assigned from outside', () => {
    const { stack, fn } = unbundledFunction();
    const sources = [
      new EventBridgeSource({ eventPattern: { source: ['shop.orders'] } }),
      new ScheduleSource(scheduler.ScheduleExpression.rate(Duration.hours(1))),
      new SnsSource(new sns.Topic(stack, 'Topic')),
    ];
    for (const source of sources) {
      expect(source).toBeInstanceOf(DeliveredEventSource);
      expect(source.deadLetterQueue).toBeUndefined();
      fn.addEventSource(source);
      expect(source.deadLetterQueue).toBeDefined();
      expect(source.deadLetterQueueAlarm).toBeDefined();
      expect(() => { (source as any).deadLetterQueue = undefined; }).toThrow(TypeError);
    }
    expect(sources[0] instanceof EventBridgeSource && sources[0].rule).toBeDefined();
    expect(() => { (sources[0] as any).rule = undefined; }).toThrow(TypeError);
    expect(() => { (sources[1] as any).schedule = undefined; }).toThrow(TypeError);
    expect(() => { (sources[2] as any).subscription = undefined; }).toThrow(TypeError);
  });

  test('EventBridgeSource takes a rule typed as events.IRule, and adds the function to one defined in the app', () => {
    const { stack, fn } = unbundledFunction();
    const rule: events.IRule = new events.Rule(stack, 'Nightly', { schedule: events.Schedule.rate(Duration.days(1)) });
    const source = new EventBridgeSource({ rule });
    fn.addEventSource(source);
    expect(source.rule).toBe(rule);
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)' }, 1);
  });

  test('fails if the rule is imported: CloudFormation defines a rule\'s targets inside the rule', () => {
    // AWS::Events::Rule: "Targets: Targets are the resources to be invoked when a rule is triggered." A rule defined
    // elsewhere cannot be given a target by this app's template.
    const { stack, fn } = unbundledFunction();
    const imported = events.Rule.fromEventRuleArn(stack, 'Imported', 'arn:aws:events:us-east-1:123456789012:rule/nightly');
    expect(() => fn.addEventSource(new EventBridgeSource({ rule: imported }))).toThrow(
      /Stack\/Fn: `EventBridgeSource\(Stack\/Imported\)\.rule` must be a rule defined in this app, got one imported by ARN: .*`AWS::Events::Rule` `Targets`.*pass `eventPattern` \(and `eventBus`\)/s);
  });

  test('the fix the message gives works: the same events through `eventPattern` on the bus', () => {
    const { stack, fn } = unbundledFunction();
    const bus = events.EventBus.fromEventBusName(stack, 'Bus', 'orders');
    fn.addEventSource(new EventBridgeSource({ eventPattern: { source: ['shop.orders'] }, eventBus: bus }));
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', { EventBusName: 'orders', EventPattern: { source: ['shop.orders'] } });
  });
});
