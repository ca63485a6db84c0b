import { Headers, Request } from 'node-fetch';
export const handler = async () => {
  const request = new Request('https://example.com/a?b=1', { method: 'POST', headers: new Headers({ 'content-type': 'application/json' }), body: '{"x":1}' });
  return { ok: request.method === 'POST' && request.headers.get('content-type') === 'application/json', url: request.url };
};
