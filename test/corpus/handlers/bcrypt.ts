import bcrypt from 'bcrypt';
export const handler = async () => {
  const hash = await bcrypt.hash('pw', 4);
  return { ok: await bcrypt.compare('pw', hash) };
};
