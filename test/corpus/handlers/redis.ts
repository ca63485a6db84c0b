import { createClient } from 'redis';
export const handler = async () => {
  const client = createClient({ url: 'redis://localhost:6379' });
  return { ok: client.isOpen === false && typeof client.connect === 'function' };
};
