import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { ServerlessFunction, WorkerQueue } from 'cdk-lambda-kit';

/**
 * An order queue worker: the queue and its dead-letter queue are created correctly for the function (visibility
 * timeout six times the function's timeout, encrypted, SSL-only), and the handler reports partial batch failures so
 * that only bad messages are retried.
 */
const app = new App();
const stack = new Stack(app, 'QueueWorker');

const worker = new ServerlessFunction(stack, 'ProcessOrders', {
  entry: path.join(__dirname, 'src', 'process-orders.ts'),
  timeout: Duration.seconds(20),
});

new WorkerQueue(stack, 'Orders', {
  consumer: worker,
  batchSize: 25,
  maxBatchingWindow: Duration.seconds(5),
  maxReceiveCount: 3,
});

app.synth();
