import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { v4 as uuid } from 'uuid';
import { z } from 'zod';

const Order = z.object({
  customerId: z.string().min(1),
  items: z.array(z.object({ sku: z.string().min(1), quantity: z.number().int().positive() })).min(1),
});

/** POST an order as JSON; answers 201 with the order and its id, or 400 with what is wrong. */
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  let body: unknown;
  try {
    body = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '');
  } catch {
    return { statusCode: 400, body: JSON.stringify({ message: 'body must be JSON' }) };
  }
  const parsed = Order.safeParse(body);
  if (!parsed.success) {
    return { statusCode: 400, body: JSON.stringify({ message: 'invalid order', issues: parsed.error.issues.map((i) => i.message) }) };
  }
  const id = `${process.env.ORDER_PREFIX ?? 'ord'}-${uuid()}`;
  return {
    statusCode: 201,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, ...parsed.data }),
  };
};
