import * as path from 'path';
import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { DependencyLayer, DynamoStreamSource, ScheduleSource, ServerlessFunction, WorkerQueue } from 'cdk-lambda-kit';

const src = (file: string) => path.join(__dirname, '..', 'src', file);

/**
 * A small orders service: an HTTP API on a function URL that stores orders in DynamoDB, a consumer of the table's
 * stream, a queue worker, and a nightly schedule; the worker and the schedule share a layer of npm packages.
 */
export class OrdersService extends Stack {
  public readonly api: ServerlessFunction;
  public readonly orderEvents: ServerlessFunction;
  public readonly worker: ServerlessFunction;
  public readonly nightlyReport: ServerlessFunction;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const table = new dynamodb.Table(this, 'Orders', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      stream: dynamodb.StreamViewType.NEW_IMAGE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // npm packages installed once for arm64 Linux and shared; the functions that use them leave them out of their bundles.
    const shared = new DependencyLayer(this, 'SharedDeps', { dependencies: { 'date-fns': '4.4.0' } });

    // POST / stores an order, GET /?id= reads it. The AWS SDK comes from the Lambda runtime.
    this.api = new ServerlessFunction(this, 'Api', {
      entry: src('api.ts'),
      environment: { TABLE_NAME: table.tableName },
      functionUrl: { authType: lambda.FunctionUrlAuthType.AWS_IAM },
    });
    table.grantReadWriteData(this.api);

    // Every change to the table, in order, with bisect on error and failed batches kept in S3.
    this.orderEvents = new ServerlessFunction(this, 'OrderEvents', {
      entry: src('order-events.ts'),
      events: [new DynamoStreamSource(table)],
    });

    // A queue with its dead-letter queue, made right for the function; only bad messages are retried.
    this.worker = new ServerlessFunction(this, 'ProcessOrder', {
      entry: src('process-order.ts'),
      timeout: Duration.seconds(20),
      layers: [shared],
    });
    new WorkerQueue(this, 'OrderQueue', { consumer: this.worker, batchSize: 10, maxReceiveCount: 3 });

    // Every night at 03:00 UTC, through EventBridge Scheduler, with a retry policy and a dead-letter queue.
    this.nightlyReport = new ServerlessFunction(this, 'NightlyReport', {
      entry: src('nightly-report.ts'),
      layers: [shared],
      events: [new ScheduleSource(scheduler.ScheduleExpression.cron({ minute: '0', hour: '3' }), { input: { report: 'nightly' } })],
    });
  }
}
