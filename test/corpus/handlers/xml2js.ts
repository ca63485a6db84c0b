import { parseStringPromise } from 'xml2js';
export const handler = async () => ({ ok: (await parseStringPromise('<order><id>7</id></order>')).order.id[0] === '7' });
