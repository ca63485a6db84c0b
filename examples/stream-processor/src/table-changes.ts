import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

/** Counts inserts, updates and deletes; a change without the image it needs is reported as a failure. */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse & { counts: Record<string, number> }> => {
  const counts: Record<string, number> = { INSERT: 0, MODIFY: 0, REMOVE: 0 };
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const name = record.eventName ?? 'UNKNOWN';
    const needsNewImage = name !== 'REMOVE';
    if (needsNewImage && !record.dynamodb?.NewImage) {
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
      continue;
    }
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return { batchItemFailures, counts };
};
