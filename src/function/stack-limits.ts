import * as fs from 'fs';
import { AspectPriority, Aspects, Annotations, CfnElement, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { afterTemplateWritten } from '../core/template-file';

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
 * Watch a stack's use of CloudFormation's limits, once per stack.
 *
 * The resources are counted when the app is complete (a read-only aspect, after every other aspect). The template is
 * sized from the file the CDK writes, right after it is written and before the stack's artifact (with its warnings)
 * is: that costs one `stat` a stack, where rendering the template a second time cost about 6 ms a function.
 */
export function watchStackLimits(stack: Stack, isFunction: (c: IConstruct) => boolean): void {
  const marked = stack as unknown as Record<symbol, boolean>;
  if (marked[WATCHED]) {
    return;
  }
  marked[WATCHED] = true;
  let errors: string[] = [];
  let counted: ResourceCount | undefined;
  const report = (usage: StackUsage) => {
    const result = checkStackUsage(stack.node.path, usage);
    for (const warning of result.warnings) {
      Annotations.of(stack).addWarningV2(warning.id, warning.message);
    }
    return result.errors;
  };
  const sizedWhenWritten = afterTemplateWritten(stack, (templateFile) => {
    const templateBytes = fs.statSync(templateFile).size;
    const count = counted ?? countResources(stack, isFunction);
    const near = templateBytes >= TEMPLATE_SIZE_LIMIT_BYTES * WARN_AT;
    // The size of the functions' own resources matters only for the message of a warning or an error.
    const bytesPerFunction = near ? perFunction(count, functionBytes(stack, count, JSON.parse(fs.readFileSync(templateFile, 'utf8')))) : 0;
    // The resources were reported by the aspect: only the template's size is reported here.
    const sizeErrors = report({ ...usageOf(count), resources: 0, templateBytes, bytesPerFunction });
    if (sizeErrors.length > 0) {
      throw new Error(`Validation failed with the following errors:\n${sizeErrors.map((e) => `  [${stack.node.path}] ${e}`).join('\n')}`);
    }
  });
  Aspects.of(stack).add({
    visit: (node) => {
      if (node !== stack) {
        return;
      }
      counted = countResources(stack, isFunction);
      if (sizedWhenWritten) {
        errors = report({ ...usageOf(counted), templateBytes: 0, bytesPerFunction: 0 });
      } else {
        errors = report(measure(stack, counted));
      }
    },
  }, { priority: AspectPriority.READONLY });
  stack.node.addValidation({ validate: () => errors });
}

/** The stack's resources, its functions, and the resources inside those functions. */
interface ResourceCount {
  readonly resources: number;
  readonly functions: number;
  /** The CloudFormation elements that belong to a function. */
  readonly functionElements: CfnElement[];
  readonly elements: CfnElement[];
}

function countResources(stack: Stack, isFunction: (c: IConstruct) => boolean): ResourceCount {
  const elements: CfnElement[] = [];
  const functionElements: CfnElement[] = [];
  let resources = 0;
  let functions = 0;
  const visit = (c: IConstruct, inFunction: boolean): void => {
    if (c !== stack && Stack.isStack(c)) {
      return; // nested stacks have templates (and limits) of their own
    }
    const fn = isFunction(c);
    if (fn) {
      functions++;
    }
    if (CfnElement.isCfnElement(c)) {
      elements.push(c);
      if (inFunction) {
        functionElements.push(c);
      }
      if (CfnResource.isCfnResource(c)) {
        resources++;
      }
    }
    for (const child of c.node.children) {
      visit(child, inFunction || fn);
    }
  };
  visit(stack, false);
  return { resources, functions, functionElements, elements };
}

function usageOf(count: ResourceCount): Omit<StackUsage, 'templateBytes' | 'bytesPerFunction'> {
  const inFunctions = count.functionElements.filter((e) => CfnResource.isCfnResource(e)).length;
  return { resources: count.resources, functions: count.functions, resourcesPerFunction: perFunction(count, inFunctions) };
}

function perFunction(count: ResourceCount, total: number): number {
  return count.functions > 0 ? Math.ceil(total / count.functions) : 0;
}

/** The bytes the functions' resources take in the written template (indented by one space, as the CDK writes it). */
function functionBytes(stack: Stack, count: ResourceCount, template: { Resources?: Record<string, unknown> }): number {
  let bytes = 0;
  for (const element of count.functionElements) {
    const id = stack.resolve(element.logicalId);
    const resource = template.Resources?.[id];
    if (resource !== undefined) {
      bytes += Buffer.byteLength(JSON.stringify({ [id]: resource }, undefined, 1));
    }
  }
  return bytes;
}

/** Size the template by rendering it (the CDK writes it indented by one space). */
function measure(stack: Stack, count: ResourceCount): StackUsage {
  const usage = usageOf(count);
  // `_toCloudFormation` is how the stack itself renders each element when it writes the template. Should a later
  // aws-cdk-lib rename it, the size is not measured (the resource count still is).
  type Renderable = { _toCloudFormation?: () => Record<string, Record<string, unknown>> };
  if (!count.elements.every((e) => typeof (e as unknown as Renderable)._toCloudFormation === 'function')) {
    return { ...usage, templateBytes: 0, bytesPerFunction: 0 };
  }
  const inFunction = new Set<CfnElement>(count.functionElements);
  const template: Record<string, Record<string, unknown>> = {};
  let bytes = 0;
  for (const element of count.elements) {
    const fragment = stack.resolve((element as unknown as Required<Renderable>)._toCloudFormation());
    for (const [section, entries] of Object.entries<Record<string, unknown>>(fragment ?? {})) {
      template[section] = { ...template[section], ...entries };
    }
    if (inFunction.has(element)) {
      bytes += Buffer.byteLength(JSON.stringify(fragment, undefined, 1));
    }
  }
  return { ...usage, templateBytes: Buffer.byteLength(JSON.stringify(template, undefined, 1)), bytesPerFunction: perFunction(count, bytes) };
}
