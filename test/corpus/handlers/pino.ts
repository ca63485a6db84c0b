import pino from 'pino';
const lines: string[] = [];
const logger = pino({ base: { service: 'orders' } }, { write: (line: string) => { lines.push(line); } });
export const handler = async () => {
  logger.info({ id: 7 }, 'order placed');
  const line = JSON.parse(lines[0]);
  return { ok: line.msg === 'order placed' && line.id === 7 && line.service === 'orders' };
};
