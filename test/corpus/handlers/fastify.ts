import Fastify from 'fastify';
const app = Fastify();
app.get('/orders/:id', async (request: any) => ({ id: request.params.id }));
export const handler = async () => {
  const response = await app.inject({ method: 'GET', url: '/orders/7' });
  return { ok: response.statusCode === 200 && response.json().id === '7' };
};
