// S3, SQS and SNS clients (the AWS SDK bundled): a fan-out function.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';

const s3 = new S3Client({});
const sqs = new SQSClient({});
const sns = new SNSClient({});

interface Event { bucket?: string; key?: string; queueUrl?: string; topicArn?: string; ping?: boolean }

export const handler = async (event: Event) => {
  if (event.ping ?? true) {
    return { statusCode: 200, body: JSON.stringify({ regions: await Promise.all([s3.config.region(), sqs.config.region(), sns.config.region()]) }) };
  }
  const object = await s3.send(new GetObjectCommand({ Bucket: event.bucket, Key: event.key }));
  const text = await object.Body!.transformToString();
  const lines = text.split('\n').filter(Boolean);
  await s3.send(new PutObjectCommand({ Bucket: event.bucket, Key: `${event.key}.count`, Body: String(lines.length) }));
  for (let i = 0; i < lines.length; i += 10) {
    await sqs.send(new SendMessageBatchCommand({
      QueueUrl: event.queueUrl,
      Entries: lines.slice(i, i + 10).map((line, j) => ({ Id: String(i + j), MessageBody: line })),
    }));
  }
  await sns.send(new PublishCommand({ TopicArn: event.topicArn, Message: `${lines.length} lines from s3://${event.bucket}/${event.key}` }));
  return { statusCode: 200, body: JSON.stringify({ lines: lines.length }) };
};
