import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { addBusinessDays, formatISO } from 'date-fns';

/** Schedules each order's shipping two business days after it was sent; messages that are not orders are retried. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse & { shipping: Record<string, string> }> => {
  const shipping: Record<string, string> = {};
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    let order: { orderId?: unknown } | undefined;
    try {
      order = JSON.parse(record.body);
    } catch {
      order = undefined;
    }
    if (typeof order?.orderId !== 'string') {
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    const sent = new Date(Number(record.attributes.SentTimestamp));
    shipping[order.orderId] = formatISO(addBusinessDays(sent, 2), { representation: 'date' });
  }
  return { batchItemFailures, shipping };
};
