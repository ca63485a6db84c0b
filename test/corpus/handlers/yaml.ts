import YAML from 'yaml';
export const handler = async () => ({ ok: YAML.parse('order:\n  id: 7\n').order.id === 7 });
