import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';

const BASIC_EXECUTION_POLICY = 'service-role/AWSLambdaBasicExecutionRole';

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
  const index = managed.findIndex((p) => JSON.stringify(stack.resolve(p.managedPolicyArn)).includes(`:policy/${BASIC_EXECUTION_POLICY}"`));
  if (index < 0) {
    return;
  }
  managed.splice(index, 1);
  logGroup.grantWrite(role);
}
