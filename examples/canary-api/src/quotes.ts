import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { addDays, format } from 'date-fns';

/** GET ?days=N: a price quote valid for N days (1 to 30). */
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const days = Number(event.queryStringParameters?.days ?? '7');
  if (!Number.isInteger(days) || days < 1 || days > 30) {
    return { statusCode: 400, body: JSON.stringify({ message: 'days must be a whole number from 1 to 30' }) };
  }
  const validUntil = format(addDays(new Date(Date.UTC(2026, 0, 1)), days), 'yyyy-MM-dd');
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ price: 100 + days * 3, validUntil, version: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? 'local' }),
  };
};
