import { App } from 'aws-cdk-lib';
import { ServiceStage } from '../../examples/pipeline-stages/service-stage';
import { sqsEvent } from '../harness/events';
import { invokeInLambdaRuntime, runtimeOptionsOf } from 'cdk-lambda-kit/lib/testing';

// Written as the README's "Testing your functions" section shows: the stage is built in a test app, synthesized with
// bundling on, and each function's bundle runs with its layer in the Lambda runtime client. The first synth installs
// the DependencyLayer (several seconds): hence the timeout over Jest's default 5 s.

test('the Prod stage\'s API quotes a delivery date with date-fns from the shared layer', async () => {
  const testApp = new App();
  const prod = new ServiceStage(testApp, 'Prod', { memorySize: 1024 });
  testApp.synth();

  const response = await invokeInLambdaRuntime(runtimeOptionsOf(prod.api), { orderedOn: '2026-01-02', businessDays: 3 });
  expect(response).toEqual({ stage: 'Prod', deliverOn: '2026-01-07' });
}, 60_000);

test('the Dev stage\'s retry worker schedules deliveries with ms from the shared layer and reports bad messages', async () => {
  const testApp = new App();
  const dev = new ServiceStage(testApp, 'Dev', { memorySize: 512 });
  testApp.synth();

  const response = await invokeInLambdaRuntime(runtimeOptionsOf(dev.worker), sqsEvent([
    { messageId: 'm1', body: '{"deliveryId":"d-1","attempt":2}' },
    { messageId: 'm2', body: 'not json' },
  ]));
  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }], scheduled: { 'd-1': '4 minutes' } });
}, 60_000);
