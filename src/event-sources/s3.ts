import { CfnResource, Resource, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { Construct, IConstruct } from 'constructs';
import { eventBridgePattern, mergePatterns } from './s3-eventbridge';
import { formatProblems } from '../core/problems';
import { functionOf, markInvokedAsynchronously } from '../core/targets';
import { createFailureQueue } from '../failure-handling/failure-queue';
import { acknowledgeBucketNotificationsHandler } from '../monitoring/acknowledgements';

/** Options of an {@link S3Source}. */
export interface S3SourceOptions {
  /**
   * The events that invoke the function (at least one).
   *
   * @default [s3.EventType.OBJECT_CREATED]
   */
  readonly events?: s3.EventType[];

  /**
   * Key filters (prefix and/or suffix); an object matching any of them invokes the function.
   *
   * @default - every key
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
   */
  readonly filters?: s3.NotificationKeyFilter[];

  /**
   * Deliver through Amazon EventBridge instead of an S3 notification: no overlap rules, several consumers per event,
   * and a rule you can extend. Each event type maps to exactly the EventBridge events S3 sends for it (detail type,
   * and `reason` / `deletion-type` where the type is narrower, e.g. OBJECT_CREATED_PUT matches only `PutObject`);
   * replication and reduced-redundancy events, which S3 does not send to EventBridge, are an error. Events
   * EventBridge cannot deliver to the function go to a dead-letter queue created beside the rule (encrypted, 14 days,
   * alarm on depth with the function's alarm action).
   *
   * @default false
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
   */
  readonly viaEventBridge?: boolean;
}

interface Registration {
  readonly events: string[];
  readonly prefix: string;
  readonly suffix: string;
  readonly owner: string;
}

/**
 * The notifications already configured per bucket, to find overlaps S3 would reject at deploy time: per app, keyed on
 * the bucket name where it is known (two imports of one bucket are one bucket), else on the bucket object.
 */
const registrations = new WeakMap<IConstruct, Map<unknown, Registration[]>>();

/** The bucket's name when it is known at synth, for imports and for buckets given a `bucketName`. */
export function knownBucketName(bucket: s3.IBucket): string | undefined {
  const candidates = [bucket.bucketName, bucket instanceof Resource ? (bucket as any).physicalName as string : undefined];
  return candidates.find((n): n is string => typeof n === 'string' && !Token.isUnresolved(n));
}

/** Every problem with an S3Source's options that does not depend on other sources. Pure. */
export function checkS3SourceOptions(name: string, eventTypes: s3.EventType[], filters: s3.NotificationKeyFilter[], notifications = true): string[] {
  const problems: string[] = [];
  if (eventTypes.length === 0) {
    problems.push(`\`${name}.events\` must list at least one event type, got []`);
  }
  // AWS, S3 S3KeyFilter: "The same type of filter rule cannot be used more than once": each filter is its own
  // notification, and two of them that can match one key overlap, which S3 refuses.
  filters.forEach((f, i) => notifications && filters.slice(0, i).forEach((g, j) => {
    const a = { prefix: f.prefix ?? '', suffix: f.suffix ?? '' };
    const b = { prefix: g.prefix ?? '', suffix: g.suffix ?? '' };
    if (keysOverlap(a, b)) {
      problems.push(`\`${name}.filters\` must not overlap (S3 refuses overlapping notifications for one event type), got ` +
        `filters[${j}] with ${describe(b)} and filters[${i}] with ${describe(a)}`);
    }
  }));
  filters.forEach((f, i) => {
    for (const key of ['prefix', 'suffix'] as const) {
      if (f[key] !== undefined && f[key] === '') {
        problems.push(`\`${name}.filters[${i}].${key}\` must be a non-empty string (leave it out to match every key), got ""`);
      }
      // AWS, S3 FilterRule: "The maximum length is 1,024 characters."
      const length = f[key] === undefined || Token.isUnresolved(f[key]) ? 0 : f[key]!.length;
      if (length > 1024) {
        problems.push(`\`${name}.filters[${i}].${key}\` must be at most 1024 characters (S3's limit for a filter rule and a key), got ${length}`);
      }
    }
  });
  return problems;
}

/**
 * An S3 bucket as an event source (S3 invokes the function asynchronously, so the function's async failure
 * handling applies).
 *
 * Two notifications on one bucket whose event types overlap and whose key filters overlap are rejected by S3 at
 * deploy time (aws-cdk #29951): they are an error at synth here.
 */
export class S3Source implements lambda.IEventSource {
  constructor(public readonly bucket: s3.IBucket, private readonly options: S3SourceOptions = {}) {}

  public bind(target: lambda.IFunction): void {
    const fn = functionOf(target);
    const eventTypes = this.options.events ?? [s3.EventType.OBJECT_CREATED];
    const filters = this.options.filters?.length ? this.options.filters : [{}];
    const optionProblems = checkS3SourceOptions(`S3Source(${this.bucket.node.path})`, eventTypes, this.options.filters ?? [], !this.options.viaEventBridge);
    if (optionProblems.length > 0) {
      throw new Error(formatProblems(fn.node.path, optionProblems));
    }
    markInvokedAsynchronously(target, `S3Source(${this.bucket.node.path})`);

    if (this.options.viaEventBridge) {
      this.bindEventBridge(fn as unknown as Construct, target, eventTypes, filters);
      return;
    }

    const root = this.bucket.node.root;
    const perApp = registrations.get(root) ?? new Map<unknown, Registration[]>();
    registrations.set(root, perApp);
    const key = knownBucketName(this.bucket) ?? this.bucket;
    const existing = perApp.get(key) ?? [];
    const problems: string[] = [];
    const added: Registration[] = filters.map((f) => ({ events: eventTypes, prefix: f.prefix ?? '', suffix: f.suffix ?? '', owner: fn.node.path }));
    for (const candidate of added) {
      for (const other of existing) {
        if (eventsOverlap(candidate.events, other.events) && keysOverlap(candidate, other)) {
          problems.push(`S3Source: a notification on ${this.bucket.node.path} for ${candidate.events.join(', ')} with ${describe(candidate)} ` +
            `overlaps the one for ${other.owner} (${other.events.join(', ')} with ${describe(other)}): S3 rejects overlapping notifications; ` +
            'make the prefixes or suffixes disjoint, or set `viaEventBridge`');
        }
      }
    }
    if (problems.length > 0) {
      throw new Error(formatProblems(fn.node.path, problems));
    }
    perApp.set(key, [...existing, ...added]);
    // One notification per filter: "an object matching any of them invokes the function".
    for (const eventType of eventTypes) {
      for (const filter of filters) {
        this.bucket.addEventNotification(eventType, new s3n.LambdaDestination(target), ...(filter.prefix || filter.suffix ? [filter] : []));
      }
    }
    acknowledgeBucketNotificationsHandler(Stack.of(this.bucket));
  }

  private bindEventBridge(scope: Construct, target: lambda.IFunction, eventTypes: s3.EventType[], filters: s3.NotificationKeyFilter[]): void {
    const unsupported = eventTypes.filter((t) => eventBridgePattern(t) === undefined);
    if (unsupported.length > 0) {
      throw new Error(formatProblems(scope.node.path, [
        `\`S3Source(${this.bucket.node.path}).events\` with \`viaEventBridge\` must be events S3 sends to EventBridge (object created, removed, ` +
        `restore, tagging, ACL, lifecycle expiration and transition, Intelligent-Tiering), got ${unsupported.join(', ')}`,
      ]));
    }
    if (!(this.bucket instanceof s3.Bucket)) {
      throw new Error(formatProblems(scope.node.path, [
        `S3Source(${this.bucket.node.path}) with \`viaEventBridge\` needs a bucket defined in this app (to turn on EventBridge notifications); for an imported bucket, turn them on where it is defined`,
      ]));
    }
    this.bucket.enableEventBridgeNotification();
    // One EventBridge content filter per key filter; they match when any does.
    const keyPatterns = filters.filter((f) => f.prefix || f.suffix).map((f) => {
      if (f.prefix && f.suffix) {
        return { wildcard: `${f.prefix}*${f.suffix}` };
      }
      return f.prefix ? { prefix: f.prefix } : { suffix: f.suffix };
    });
    // Events EventBridge cannot deliver at all (the function throttled past the retry window, or deleted) are
    // kept here rather than dropped; failures inside the function go to its own failure destination.
    const deadLetterQueue = createFailureQueue(scope, `${this.bucket.node.id}DeliveryFailureQueue`, target).queue;
    mergePatterns(eventTypes.map((t) => eventBridgePattern(t)!)).forEach((pattern, i) => {
      new events.Rule(scope, `${this.bucket.node.id}ObjectEvents${i === 0 ? '' : i + 1}`, {
        description: `${pattern['detail-type'].join(', ')} events of ${this.bucket.node.path}`,
        eventPattern: {
          source: ['aws.s3'],
          detailType: pattern['detail-type'],
          detail: {
            ...pattern.detail,
            bucket: { name: [this.bucket.bucketName] },
            ...(keyPatterns.length > 0 ? { object: { key: keyPatterns } } : {}),
          },
        },
        targets: [new targets.LambdaFunction(target, { deadLetterQueue })],
      });
    });
  }
}

/** Whether two sets of S3 event types share an event (`s3:ObjectCreated:*` covers `s3:ObjectCreated:Put`). */
export function eventsOverlap(a: string[], b: string[]): boolean {
  const covers = (x: string, y: string) => x === y || (x.endsWith(':*') && y.startsWith(x.slice(0, -1)));
  return a.some((x) => b.some((y) => covers(x, y) || covers(y, x)));
}

/** Whether two key filters can match the same key: prefixes nest and suffixes nest. */
export function keysOverlap(a: { prefix: string; suffix: string }, b: { prefix: string; suffix: string }): boolean {
  const prefixes = a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix);
  const suffixes = a.suffix.endsWith(b.suffix) || b.suffix.endsWith(a.suffix);
  return prefixes && suffixes;
}

