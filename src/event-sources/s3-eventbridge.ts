import * as s3 from 'aws-cdk-lib/aws-s3';

/*
 * How S3 notification event types map to the events S3 sends to Amazon EventBridge (internal to S3Source; not part of
 * the jsii API).
 */

/** An EventBridge pattern (detail type, and the detail fields that narrow it) for S3 events. */
export interface S3EventBridgePattern {
  readonly 'detail-type': string[];
  readonly 'detail'?: Record<string, string[]>;
}

const CREATED_REASONS: Record<string, string> = {
  Put: 'PutObject',
  Post: 'POST Object',
  Copy: 'CopyObject',
  CompleteMultipartUpload: 'CompleteMultipartUpload',
};
const DELETION_TYPES: Record<string, string> = {
  Delete: 'Permanently Deleted',
  DeleteMarkerCreated: 'Delete Marker Created',
};

/**
 * The EventBridge events S3 sends for one S3 notification event type, or undefined when S3 sends none (replication,
 * reduced redundancy).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-mapping-troubleshooting.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 */
export function eventBridgePattern(eventType: s3.EventType | string): S3EventBridgePattern | undefined {
  const [, family, detail] = /^s3:([A-Za-z]+)(?::(.*))?$/.exec(eventType) ?? [];
  const all = detail === undefined || detail === '*';
  switch (family) {
    case 'ObjectCreated':
      if (all) {
        return { 'detail-type': ['Object Created'] };
      }
      return CREATED_REASONS[detail] ? { 'detail-type': ['Object Created'], 'detail': { reason: [CREATED_REASONS[detail]] } } : undefined;
    case 'ObjectRemoved':
    case 'LifecycleExpiration': {
      const reason = family === 'ObjectRemoved' ? 'DeleteObject' : 'Lifecycle Expiration';
      if (all) {
        return { 'detail-type': ['Object Deleted'], 'detail': { reason: [reason] } };
      }
      return DELETION_TYPES[detail] ? { 'detail-type': ['Object Deleted'], 'detail': { 'reason': [reason], 'deletion-type': [DELETION_TYPES[detail]] } } : undefined;
    }
    case 'ObjectRestore': {
      const types: Record<string, string> = { Post: 'Object Restore Initiated', Completed: 'Object Restore Completed', Delete: 'Object Restore Expired' };
      if (all) {
        return { 'detail-type': Object.values(types) };
      }
      return types[detail] ? { 'detail-type': [types[detail]] } : undefined;
    }
    case 'ObjectTagging': {
      const types: Record<string, string> = { Put: 'Object Tags Added', Delete: 'Object Tags Deleted' };
      if (all) {
        return { 'detail-type': Object.values(types) };
      }
      return types[detail] ? { 'detail-type': [types[detail]] } : undefined;
    }
    case 'ObjectAcl':
      return detail === 'Put' || all ? { 'detail-type': ['Object ACL Updated'] } : undefined;
    case 'LifecycleTransition':
      return { 'detail-type': ['Object Storage Class Changed'] };
    case 'IntelligentTiering':
      return { 'detail-type': ['Object Access Tier Changed'] };
    default:
      return undefined;
  }
}

/**
 * Patterns merged where they can be without widening: those without detail fields share one pattern (detail types
 * listed together); each distinct detail filter keeps its own, with the detail types that share it.
 */
export function mergePatterns(patterns: S3EventBridgePattern[]): S3EventBridgePattern[] {
  const byDetail = new Map<string, { detail?: Record<string, string[]>; types: string[] }>();
  for (const p of patterns) {
    const key = JSON.stringify(p.detail ?? null);
    const entry = byDetail.get(key) ?? { detail: p.detail, types: [] };
    entry.types.push(...p['detail-type'].filter((t) => !entry.types.includes(t)));
    byDetail.set(key, entry);
  }
  return [...byDetail.values()].map((e) => ({ 'detail-type': e.types, ...(e.detail ? { detail: e.detail } : {}) }));
}
