import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

/** The orders created in a batch of table changes; a new order without its image is reported as a failure. */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse & { created: string[] }> => {
  const created: string[] = [];
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    if (record.eventName !== 'INSERT') {
      continue;
    }
    const id = record.dynamodb?.NewImage?.pk?.S;
    if (id === undefined) {
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    } else {
      created.push(id);
    }
  }
  return { batchItemFailures, created };
};
