import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeliveredEventSource, RetryPolicyOptions, checkRetryPolicy, stableId } from './delivery';
import { functionOf } from '../core/targets';
import { DestinationWriter } from '../failure-handling/destination-rules';

/** Options of an {@link EventBridgeSource}. */
export interface EventBridgeSourceOptions extends RetryPolicyOptions {
  /**
   * The events that invoke the function: a new rule with this pattern is created (on `eventBus`). Checked at synth
   * where it is static: not empty, known top-level fields, every value an array of values or content filters
   * EventBridge knows. Give either `eventPattern` or `rule`.
   *
   * @default - none; `rule` must be given
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
   */
  readonly eventPattern?: events.EventPattern;

  /**
   * The bus the new rule listens on (with `eventPattern`).
   *
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * A rule defined in this app to add the function to as a target. Give either `eventPattern` or `rule`. A rule
   * imported by ARN cannot get targets here: CloudFormation defines a rule's targets inside the rule
   * (`AWS::Events::Rule` `Targets`).
   *
   * @default - a new rule with `eventPattern`
   */
  readonly rule?: events.IRule;

  /**
   * The construct ID of the new rule, created under the function.
   *
   * @default - `Rule` and a hash of the event pattern
   */
  readonly id?: string;

  /**
   * A description of the new rule.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * What the function receives instead of the matched event.
   *
   * @default - the matched event
   */
  readonly event?: events.RuleTargetInput;

  /**
   * Where events EventBridge could not deliver go once the retry policy is exhausted: a standard (not FIFO) queue.
   * A queue you pass gets an alarm on its depth (running the function's alarm action) at synth; one this app does not
   * define gives a warning (`cdk-lambda-kit:importedDeadLetterQueue`), since its queue policy is not written here.
   *
   * @default - a queue created beside the function: encrypted, SSL-only, 14 days, an alarm on its depth that runs
   * the function's alarm action, and a queue policy that lets only this rule send to it
   */
  readonly deadLetterQueue?: sqs.IQueue;
}

/**
 * An EventBridge rule as an event source: a new rule with an event pattern (on the default bus or another), or an
 * existing rule, with the function's alias as the target, a retry policy and a dead-letter queue by default.
 * EventBridge invokes Lambda asynchronously, so the function's asynchronous failure handling applies to errors it
 * throws.
 */
export class EventBridgeSource extends DeliveredEventSource {
  private boundRule?: events.IRule;

  constructor(private readonly options: EventBridgeSourceOptions) {
    super();
  }

  /** The rule the function is a target of, once bound. */
  public get rule(): events.IRule | undefined {
    return this.boundRule;
  }

  public bind(target: lambda.IFunction): void {
    const fn = functionOf(target) as unknown as Construct;
    const o = this.options;
    const source = o.rule ? `EventBridgeSource(${o.rule.node.path})` : 'EventBridgeSource';
    const problems = [...checkRetryPolicy(source, o)];
    if (o.rule && (o.eventPattern || o.eventBus)) {
      problems.push(`\`${source}.rule\` cannot be combined with \`eventPattern\` or \`eventBus\`: add the pattern to the rule you pass`);
    } else if (!o.rule && !o.eventPattern) {
      problems.push(`\`${source}.eventPattern\` or \`rule\` must be given, got neither`);
    } else if (o.rule && !(o.rule instanceof events.Rule)) {
      problems.push(`\`${source}.rule\` must be a rule defined in this app, got one imported by ARN: CloudFormation defines ` +
        'a rule\'s targets inside the rule (`AWS::Events::Rule` `Targets`); pass `eventPattern` (and `eventBus`) to create the rule here');
    }
    const pattern = o.eventPattern ? renderPattern(Stack.of(fn), o.eventPattern) : undefined;
    if (pattern !== undefined) {
      problems.push(...checkEventPattern(`${source}.eventPattern`, pattern));
      const size = JSON.stringify(pattern).length;
      if (size > PATTERN_QUOTA) {
        Annotations.of(fn).addWarningV2('cdk-lambda-kit:eventPatternSize',
          `\`${source}.eventPattern\` is ${size} characters, over EventBridge's default quota of ${PATTERN_QUOTA} characters an event ` +
          'pattern: the deployment fails unless the account\'s quota was raised; match on fewer values, or with prefix or wildcard filters');
      }
    }
    const id = o.id ?? stableId('Rule', [pattern ?? null, o.eventBus?.node.path ?? null]);
    if (!o.rule && fn.node.tryFindChild(id)) {
      problems.push(`\`${source}\` with this pattern is already on this function (as ${id}): give one of them another \`id\``);
    }
    // An existing rule's queue is named from the rule's path: two rules with one ID in different scopes do not collide.
    const queueId = `${o.rule ? stableId(o.rule.node.id, o.rule.node.path) : id}DeadLetterQueue`;
    const deadLetterQueue = this._bindDelivery(target, fn, {
      source, problems, writer: { writer: DestinationWriter.EVENTS }, deadLetterQueue: o.deadLetterQueue, queueId,
    });
    const rule = (o.rule as events.Rule | undefined)
      ?? new events.Rule(fn, id, { eventPattern: o.eventPattern, eventBus: o.eventBus, description: o.description });
    rule.addTarget(new targets.LambdaFunction(target, {
      event: o.event,
      retryAttempts: o.retryAttempts ?? 185,
      maxEventAge: o.maxEventAge ?? Duration.hours(24),
      deadLetterQueue,
    }));
    this.boundRule = rule;
  }
}

