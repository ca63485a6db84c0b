import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { mark, referenced } from '../core/references';

/** Something allowed to invoke a function without a qualifier (so `$LATEST`, not the alias). */
export interface UnqualifiedInvoker {
  /** What it is, for messages: the permission's principal and path, or the IAM policy's path. */
  readonly description: string;
}

/** Actions that include `lambda:InvokeFunction`. */
const INVOKE_ACTIONS = /^(\*|lambda:\*|lambda:Invoke\*|lambda:InvokeFunction)$/;

/** A resource permission of the app: its stack, service principal and resolved function name. */
interface IndexedPermission {
  readonly permission: lambda.CfnPermission;
  readonly stack: Stack;
  readonly principal: string;
  readonly target: string;
}

/**
 * An IAM policy of the app that allows `lambda:InvokeFunction`: its stack, the resources it allows it on, and the
 * service principals that may assume the roles it is attached to (the services that invoke through it).
 */
interface IndexedPolicy {
  readonly policy: iam.CfnPolicy | iam.CfnManagedPolicy;
  readonly stack: Stack;
  readonly resources: string[];
  readonly services: string[];
}

/** The app's service permissions and invoke grants, each resolved once. */
interface GrantIndex {
  readonly permissions: IndexedPermission[];
  readonly policies: IndexedPolicy[];
}

const indexes = new WeakMap<IConstruct, GrantIndex>();

/**
 * The service permissions and invoke grants of the whole app (aws-cdk-lib puts an EventBridge rule's permission beside
 * the rule, an API's beside the API), found and resolved once per app when the first function asks, during the
 * aspects of synthesis: every function then compares its own references against the index instead of walking and
 * resolving the app again (at 100 functions that was 10,000 policy documents resolved).
 */
export function grantIndex(scope: IConstruct): GrantIndex {
  const root = scope.node.root;
  let index = indexes.get(root);
  if (!index) {
    const permissions: IndexedPermission[] = [];
    const policies: IndexedPolicy[] = [];
    for (const c of root.node.findAll()) {
      if (c instanceof lambda.CfnPermission) {
        const principal = c.principal;
        if (typeof principal === 'string' && !Token.isUnresolved(principal) && principal.endsWith('.amazonaws.com')) {
          const stack = Stack.of(c);
          permissions.push({ permission: c, stack, principal, target: JSON.stringify(stack.resolve(c.functionName)) });
        }
      } else if (c instanceof iam.CfnPolicy || c instanceof iam.CfnManagedPolicy) {
        const stack = Stack.of(c);
        const document = stack.resolve(c.policyDocument);
        const statements: any[] = ([] as any[]).concat(document?.Statement ?? []);
        const resources = statements.filter((st) => st.Effect === 'Allow'
          && ([] as unknown[]).concat(st.Action ?? []).some((a) => typeof a === 'string' && INVOKE_ACTIONS.test(a)))
          .flatMap((st) => ([] as unknown[]).concat(st.Resource ?? []).map((r) => JSON.stringify(r)));
        if (resources.length > 0) {
          policies.push({ policy: c, stack, resources, services: trustedServices(c) });
        }
      }
    }
    index = { permissions, policies };
    indexes.set(root, index);
  }
  return index;
}

/** The service principals allowed to assume the roles a policy is attached to. */
function trustedServices(policy: iam.CfnPolicy | iam.CfnManagedPolicy): string[] {
  const roles = mark(policy, policy.roles);
  return referenced(roles).filter((r): r is iam.CfnRole => r instanceof iam.CfnRole).flatMap((role) => {
    const document = Stack.of(role).resolve(role.assumeRolePolicyDocument);
    const statements: any[] = ([] as any[]).concat(document?.Statement ?? []);
    return statements.filter((st) => st.Effect === 'Allow')
      .flatMap((st) => ([] as unknown[]).concat(st.Principal?.Service ?? []))
      .filter((service): service is string => typeof service === 'string');
  });
}

/**
 * How `stack` would write each of `references` (an ARN or name of a function or alias), or undefined where it
 * cannot: a stack of another environment cannot reference the function at all (aws-cdk-lib refuses to resolve it),
 * so nothing there can name it but a literal, which is not a reference to this construct.
 */
export function referencesIn(stack: Stack, references: string[]): string[] | undefined {
  try {
    return references.map((r) => JSON.stringify(stack.resolve(r)));
  } catch {
    return undefined;
  }
}

/**
 * Every invoker of the unqualified function in the app: resource permissions (`AWS::Lambda::Permission`) for a service
 * principal whose function name is the function itself, and IAM policy statements that allow `lambda:InvokeFunction`
 * on the function's unqualified ARN. Grants on `<arn>:*` or on the alias are not reported, nor the policies of
 * `grantees` (what `grantInvoke` granted) that also allow every qualifier.
 */
export function unqualifiedInvokers(fn: lambda.IFunction, grantees: IConstruct[] = []): UnqualifiedInvoker[] {
  const found: UnqualifiedInvoker[] = [];
  const index = grantIndex(fn);
  const byStack = new Map<Stack, string[] | undefined>();
  const refs = (stack: Stack) => {
    if (!byStack.has(stack)) {
      byStack.set(stack, referencesIn(stack, [fn.functionArn, fn.functionName, `${fn.functionArn}:*`]));
    }
    return byStack.get(stack);
  };
  for (const p of index.permissions) {
    if (refs(p.stack)?.includes(p.target)) {
      found.push({ description: `the resource permission ${p.permission.node.path} for ${p.principal}` });
    }
  }
  for (const p of index.policies) {
    const [arn, , qualifiers] = refs(p.stack) ?? [];
    const granted = grantees.some((g) => p.policy.node.path.startsWith(`${g.node.path}/`)) && p.resources.includes(qualifiers!);
    if (arn !== undefined && p.resources.includes(arn) && !granted) {
      found.push({ description: `the IAM policy ${p.policy.node.scope?.node.path ?? p.policy.node.path}, which allows lambda:InvokeFunction on the unqualified function` });
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
