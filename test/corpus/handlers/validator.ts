import validator from 'validator';
export const handler = async () => ({ ok: validator.isEmail('a@b.co') && !validator.isUUID('nope') && validator.escape('<b>') === '&lt;b&gt;' });
