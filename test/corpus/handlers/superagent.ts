import superagent from 'superagent';
export const handler = async () => {
  const request = superagent.get('https://api.example.com/orders').query({ id: 7 }).set('x-trace', '1');
  return { ok: request.url === 'https://api.example.com/orders' && request.method === 'GET' };
};
