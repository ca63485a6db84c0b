import { parse } from 'csv-parse/sync';
export const handler = async () => {
  const rows = parse('id,item\n7,book\n', { columns: true });
  return { ok: rows[0].item === 'book' };
};
