import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';

const BASIC_EXECUTION_POLICY = 'service-role/AWSLambdaBasicExecutionRole';
const VPC_ACCESS_POLICY = 'service-role/AWSLambdaVPCAccessExecutionRole';
/** The five EC2 network-interface actions Lambda needs in a VPC, and nothing else (no logs access). */
export const ENI_MANAGEMENT_POLICY = 'service-role/AWSLambdaENIManagementAccess';

/** The index of an AWS managed policy in a role's managed policy list, or -1. */
function indexOfManaged(stack: Stack, managed: iam.IManagedPolicy[], name: string): number {
  return managed.findIndex((p) => JSON.stringify(stack.resolve(p.managedPolicyArn)).includes(`:policy/${name}"`));
}

/**
 * Replace AWSLambdaVPCAccessExecutionRole (the ENI actions plus logs:CreateLogGroup, CreateLogStream and PutLogEvents
 * on every log group) on a VPC function's own role with AWSLambdaENIManagementAccess, the ENI actions alone
 * (ec2:CreateNetworkInterface, DescribeNetworkInterfaces, DeleteNetworkInterface, AssignPrivateIpAddresses,
 * UnassignPrivateIpAddresses). Logging is granted separately: on the function's own log group, or by
 * AWSLambdaBasicExecutionRole where aws-cdk-lib's log retention is used. Returns whether the policy was replaced.
 */
export function narrowVpcPermissions(role: iam.Role): boolean {
  const managed: iam.IManagedPolicy[] | undefined = (role as any).managedPolicies;
  if (!Array.isArray(managed)) {
    return false;
  }
  const index = indexOfManaged(Stack.of(role), managed, VPC_ACCESS_POLICY);
  if (index < 0) {
    return false;
  }
  managed.splice(index, 1, iam.ManagedPolicy.fromAwsManagedPolicyName(ENI_MANAGEMENT_POLICY));
  return true;
}

/**
 * Replace AWSLambdaBasicExecutionRole (logs:CreateLogGroup, CreateLogStream and PutLogEvents on every log group of
 * the account) on a function's own role with write access to the one log group it logs to.
 *
 * aws-cdk-lib attaches that policy when it creates the role and has no option to leave it out; the role's managed
 * policy list is read when the template is written, so removing the entry from it is enough. Should a later
 * aws-cdk-lib keep that list elsewhere, nothing is removed and the role keeps the (broader) managed policy: the
 * least-privilege tests would show it.
 */
export function scopeLogPermissions(role: iam.Role, logGroup: logs.ILogGroup): void {
  const managed: iam.IManagedPolicy[] | undefined = (role as any).managedPolicies;
  if (!Array.isArray(managed)) {
    return;
  }
  const stack = Stack.of(role);
  const index = indexOfManaged(stack, managed, BASIC_EXECUTION_POLICY);
  if (index < 0) {
    return;
  }
  managed.splice(index, 1);
  logGroup.grantWrite(role);
}
