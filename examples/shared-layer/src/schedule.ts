import { addBusinessDays, formatISO } from 'date-fns';

/** The delivery date: N business days after the order date. */
export const handler = async (event: { orderedOn: string; businessDays: number }) => ({
  deliverOn: formatISO(addBusinessDays(new Date(event.orderedOn), event.businessDays), { representation: 'date' }),
});
