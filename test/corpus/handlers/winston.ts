import winston from 'winston';
import { Writable } from 'node:stream';
const lines: string[] = [];
const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
const logger = winston.createLogger({ format: winston.format.combine(winston.format.colorize(), winston.format.json()), transports: [new winston.transports.Stream({ stream })] });
export const handler = async () => {
  logger.info('order placed', { id: 7 });
  await new Promise((r) => setTimeout(r, 10));
  return { ok: lines.length === 1 && JSON.parse(lines[0]).id === 7 };
};
