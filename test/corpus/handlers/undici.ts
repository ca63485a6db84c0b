import { MockAgent, request } from 'undici';
export const handler = async () => {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent.get('https://api.example.com').intercept({ path: '/orders/7', method: 'GET' }).reply(200, { id: 7 });
  const response = await request('https://api.example.com/orders/7', { dispatcher: agent });
  const body = await response.body.json() as { id: number };
  return { ok: response.statusCode === 200 && body.id === 7 };
};
