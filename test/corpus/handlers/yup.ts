import * as yup from 'yup';
const schema = yup.object({ id: yup.number().required().integer(), email: yup.string().email() });
export const handler = async () => ({ ok: schema.isValidSync({ id: 7, email: 'a@b.co' }) && !schema.isValidSync({ id: 1.5 }) });
