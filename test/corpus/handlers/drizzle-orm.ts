import { drizzle } from 'drizzle-orm/node-postgres';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import { eq } from 'drizzle-orm';
import pg from 'pg';
const orders = pgTable('orders', { id: serial('id').primaryKey(), item: text('item') });
export const handler = async () => {
  const db = drizzle(new pg.Pool({ connectionString: 'postgres://localhost/orders' }));
  const { sql } = db.select().from(orders).where(eq(orders.id, 7)).toSQL();
  return { ok: sql.startsWith('select "id", "item" from "orders"'), sql };
};