/** EventBridge's default quota on the size of an event pattern, in characters (adjustable). */
const PATTERN_QUOTA = 2048;

/**
 * The pattern as EventBridge sees it (`detail-type`, not `detailType`; `events.Match` filters rendered); values
 * CloudFormation resolves stay intrinsic functions, which the checks skip.
 */
function renderPattern(stack: Stack, pattern: events.EventPattern): unknown {
  const names: Record<string, string> = { detailType: 'detail-type' };
  return Object.fromEntries(Object.entries(pattern)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [names[k] ?? k, stack.resolve(v)]));
}

const TOP_LEVEL = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'];
const FILTERS = ['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'cidr', 'equals-ignore-case', 'wildcard'];
const NUMERIC_OPERATORS = ['<', '<=', '=', '>', '>='];

/**
 * What is wrong with a static event pattern: it is an object with at least one field, its top-level fields are the
 * ones EventBridge events have, and every leaf is a non-empty array of values (strings, numbers, booleans, null) or
 * content filters (`prefix`, `suffix`, `anything-but`, `numeric`, `exists`, `cidr`, `equals-ignore-case`,
 * `wildcard`), `$or` a non-empty array of patterns. Values EventBridge resolves from tokens are not judged.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export function checkEventPattern(prop: string, pattern: unknown): string[] {
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) {
    return [`\`${prop}\` must be an object of fields, got ${JSON.stringify(pattern)}`];
  }
  const fields = Object.keys(pattern);
  if (fields.length === 0) {
    return [`\`${prop}\` must match on at least one field, got an empty pattern`];
  }
  const problems: string[] = [];
  for (const field of fields) {
    if (!TOP_LEVEL.includes(field) && field !== '$or') {
      problems.push(`\`${prop}\` top-level fields must be among ${TOP_LEVEL.join(', ')}, got "${field}"`);
    }
  }
  checkNode(prop, pattern as Record<string, unknown>, '', problems);
  return problems;
}

/**
 * What is wrong with a static pattern of content filters whatever its top-level fields (the grammar Lambda's event
 * filters share with EventBridge): an object with at least one field, every leaf a non-empty array of values or
 * content filters.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
 */
export function checkPatternFields(prop: string, pattern: unknown): string[] {
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) {
    return [`\`${prop}\` must be an object of fields, got ${JSON.stringify(pattern)}`];
  }
  if (Object.keys(pattern).length === 0) {
    return [`\`${prop}\` must match on at least one field, got an empty pattern`];
  }
  const problems: string[] = [];
  checkNode(prop, pattern as Record<string, unknown>, '', problems);
  return problems;
}

