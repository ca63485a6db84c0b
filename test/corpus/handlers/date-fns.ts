import { addDays, format } from 'date-fns';
export const handler = async () => ({ ok: format(addDays(new Date(2024, 1, 28), 1), 'yyyy-MM-dd') === '2024-02-29' });
