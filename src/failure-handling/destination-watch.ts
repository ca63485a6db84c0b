import { Annotations, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { DestinationFacts, DestinationSource, DestinationWriter, destinationFindings, fifoTopicProblem, known } from './destination-rules';
import { isWatched, recordWatched } from './watched-destinations';
import { stableId } from '../core/ids';
import { Warning, formatProblems } from '../core/problems';
import { MARK, Marked, mark, referenceOf, referenced } from '../core/references';
import { checkFilterPolicy } from '../event-sources/sns-filter-policy';
import { alarmActionOf, createFunctionAlarm, firstOccurrence } from '../monitoring/alarm-action';

/**
 * The synth-time watch over every place a function's failed events can land, whoever wired it: dead-letter queues of
 * SNS subscriptions, EventBridge rule targets and EventBridge Scheduler schedules that invoke the function, its
 * asynchronous on-failure and on-success destinations, its own dead-letter queue or topic, the on-failure
 * destinations of its event source mappings, and the dead-letter queues of the SQS queues it polls. Each is checked
 * against what AWS documents (`destination-rules.ts`), and each queue or topic gets an alarm that runs the function's
 * `alarms.action` unless this library already made one.
 *
 * The resources are read as synthesized, with every reference to another resource kept as that resource (not as
 * `Ref`/`Fn::GetAtt` JSON), so that a resource of another stack with the same logical ID is never mistaken for it.
 */

/** A place that sends a function's failed events somewhere (or that should, and does not). */
interface Wiring {
  /** The resource that holds the setting (subscription, rule, schedule, invoke config, function, mapping, queue). */
  readonly via: CfnResource;
  readonly source: DestinationSource;
  /** The destination as synthesized (marked), or undefined when there is none. */
  readonly destination?: unknown;
  readonly marked: Marked;
  /** Whether a missing destination loses events (delivery by SNS, EventBridge and Scheduler). */
  readonly required?: boolean;
}

/** The resources of the app that can wire a function's failures, each marked once per app. */
interface WatchIndex {
  readonly entries: { resource: CfnResource; marked: Marked }[];
}

const indexes = new WeakMap<IConstruct, WatchIndex>();

function watchIndex(scope: IConstruct): WatchIndex {
  const root = scope.node.root;
  let index = indexes.get(root);
  if (!index) {
    const entries: WatchIndex['entries'] = [];
    for (const c of root.node.findAll()) {
      if (c instanceof sns.CfnSubscription && c.protocol === 'lambda') {
        const marked = mark(c, { endpoint: c.endpoint, topicArn: c.topicArn, redrivePolicy: c.redrivePolicy, region: c.region });
        entries.push({ resource: c, marked });
      } else if (c instanceof events.CfnRule) {
        entries.push({ resource: c, marked: mark(c, { targets: c.targets }) });
      } else if (c instanceof scheduler.CfnSchedule) {
        entries.push({ resource: c, marked: mark(c, { target: c.target }) });
      } else if (c instanceof lambda.CfnEventSourceMapping) {
        const marked = mark(c, { functionName: c.functionName, eventSourceArn: c.eventSourceArn, destinationConfig: c.destinationConfig });
        entries.push({ resource: c, marked });
      }
    }
    index = { entries };
    indexes.set(root, index);
  }
  return index;
}

/** The L1 resources that stand for a function: itself, its versions and its aliases. */
function functionResources(fn: lambda.Function): Set<CfnResource> {
  return new Set(fn.node.findAll().filter((c): c is CfnResource =>
    c instanceof lambda.CfnFunction || c instanceof lambda.CfnVersion || c instanceof lambda.CfnAlias));
}

/** Every wiring of the function's failed events in the app. */
function wiringsOf(fn: lambda.Function): Wiring[] {
  const own = functionResources(fn);
  const invokes = (m: Marked, value: unknown) => referenced(m, value).some((r) => own.has(r));
  const wirings: Wiring[] = [];

  for (const { resource, marked } of watchIndex(fn).entries) {
    const v = marked.value;
    if (resource instanceof sns.CfnSubscription && invokes(marked, v.endpoint)) {
      const topic = factsOf(marked, v.topicArn);
      wirings.push({
        via: resource,
        marked,
        destination: v.redrivePolicy?.deadLetterTargetArn,
        required: true,
        source: {
          prop: `deadLetterQueue\` of the SNS subscription \`${pathOf(resource)}`,
          writer: DestinationWriter.SNS,
          sourceName: topic?.name,
          sourceFifo: topic?.fifo,
          sourceRegion: typeof v.region === 'string' && !v.region.includes(MARK) ? v.region : topic?.region ?? known(Stack.of(resource).region),
          sourceAccount: topic?.account ?? known(Stack.of(resource).account),
        },
      });
    } else if (resource instanceof events.CfnRule) {
      ((v.targets ?? []) as any[]).forEach((target, i) => {
        if (invokes(marked, target?.arn)) {
          wirings.push({
            via: resource,
            marked,
            destination: target.deadLetterConfig?.arn,
            required: true,
            source: { prop: `deadLetterQueue\` of target ${i} (${target.id}) of the rule \`${pathOf(resource)}`, writer: DestinationWriter.EVENTS },
          });
        }
      });
    } else if (resource instanceof scheduler.CfnSchedule && invokes(marked, v.target?.arn)) {
      wirings.push({
        via: resource,
        marked,
        destination: v.target.deadLetterConfig?.arn,
        required: true,
        source: { prop: `deadLetterQueue\` of the schedule \`${pathOf(resource)}`, writer: DestinationWriter.SCHEDULER },
      });
    } else if (resource instanceof lambda.CfnEventSourceMapping && invokes(marked, v.functionName)) {
      const source = referenceOf(marked, v.eventSourceArn);
      if (source instanceof sqs.CfnQueue) {
        const redrive = mark(source, { redrivePolicy: source.redrivePolicy });
        const dlq = redrive.value.redrivePolicy?.deadLetterTargetArn;
        if (dlq !== undefined) {
          wirings.push({
            via: source,
            marked: redrive,
            destination: dlq,
            source: {
              prop: `deadLetterQueue\` of the polled queue \`${pathOf(source)}`,
              writer: DestinationWriter.REDRIVE,
              sourceName: pathOf(source),
              sourceRegion: known(Stack.of(source).region),
              sourceAccount: known(Stack.of(source).account),
            },
          });
        }
      } else {
        wirings.push({
          via: resource,
          marked,
          destination: v.destinationConfig?.onFailure?.destination,
          source: { prop: `onFailure\` of the event source mapping \`${pathOf(resource)}`, writer: DestinationWriter.MAPPING },
        });
      }
    }
  }

  // The function's own settings, read fresh: this library configures asynchronous invocation during synthesis.
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const dlq = mark(cfn, { deadLetterConfig: cfn.deadLetterConfig });
  if (dlq.value.deadLetterConfig?.targetArn !== undefined) {
    wirings.push({
      via: cfn,
      marked: dlq,
      destination: dlq.value.deadLetterConfig.targetArn,
      source: { prop: 'deadLetterQueue` (or `deadLetterTopic`) of the function `' + fn.node.path, writer: DestinationWriter.FUNCTION_DLQ },
    });
  }
  for (const config of fn.node.findAll().filter((c): c is lambda.CfnEventInvokeConfig => c instanceof lambda.CfnEventInvokeConfig)) {
    const m = mark(config, { destinationConfig: config.destinationConfig });
    const destinations = m.value.destinationConfig ?? {};
    for (const [key, writer] of [['onFailure', DestinationWriter.ON_FAILURE], ['onSuccess', DestinationWriter.ON_SUCCESS]] as const) {
      const destination = destinations[key]?.destination;
      if (destination !== undefined) {
        wirings.push({ via: config, marked: m, destination, source: { prop: `${key}\` of \`${pathOf(config)}`, writer } });
      }
    }
  }
  return wirings;
}

/** EventBridge's limit of targets per rule (not adjustable). */
const TARGETS_PER_RULE = 5;

/**
 * Rules that invoke the function, whichever class made them, hold at most five targets: EventBridge refuses a sixth
 * at deploy ("Targets per rule: 5", not adjustable). Checked here, before aws-cdk-lib's own validation says it
 * without the number given.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
 */
function ruleTargetProblems(fn: lambda.Function): string[] {
  const own = functionResources(fn);
  return watchIndex(fn).entries
    .filter(({ resource }) => resource instanceof events.CfnRule)
    .filter(({ marked }) => ((marked.value.targets ?? []) as any[]).some((t) => referenced(marked, t?.arn).some((r) => own.has(r))))
    .filter(({ marked }) => (marked.value.targets ?? []).length > TARGETS_PER_RULE)
    .map(({ resource, marked }) => `\`targets\` of the rule \`${pathOf(resource)}\` must be at most ${TARGETS_PER_RULE} (EventBridge's limit per rule), ` +
      `got ${marked.value.targets.length}: add another rule with the same pattern`);
}

/**
 * The filter policies of SNS subscriptions that invoke the function, whichever class made them (aws-cdk-lib's
 * `LambdaSubscription` checks the number of keys and combinations itself, not the values): SnsSource's rules.
 */
function subscriptionFilterProblems(fn: lambda.Function): string[] {
  const own = functionResources(fn);
  return watchIndex(fn).entries.flatMap(({ resource, marked }) => {
    if (!(resource instanceof sns.CfnSubscription) || !referenced(marked, marked.value.endpoint).some((r) => own.has(r))) {
      return [];
    }
    const policy = Stack.of(resource).resolve(resource.filterPolicy);
    if (typeof policy !== 'object' || policy === null || JSON.stringify(policy).includes('"Fn::') || JSON.stringify(policy).includes('"Ref"')) {
      return [];
    }
    const body = resource.filterPolicyScope === 'MessageBody';
    return checkFilterPolicy(`${body ? 'filterPolicyWithMessageBody' : 'filterPolicy'}\` of the SNS subscription \`${pathOf(resource)}`, policy, body);
  });
}

/** The facts of a destination as synthesized: a resource of the app, or an ARN. */
function factsOf(m: Marked, value: unknown): (DestinationFacts & { resource?: CfnResource; arn?: string }) | undefined {
  const resource = referenceOf(m, value);
  if (resource) {
    const stack = Stack.of(resource);
    return {
      resource,
      name: pathOf(resource),
      service: SERVICES[resource.cfnResourceType],
      fifo: resource instanceof sqs.CfnQueue
        ? resource.fifoQueue === true
        : resource instanceof sns.CfnTopic ? resource.fifoTopic === true : undefined,
      awsManagedKey: resource instanceof sqs.CfnQueue && resource.kmsMasterKeyId === 'alias/aws/sqs',
      region: known(stack.region),
      account: known(stack.account),
      inApp: true,
    };
  }
  if (typeof value === 'string' && value.startsWith('arn:') && !value.includes(MARK)) {
    const [, , service, region, account, ...rest] = value.split(':');
    const name = rest.join(':');
    return {
      arn: value,
      name: value,
      service,
      fifo: service === 'sqs' || service === 'sns' ? name.endsWith('.fifo') : undefined,
      region: region || undefined,
      account: account || undefined,
      inApp: false,
    };
  }
  return undefined;
}

const SERVICES: Record<string, string> = {
  'AWS::SQS::Queue': 'sqs',
  'AWS::SNS::Topic': 'sns',
  'AWS::S3::Bucket': 's3',
  'AWS::Lambda::Function': 'lambda',
  'AWS::Lambda::Alias': 'lambda',
  'AWS::Lambda::Version': 'lambda',
  'AWS::Events::EventBus': 'events',
};

/** The path of the construct a resource stands for: its L2 construct when it is that construct's default child. */
function pathOf(resource: CfnResource): string {
  const scope = resource.node.scope;
  return scope && scope.node.defaultChild === resource ? scope.node.path : resource.node.path;
}

/** Where an alarm for a wiring goes: beside the resource that holds the setting (its L2 construct). */
function alarmScope(resource: CfnResource): Construct {
  const scope = resource.node.scope;
  return (scope && scope.node.defaultChild === resource ? scope : resource) as Construct;
}

/**
 * Check every destination of the function's failed events and alarm on each queue and topic that has no alarm of
 * this library running the function's `alarms.action`. Throws the problems of all destinations together, at the
 * function's path; warnings go on the function.
 */
export function watchFailureDestinations(fn: lambda.Function, options: { alarms: boolean }): void {
  const problems: string[] = [];
  const warnings: Warning[] = [];
  const action = alarmActionOf(fn);
  problems.push(...ruleTargetProblems(fn), ...subscriptionFilterProblems(fn));
  for (const wiring of wiringsOf(fn)) {
    if (wiring.source.writer === DestinationWriter.SNS && wiring.source.sourceFifo === true) {
      problems.push(fifoTopicProblem(`the SNS subscription \`${pathOf(wiring.via)}\``, wiring.source.sourceName ?? '?'));
      continue;
    }
    const facts = wiring.destination === undefined ? undefined : factsOf(wiring.marked, wiring.destination);
    if (wiring.destination === undefined) {
      if (wiring.required) {
        warnings.push({
          id: 'cdk-lambda-kit:deliveryWithoutDeadLetterQueue',
          message: `\`${wiring.source.prop}\` is not set: events the service cannot deliver to the function (throttled past its retries, ` +
            'permission removed, function deleted) are dropped. Give it a standard SQS queue as dead-letter queue, or use SnsSource, EventBridgeSource or ScheduleSource, which create one',
        });
      }
      continue;
    }
    if (!facts) {
      continue;
    }
    const findings = destinationFindings(wiring.source, facts);
    problems.push(...findings.problems);
    warnings.push(...findings.warnings);
    if (options.alarms && findings.problems.length === 0) {
      const warning = alarmOn(fn, wiring, facts, action);
      if (warning) {
        warnings.push(warning);
      }
    }
  }
  for (const w of unique(warnings)) {
    Annotations.of(fn).addWarningV2(w.id, w.message);
  }
  if (problems.length > 0) {
    throw new Error(formatProblems(fn.node.path, [...new Set(problems)]));
  }
}

function unique(warnings: Warning[]): Warning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => !seen.has(w.message) && seen.add(w.message) !== undefined);
}

