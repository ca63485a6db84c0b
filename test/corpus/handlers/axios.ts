import axios from 'axios';
export const handler = async () => {
  const client = axios.create({ baseURL: 'https://api.example.com', headers: { 'x-trace': '1' } });
  const uri = client.getUri({ url: '/orders', params: { id: 7 } });
  return { ok: uri === 'https://api.example.com/orders?id=7', uri };
};
