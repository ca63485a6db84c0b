import { Hono } from 'hono';
const app = new Hono();
app.get('/orders/:id', (c) => c.json({ id: c.req.param('id') }));
export const handler = async () => {
  const response = await app.request('/orders/7');
  return { ok: response.status === 200 && (await response.json()).id === '7' };
};
