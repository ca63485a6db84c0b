import { CfnResource, DefaultTokenResolver, IPostProcessor, IFragmentConcatenator, IResolvable, IResolveContext, Reference, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Values as synthesized, with each reference to a CloudFormation resource kept as that resource: a marker in the
 * resolved value names it. Unlike comparing `Ref`/`Fn::GetAtt` JSON, a resource of another stack with the same
 * logical ID is never mistaken for it.
 */

export const MARK = '⟪ref⟫';

/**
 * Joins the pieces of a string that holds tokens. An intrinsic function inside a string (aws-cdk-lib writes an alias
 * name as `Fn::Select` of the function's ARN, then `:live`) is kept as its JSON, markers included: the result is for
 * finding references, not for a template.
 */
class MarkedConcat implements IFragmentConcatenator {
  public join(left: any, right: any): any {
    const text = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));
    return `${text(left)}${text(right)}`;
  }
}

/** Resolves a value, replacing each reference to a CloudFormation resource with a marker that names it. */
class MarkingResolver extends DefaultTokenResolver {
  public readonly targets: CfnResource[] = [];

  constructor() {
    super(new MarkedConcat());
  }

  public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): any {
    // aws-cdk-lib's name and ARN attributes of L2 resources are references whose target is the L2 construct.
    const target = Reference.isReference(t)
      ? CfnResource.isCfnResource(t.target) ? t.target : t.target.node.defaultChild
      : undefined;
    if (target && CfnResource.isCfnResource(target)) {
      let index = this.targets.indexOf(target);
      if (index < 0) {
        index = this.targets.push(target) - 1;
      }
      return `${MARK}${index}${MARK}`;
    }
    return super.resolveToken(t, context, postProcessor);
  }
}

/** A value as synthesized, with references as markers, and the resources it references. */
export interface Marked {
  readonly value: any;
  readonly targets: CfnResource[];
}

export function mark(scope: IConstruct, value: unknown): Marked {
  const resolver = new MarkingResolver();
  const resolved = Tokenization.resolve(value, { scope, resolver, preparing: false });
  return { value: resolved, targets: resolver.targets };
}

/** The resources a marked value references anywhere inside it. */
export function referenced(m: Marked, value: unknown = m.value): CfnResource[] {
  const found: CfnResource[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const match of v.matchAll(new RegExp(`${MARK}(\\d+)${MARK}`, 'g'))) {
        found.push(m.targets[Number(match[1])]);
      }
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
  return found;
}

/** The resource a marked value is exactly a reference to. */
export function referenceOf(m: Marked, value: unknown): CfnResource | undefined {
  const match = typeof value === 'string' ? new RegExp(`^${MARK}(\\d+)${MARK}$`).exec(value) : null;
  return match ? m.targets[Number(match[1])] : undefined;
}

