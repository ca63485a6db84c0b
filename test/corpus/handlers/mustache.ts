import Mustache from 'mustache';
export const handler = async () => ({ ok: Mustache.render('Hi {{name}}!', { name: 'Ana' }) === 'Hi Ana!' });
