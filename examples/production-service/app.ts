import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Deployment, DependencyLayer, ProvisionedConcurrency, ServerlessFunction, WorkerQueue } from 'cdk-lambda-kit';

/**
 * A production service using everything: an API function in a VPC with autoscaled provisioned concurrency (more on
 * weekday mornings), canary deployments rolled back on alarms that page on-call, a shared dependency layer, and a
 * queue worker fed by the API, both reading and writing one DynamoDB table.
 */
const app = new App();
const stack = new Stack(app, 'ProductionService');

const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 1,
  subnetConfiguration: [
    { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
    { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
  ],
  // Rejected traffic is kept for investigation, as AWS Well-Architected asks.
  flowLogs: { Rejected: { trafficType: ec2.FlowLogTrafficType.REJECT } },
});
const oncall = new sns.Topic(stack, 'OnCall', { enforceSSL: true });
const table = new dynamodb.Table(stack, 'Orders', {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
});
const shared = new DependencyLayer(stack, 'SharedDeps', { dependencies: { 'date-fns': '4.1.0' } });
const page = { action: new actions.SnsAction(oncall) };

const worker = new ServerlessFunction(stack, 'Fulfil', {
  entry: path.join(__dirname, 'src', 'fulfil.ts'),
  timeout: Duration.seconds(30),
  layers: [shared],
  vpc,
  environment: { TABLE_NAME: table.tableName },
  alarms: page,
});
table.grantReadWriteData(worker);
const orders = new WorkerQueue(stack, 'Fulfilment', { consumer: worker, maxReceiveCount: 3 });

const api = new ServerlessFunction(stack, 'Api', {
  entry: path.join(__dirname, 'src', 'api.ts'),
  memorySize: 1769,
  timeout: Duration.seconds(10),
  layers: [shared],
  vpc,
  reservedConcurrentExecutions: 200,
  provisionedConcurrency: ProvisionedConcurrency.autoscaled({
    minCapacity: 2,
    maxCapacity: 50,
    utilizationTarget: 0.6,
    schedules: [
      { name: 'WeekdayMorning', schedule: appscaling.Schedule.cron({ weekDay: 'MON-FRI', hour: '7', minute: '45' }), minCapacity: 10 },
      { name: 'WeekdayNight', schedule: appscaling.Schedule.cron({ weekDay: 'MON-FRI', hour: '20', minute: '0' }), minCapacity: 2 },
    ],
  }),
  deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(5) }),
  alarms: { ...page, durationThresholdPercent: 80 },
  functionUrl: {},
  environment: { TABLE_NAME: table.tableName, QUEUE_URL: orders.queue.queueUrl },
});
table.grantReadData(api);
orders.queue.grantSendMessages(api);

app.synth();
