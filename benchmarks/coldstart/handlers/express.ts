// An express application behind serverless-http.
import express from 'express';
import serverless from 'serverless-http';

const app = express();
app.use(express.json());
const orders = new Map<string, { id: string; items: number }>();
app.get('/orders/:id', (req, res) => {
  const order = orders.get(req.params.id);
  if (!order) {
    res.status(404).json({ message: 'not found' });
    return;
  }
  res.json(order);
});
app.post('/orders', (req, res) => {
  const order = { id: String(orders.size + 1), items: Number(req.body?.items ?? 0) };
  orders.set(order.id, order);
  res.status(201).json(order);
});
app.get('/health', (_req, res) => {
  res.json({ ok: true });
});

export const handler = serverless(app);
