import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';

/**
 * The failure destinations of the app that already have an alarm made by this library, with the actions those alarms
 * run: a destination is its L1 resource (or its ARN when it is an import), so that the synth-time watch
 * (`destination-watch.ts`) does not alarm twice on what a source already watches.
 */
const watched = new WeakMap<IConstruct, Map<unknown, Set<cloudwatch.IAlarmAction | undefined>>>();

function registry(scope: IConstruct): Map<unknown, Set<cloudwatch.IAlarmAction | undefined>> {
  const root = scope.node.root;
  let map = watched.get(root);
  if (!map) {
    map = new Map();
    watched.set(root, map);
  }
  return map;
}

/** Record that an alarm running `action` watches the destination `key`. */
export function recordWatched(scope: IConstruct, key: unknown, action: cloudwatch.IAlarmAction | undefined): void {
  const map = registry(scope);
  const actions = map.get(key) ?? new Set();
  actions.add(action);
  map.set(key, actions);
}

/** Whether an alarm running `action` already watches the destination `key`. */
export function isWatched(scope: IConstruct, key: unknown, action: cloudwatch.IAlarmAction | undefined): boolean {
  return registry(scope).get(key)?.has(action) ?? false;
}

/** The key of a destination construct: its L1 resource, or (for an import) its ARN. */
export function destinationKey(destination: IConstruct, arn: string): unknown {
  return destination.node.defaultChild ?? arn;
}
