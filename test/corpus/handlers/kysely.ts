import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
export const handler = async () => {
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: 'postgres://localhost/orders' }) }) });
  const { sql } = db.selectFrom('orders').select('item').where('id', '=', 7).compile();
  return { ok: sql === 'select "item" from "orders" where "id" = $1', sql };
};
