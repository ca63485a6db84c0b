import { JSDOM } from 'jsdom';
export const handler = async () => {
  const dom = new JSDOM('<ul><li>a</li><li class="x">b</li></ul>');
  return { ok: dom.window.document.querySelector('.x')!.textContent === 'b' };
};
