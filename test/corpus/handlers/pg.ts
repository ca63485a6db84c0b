import pg from 'pg';
export const handler = async () => {
  const pool = new pg.Pool({ connectionString: 'postgres://user:pw@localhost:5432/orders', max: 2 });
  const ok = pool.options.max === 2 && typeof pg.types.getTypeParser(20) === 'function';
  await pool.end();
  return { ok };
};
