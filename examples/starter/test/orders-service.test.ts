import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OrdersService } from '../lib/orders-service';
import { invokeInLambdaRuntime, runtimeOptionsOf } from 'cdk-lambda-kit/lib/testing';

// One synth for the file: bundles every function (and installs the layer, the first time: give it time).
const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'orders-service-')) });
const service = new OrdersService(app, 'OrdersService');
const template = Template.fromStack(service);

/** A stand-in for DynamoDB: PutItem and GetItem on one table in memory. */
async function fakeDynamoDb(): Promise<{ url: string; close: () => void }> {
  const items = new Map<string, unknown>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const request = JSON.parse(body);
      const action = String(req.headers['x-amz-target']).split('.')[1];
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      if (action === 'PutItem') {
        items.set(request.Item.pk.S, request.Item);
        res.end('{}');
      } else {
        res.end(JSON.stringify(items.has(request.Key.pk.S) ? { Item: items.get(request.Key.pk.S) } : {}));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const urlEvent = (method: string, options: { body?: string; query?: Record<string, string> } = {}) => ({
  requestContext: { http: { method } },
  queryStringParameters: options.query,
  body: options.body,
  isBase64Encoded: false,
});

test('the API is on an IAM-authenticated function URL', () => {
  template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
});

test('an order posted to the API is stored in DynamoDB and read back', async () => {
  const dynamodb = await fakeDynamoDb();
  try {
    const options = runtimeOptionsOf(service.api);
    // The AWS SDK reads the endpoint of each service from AWS_ENDPOINT_URL_<SERVICE>: no test code in the handler.
    const local = { ...options, environment: { ...options.environment, AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url } };

    const created = await invokeInLambdaRuntime(local, urlEvent('POST', { body: JSON.stringify({ customerId: 'c-1', total: 42 }) }));
    expect(created.statusCode).toBe(201);
    const { id } = JSON.parse(created.body);

    const read = await invokeInLambdaRuntime(local, urlEvent('GET', { query: { id } }));
    expect(JSON.parse(read.body)).toEqual({ id, customerId: 'c-1', total: 42 });
  } finally {
    dynamodb.close();
  }
}, 60_000);

test('the API refuses an invalid order', async () => {
  const result = await invokeInLambdaRuntime(runtimeOptionsOf(service.api), urlEvent('POST', { body: '{"customerId":""}' }));
  expect(result.statusCode).toBe(400);
}, 60_000);

test('the worker schedules shipping with the layer\'s date-fns and reports only the bad message', async () => {
  const sent = Date.UTC(2026, 0, 2); // a Friday
  const result = await invokeInLambdaRuntime(runtimeOptionsOf(service.worker), {
    Records: [
      { messageId: 'm-1', body: JSON.stringify({ orderId: 'ord-1' }), attributes: { SentTimestamp: String(sent) } },
      { messageId: 'm-2', body: 'not json', attributes: { SentTimestamp: String(sent) } },
    ],
  });
  expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }], shipping: { 'ord-1': '2026-01-06' } });
}, 60_000);

test('the stream consumer lists the orders created', async () => {
  const result = await invokeInLambdaRuntime(runtimeOptionsOf(service.orderEvents), {
    Records: [
      { eventName: 'INSERT', dynamodb: { SequenceNumber: '1', NewImage: { pk: { S: 'ord-1' } } } },
      { eventName: 'MODIFY', dynamodb: { SequenceNumber: '2', NewImage: { pk: { S: 'ord-1' } } } },
    ],
  });
  expect(result).toEqual({ batchItemFailures: [], created: ['ord-1'] });
}, 60_000);

test('the nightly report covers yesterday', async () => {
  const result = await invokeInLambdaRuntime(runtimeOptionsOf(service.nightlyReport), { report: 'nightly', now: '2026-03-01T03:00:00Z' });
  expect(result).toEqual({ report: 'nightly', covers: '2026-02-28' });
}, 60_000);