/** What an alarm on a destination watches: a queue's visible messages, a topic's publications. */
const DESTINATION_METRICS: Record<'sqs' | 'sns' | 'lambda', {
  readonly namespace: string;
  readonly metricName: string;
  readonly statistic: string;
  /** The metric's dimensions for the destination (its resource in this app, or its ARN); undefined when unknown. */
  readonly dimensionsOf: (facts: DestinationFacts & { resource?: CfnResource; arn?: string }) => Record<string, string> | undefined;
  /** How the alarm's description says the failed events got there. */
  readonly landed: string;
}> = {
  sqs: {
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    statistic: 'Maximum',
    dimensionsOf: (f) => named('QueueName', f.resource instanceof sqs.CfnQueue ? f.resource.attrQueueName : f.arn?.split(':').pop()),
    landed: 'are waiting in',
  },
  sns: {
    namespace: 'AWS/SNS',
    metricName: 'NumberOfMessagesPublished',
    statistic: 'Sum',
    dimensionsOf: (f) => named('TopicName', f.resource instanceof sns.CfnTopic ? f.resource.attrTopicName : f.arn?.split(':').pop()),
    landed: 'were published to',
  },
  lambda: {
    namespace: 'AWS/Lambda',
    metricName: 'Invocations',
    statistic: 'Sum',
    dimensionsOf: (f) => functionDimensions(f),
    landed: 'were sent to the function',
  },
};

