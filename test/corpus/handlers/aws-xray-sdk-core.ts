import * as AWSXRay from 'aws-xray-sdk-core';
AWSXRay.setContextMissingStrategy('IGNORE_ERROR');
export const handler = async () => {
  const segment = new AWSXRay.Segment('orders');
  const sub = segment.addNewSubsegment('dynamodb');
  sub.addAnnotation('orderId', '7');
  sub.close();
  segment.close();
  const doc = JSON.parse(segment.toString());
  return { ok: doc.name === 'orders' && doc.subsegments[0].annotations.orderId === '7' };
};
