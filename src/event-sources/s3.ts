import { Resource, Stack, Token } from 'aws-cdk-lib';
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
export function checkS3SourceOptions(name: string, eventTypes: s3.EventType[], filters: s3.NotificationKeyFilter[]): string[] {
  const problems: string[] = [];
  if (eventTypes.length === 0) {
    problems.push(`\`${name}.events\` must list at least one event type, got []`);
  }
  filters.forEach((f, i) => {
    for (const key of ['prefix', 'suffix'] as const) {
      if (f[key] !== undefined && f[key] === '') {
        problems.push(`\`${name}.filters[${i}].${key}\` must be a non-empty string (leave it out to match every key), got ""`);
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
    const optionProblems = checkS3SourceOptions(`S3Source(${this.bucket.node.path})`, eventTypes, this.options.filters ?? []);
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
    for (const eventType of eventTypes) {
      this.bucket.addEventNotification(eventType, new s3n.LambdaDestination(target), ...(this.options.filters ?? []));
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
