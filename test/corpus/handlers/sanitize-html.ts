import sanitizeHtml from 'sanitize-html';
export const handler = async () => ({ ok: sanitizeHtml('<b>hi</b><script>x()</script>') === '<b>hi</b>' });