function describe(r: { prefix: string; suffix: string }): string {
  const parts = [r.prefix ? `prefix "${r.prefix}"` : '', r.suffix ? `suffix "${r.suffix}"` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(' and ') : 'no key filter';
}

/** One configuration of an S3 bucket's notification configuration, as synthesized. */
interface RenderedNotification {
  readonly events: string[];
  readonly prefix: string;
  readonly suffix: string;
  /** What it sends to, for messages. */
  readonly destination: string;
  readonly invokesFunction: boolean;
}

/**
 * Overlapping notifications on a bucket that notifies the function, whichever class configured them (aws-cdk-lib's
 * `S3EventSource`, `bucket.addEventNotification`, this library's `S3Source`): S3 refuses the whole configuration at
 * deploy ("Configurations overlap. Configurations on the same bucket cannot share a common event type"). Read from
 * aws-cdk-lib's `Custom::S3BucketNotifications` resources, once every notification is added.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
 */
export function bucketNotificationProblems(fn: lambda.Function): string[] {
  const own = new Set(fn.node.findAll()
    .filter((c) => c instanceof lambda.CfnFunction || c instanceof lambda.CfnAlias || c instanceof lambda.CfnVersion)
    .map((c) => Stack.of(c).resolve((c as lambda.CfnFunction).logicalId) as string));
  const problems: string[] = [];
  for (const resource of fn.node.root.node.findAll()) {
    const notifications = resource instanceof CfnResource && resource.cfnResourceType === 'Custom::S3BucketNotifications';
    if (!notifications || Stack.of(resource) !== Stack.of(fn)) {
      continue;
    }
    const rendered = renderedNotifications(resource, own, paths(Stack.of(resource)));
    if (!rendered.some((n) => n.invokesFunction)) {
      continue;
    }
    const bucket = resource.node.scope?.node.scope?.node.path ?? resource.node.path;
    rendered.forEach((a, i) => rendered.slice(i + 1).forEach((b) => {
      if ((a.invokesFunction || b.invokesFunction) && eventsOverlap(a.events, b.events) && keysOverlap(a, b)) {
        problems.push(`the notifications of ${bucket} to ${a.destination} (${a.events.join(', ')} with ${describe(a)}) and to ${b.destination} ` +
          `(${b.events.join(', ')} with ${describe(b)}) overlap: S3 rejects a notification configuration whose configurations share an event type ` +
          'for keys both filters match. Make the prefixes or suffixes disjoint, or use S3Source with `viaEventBridge`');
      }
    }));
  }
  return problems;
}

/** The construct path of each resource of a stack, by logical ID. */
function paths(stack: Stack): Map<string, string> {
  return new Map(stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack)
    .map((c) => [stack.resolve(c.logicalId) as string, c.node.scope && c.node.scope.node.defaultChild === c ? c.node.scope.node.path : c.node.path]));
}

