import { nanoid } from 'nanoid';
export const handler = async () => ({ ok: nanoid().length === 21 });
