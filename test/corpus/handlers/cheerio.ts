import * as cheerio from 'cheerio';
export const handler = async () => {
  const $ = cheerio.load('<ul><li>a</li><li class="x">b</li></ul>');
  return { ok: $('.x').text() === 'b' && $('li').length === 2 };
};
