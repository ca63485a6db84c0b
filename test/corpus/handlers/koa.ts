import Koa from 'koa';
import serverless from 'serverless-http';
const app = new Koa();
app.use(async (ctx) => { ctx.body = { path: ctx.path }; });
const run = serverless(app);
export const handler = async () => {
  const response: any = await run({ httpMethod: 'GET', path: '/orders', headers: {}, requestContext: {} } as any, {} as any);
  return { ok: response.statusCode === 200 && JSON.parse(response.body).path === '/orders' };
};
