import createEvent from '@serverless/event-mocks';
import type { APIGatewayProxyEventV2, DynamoDBRecord, DynamoDBStreamEvent, EventBridgeEvent, KinesisStreamEvent, S3Event, SNSEvent, SQSEvent } from 'aws-lambda';

/**
 * Realistic event fixtures: each record starts from `@serverless/event-mocks`' template for its service (every field
 * the service sends), and only the fields a test cares about are replaced.
 */

/** One record of an event-mocks template, with overrides merged in. */
function recordOf<T>(type: 'aws:sqs' | 'aws:dynamo' | 'aws:kinesis' | 'aws:s3', overrides: object): T {
  return (createEvent(type, { Records: [overrides] } as any) as any).Records[0];
}

/** An SQS batch: one record a message. */
export function sqsEvent(messages: Array<{ messageId: string; body: string }>): SQSEvent {
  return { Records: messages.map((m) => recordOf('aws:sqs', m)) };
}

/** A DynamoDB Streams batch. A record without `newImage` has none, as for a REMOVE or a KEYS_ONLY stream. */
export function dynamoStreamEvent(changes: Array<{
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  sequenceNumber: string;
  keys: Record<string, any>;
  newImage?: Record<string, any>;
}>): DynamoDBStreamEvent {
  return {
    Records: changes.map((c) => {
      const record = recordOf<DynamoDBRecord>('aws:dynamo', { eventName: c.eventName, eventID: c.sequenceNumber });
      record.dynamodb = { ...record.dynamodb, SequenceNumber: c.sequenceNumber, Keys: c.keys, NewImage: c.newImage };
      if (!c.newImage) {
        delete record.dynamodb.NewImage;
      }
      return record;
    }),
  };
}

/** A Kinesis batch; `data` is the record payload before Kinesis base64-encodes it. */
export function kinesisEvent(records: Array<{ sequenceNumber: string; data: string; partitionKey?: string }>): KinesisStreamEvent {
  return {
    Records: records.map((r) => recordOf('aws:kinesis', {
      eventID: `shardId-000000000000:${r.sequenceNumber}`,
      kinesis: { sequenceNumber: r.sequenceNumber, partitionKey: r.partitionKey ?? 'pk', data: Buffer.from(r.data).toString('base64') },
    })),
  };
}

/** An S3 notification; `key` is given as S3 sends it (URL-encoded, spaces as `+`). */
export function s3Event(objects: Array<{ bucket: string; key: string; size: number }>): S3Event {
  return {
    Records: objects.map((o) => recordOf('aws:s3', {
      s3: { bucket: { name: o.bucket, arn: `arn:aws:s3:::${o.bucket}` }, object: { key: o.key, size: o.size } },
    })),
  };
}

/**
 * A function URL request (payload format 2.0, the one function URLs send). event-mocks has no template for it, so
 * this follows the example request in the AWS documentation field by field.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads
 */
export function functionUrlEvent(request: { method?: string; path?: string; query?: Record<string, string>; body?: string }): APIGatewayProxyEventV2 {
  const method = request.method ?? 'GET';
  const rawPath = request.path ?? '/';
  const rawQueryString = new URLSearchParams(request.query ?? {}).toString();
  const now = new Date('2026-01-01T00:00:00Z');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: {
      'host': 'abcdefghijklmnopqrstuvwxyz0123456.lambda-url.us-east-1.on.aws',
      'user-agent': 'curl/8.5.0',
      'x-amzn-trace-id': 'Root=1-6763c8a0-0123456789abcdef01234567',
      'x-forwarded-for': '203.0.113.10',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    queryStringParameters: request.query,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnopqrstuvwxyz0123456',
      domainName: 'abcdefghijklmnopqrstuvwxyz0123456.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abcdefghijklmnopqrstuvwxyz0123456',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'curl/8.5.0' },
      requestId: 'c0ffee00-1111-2222-3333-444455556666',
      routeKey: '$default',
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: now.getTime(),
    },
    body: request.body,
    isBase64Encoded: false,
  };
}

/** An SNS notification as Lambda receives it from a subscription: one record, the message and its attributes. */
export function snsEvent(message: { message: string; subject?: string; attributes?: Record<string, string> }): SNSEvent {
  const event = createEvent('aws:sns', {} as any) as any;
  const record = event.Records[0];
  record.Sns.Message = message.message;
  record.Sns.Subject = message.subject ?? null;
  record.Sns.MessageAttributes = Object.fromEntries(Object.entries(message.attributes ?? {}).map(([k, v]) => [k, { Type: 'String', Value: v }]));
  return event;
}

/** An EventBridge event as a rule delivers it, from event-mocks' template with the source, detail type and detail replaced. */
export function eventBridgeEvent<T>(event: { source: string; detailType: string; detail: T }): EventBridgeEvent<string, T> {
  return {
    ...(createEvent('aws:cloudWatch', {} as any) as any),
    'source': event.source,
    'detail-type': event.detailType,
    'detail': event.detail,
    'resources': [],
  };
}
