import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { z } from 'zod';

const db = new DynamoDBClient({});
const NewOrder = z.object({ customerId: z.string().min(1), total: z.number().nonnegative() });

const json = (statusCode: number, body: unknown): LambdaFunctionURLResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** POST / with `{ customerId, total }` stores an order; GET /?id=... reads one back. */
export const handler = async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
  if (event.requestContext.http.method === 'GET') {
    const id = event.queryStringParameters?.id;
    if (!id) {
      return json(400, { message: 'id is required' });
    }
    const { Item } = await db.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: id } } }));
    return Item ? json(200, { id, customerId: Item.customerId.S, total: Number(Item.total.N) }) : json(404, { message: 'no such order' });
  }
  let body: unknown;
  try {
    body = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '');
  } catch {
    body = undefined;
  }
  const order = NewOrder.safeParse(body);
  if (!order.success) {
    return json(400, { message: 'invalid order' });
  }
  const id = `ord-${randomUUID()}`;
  await db.send(new PutItemCommand({
    TableName: process.env.TABLE_NAME,
    Item: { pk: { S: id }, customerId: { S: order.data.customerId }, total: { N: String(order.data.total) } },
  }));
  return json(201, { id, ...order.data });
};
