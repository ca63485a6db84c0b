import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

/**
 * Acknowledgements of cdk-nag findings (AwsSolutions and Serverless packs) that are false positives for what this
 * library builds, each with its reason. They go through aws-cdk-lib's `Validations.acknowledge`, which cdk-nag 3 and
 * other validation plugins read, and are scoped to the one construct and, where the rule reports findings, the one
 * finding, so that anything a user adds is still reported.
 */

const MANAGED_POLICY = (name: string) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${name}]`;

/** Actions that have no resource-level permissions, so `Resource: *` is the only form AWS accepts. */
const RESOURCELESS_ACTIONS: Record<string, string> = {
  'xray:PutTraceSegments': 'X-Ray tracing',
  'xray:PutTelemetryRecords': 'X-Ray tracing',
  'dynamodb:ListStreams': 'the DynamoDB Streams event source',
};

/** Record an acknowledgement on a construct (and so on everything under it). */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** The queue that receives what a function or mapping could not process: it is the end of the line. */
export function acknowledgeFailureQueue(queue: IConstruct, role: string): void {
  const reason = `this queue is ${role}: it is the dead-letter queue, so it has none of its own; it keeps messages 14 days and alarms on depth`;
  acknowledge(queue, 'Serverless-SQSRedrivePolicy', reason);
  acknowledge(queue, 'AwsSolutions-SQS3', `${reason} (wired as a destination, which the rule does not follow)`);
}

/** The bucket a stream mapping writes failed batches to: only Lambda writes to it, and an alarm watches every write. */
export function acknowledgeFailureBucket(bucket: IConstruct, role: string): void {
  acknowledge(bucket, 'AwsSolutions-S1',
    `this bucket is ${role}: only Lambda writes to it (failed batches), S3 request metrics count every write and an ` +
    'alarm fires on the first; server access logs would add a second bucket that logs the same writes');
}

/** An SQS event source mapping: failed messages go to the queue's redrive policy, not to a mapping destination. */
export function acknowledgeSqsMapping(mapping: IConstruct): void {
  acknowledge(mapping, 'Serverless-LambdaEventSourceMappingDestination',
    'SQS event source mappings cannot have an on-failure destination (AWS accepts it only for streams and Kafka): ' +
    'failed messages go to the queue\'s own dead-letter queue (redrive policy)');
}

/** A role with the AWS managed policy of ENI management, which Lambda needs for VPC networking. */
export function acknowledgeVpcAccessPolicy(role: IConstruct): void {
  acknowledge(role, MANAGED_POLICY('AWSLambdaENIManagementAccess'),
    'AWS maintains this policy with only the five EC2 network-interface actions Lambda documents for VPC functions ' +
    '(create, describe and delete network interfaces, assign and unassign private IPs) and no logs access (the role ' +
    'writes only to its own log group); ec2:DescribeNetworkInterfaces works only on Resource *, and Lambda creates the ' +
    'interfaces in whichever subnets and security groups the function is configured with');
}

/** The CodeDeploy role of a traffic-shifting deployment. */
export function acknowledgeCodeDeployPolicy(role: IConstruct): void {
  acknowledge(role, MANAGED_POLICY('AWSCodeDeployRoleForLambdaLimited'),
    'the AWS managed policy CodeDeploy documents for Lambda deployments; it is limited to aliases, alarms and ' +
    'CodeDeployHook_* functions, and only CodeDeploy can assume the role');
}

/** aws-cdk-lib's singleton function that writes S3 bucket notification configurations. */
export function acknowledgeBucketNotificationsHandler(stack: Stack): void {
  const handler = stack.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
  if (handler) {
    acknowledge(handler, MANAGED_POLICY('AWSLambdaBasicExecutionRole'),
      'aws-cdk-lib\'s BucketNotificationsHandler (a deploy-time custom resource of S3 notifications) uses the AWS ' +
      'managed policy for its logs; it is not configurable');
  }
}

/**
 * When every `Resource: *` statement of a policy is for an action with no resource-level permissions, acknowledge
 * the wildcard finding on that policy. A statement a user adds with `*` keeps the finding.
 */
export function acknowledgeResourcelessWildcards(policy: iam.Policy): void {
  const statements: any[] = Stack.of(policy).resolve(policy.document.toJSON())?.Statement ?? [];
  const wildcard = statements.filter((s) => ([] as unknown[]).concat(s.Resource ?? []).includes('*'));
  const actions = wildcard.flatMap((s) => ([] as string[]).concat(s.Action ?? []));
  if (wildcard.length === 0 || !actions.every((a) => a in RESOURCELESS_ACTIONS)) {
    return;
  }
  const uses = [...new Set(actions.map((a) => RESOURCELESS_ACTIONS[a]))].join(' and ');
  acknowledge(policy, 'AwsSolutions-IAM5[Resource::*]',
    `the only wildcard statements are for ${uses} (${actions.join(', ')}), actions that do not support resource-level permissions`);
}

/**
 * The findings a function's own resources would raise although their requirement is met: the DLQ rule (failures go
 * to an on-failure destination, or nothing invokes the function asynchronously), and, on the role this library
 * created, resource-less wildcards and the VPC access policy.
 */
export function acknowledgeFunctionFindings(
  fn: lambda.Function,
  facts: { ownRole: boolean; hasDeadLetterQueue: boolean; invokedAsync: boolean },
): void {
  if (!facts.hasDeadLetterQueue) {
    acknowledge(fn, 'Serverless-LambdaDLQ', facts.invokedAsync
      ? 'asynchronous failures go to the on-failure destination of the alias (EventInvokeConfig), which AWS recommends over a dead-letter queue'
      : 'nothing invokes this function asynchronously, and a dead-letter queue only ever receives asynchronous events');
  }
  if (facts.ownRole && fn.role instanceof iam.Role) {
    const defaultPolicy = fn.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy instanceof iam.Policy) {
      acknowledgeResourcelessWildcards(defaultPolicy);
    }
    if (fn.isBoundToVpc) {
      acknowledgeVpcAccessPolicy(fn.role);
    }
  }
}
