import jwt from 'jsonwebtoken';
export const handler = async () => {
  const token = jwt.sign({ sub: 'ana' }, 'secret', { expiresIn: '1h' });
  return { ok: (jwt.verify(token, 'secret') as any).sub === 'ana' };
};
