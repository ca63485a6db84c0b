import { createHash } from 'crypto';

/**
 * A construct ID that is stable for the same parts (settings, or the paths of the constructs it stands for):
 * `<prefix><8 hex digits of their hash>`. IDs derived from paths never collide where two constructs share an ID in
 * different scopes.
 */
export function stableId(prefix: string, parts: unknown): string {
  return `${prefix}${createHash('sha256').update(JSON.stringify(parts ?? null)).digest('hex').slice(0, 8).toUpperCase()}`;
}
