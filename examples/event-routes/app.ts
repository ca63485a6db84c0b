import * as path from 'path';
import { App, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EventBridgeSource, ScheduleSource, ServerlessFunction, SnsSource } from 'cdk-lambda-kit';

/**
 * The event sources SAM's `Events` offers beyond queues, streams and buckets, each through the live alias and with
 * nothing lost: an SNS subscription and an EventBridge rule and a nightly schedule (each with a dead-letter queue for
 * what the service could not deliver, alarmed), and an HTTP API route whose permission is scoped to the route.
 */
const app = new App();
const stack = new Stack(app, 'EventRoutes');

const orders = new ServerlessFunction(stack, 'Orders', {
  entry: path.join(__dirname, 'src', 'orders.ts'),
  timeout: Duration.seconds(10),
});

const refunds = new sns.Topic(stack, 'Refunds', {
  enforceSSL: true,
  masterKey: new kms.Key(stack, 'RefundsKey', { enableKeyRotation: true }),
});
orders.addEventSource(new SnsSource(refunds, {
  filterPolicy: { reason: sns.SubscriptionFilter.stringFilter({ allowlist: ['damaged', 'late'] }) },
}));

orders.addEventSource(new EventBridgeSource({
  eventPattern: { source: ['shop.orders'], detailType: ['Order Placed'], detail: { total: events.Match.greaterThan(100) } },
  retryAttempts: 10,
  maxEventAge: Duration.hours(2),
}));

orders.addEventSource(new ScheduleSource(
  scheduler.ScheduleExpression.cron({ minute: '30', hour: '2', timeZone: TimeZone.EUROPE_PARIS }),
  { input: { report: 'nightly' }, timeWindow: Duration.minutes(15) },
));

const status = new ServerlessFunction(stack, 'Status', {
  entry: path.join(__dirname, 'src', 'status.ts'),
});
const accessLogs = new logs.LogGroup(stack, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
const api = new apigwv2.HttpApi(stack, 'Api', {
  defaultAuthorizer: new HttpIamAuthorizer(),
  createDefaultStage: false,
});
api.addStage('Stage', {
  stageName: '$default',
  autoDeploy: true,
  accessLogSettings: {
    destination: new apigwv2.LogGroupLogDestination(accessLogs),
    format: apigw.AccessLogFormat.custom(JSON.stringify({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
      integrationError: '$context.integrationErrorMessage',
    })),
  },
  throttle: { rateLimit: 100, burstLimit: 50 },
});
api.addRoutes({
  path: '/orders/{id}/status',
  methods: [apigwv2.HttpMethod.GET],
  integration: new HttpLambdaIntegration('Status', status.alias),
});

app.synth();
