import Redis from 'ioredis';
export const handler = async () => {
  const client = new Redis({ lazyConnect: true, host: 'localhost', port: 6379 });
  const ok = client.status === 'wait' && client.options.port === 6379;
  client.disconnect();
  return { ok };
};
