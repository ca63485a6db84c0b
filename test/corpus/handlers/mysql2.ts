import mysql from 'mysql2/promise';
export const handler = async () => {
  const pool = mysql.createPool({ host: 'localhost', user: 'app', database: 'orders', connectionLimit: 2 });
  const sql = mysql.format('SELECT * FROM orders WHERE id = ? AND name = ?', [7, "o'brien"]);
  await pool.end();
  return { ok: sql === "SELECT * FROM orders WHERE id = 7 AND name = 'o\\'brien'", sql };
};
