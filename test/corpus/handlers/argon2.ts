import argon2 from 'argon2';
export const handler = async () => ({ ok: await argon2.verify(await argon2.hash('pw'), 'pw') });
