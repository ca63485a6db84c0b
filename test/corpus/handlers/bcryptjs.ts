import bcrypt from 'bcryptjs';
export const handler = async () => ({ ok: bcrypt.compareSync('pw', bcrypt.hashSync('pw', 4)) });
