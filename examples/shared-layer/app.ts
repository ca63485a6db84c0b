import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { DependencyLayer, ServerlessFunction } from 'cdk-lambda-kit';

/**
 * Two functions sharing a dependency layer: the packages are installed once, for arm64 Linux, into the layer, and
 * both bundles leave them out automatically.
 */
const app = new App();
const stack = new Stack(app, 'SharedLayer');

const shared = new DependencyLayer(stack, 'SharedDeps', {
  dependencies: { 'date-fns': '4.1.0', 'ms': '2.1.3' },
});

new ServerlessFunction(stack, 'Schedule', {
  entry: path.join(__dirname, 'src', 'schedule.ts'),
  layers: [shared],
});

new ServerlessFunction(stack, 'Backoff', {
  entry: path.join(__dirname, 'src', 'backoff.ts'),
  layers: [shared],
});

app.synth();