function named(dimension: string, name: string | undefined): Record<string, string> | undefined {
  return name ? { [dimension]: name } : undefined;
}

/**
 * An alarm on a queue's depth or a topic's publications, beside the wiring, running the function's alarm action;
 * or the warning that says why none can be made.
 */
function alarmOn(
  fn: lambda.Function, wiring: Wiring, facts: DestinationFacts & { resource?: CfnResource; arn?: string },
  action: cloudwatch.IAlarmAction | undefined,
): Warning | undefined {
  const key = facts.resource ?? facts.arn;
  if (isWatched(fn, key, action)) {
    return undefined;
  }
  const scope = alarmScope(wiring.via);
  const stack = Stack.of(scope);
  const elsewhere = (facts.region !== undefined && known(stack.region) !== undefined && facts.region !== stack.region)
    || (facts.account !== undefined && known(stack.account) !== undefined && facts.account !== stack.account);
  const unwatched = (why: string): Warning => ({
    id: 'cdk-lambda-kit:unwatchedFailureDestination',
    message: `\`${wiring.source.prop}\` is ${facts.name}, ${why}: nothing alarms when failed events land there. ` +
      'Add an alarm on it that runs the function\'s alarm action, then acknowledge this warning',
  });
  const watch = facts.service === 'sqs' || facts.service === 'sns' || facts.service === 'lambda' ? DESTINATION_METRICS[facts.service] : undefined;
  if (!watch) {
    const what: Record<string, string> = { s3: 'bucket', events: 'event bus' };
    return unwatched(`a ${what[facts.service ?? ''] ?? 'destination'} this library cannot alarm on without changing it`);
  }
  const dimensions = watch.dimensionsOf(facts);
  if (!dimensions) {
    return facts.service === 'lambda' ? unwatched('a function version this library cannot alarm on') : undefined;
  }
  const metric = new cloudwatch.Metric({
    namespace: watch.namespace,
    metricName: watch.metricName,
    dimensionsMap: dimensions,
    period: Duration.minutes(1),
    statistic: watch.statistic,
  });
  const description = `Failed events of ${fn.node.path} ${watch.landed} ${facts.name}`;
  if (elsewhere) {
    return unwatched(`in ${facts.account ?? '?'}/${facts.region ?? '?'}, another environment than ${stack.stackName}, where a CloudWatch alarm of this app cannot watch it`);
  }
  const id = stableId('FailureDestinationAlarm', [facts.name, fn.node.path]);
  if (!scope.node.tryFindChild(id)) {
    createFunctionAlarm(scope, id, fn, firstOccurrence(metric, description));
  }
  recordWatched(fn, key, action);
  return undefined;
}

