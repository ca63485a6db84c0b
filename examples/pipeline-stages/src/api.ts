import { addBusinessDays, formatISO } from 'date-fns';

/** The delivery date of an order placed on `orderedOn`, `businessDays` business days later. */
export const handler = async (event: { orderedOn: string; businessDays: number }) => ({
  stage: process.env.STAGE,
  deliverOn: formatISO(addBusinessDays(new Date(`${event.orderedOn}T00:00:00Z`), event.businessDays), { representation: 'date' }),
});
