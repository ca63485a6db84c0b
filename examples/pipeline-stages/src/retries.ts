import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import ms from 'ms';

/** Schedules the next attempt of each failed delivery; a message that is not a delivery is reported as failed. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse & { scheduled: Record<string, string> }> => {
  const scheduled: Record<string, string> = {};
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      const { deliveryId, attempt } = JSON.parse(record.body) as { deliveryId?: string; attempt?: number };
      if (!deliveryId || typeof attempt !== 'number') {
        throw new Error('not a delivery');
      }
      scheduled[deliveryId] = ms(Math.min(ms('1m') * 2 ** attempt, ms('1h')), { long: true });
    } catch {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures, scheduled };
};
