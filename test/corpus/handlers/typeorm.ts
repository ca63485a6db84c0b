import 'reflect-metadata';
import { EntitySchema, DataSource } from 'typeorm';
const Order = new EntitySchema<{ id: number; item: string }>({ name: 'order', columns: { id: { type: Number, primary: true, generated: true }, item: { type: String } } });
export const handler = async () => {
  const source = new DataSource({ type: 'postgres', url: 'postgres://user:pw@localhost/orders', entities: [Order] });
  const sql = source.createQueryBuilder().select('o.item').from('order', 'o').where('o.id = :id', { id: 7 }).getQuery();
  return { ok: sql.includes('FROM "order" "o"'), sql };
};
