import express from 'express';
import serverless from 'serverless-http';
const app = express();
app.get('/orders/:id', (req, res) => { res.json({ id: req.params.id }); });
const run = serverless(app);
export const handler = async () => {
  const response: any = await run({ httpMethod: 'GET', path: '/orders/7', headers: {}, requestContext: {} } as any, {} as any);
  return { ok: response.statusCode === 200 && JSON.parse(response.body).id === '7' };
};
