import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
dayjs.extend(utc);
export const handler = async () => ({ ok: dayjs.utc('2024-01-31').add(1, 'month').format('YYYY-MM-DD') === '2024-02-29' });
