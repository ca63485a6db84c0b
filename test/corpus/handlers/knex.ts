import knex from 'knex';
export const handler = async () => {
  const db = knex({ client: 'pg' });
  const sql = db('orders').where({ id: 7 }).select('item').toString();
  return { ok: sql === 'select "item" from "orders" where "id" = 7', sql };
};
