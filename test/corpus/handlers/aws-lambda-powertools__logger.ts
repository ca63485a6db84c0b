import { Logger } from '@aws-lambda-powertools/logger';
const logger = new Logger({ serviceName: 'orders' });
export const handler = async () => {
  logger.info('order placed', { id: 7 });
  return { ok: logger.getLevelName() === 'INFO' };
};
