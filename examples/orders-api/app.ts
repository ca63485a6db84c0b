import * as path from 'path';
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ServerlessFunction } from 'cdk-lambda-kit';

/**
 * A small orders API: a TypeScript handler that validates its input with zod, bundled by cdk-lambda-kit,
 * behind a function URL that requires IAM (SigV4) authentication.
 */
const app = new App();
const stack = new Stack(app, 'OrdersApi');

const createOrder = new ServerlessFunction(stack, 'CreateOrder', {
  entry: path.join(__dirname, 'src', 'create-order.ts'),
  memorySize: 512,
  timeout: Duration.seconds(10),
  environment: { ORDER_PREFIX: 'ord' },
  bundling: { sourceMap: true },
});

const url = createOrder.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
new CfnOutput(stack, 'CreateOrderUrl', { value: url.url });

app.synth();
