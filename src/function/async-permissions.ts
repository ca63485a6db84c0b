import * as lambda from 'aws-cdk-lib/aws-lambda';
import { grantIndex, referencesIn } from './invokers';

/**
 * Services that invoke Lambda asynchronously through a resource permission, by service principal: S3, SNS,
 * EventBridge, IoT, SES, AWS Config, CodeCommit, CloudFormation, CloudWatch Logs, and CloudWatch alarms' Lambda
 * actions ("CloudWatch alarms guarantees an asynchronous invocation of the Lambda function").
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-services.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions-Lambda.html
 */
const ASYNC_PRINCIPALS = /^(s3|sns|events|iot|ses|config|codecommit|cloudformation|lambda\.alarms\.cloudwatch|logs(\.[a-z0-9-]+)?)\.amazonaws\.com$/;

/**
 * Services that invoke Lambda asynchronously through an IAM role they assume: EventBridge Scheduler ("EventBridge
 * Scheduler invokes your Lambda function asynchronously"). Roles of other services (Step Functions, Pipes, ECS tasks)
 * may invoke either way, which the role does not say: declare those with `asyncInvocation: true`.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-eventbridge-scheduler.html
 */
const ASYNC_ROLE_PRINCIPALS = ['scheduler.amazonaws.com'];

/**
 * Which of an alias and its unqualified function a service that invokes asynchronously was allowed to invoke.
 * Permissions may live anywhere in the app (aws-cdk-lib puts an EventBridge rule's beside the rule), so the app's
 * index of permissions is searched.
 */
export function asyncPermissions(fn: lambda.IFunction, alias: lambda.IAlias): { alias: boolean; unqualified: boolean } {
  const index = grantIndex(fn);
  const permissions = index.permissions.filter((p) => ASYNC_PRINCIPALS.test(p.principal));
  const policies = index.policies.filter((p) => p.services.some((s) => ASYNC_ROLE_PRINCIPALS.includes(s)));
  const targets = (references: string[]) => permissions.some((p) => referencesIn(p.stack, references)?.includes(p.target))
    || policies.some((p) => referencesIn(p.stack, [references[0]])?.some((r) => p.resources.includes(r)));
  return {
    alias: targets([alias.functionArn, alias.functionName]),
    unqualified: targets([fn.functionArn, fn.functionName]),
  };
}

/**
 * The service principals allowed to invoke the function or its alias, through resource permissions or the IAM roles
 * they assume (for tenant isolation, which only invokers that send a tenant id can use).
 */
export function invokingServices(fn: lambda.IFunction, alias: lambda.IAlias): string[] {
  const index = grantIndex(fn);
  const references = [alias.functionArn, alias.functionName, fn.functionArn, fn.functionName];
  return [...new Set([
    ...index.permissions.filter((p) => referencesIn(p.stack, references)?.includes(p.target)).map((p) => p.principal),
    ...index.policies.filter((p) => referencesIn(p.stack, references)?.some((r) => p.resources.includes(r))).flatMap((p) => p.services),
  ])];
}
