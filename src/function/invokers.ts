import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** Something allowed to invoke a function without a qualifier (so `$LATEST`, not the alias). */
export interface UnqualifiedInvoker {
  /** What it is, for messages: the permission's principal and path, or the IAM policy's path. */
  readonly description: string;
}

/** Actions that include `lambda:InvokeFunction`. */
const INVOKE_ACTIONS = /^(\*|lambda:\*|lambda:Invoke\*|lambda:InvokeFunction)$/;

/**
 * Every invoker of the unqualified function in the app: resource permissions (`AWS::Lambda::Permission`) for a service
 * principal whose function name is the function itself, and IAM policy statements that allow `lambda:InvokeFunction`
 * on the function's unqualified ARN. Grants on `<arn>:*` or on the alias are not reported.
 */
export function unqualifiedInvokers(fn: lambda.IFunction): UnqualifiedInvoker[] {
  const found: UnqualifiedInvoker[] = [];
  const references = (stack: Stack) => [fn.functionArn, fn.functionName].map((r) => JSON.stringify(stack.resolve(r)));
  for (const c of fn.node.root.node.findAll()) {
    if (c instanceof lambda.CfnPermission) {
      const principal = c.principal;
      if (typeof principal !== 'string' || Token.isUnresolved(principal) || !principal.endsWith('.amazonaws.com')) {
        continue;
      }
      const stack = Stack.of(c);
      if (references(stack).includes(JSON.stringify(stack.resolve(c.functionName)))) {
        found.push({ description: `the resource permission ${c.node.path} for ${principal}` });
      }
    } else if (c instanceof iam.CfnPolicy || c instanceof iam.CfnManagedPolicy) {
      const stack = Stack.of(c);
      const arn = JSON.stringify(stack.resolve(fn.functionArn));
      const document = stack.resolve(c.policyDocument);
      const statements: any[] = ([] as any[]).concat(document?.Statement ?? []);
      const grants = statements.some((s) => s.Effect === 'Allow'
        && ([] as unknown[]).concat(s.Action ?? []).some((a) => typeof a === 'string' && INVOKE_ACTIONS.test(a))
        && ([] as unknown[]).concat(s.Resource ?? []).some((r) => JSON.stringify(r) === arn));
      if (grants) {
        found.push({ description: `the IAM policy ${c.node.scope?.node.path ?? c.node.path}, which allows lambda:InvokeFunction on the unqualified function` });
      }
    }
  }
  return found;
}

/** The warning for one invoker of the unqualified function. */
export function invokedWithoutAliasMessage(invoker: UnqualifiedInvoker, aliasName: string): string {
  return `${invoker.description} invokes the function without a qualifier ($LATEST): provisioned concurrency, the ` +
    `deployment's traffic shifting and the "${aliasName}" alias do not apply to those invocations. Pass \`fn.alias\` ` +
    'instead of the function (for example `new LambdaIntegration(fn.alias)`, `new LambdaFunction(fn.alias)`, `fn.alias.grantInvoke(role)`)';
}
