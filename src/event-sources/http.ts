import { ArnFormat, Names, Stack, Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { invokerOf } from './delivery';
import { formatProblems } from '../core/problems';

/**
 * A function (through its alias, when it is a ServerlessFunction) as the target of an Application Load Balancer
 * target group, with the invoke permission scoped to target groups of the stack's account and region.
 *
 * aws-cdk-lib's `LambdaTarget` grants `elasticloadbalancing.amazonaws.com` the right to invoke with no source at
 * all. Scoping to the one target group is not possible in one template: the target group must be created after the
 * permission (the load balancer checks it when it registers the function), and a permission naming the target
 * group's ARN would have to be created after it.
 *
 * ```ts
 * import { LoadBalancerTarget } from 'cdk-lambda-kit';
 *
 * // listener: an elbv2.ApplicationListener
 * listener.addTargets('Orders', { targets: [new LoadBalancerTarget(fn)] });
 * ```
 */
export class LoadBalancerTarget implements elbv2.IApplicationLoadBalancerTarget {
  /** What the load balancer invokes: the alias of a ServerlessFunction, or the function given. */
  public readonly invoked: lambda.IFunction;

  constructor(fn: lambda.IFunction) {
    this.invoked = invokerOf(fn);
  }

  /** Register the function with an application target group; used by the target group. */
  public attachToApplicationTargetGroup(targetGroup: elbv2.IApplicationTargetGroup): elbv2.LoadBalancerTargetProps {
    const stack = Stack.of(targetGroup);
    // "The Lambda function and target group must be in the same account and in the same Region."
    const fnStack = Stack.of(this.invoked);
    const problems: string[] = [];
    for (const [what, here, there] of [['region', stack.region, fnStack.region], ['account', stack.account, fnStack.account]]) {
      if (!Token.isUnresolved(here) && !Token.isUnresolved(there) && here !== there) {
        problems.push(`\`LoadBalancerTarget\` must be in the ${what} of target group ${targetGroup.node.path} (${here}), got ${this.invoked.node.path} in ${there}: ` +
          'Elastic Load Balancing invokes functions of its own account and region only');
      }
    }
    if (problems.length > 0) {
      throw new Error(formatProblems(this.invoked.node.path, problems));
    }
    const id = `AllowInvokeFrom${Names.nodeUniqueId(targetGroup.node)}`;
    this.invoked.addPermission(id, {
      principal: new iam.ServicePrincipal('elasticloadbalancing.amazonaws.com'),
      sourceAccount: stack.account,
      sourceArn: stack.formatArn({ service: 'elasticloadbalancing', resource: 'targetgroup', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
    });
    const permission = this.invoked.node.tryFindChild(id);
    if (permission) {
      targetGroup.node.addDependency(permission);
    }
    return { targetType: elbv2.TargetType.LAMBDA, targetJson: { id: this.invoked.functionArn } };
  }
}
