import got from 'got';
export const handler = async () => {
  const client = got.extend({ prefixUrl: 'https://api.example.com', headers: { 'x-trace': '1' } });
  return { ok: typeof client.get === 'function' && client.defaults.options.prefixUrl.toString() === 'https://api.example.com/' };
};
