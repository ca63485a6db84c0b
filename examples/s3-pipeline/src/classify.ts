import type { S3Event } from 'aws-lambda';

const KINDS: Record<string, string> = { jpg: 'image', jpeg: 'image', png: 'image', csv: 'table', json: 'document', pdf: 'document' };

/** Classifies each new object by its extension and decides where it goes next. */
export const handler = async (event: S3Event) => event.Records.map((record) => {
  const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
  const extension = key.includes('.') ? key.slice(key.lastIndexOf('.') + 1).toLowerCase() : '';
  const kind = KINDS[extension] ?? 'other';
  return { bucket: record.s3.bucket.name, key, size: record.s3.object.size, kind, next: `${kind}/${key.split('/').pop()}` };
});
