import middy from '@middy/core';
const base = async (event: any) => ({ doubled: event.n * 2 });
const wrapped = middy(base).before(async (request: any) => { request.event.n += 1; });
export const handler = async () => {
  const result: any = await wrapped({ n: 2 } as any, {} as any);
  return { ok: result.doubled === 6 };
};
