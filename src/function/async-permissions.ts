import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';
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
 * may invoke either way, which the role does not say: Pipes and Step Functions tasks of the app are read for how they
 * invoke (see `asyncCalls`); declare any other asynchronous invoker with `asyncInvocation: true`.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-eventbridge-scheduler.html
 */
const ASYNC_ROLE_PRINCIPALS = ['scheduler.amazonaws.com'];

/** A resource of the app that invokes a function asynchronously by its ARN: its stack and the resolved ARN. */
interface AsyncCall {
  readonly stack: Stack;
  readonly target: string;
}

const calls = new WeakMap<IConstruct, AsyncCall[]>();

/**
 * The app's resources that invoke a function asynchronously whatever their role allows, found once per app:
 *
 * - EventBridge Pipes with a Lambda target invoked `FIRE_AND_FORGET` ("Invoke asynchronously. This corresponds to the
 *   Event option in the InvocationType parameter for the Lambda Invoke API");
 * - Step Functions tasks that call `lambda:invoke` with `InvocationType: Event` (aws-cdk-lib's `LambdaInvoke` with
 *   `invocationType: LambdaInvocationType.EVENT`).
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/pipes-reference/API_PipeTargetLambdaFunctionParameters.html
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
function asyncCalls(scope: IConstruct): AsyncCall[] {
  const root = scope.node.root;
  let found = calls.get(root);
  if (!found) {
    found = [];
    for (const c of root.node.findAll()) {
      if (c instanceof pipes.CfnPipe) {
        const stack = Stack.of(c);
        const parameters = stack.resolve(c.targetParameters);
        if (parameters?.lambdaFunctionParameters?.invocationType === 'FIRE_AND_FORGET') {
          found.push({ stack, target: JSON.stringify(stack.resolve(c.target)) });
        }
      } else if (c instanceof sfn.TaskStateBase) {
        const stack = Stack.of(c);
        let state: any;
        try {
          state = stack.resolve(c.toStateJson());
        } catch {
          continue;
        }
        const call = state?.Parameters ?? state?.Arguments;
        if (JSON.stringify(state?.Resource ?? '').includes(':states:::lambda:invoke') && call?.InvocationType === 'Event') {
          found.push({ stack, target: JSON.stringify(call.FunctionName) });
        }
      }
    }
    calls.set(root, found);
  }
  return found;
}

/**
 * Which of an alias and its unqualified function a service that invokes asynchronously was allowed to invoke, or is
 * set to invoke asynchronously (a Pipe, a Step Functions task). Permissions may live anywhere in the app
 * (aws-cdk-lib puts an EventBridge rule's beside the rule), so the app's index of permissions is searched.
 */
export function asyncPermissions(fn: lambda.IFunction, alias: lambda.IAlias): { alias: boolean; unqualified: boolean } {
  const index = grantIndex(fn);
  const permissions = index.permissions.filter((p) => ASYNC_PRINCIPALS.test(p.principal));
  const policies = index.policies.filter((p) => p.services.some((s) => ASYNC_ROLE_PRINCIPALS.includes(s)));
  const invocations = asyncCalls(fn);
  const targets = (references: string[]) => permissions.some((p) => referencesIn(p.stack, references)?.includes(p.target))
    || policies.some((p) => referencesIn(p.stack, [references[0]])?.some((r) => p.resources.includes(r)))
    || invocations.some((c) => referencesIn(c.stack, [references[0]])?.includes(c.target));
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
