import Handlebars from 'handlebars';
const template = Handlebars.compile('Hello {{name}}, {{#each items}}[{{this}}]{{/each}}');
export const handler = async () => ({ ok: template({ name: 'Ana', items: ['a', 'b'] }) === 'Hello Ana, [a][b]' });
