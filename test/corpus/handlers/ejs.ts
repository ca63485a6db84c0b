import ejs from 'ejs';
export const handler = async () => {
  const html = ejs.render('<ul><% items.forEach(function(i){ %><li><%= i %></li><% }) %></ul>', { items: ['a', '<b>'] });
  return { ok: html === '<ul><li>a</li><li>&lt;b&gt;</li></ul>', html };
};
