import { SignJWT, jwtVerify } from 'jose';
export const handler = async () => {
  const key = new TextEncoder().encode('a-secret-of-at-least-32-bytes-long!!');
  const token = await new SignJWT({ sub: 'ana' }).setProtectedHeader({ alg: 'HS256' }).sign(key);
  return { ok: (await jwtVerify(token, key)).payload.sub === 'ana' };
};
