import type { EventBridgeEvent, SNSEvent } from 'aws-lambda';

/** What the nightly schedule sends (the schedule's `input`). */
interface ReportRequest {
  readonly report: 'nightly';
}

interface OrderPlaced {
  readonly orderId: string;
  readonly total: number;
}

type Event = SNSEvent | EventBridgeEvent<'Order Placed', OrderPlaced> | ReportRequest;

/**
 * One function behind three routes: an SNS topic of refunds, EventBridge "Order Placed" events over 100, and a
 * nightly schedule. Throwing lets Lambda retry, then the function's failure queue keep the event.
 */
export const handler = async (event: Event): Promise<{ kind: string; handled: unknown[] }> => {
  if ('Records' in event) {
    const refunds = event.Records.map((r) => {
      const refund = JSON.parse(r.Sns.Message) as { orderId: string; amount: number };
      if (!refund.orderId || !(refund.amount > 0)) {
        throw new Error(`invalid refund in message ${r.Sns.MessageId}`);
      }
      return { orderId: refund.orderId, amount: refund.amount, reason: r.Sns.MessageAttributes.reason?.Value ?? 'unknown' };
    });
    return { kind: 'refunds', handled: refunds };
  }
  if ('detail-type' in event) {
    return { kind: 'large-order', handled: [{ orderId: event.detail.orderId, review: event.detail.total > 1000 ? 'manual' : 'auto' }] };
  }
  if (event.report === 'nightly') {
    return { kind: 'report', handled: [] };
  }
  throw new Error(`unknown event: ${JSON.stringify(event)}`);
};
