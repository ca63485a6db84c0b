import pug from 'pug';
export const handler = async () => {
  const html = pug.render('ul\n  each i in items\n    li= i', { items: ['a', 'b'] });
  return { ok: html === '<ul><li>a</li><li>b</li></ul>', html };
};
