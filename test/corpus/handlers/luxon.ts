import { DateTime } from 'luxon';
export const handler = async () => ({ ok: DateTime.fromISO('2024-01-31', { zone: 'utc' }).plus({ months: 1 }).toISODate() === '2024-02-29' });
