import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z } from 'zod';

const Order = z.object({ orderId: z.string().min(1), total: z.number().nonnegative() });

/** Processes each order message; messages that are not valid orders are reported back, so only they are retried. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse & { processed: string[] }> => {
  const processed: string[] = [];
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      body = undefined;
    }
    const order = Order.safeParse(body);
    if (order.success) {
      processed.push(order.data.orderId);
    } else {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures, processed };
};