function checkNode(prop: string, node: Record<string, unknown>, at: string, problems: string[]): void {
  for (const [key, value] of Object.entries(node)) {
    const path = at ? `${at}.${key}` : key;
    if (isUnresolved(value)) {
      continue;
    }
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || value.some((v) => typeof v !== 'object' || v === null || Array.isArray(v))) {
        problems.push(`\`${prop}\` ${path} must be an array of at least two patterns, got ${JSON.stringify(value)}`);
      } else {
        value.forEach((v, i) => checkNode(prop, v as Record<string, unknown>, `${path}[${i}]`, problems));
      }
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length === 0) {
        problems.push(`\`${prop}\` ${path} must list at least one value (an empty array matches nothing), got []`);
      }
      value.forEach((v) => checkMatcher(prop, path, v, problems));
    } else if (typeof value === 'object' && value !== null) {
      if (Object.keys(value).length === 0) {
        problems.push(`\`${prop}\` ${path} must match on at least one field, got {}`);
      }
      checkNode(prop, value as Record<string, unknown>, path, problems);
    } else {
      problems.push(`\`${prop}\` ${path} must be an array of values or a nested object, got ${JSON.stringify(value)}`);
    }
  }
}

function checkMatcher(prop: string, path: string, matcher: unknown, problems: string[]): void {
  if (matcher === null || ['string', 'number', 'boolean'].includes(typeof matcher) || isUnresolved(matcher)) {
    return;
  }
  const bad = (allowed: string) => problems.push(`\`${prop}\` ${path} ${allowed}, got ${JSON.stringify(matcher)}`);
  if (typeof matcher !== 'object' || Array.isArray(matcher)) {
    bad('values must be strings, numbers, booleans, null or content filters');
    return;
  }
  const keys = Object.keys(matcher as object);
  if (keys.length !== 1 || !FILTERS.includes(keys[0])) {
    bad(`content filters must be one of ${FILTERS.join(', ')}`);
    return;
  }
  const [filter] = keys;
  const value = (matcher as Record<string, unknown>)[filter];
  if (isUnresolved(value)) {
    return;
  }
  const ignoreCase = (v: unknown) => typeof v === 'object' && v !== null && Object.keys(v).length === 1
    && typeof (v as Record<string, unknown>)['equals-ignore-case'] === 'string';
  switch (filter) {
    case 'prefix':
    case 'suffix':
      if (typeof value !== 'string' && !ignoreCase(value)) {
        bad(`${filter} must be a string or { "equals-ignore-case": string }`);
      }
      break;
    case 'equals-ignore-case':
    case 'wildcard':
    case 'cidr':
      if (typeof value !== 'string') {
        bad(`${filter} must be a string`);
      }
      break;
    case 'exists':
      if (typeof value !== 'boolean') {
        bad('exists must be true or false');
      }
      break;
    case 'numeric':
      if (!numericValid(value)) {
        bad('numeric must be one comparison ("<", "<=", "=", ">", ">=" followed by a number) or a range (">" or ">=" a number, then "<" or "<=" a higher one)');
      }
      break;
    case 'anything-but':
      if (!anythingButValid(value)) {
        bad('anything-but must be a value, an array of values, or one of prefix, suffix, equals-ignore-case, wildcard');
      }
      break;
  }
}

function numericValid(value: unknown): boolean {
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 4)) {
    return false;
  }
  for (let i = 0; i < value.length; i += 2) {
    if (!NUMERIC_OPERATORS.includes(value[i]) || typeof value[i + 1] !== 'number') {
      return false;
    }
  }
  if (value.length === 4) {
    // A range: a lower bound, then a higher one (CloudFormation's rule E9014 wants the lower strictly less).
    const [lowOp, low, highOp, high] = value as [string, number, string, number];
    return ['>', '>='].includes(lowOp) && ['<', '<='].includes(highOp) && low < high;
  }
  return true;
}

function anythingButValid(value: unknown): boolean {
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number';
  if (scalar(value)) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.length > 0 && value.every(scalar);
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    return keys.length === 1 && ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(keys[0]);
  }
  return false;
}

/** A value CloudFormation resolves at deploy time (a token, or an intrinsic function once resolved). */
function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') {
    return Token.isUnresolved(value);
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
  }
  return false;
}
