import { v4, validate } from 'uuid';
export const handler = async () => ({ ok: validate(v4()) });
