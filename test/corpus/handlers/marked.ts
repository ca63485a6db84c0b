import { marked } from 'marked';
export const handler = async () => ({ ok: (await marked.parse('# Hi **you**')).trim() === '<h1>Hi <strong>you</strong></h1>' });
