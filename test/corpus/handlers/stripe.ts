import Stripe from 'stripe';
export const handler = async () => {
  const stripe = new Stripe('sk_test_123');
  const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'charge.succeeded' });
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_x' });
  const event = stripe.webhooks.constructEvent(payload, header, 'whsec_x');
  return { ok: event.type === 'charge.succeeded' };
};
