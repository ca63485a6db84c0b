// DynamoDB CRUD through the document client. Built twice: with the runtime's AWS SDK (external) and with it bundled.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

const table = process.env.TABLE_NAME ?? 'orders';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });

interface Event { action?: 'create' | 'read' | 'update' | 'delete' | 'ping'; id?: string; body?: Record<string, unknown> }

export const handler = async (event: Event) => {
  switch (event.action ?? 'ping') {
    case 'create': {
      const item = { pk: randomUUID(), ...event.body, createdAt: new Date().toISOString() };
      await client.send(new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      return { statusCode: 201, body: JSON.stringify(item) };
    }
    case 'read': {
      const { Item } = await client.send(new GetCommand({ TableName: table, Key: { pk: event.id } }));
      return Item ? { statusCode: 200, body: JSON.stringify(Item) } : { statusCode: 404, body: '' };
    }
    case 'update': {
      const { Attributes } = await client.send(new UpdateCommand({
        TableName: table, Key: { pk: event.id }, UpdateExpression: 'SET #b = :b', ExpressionAttributeNames: { '#b': 'body' },
        ExpressionAttributeValues: { ':b': event.body }, ReturnValues: 'ALL_NEW',
      }));
      return { statusCode: 200, body: JSON.stringify(Attributes) };
    }
    case 'delete':
      await client.send(new DeleteCommand({ TableName: table, Key: { pk: event.id } }));
      return { statusCode: 204, body: '' };
    default:
      return { statusCode: 200, body: JSON.stringify({ table, region: await client.config.region() }) };
  }
};
