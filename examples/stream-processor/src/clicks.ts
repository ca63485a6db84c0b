import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';

/** Counts clicks per page; records that are not JSON clicks are reported as failures. */
export const handler = async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse & { pages: Record<string, number> }> => {
  const pages: Record<string, number> = {};
  const batchItemFailures: KinesisStreamBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const click = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) as { page?: unknown };
      if (typeof click.page !== 'string') {
        throw new Error('not a click');
      }
      pages[click.page] = (pages[click.page] ?? 0) + 1;
    } catch {
      batchItemFailures.push({ itemIdentifier: record.kinesis.sequenceNumber });
    }
  }
  return { batchItemFailures, pages };
};
