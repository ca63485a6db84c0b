// Validation with zod, dates with date-fns, collections with lodash-es.
import { addDays, differenceInCalendarDays, formatISO, parseISO } from 'date-fns';
import { groupBy, sortBy, sumBy } from 'lodash-es';
import { z } from 'zod';

const Order = z.object({
  id: z.string().min(1),
  placedAt: z.string().datetime(),
  lines: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive(), price: z.number().nonnegative() })).min(1),
});
const Event = z.object({ orders: z.array(Order) });

export const handler = async (event: unknown) => {
  const parsed = Event.safeParse(event);
  if (!parsed.success) {
    return { statusCode: 400, body: JSON.stringify(parsed.error.issues.map((i) => i.message)) };
  }
  const byDay = groupBy(sortBy(parsed.data.orders, 'placedAt'), (o) => formatISO(parseISO(o.placedAt), { representation: 'date' }));
  const days = Object.entries(byDay).map(([day, orders]) => ({
    day,
    dueBy: formatISO(addDays(parseISO(day), 3), { representation: 'date' }),
    age: differenceInCalendarDays(new Date('2026-12-04'), parseISO(day)),
    total: sumBy(orders, (o) => sumBy(o.lines, (l) => l.quantity * l.price)),
  }));
  return { statusCode: 200, body: JSON.stringify(days) };
};
