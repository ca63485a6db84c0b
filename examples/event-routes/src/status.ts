import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

/** GET /orders/{id}/status behind an HTTP API. */
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const id = event.pathParameters?.id;
  if (!id || !/^ord-[a-z0-9-]+$/.test(id)) {
    return { statusCode: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'invalid order id' }) };
  }
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, status: 'shipped' }) };
};