function renderedNotifications(resource: CfnResource, own: Set<string>, names: Map<string, string>): RenderedNotification[] {
  const stack = Stack.of(resource);
  let properties: any;
  try {
    const template = stack.resolve((resource as unknown as { _toCloudFormation(): any })._toCloudFormation());
    properties = (Object.values(template.Resources ?? {})[0] as any)?.Properties;
  } catch {
    return [];
  }
  const configuration = properties?.NotificationConfiguration ?? {};
  const kinds: [string, string][] = [['LambdaFunctionConfigurations', 'LambdaFunctionArn'], ['QueueConfigurations', 'QueueArn'], ['TopicConfigurations', 'TopicArn']];
  return kinds.flatMap(([list, arnKey]) => ((configuration[list] ?? []) as any[]).map((c) => {
    const rules: any[] = c.Filter?.Key?.FilterRules ?? [];
    const rule = (name: string) => rules.find((r) => String(r.Name).toLowerCase() === name)?.Value;
    const arn = JSON.stringify(c[arnKey]);
    const ids = [...arn.matchAll(/"(?:Ref|Fn::GetAtt)":\s*(?:"([^"]+)"|\["([^"]+)")/g)].map((m) => m[1] ?? m[2]);
    const prefix = rule('prefix');
    const suffix = rule('suffix');
    return {
      events: c.Events ?? [],
      prefix: typeof prefix === 'string' ? prefix : '',
      suffix: typeof suffix === 'string' ? suffix : '',
      destination: ids.length > 0 ? names.get(ids[0]) ?? ids[0] : arn,
      invokesFunction: ids.some((id) => own.has(id)),
    };
  }));
}