/**
 * The dimensions of the invocations of a destination function: its name, and for an alias or a qualified ARN the
 * `Resource` dimension (`name:qualifier`) Lambda reports them under. Undefined for a version of this app.
 */
function functionDimensions(facts: DestinationFacts & { resource?: CfnResource; arn?: string }): Record<string, string> | undefined {
  if (facts.resource instanceof lambda.CfnFunction) {
    return { FunctionName: facts.resource.ref };
  }
  if (facts.resource instanceof lambda.CfnAlias) {
    const name = facts.resource.functionName;
    return { FunctionName: name, Resource: `${name}:${facts.resource.name}` };
  }
  const [, , , , , type, name, qualifier] = facts.arn?.split(':') ?? [];
  if (type !== 'function' || !name) {
    return undefined;
  }
  return qualifier ? { FunctionName: name, Resource: `${name}:${qualifier}` } : { FunctionName: name };
}

/** The paths of the event source mappings of the app that invoke the function (its alias or a version). */
export function eventSourceMappingsOf(fn: lambda.Function): string[] {
  const own = functionResources(fn);
  return watchIndex(fn).entries
    .filter(({ resource, marked }) => resource instanceof lambda.CfnEventSourceMapping
      && referenced(marked, marked.value.functionName).some((r) => own.has(r)))
    .map(({ resource }) => pathOf(resource));
}
