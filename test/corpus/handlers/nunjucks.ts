import nunjucks from 'nunjucks';
const env = new nunjucks.Environment();
export const handler = async () => {
  const out = env.renderString('{% for i in items %}{{ i | upper }}{% endfor %}', { items: ['a', 'b'] });
  return { ok: out === 'AB', out };
};
