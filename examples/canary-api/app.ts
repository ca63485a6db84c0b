import * as path from 'path';
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Deployment, ProvisionedConcurrency, ServerlessFunction } from 'cdk-lambda-kit';

/**
 * A quote API released safely: provisioned concurrency autoscaled on utilization with more capacity on weekday
 * mornings, canary deployments that roll back on the function's alarms, and an IAM-authenticated function URL on
 * the live alias.
 */
const app = new App();
const stack = new Stack(app, 'CanaryApi');

const oncall = new sns.Topic(stack, 'OnCall', { enforceSSL: true });

const quotes = new ServerlessFunction(stack, 'Quotes', {
  entry: path.join(__dirname, 'src', 'quotes.ts'),
  memorySize: 512,
  timeout: Duration.seconds(5),
  reservedConcurrentExecutions: 100,
  provisionedConcurrency: ProvisionedConcurrency.autoscaled({
    minCapacity: 1,
    maxCapacity: 20,
    schedules: [
      { name: 'WeekdayMorning', schedule: appscaling.Schedule.cron({ weekDay: 'MON-FRI', hour: '8', minute: '0' }), minCapacity: 10 },
      { name: 'WeekdayEvening', schedule: appscaling.Schedule.cron({ weekDay: 'MON-FRI', hour: '19', minute: '0' }), minCapacity: 1 },
    ],
  }),
  deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(5) }),
  alarms: { action: new actions.SnsAction(oncall) },
  functionUrl: {},
});

new CfnOutput(stack, 'QuotesUrl', { value: quotes.url!.url });

app.synth();
