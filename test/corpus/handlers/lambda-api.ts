import createAPI from 'lambda-api';
const api = createAPI();
api.get('/orders/:id', async (req) => ({ id: req.params.id }));
export const handler = async () => {
  const response: any = await api.run({ httpMethod: 'GET', path: '/orders/7', headers: {}, requestContext: {} } as any, {} as any);
  return { ok: response.statusCode === 200 && JSON.parse(response.body).id === '7' };
};
