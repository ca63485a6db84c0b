import { AspectPriority, Aspects, Annotations, CfnElement, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * CloudFormation's limits on one stack: 500 resources, and a template of at most 1 MB (uploaded through S3, as the
 * CDK does). A stack approaching either gets a warning that says how many more functions fit; a template over 1 MB is
 * an error at synth (aws-cdk-lib already fails a stack over 500 resources).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
export const STACK_RESOURCE_LIMIT = 500;
export const TEMPLATE_SIZE_LIMIT_BYTES = 1024 * 1024;

/** The share of a limit at which the warning starts. */
const WARN_AT = 0.8;

const WATCHED = Symbol.for('cdk-lambda-kit.stackLimits');

/** What a stack uses of the limits, and what one function costs on average. */
export interface StackUsage {
  readonly resources: number;
  readonly templateBytes: number;
  readonly functions: number;
  readonly resourcesPerFunction: number;
  readonly bytesPerFunction: number;
}

/** Warnings for a stack approaching the limits, and the error for a template over 1 MB. */
export function checkStackUsage(stackPath: string, usage: StackUsage): { warnings: Array<{ id: string; message: string }>; errors: string[] } {
  const warnings: Array<{ id: string; message: string }> = [];
  const errors: string[] = [];
  const fit = (room: number, each: number) => (each > 0 ? Math.max(0, Math.floor(room / each)) : 0);
  const split = 'split the functions across stacks (or nested stacks) before deployments fail; functions that do not need ' +
    'them can drop their alarms (`alarms: { enabled: false }`, 3 resources a function)';
  if (usage.resources >= STACK_RESOURCE_LIMIT * WARN_AT && usage.resources <= STACK_RESOURCE_LIMIT) {
    warnings.push({
      id: 'cdk-lambda-kit:stackResourceLimit',
      message: `${stackPath} has ${usage.resources} of the ${STACK_RESOURCE_LIMIT} resources CloudFormation allows in one stack: ` +
        `at ${usage.resourcesPerFunction} resources a ServerlessFunction here, ${fit(STACK_RESOURCE_LIMIT - usage.resources, usage.resourcesPerFunction)} more fit; ${split}`,
    });
  }
  const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
  if (usage.templateBytes > TEMPLATE_SIZE_LIMIT_BYTES) {
    const over = usage.templateBytes - TEMPLATE_SIZE_LIMIT_BYTES;
    const move = usage.bytesPerFunction > 0 ? Math.ceil(over / usage.bytesPerFunction) : Infinity;
    const moving = move <= usage.functions
      ? `at about ${kb(usage.bytesPerFunction)} a ServerlessFunction, ${move} of its ${usage.functions} must move to another stack`
      : `moving its ${usage.functions} ServerlessFunctions (about ${kb(usage.bytesPerFunction)} each) would not be enough: other resources must move too`;
    errors.push(`the template of ${stackPath} must be at most 1 MB (CloudFormation's limit), got ${kb(usage.templateBytes)}: ${moving}; ${split}`);
  } else if (usage.templateBytes >= TEMPLATE_SIZE_LIMIT_BYTES * WARN_AT) {
    warnings.push({
      id: 'cdk-lambda-kit:templateSizeLimit',
      message: `the template of ${stackPath} is about ${kb(usage.templateBytes)} of the 1 MB CloudFormation accepts: at about ` +
        `${kb(usage.bytesPerFunction)} a ServerlessFunction here, ${fit(TEMPLATE_SIZE_LIMIT_BYTES - usage.templateBytes, usage.bytesPerFunction)} more fit; ${split}`,
    });
  }
  return { warnings, errors };
}

/**
 * Watch a stack's use of CloudFormation's limits, once per stack. Measured when the app is complete (a read-only
 * aspect, after every other aspect), from the template as it will be written.
 */
export function watchStackLimits(stack: Stack, isFunction: (c: IConstruct) => boolean): void {
  const marked = stack as unknown as Record<symbol, boolean>;
  if (marked[WATCHED]) {
    return;
  }
  marked[WATCHED] = true;
  let errors: string[] = [];
  Aspects.of(stack).add({
    visit: (node) => {
      if (node !== stack) {
        return;
      }
      const result = checkStackUsage(stack.node.path, measure(stack, isFunction));
      for (const warning of result.warnings) {
        Annotations.of(stack).addWarningV2(warning.id, warning.message);
      }
      errors = result.errors;
    },
  }, { priority: AspectPriority.READONLY });
  stack.node.addValidation({ validate: () => errors });
}

/** Count the stack's resources and size its template (the JSON the CDK writes, indented by one space). */
function measure(stack: Stack, isFunction: (c: IConstruct) => boolean): StackUsage {
  const own = (c: IConstruct) => Stack.of(c) === stack;
  const elements = stack.node.findAll().filter((c): c is CfnElement => CfnElement.isCfnElement(c) && own(c));
  const resources = elements.filter((e) => CfnResource.isCfnResource(e));
  const functions = stack.node.findAll().filter((c) => isFunction(c) && own(c));
  const inFunction = (c: IConstruct) => functions.some((f) => c.node.path.startsWith(`${f.node.path}/`));
  const perFunction = (total: number) => (functions.length > 0 ? Math.ceil(total / functions.length) : 0);
  const usage = { resources: resources.length, functions: functions.length, resourcesPerFunction: perFunction(resources.filter(inFunction).length) };

  // `_toCloudFormation` is how the stack itself renders each element when it writes the template. Should a later
  // aws-cdk-lib rename it, the size is not measured (the resource count still is).
  type Renderable = { _toCloudFormation?: () => Record<string, Record<string, unknown>> };
  if (!elements.every((e) => typeof (e as unknown as Renderable)._toCloudFormation === 'function')) {
    return { ...usage, templateBytes: 0, bytesPerFunction: 0 };
  }
  const template: Record<string, Record<string, unknown>> = {};
  let functionBytes = 0;
  for (const element of elements) {
    const fragment = stack.resolve((element as unknown as Required<Renderable>)._toCloudFormation());
    for (const [section, entries] of Object.entries<Record<string, unknown>>(fragment ?? {})) {
      template[section] = { ...template[section], ...entries };
    }
    if (inFunction(element)) {
      functionBytes += Buffer.byteLength(JSON.stringify(fragment, undefined, 1));
    }
  }
  return { ...usage, templateBytes: Buffer.byteLength(JSON.stringify(template, undefined, 1)), bytesPerFunction: perFunction(functionBytes) };
}
