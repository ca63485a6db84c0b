import { formatISO, subDays } from 'date-fns';

/** The nightly report: which day it covers (yesterday, UTC). */
export const handler = async (event: { report?: string; now?: string }) => ({
  report: event.report ?? 'nightly',
  covers: formatISO(subDays(new Date(event.now ?? Date.now()), 1), { representation: 'date' }),
});
