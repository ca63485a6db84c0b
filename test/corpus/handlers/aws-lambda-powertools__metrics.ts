import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
const metrics = new Metrics({ namespace: 'shop', serviceName: 'orders' });
export const handler = async () => {
  metrics.addMetric('placed', MetricUnit.Count, 1);
  const emf: any = metrics.serializeMetrics();
  return { ok: emf._aws.CloudWatchMetrics[0].Namespace === 'shop' && emf.placed === 1 };
};
