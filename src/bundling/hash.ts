import * as crypto from 'crypto';

/** Hex sha256 of a string or buffer. */
export function sha256(data: string | Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}
