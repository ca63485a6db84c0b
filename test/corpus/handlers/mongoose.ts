import mongoose from 'mongoose';
export const handler = async () => {
  const Order = mongoose.model('Order', new mongoose.Schema({ item: { type: String, required: true }, qty: Number }));
  const doc = new Order({ qty: 2 });
  const error = doc.validateSync();
  return { ok: error !== undefined && 'item' in error.errors };
};
