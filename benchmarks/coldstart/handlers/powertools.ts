// Powertools for AWS Lambda: logger, metrics and tracer, through middy.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';

const logger = new Logger({ serviceName: 'orders' });
const metrics = new Metrics({ namespace: 'Bench', serviceName: 'orders' });
const tracer = new Tracer({ serviceName: 'orders' });

const lambdaHandler = async (event: { orderId?: string }) => {
  logger.info('order received', { orderId: event.orderId });
  metrics.addMetric('ordersReceived', MetricUnit.Count, 1);
  tracer.putAnnotation('orderId', event.orderId ?? 'none');
  return { statusCode: 200, body: JSON.stringify({ orderId: event.orderId ?? null }) };
};

export const handler = middy(lambdaHandler)
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics))
  .use(injectLambdaContext(logger));
