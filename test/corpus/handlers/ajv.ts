import Ajv from 'ajv';
const ajv = new Ajv();
const validate = ajv.compile({ type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] });
export const handler = async () => ({ ok: validate({ id: 7 }) === true && validate({ id: 'x' }) === false });
