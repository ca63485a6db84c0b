import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

// Both come from the official Powertools layer at run time: the bundle leaves them out.
const logger = new Logger();
const metrics = new Metrics();

export const handler = async (event: { orderId: string; items: number }) => {
  logger.info('checkout', { orderId: event.orderId, items: event.items });
  metrics.addMetric('ItemsSold', MetricUnit.Count, event.items);
  metrics.publishStoredMetrics();
  return { orderId: event.orderId, service: process.env.POWERTOOLS_SERVICE_NAME };
};
