import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { differenceInCalendarDays } from 'date-fns';

/** Fulfils queued orders; an order whose delivery date has passed is reported back for retry and, later, the DLQ. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const today = new Date(Date.UTC(2026, 0, 6));
  const batchItemFailures = event.Records
    .filter((r) => differenceInCalendarDays(new Date(JSON.parse(r.body).deliverBy), today) < 0)
    .map((r) => ({ itemIdentifier: r.messageId }));
  return { batchItemFailures };
};
