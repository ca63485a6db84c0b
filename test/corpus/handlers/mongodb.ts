import { MongoClient, ObjectId } from 'mongodb';
export const handler = async () => {
  const client = new MongoClient('mongodb://localhost:27017/orders', { maxPoolSize: 2 });
  const id = new ObjectId('65a1b2c3d4e5f60718293a4b');
  return { ok: client.options.maxPoolSize === 2 && id.toHexString() === '65a1b2c3d4e5f60718293a4b' };
};
