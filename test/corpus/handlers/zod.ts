import { z } from 'zod';
const Order = z.object({ id: z.number().int(), item: z.string().min(1) });
export const handler = async () => {
  const good = Order.safeParse({ id: 7, item: 'book' });
  const bad = Order.safeParse({ id: 'x', item: '' });
  return { ok: good.success && !bad.success };
};
