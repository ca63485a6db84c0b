import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { PowertoolsLogLevel, ServerlessFunction } from 'cdk-lambda-kit';

/**
 * A checkout handler instrumented with Powertools for AWS Lambda (TypeScript): structured logs and CloudWatch
 * metrics in embedded metric format. `powertools` sets the service name, metrics namespace and log level, attaches
 * the official Powertools layer for the stack's region (a pinned version), and leaves the layer's packages out of the
 * bundle.
 */
const app = new App();
const stack = new Stack(app, 'PowertoolsService');

new ServerlessFunction(stack, 'Checkout', {
  entry: path.join(__dirname, 'src', 'checkout.ts'),
  powertools: { serviceName: 'checkout', metricsNamespace: 'Shop', logLevel: PowertoolsLogLevel.INFO },
});

app.synth();
