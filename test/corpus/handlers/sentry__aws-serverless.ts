import * as Sentry from '@sentry/aws-serverless';
Sentry.init({ dsn: 'https://public@o0.ingest.sentry.io/0', enabled: false, tracesSampleRate: 0 });
const wrapped = Sentry.wrapHandler(async (event: any) => ({ n: event.n + 1 }));
export const handler = async () => {
  const result: any = await (wrapped as any)({ n: 1 }, { getRemainingTimeInMillis: () => 3000, functionName: 'f' } as any, () => undefined);
  return { ok: result.n === 2 };
};
