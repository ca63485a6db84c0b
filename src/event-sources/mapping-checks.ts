import { Annotations, AspectPriority, Aspects, CfnResource, IAspect, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { checkPatternFields } from './eventbridge';
import { checkIntegerRange } from '../core/limits';
import { Warning, formatProblems } from '../core/problems';
import { referencedIds } from '../core/template-rules';

/** What the checks of a queue against the function it invokes found. */
export interface MappingFindings {
  readonly problems: string[];
  readonly warnings: Warning[];
}

/** An SQS queue bound to a function, as the checks see it. Undefined values are unknown (tokens, imports). */
export interface QueueBinding {
  /** The queue's construct path. */
  readonly queuePath: string;
  /** The queue's visibility timeout in seconds. */
  readonly visibilitySeconds?: number;
  /** Whether the queue has a redrive policy; undefined for a queue whose settings are not in the app. */
  readonly hasRedrivePolicy?: boolean;
  /** The function's timeout in seconds. */
  readonly timeoutSeconds?: number;
  /** The mapping's batching window in seconds (0 without one). */
  readonly windowSeconds: number;
}

/**
 * Check an SQS queue against the function it invokes: a visibility timeout shorter than the function's timeout is a
 * problem (AWS rejects the event source mapping), shorter than 6 × the timeout plus the batching window a warning (AWS's
 * advice), and a queue without a redrive policy a warning.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */
export function checkQueueBinding(b: QueueBinding): MappingFindings {
  const problems: string[] = [];
  const warnings: Warning[] = [];
  const { visibilitySeconds: visibility, timeoutSeconds: timeout } = b;
  if (visibility !== undefined && timeout !== undefined) {
    if (visibility < timeout) {
      problems.push(`the visibility timeout of ${b.queuePath} (${visibility} seconds) must be at least the function's timeout ` +
        `(${timeout} seconds): AWS rejects the event source mapping`);
    } else if (visibility < 6 * timeout + b.windowSeconds) {
      warnings.push({
        id: 'cdk-lambda-kit:sqsVisibilityTimeout',
        message: `the visibility timeout of ${b.queuePath} (${visibility} seconds) is under 6 × the function's timeout plus the batching window ` +
          `(${6 * timeout + b.windowSeconds} seconds), as AWS advises: messages may be received again while still being processed`,
      });
    }
  }
  if (b.hasRedrivePolicy === false) {
    warnings.push({
      id: 'cdk-lambda-kit:queueWithoutRedrive',
      message: `${b.queuePath} has no redrive policy: a message that keeps failing is retried until its retention period ends, then lost. ` +
        'Give the queue a dead-letter queue, or let `WorkerQueue` create both',
    });
  }
  return { problems, warnings };
}

/** The queue-side settings of an SQS mapping, as the checks see them. */
export interface FifoBinding {
  /** How the mapping is named in messages. */
  readonly mappingPath: string;
  readonly batchSize?: number;
  readonly windowSeconds: number;
}

/**
 * The rules of FIFO queues as event sources: at most 10 messages per batch and no batching window.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */
export function checkFifoBinding(b: FifoBinding): string[] {
  const problems = [checkIntegerRange(`${b.mappingPath}.batchSize`, b.batchSize, 1, 10)];
  if (b.windowSeconds > 0) {
    problems.push(`\`${b.mappingPath}.maxBatchingWindow\` cannot be used with a FIFO queue, got ${b.windowSeconds} seconds`);
  }
  return problems.filter((p): p is string => p !== undefined);
}

/** A stream (Kinesis or DynamoDB) mapping's failure handling, as in its template. */
export interface StreamBinding {
  readonly mappingPath: string;
  readonly sourcePath: string;
  /** MaximumRetryAttempts; undefined or -1 is infinite. */
  readonly retryAttempts?: number;
  /** MaximumRecordAgeInSeconds; undefined or -1 is infinite. */
  readonly maxRecordAgeSeconds?: number;
  readonly hasOnFailure: boolean;
}

/**
 * A stream mapping should give up on a failing batch (bounded retries or record age) and keep what it gives up on (an
 * on-failure destination); without either, a bad record blocks its shard until it expires, or is dropped unseen.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-errors.html
 */
export function checkStreamBinding(b: StreamBinding): Warning[] {
  const infinite = (v: number | undefined) => v === undefined || v === -1;
  const warnings: Warning[] = [];
  if (infinite(b.retryAttempts) && infinite(b.maxRecordAgeSeconds)) {
    warnings.push({
      id: 'cdk-lambda-kit:unboundedStreamRetries',
      message: `${b.mappingPath} retries a failing batch of ${b.sourcePath} until its records expire (MaximumRetryAttempts and ` +
        'MaximumRecordAgeInSeconds are infinite): one bad record blocks its shard. Set `retryAttempts` or `maxRecordAge`, ' +
        'or use DynamoStreamSource / KinesisStreamSource',
    });
  }
  if (!b.hasOnFailure) {
    warnings.push({
      id: 'cdk-lambda-kit:streamWithoutOnFailure',
      message: `${b.mappingPath} has no on-failure destination: records of ${b.sourcePath} it gives up on are lost. Set \`onFailure\` ` +
        '(for example new SqsDlq(queue)), or use DynamoStreamSource / KinesisStreamSource',
    });
  }
  return warnings;
}

/** A number in a template, or undefined when it is absent or a token. */
function known(value: unknown): number | undefined {
  return typeof value === 'number' && !Token.isUnresolved(value) ? value : undefined;
}

const STREAM_TYPES = ['AWS::Kinesis::Stream', 'AWS::Kinesis::StreamConsumer', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'];

/**
 * Applies the synth-time checks of this library's sources to every event source mapping of a stack that invokes a
 * watched function (itself, a version or an alias), whichever class created it: aws-cdk-lib's `SqsEventSource`,
 * `DynamoEventSource`, `KinesisEventSource`, or a bare `lambda.EventSourceMapping`.
 */
class EventSourceMappingChecks implements IAspect {
  /** Logical IDs of the watched functions, their versions and aliases, and the function each stands for. */
  private readonly targets = new Map<string, lambda.Function>();
  private readonly functions: lambda.Function[] = [];
  private resources?: Map<string, CfnResource>;

  constructor(private readonly stack: Stack) {}

  public watch(fn: lambda.Function): void {
    this.functions.push(fn);
  }

  public visit(node: IConstruct): void {
    if (!(node instanceof lambda.CfnEventSourceMapping) || Stack.of(node) !== this.stack) {
      return;
    }
    const fn = this.functionOf(node);
    if (!fn) {
      return;
    }
    const source = this.sourceOf(node);
    const arn = this.stack.resolve(node.eventSourceArn);
    const isQueue = source ? source instanceof sqs.CfnQueue : typeof arn === 'string' && arn.startsWith('arn:') && arn.split(':')[2] === 'sqs';
    const problems = checkMappingTarget(this.stack, node, source, arn, isQueue);
    const warnings = checkMappingFilters(node, this.stack.resolve(node.filterCriteria), problems);
    for (const w of warnings) {
      Annotations.of(fn).addWarningV2(w.id, w.message);
    }
    if (known((fn.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions) === 0 && node.enabled !== false) {
      // AWS (configuration-concurrency): "If you set reserved concurrency to 0, ... Lambda throttles all invocations":
      // every batch is retried until it reaches the dead-letter queue, the on-failure destination or its expiry.
      Annotations.of(fn).addWarningV2('cdk-lambda-kit:reservedConcurrencyZero',
        `${mappingName(node)} invokes a function whose reservedConcurrentExecutions is 0: Lambda throttles every invocation, so ` +
        'every message or record it reads fails until it reaches a dead-letter queue or expires. Raise `reservedConcurrentExecutions`, ' +
        'or disable the source (`enabled: false`) while the function is stopped');
    }
    if (source instanceof sqs.CfnQueue) {
      problems.push(...this.checkQueue(node, source, fn));
    } else if (source && STREAM_TYPES.includes(source.cfnResourceType)) {
      this.checkStream(node, constructPath(source), fn);
    }
    if (problems.length > 0) {
      throw new Error(formatProblems(fn.node.path, problems));
    }
  }

  private checkQueue(mapping: lambda.CfnEventSourceMapping, queue: sqs.CfnQueue, fn: lambda.Function): string[] {
    const windowSeconds = known(mapping.maximumBatchingWindowInSeconds) ?? 0;
    const visibility = queue.visibilityTimeout ?? 30;
    const timeout = fn.timeout ?? undefined;
    const findings = checkQueueBinding({
      queuePath: constructPath(queue),
      visibilitySeconds: known(visibility),
      hasRedrivePolicy: queue.redrivePolicy !== undefined,
      timeoutSeconds: timeout === undefined ? 3 : timeout.isUnresolved() ? undefined : timeout.toSeconds(),
      windowSeconds,
    });
    const problems = [...findings.problems];
    const maxConcurrency = this.maxConcurrencyOf(mapping);
    const reserved = known((fn.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions);
    if (maxConcurrency !== undefined && reserved !== undefined) {
      // "make sure that your function's reserved concurrency is greater than or equal to the total maximum
      // concurrency for all Amazon SQS event sources on the function. Otherwise, Lambda may throttle your messages."
      const total = this.stack.node.findAll()
        .filter((c): c is lambda.CfnEventSourceMapping => c instanceof lambda.CfnEventSourceMapping && Stack.of(c) === this.stack)
        .filter((m) => this.functionOf(m) === fn && this.sourceOf(m) instanceof sqs.CfnQueue)
        .reduce((sum, m) => sum + (this.maxConcurrencyOf(m) ?? 0), 0);
      if (total > reserved) {
        const all = total === maxConcurrency ? '' : ` (${total} with the function's other SQS mappings)`;
        Annotations.of(fn).addWarningV2('cdk-lambda-kit:maxConcurrencyOverReserved',
          `${mappingName(mapping)} may invoke ${maxConcurrency} at once (maxConcurrency)${all}, over the function's reservedConcurrentExecutions ` +
          `of ${reserved}: Lambda throttles the extra batches, which return to ${constructPath(queue)} and count as receives toward its ` +
          'dead-letter queue. Keep the total `maxConcurrency` of the function\'s SQS sources at most its reserved concurrency');
      }
    }
    if (queue.fifoQueue === true) {
      problems.push(...checkFifoBinding({ mappingPath: mappingName(mapping), batchSize: known(mapping.batchSize), windowSeconds }));
    }
    for (const w of findings.warnings) {
      Annotations.of(fn).addWarningV2(w.id, w.message);
    }
    return problems;
  }

  private checkStream(mapping: lambda.CfnEventSourceMapping, sourcePath: string, fn: lambda.Function): void {
    const destination = this.stack.resolve(mapping.destinationConfig) as { onFailure?: { destination?: unknown } } | undefined;
    const warnings = checkStreamBinding({
      mappingPath: mappingName(mapping),
      sourcePath,
      retryAttempts: known(mapping.maximumRetryAttempts),
      maxRecordAgeSeconds: known(mapping.maximumRecordAgeInSeconds),
      hasOnFailure: destination?.onFailure?.destination !== undefined,
    });
    for (const w of warnings) {
      Annotations.of(fn).addWarningV2(w.id, w.message);
    }
  }

  /** A mapping's ScalingConfig.MaximumConcurrency, when known. */
  private maxConcurrencyOf(mapping: lambda.CfnEventSourceMapping): number | undefined {
    const scaling = this.stack.resolve(mapping.scalingConfig) as { maximumConcurrency?: unknown } | undefined;
    return known(scaling?.maximumConcurrency);
  }

  /** The watched function the mapping invokes, from the references in its FunctionName. */
  private functionOf(mapping: lambda.CfnEventSourceMapping): lambda.Function | undefined {
    if (this.targets.size === 0) {
      for (const fn of this.functions) {
        const ids = [fn.node.defaultChild, ...fn.node.findAll().filter((c) => c instanceof lambda.CfnAlias || c instanceof lambda.CfnVersion)];
        for (const id of ids) {
          this.targets.set(this.stack.resolve((id as CfnResource).logicalId), fn);
        }
      }
    }
    for (const ref of referencedIds(this.stack.resolve(mapping.functionName))) {
      const fn = this.targets.get(ref);
      if (fn) {
        return fn;
      }
    }
    return undefined;
  }

  /**
   * The resource the mapping reads from, when its ARN refers to one: in this stack, or in another stack of the app
   * (a reference CloudFormation resolves with `Fn::ImportValue`).
   */
  private sourceOf(mapping: lambda.CfnEventSourceMapping): CfnResource | undefined {
    const arn = mapping.eventSourceArn;
    if (typeof arn === 'string' && Token.isUnresolved(arn)) {
      for (const token of Tokenization.reverseString(arn).tokens) {
        if (Reference.isReference(token) && CfnResource.isCfnResource(token.target)) {
          return token.target;
        }
      }
    }
    if (!this.resources) {
      this.resources = new Map(this.stack.node.findAll()
        .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === this.stack)
        .map((c) => [this.stack.resolve(c.logicalId) as string, c]));
    }
    for (const ref of referencedIds(this.stack.resolve(mapping.eventSourceArn))) {
      const resource = this.resources.get(ref);
      if (resource) {
        return resource;
      }
    }
    return undefined;
  }
}

/**
 * What Lambda refuses of a mapping whatever class made it: an event source in another region than the function, and
 * (standard SQS queues) more than 10 messages a batch without a batching window.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html
 */
function checkMappingTarget(
  stack: Stack, mapping: lambda.CfnEventSourceMapping, source: CfnResource | undefined, arn: unknown, isQueue: boolean,
): string[] {
  const problems: string[] = [];
  const name = mappingName(mapping);
  const knownText = (v: string | undefined) => (v === undefined || Token.isUnresolved(v) || v === '' ? undefined : v);
  const here = knownText(stack.region);
  const sourceRegion = source
    ? knownText(Stack.of(source).region)
    : typeof arn === 'string' && !Token.isUnresolved(arn) ? knownText(arn.split(':')[3]) : undefined;
  if (here && sourceRegion && here !== sourceRegion) {
    const what = source ? constructPath(source) : String(arn);
    problems.push(`\`${name}.eventSourceArn\` must be in the function's region (${here}), got ${what} in ${sourceRegion}: ` +
      'Lambda polls queues and streams of its own region only; put the function in a stack of that region');
  }
  const config = mapping.destinationConfig as { onFailure?: { destination?: unknown } } | undefined;
  const destinations = stack.resolve(config) as { onFailure?: { destination?: unknown } } | undefined;
  if (isQueue && destinations?.onFailure?.destination !== undefined) {
    // "DestinationConfig (Kinesis, DynamoDB Streams, Amazon MSK, and self-managed Kafka only)"
    problems.push(`\`${name}.onFailure\` cannot be used with an SQS queue: Lambda sends discarded batches to an on-failure destination ` +
      'for Kinesis, DynamoDB Streams, Amazon MSK and Kafka only. Give the queue a dead-letter queue (`deadLetterQueue` with ' +
      `\`maxReceiveCount\`) instead, got ${describeArn(config?.onFailure?.destination, destinations.onFailure.destination)}`);
  }
  const recordAge = known(mapping.maximumRecordAgeInSeconds);
  if (!isQueue && recordAge !== undefined && recordAge !== -1 && (recordAge < 60 || recordAge > 604800)) {
    // "The minimum valid value for maximum record age is 60s."
    problems.push(`\`${name}.maxRecordAge\` (MaximumRecordAgeInSeconds) must be -1 (infinite) or from 60 to 604800 seconds (7 days), got ${recordAge}`);
  }
  const batchSize = typeof mapping.batchSize === 'number' && !Token.isUnresolved(mapping.batchSize) ? mapping.batchSize : undefined;
  const window = typeof mapping.maximumBatchingWindowInSeconds === 'number' ? mapping.maximumBatchingWindowInSeconds : 0;
  const fifo = source instanceof sqs.CfnQueue && source.fifoQueue === true;
  if (isQueue && !fifo && batchSize !== undefined && batchSize > 10 && window === 0 && !Token.isUnresolved(window)) {
    problems.push(`\`${name}.maxBatchingWindow\` must be at least 1 second when \`batchSize\` is over 10, got ${batchSize} ` +
      'messages a batch and no batching window: set `maxBatchingWindow`, or a `batchSize` of at most 10');
  }
  return problems;
}

/** How messages name an ARN: the path of the resource it refers to, or the ARN as written. */
function describeArn(value: unknown, resolved: unknown): string {
  if (typeof value === 'string' && Token.isUnresolved(value)) {
    for (const token of Tokenization.reverseString(value).tokens) {
      if (Reference.isReference(token) && CfnResource.isCfnResource(token.target)) {
        return constructPath(token.target);
      }
    }
  }
  return typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
}

/** Lambda's default quota of filters per event source mapping, and the most a quota increase allows. */
const FILTER_QUOTA = 5;
const FILTER_MAX = 10;

/**
 * A mapping's filters: at most 10 (an error), more than the default quota of 5 a warning, and each pattern a valid
 * JSON pattern of the content filters Lambda knows (the grammar of EventBridge patterns).
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
 */
function checkMappingFilters(mapping: lambda.CfnEventSourceMapping, criteria: unknown, problems: string[]): Warning[] {
  const filters = (criteria as { filters?: Array<{ pattern?: unknown }> } | undefined)?.filters;
  if (!Array.isArray(filters)) {
    return [];
  }
  const name = mappingName(mapping);
  const warnings: Warning[] = [];
  if (filters.length > FILTER_MAX) {
    problems.push(`\`${name}.filters\` must hold at most ${FILTER_MAX} filters (Lambda's quota, ${FILTER_QUOTA} by default and at most ${FILTER_MAX} on request), got ${filters.length}: ` +
      'combine patterns with `$or`');
  } else if (filters.length > FILTER_QUOTA) {
    warnings.push({
      id: 'cdk-lambda-kit:eventFilterQuota',
      message: `${name} has ${filters.length} filters, over Lambda's default quota of ${FILTER_QUOTA} per event source mapping: ` +
        'the deployment fails unless the account\'s quota was raised (up to 10); combine patterns with `$or`',
    });
  }
  filters.forEach((f, i) => {
    const extra = typeof f === 'object' && f !== null ? Object.keys(f).filter((k) => k !== 'pattern') : [];
    if (extra.length > 0) {
      problems.push(`\`${name}.filters[${i}]\` must be a { pattern } made with lambda.FilterCriteria.filter(...), got ${JSON.stringify(f)}`);
      return;
    }
    const pattern = f?.pattern;
    if (typeof pattern !== 'string' || Token.isUnresolved(pattern)) {
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(pattern);
    } catch {
      problems.push(`\`${name}.filters[${i}]\` must be a JSON pattern, got ${JSON.stringify(pattern)}`);
      return;
    }
    problems.push(...checkPatternFields(`${name}.filters[${i}]`, parsed));
  });
  return warnings;
}

/** The path of the construct a resource stands for: its L2 construct when it is one's default child. */
function constructPath(resource: CfnResource): string {
  const scope = resource.node.scope;
  return scope && scope.node.defaultChild === resource ? scope.node.path : resource.node.path;
}

/** How a mapping is named in messages. */
function mappingName(mapping: lambda.CfnEventSourceMapping): string {
  return constructPath(mapping);
}

const CHECKS = Symbol.for('cdk-lambda-kit.EventSourceMappingChecks');

/**
 * Check every event source mapping of the function's stack that invokes it, whichever class created the mapping
 * (one read-only aspect per stack).
 */
export function checkEventSourceMappingsOf(fn: lambda.Function): void {
  const stack = Stack.of(fn) as Stack & { [CHECKS]?: EventSourceMappingChecks };
  if (!stack[CHECKS]) {
    stack[CHECKS] = new EventSourceMappingChecks(stack);
    Aspects.of(stack).add(stack[CHECKS], { priority: AspectPriority.READONLY });
  }
  stack[CHECKS].watch(fn);
}
