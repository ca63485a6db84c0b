import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { formatProblems } from './problems';
import { afterTemplateWritten } from './template-file';

/**
 * CloudFormation's own rules as errors, for the resources this library creates or binds to its functions.
 *
 * aws-cdk-lib (2.276 and later) validates every synthesized template against CloudFormation's resource schemas and
 * rules (its `CloudFormationValidatePlugin`), and reports what it finds as warnings unless the app sets
 * `@aws-cdk/core:validateAgainstDefaultRules`. A value CloudFormation refuses fails the deployment whatever that
 * flag says; for the resources of this library's constructs, and the resources bound to its functions (event source
 * mappings, permissions, subscriptions, rule targets and the queues and streams mappings read), such a finding is an
 * error at synth, under the construct path that made the resource.
 *
 * The validator runs once per template: this library asks aws-cdk-lib's validator for the report of a stack right
 * after the stack's template is written, and hands the same report to aws-cdk-lib when it validates the app (see
 * `sharedValidator`). Findings of severity WARN stay aws-cdk-lib's warnings.
 */

/** What the validator reports (aws-cdk-lib's `PolicyValidationPluginReportBeta1`, as far as it is read here). */
interface Report {
  success: boolean;
  violations: Violation[];
}

interface Violation {
  ruleName: string;
  description: string;
  severity?: string;
  fix?: string;
  violatingResources: Array<{ resourceLogicalId?: string; templatePath: string; locations: string[]; constructPath?: string }>;
}

interface StackTemplate {
  stackConstructPath: string;
  templatePath: string;
  accountId?: string;
  region?: string;
}

interface ValidationContext {
  templatePaths: string[];
  stackTemplates: StackTemplate[];
  [key: string]: unknown;
}

interface Validator {
  validate(context: ValidationContext): Report;
}

const SHARED = Symbol.for('cdk-lambda-kit.templateRules.shared');
const OWNER = Symbol.for('cdk-lambda-kit.templateRules.owner');
const WATCHED = Symbol.for('cdk-lambda-kit.templateRules.watched');
/** Reports kept for aws-cdk-lib's own run; a report is handed over once, and the oldest go past this many. */
const MAX_CACHED = 200;

/**
 * aws-cdk-lib's validator, wrapped once so that a template this library has validated already is not validated a
 * second time: aws-cdk-lib's own run gets the report this library asked for. Undefined on an aws-cdk-lib without
 * the validator.
 */
function sharedValidator(): { run: (template: StackTemplate, appConstruct: IConstruct) => Report } | undefined {
  const pluginClass = (cdk as unknown as { CloudFormationValidatePlugin?: { _singletonInstance?: () => unknown } }).CloudFormationValidatePlugin;
  const plugin = pluginClass?._singletonInstance?.() as (Validator & { [SHARED]?: { run: (t: StackTemplate, a: IConstruct) => Report } }) | undefined;
  if (!plugin || typeof plugin.validate !== 'function') {
    return undefined;
  }
  if (!plugin[SHARED]) {
    const original = plugin.validate.bind(plugin);
    const cache = new Map<string, Report>();
    const keyOf = (t: StackTemplate) => {
      const file = path.resolve(t.templatePath);
      try {
        return `${file}\0${t.accountId ?? ''}\0${t.region ?? ''}\0${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;
      } catch {
        return undefined;
      }
    };
    plugin.validate = (context: ValidationContext): Report => {
      const reused: Report[] = [];
      const rest: StackTemplate[] = [];
      for (const t of context.stackTemplates) {
        const key = keyOf(t);
        const report = key === undefined ? undefined : cache.get(key);
        if (key !== undefined && report) {
          cache.delete(key);
          reused.push(report);
        } else {
          rest.push(t);
        }
      }
      if (reused.length === 0) {
        return original(context);
      }
      const fresh = rest.length > 0 ? [original({ ...context, templatePaths: rest.map((t) => t.templatePath), stackTemplates: rest })] : [];
      return mergeReports([...reused, ...fresh]);
    };
    plugin[SHARED] = {
      run: (template, appConstruct) => {
        const report = original({ templatePaths: [template.templatePath], stackTemplates: [template], appConstruct });
        const key = keyOf(template);
        if (key !== undefined) {
          cache.set(key, JSON.parse(JSON.stringify(report)));
          while (cache.size > MAX_CACHED) {
            cache.delete(cache.keys().next().value as string);
          }
        }
        return report;
      },
    };
  }
  return plugin[SHARED];
}

/** One report of several, grouped as aws-cdk-lib's validator groups one: same rule, severity and description. */
function mergeReports(reports: Report[]): Report {
  const violations: Violation[] = [];
  for (const v of reports.flatMap((r) => r.violations)) {
    const existing = violations.find((e) => e.ruleName === v.ruleName && e.severity === v.severity && e.description === v.description);
    if (existing) {
      existing.violatingResources.push(...v.violatingResources);
    } else {
      violations.push(v);
    }
  }
  return { success: violations.every((v) => v.severity !== 'error' && v.severity !== 'fatal'), violations };
}

/** Whether aws-cdk-lib's validator is turned off for the app (`CDK_VALIDATION=false`, `builtinCloudFormationValidation: false`). */
function validatorOff(stack: Stack): boolean {
  const app = stack.node.root as { _builtinCloudFormationValidation?: boolean };
  return process.env.CDK_VALIDATION === 'false' || app._builtinCloudFormationValidation === false;
}

/**
 * Make CloudFormation's rules errors for the resources under `owner` (a construct of this library) and, when it is a
 * function, for the resources bound to it.
 */
export function enforceTemplateRules(owner: IConstruct): void {
  (owner as unknown as Record<symbol, boolean>)[OWNER] = true;
  const stack = Stack.of(owner);
  const marked = stack as unknown as Record<symbol, boolean>;
  if (marked[WATCHED]) {
    return;
  }
  marked[WATCHED] = true;
  afterTemplateWritten(stack, (templateFile) => {
    if (validatorOff(stack)) {
      return;
    }
    const validator = sharedValidator();
    if (!validator) {
      return;
    }
    const known = (v: string) => (cdk.Token.isUnresolved(v) ? undefined : v);
    const report = validator.run({
      stackConstructPath: stack.node.path,
      templatePath: templateFile,
      accountId: known(stack.account),
      region: known(stack.region),
    }, stack.node.root);
    const errors = report.violations.filter((v) => v.severity === 'error' || v.severity === 'fatal');
    if (errors.length === 0) {
      return;
    }
    const problems = templateRuleProblems(stack, templateFile, errors);
    if (problems.length > 0) {
      throw new Error(problems.join('\n'));
    }
  });
}

/** The resources of a stack this library answers for: logical ID → the construct and, when bound, the function. */
interface Owned {
  readonly resource: CfnResource;
  readonly boundTo?: IConstruct;
}

function templateRuleProblems(stack: Stack, templateFile: string, errors: Violation[]): string[] {
  const owned = ownedResources(stack, templateFile);
  const byResource = new Map<string, { path: string; problems: string[] }>();
  for (const v of errors) {
    for (const r of v.violatingResources) {
      const o = r.resourceLogicalId ? owned.get(r.resourceLogicalId) : undefined;
      if (!o || acknowledged(o.resource, v.ruleName)) {
        continue;
      }
      const where = constructPath(o.resource);
      const entry = byResource.get(where) ?? { path: where, problems: [] };
      byResource.set(where, entry);
      const location = r.locations[0]?.replace(/^Properties\./, '');
      const detail = location && v.description.startsWith(`${location}: `) ? v.description.slice(location.length + 2) : v.description;
      const prop = location ? `\`${location}\` of the ${o.resource.cfnResourceType}` : `the ${o.resource.cfnResourceType}`;
      const bound = o.boundTo ? ` (bound to ${o.boundTo.node.path})` : '';
      entry.problems.push(`${prop}${bound}: ${detail.replace(/\.$/, '')}. CloudFormation refuses it at deploy ` +
        `(rule ${v.ruleName} of its resource schemas, from aws-cdk-lib's template validator)${v.fix ? `; ${v.fix}` : ''}`);
    }
  }
  return [...byResource.values()].map((e) => formatProblems(e.path, e.problems));
}

/** Whether `Validations.of(x).acknowledge({ id: 'CloudFormation-Validate::<rule>' })` covers the resource. */
function acknowledged(resource: IConstruct, rule: string): boolean {
  const id = `CloudFormation-Validate::${rule}`;
  return resource.node.scopes.some((s) => s.node.metadata.some((m) =>
    m.type === cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY && typeof m.data === 'object' && m.data !== null && id in m.data));
}

/**
 * Resources under a construct of this library, and the stack's resources bound to one of its functions: those that
 * refer to the function, a version or an alias (event source mappings, permissions, subscriptions, rules, event
 * invoke configs), and the event sources of such mappings.
 */
function ownedResources(stack: Stack, templateFile: string): Map<string, Owned> {
  const owned = new Map<string, Owned>();
  const all = new Map<string, CfnResource>();
  const functions = new Map<string, IConstruct>();
  const visit = (c: IConstruct, owner: IConstruct | undefined): void => {
    if (c !== stack && Stack.isStack(c)) {
      return;
    }
    const own = (c as unknown as Record<symbol, boolean>)[OWNER] ? c : owner;
    if (CfnResource.isCfnResource(c)) {
      const id = stack.resolve(c.logicalId) as string;
      all.set(id, c);
      if (own) {
        owned.set(id, { resource: c });
        if (c instanceof lambda.CfnFunction || c instanceof lambda.CfnAlias || c instanceof lambda.CfnVersion) {
          functions.set(id, own);
        }
      }
    }
    for (const child of c.node.children) {
      visit(child, own);
    }
  };
  visit(stack, undefined);
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    const c = all.get(id);
    if (!c) {
      continue;
    }
    const fn = referencedIds(resource.Properties).map((ref) => functions.get(ref)).find((f) => f !== undefined);
    if (!fn) {
      continue;
    }
    if (!owned.has(id)) {
      owned.set(id, { resource: c, boundTo: fn });
    }
    if (resource.Type === 'AWS::Lambda::EventSourceMapping') {
      for (const ref of referencedIds(resource.Properties?.EventSourceArn)) {
        const source = all.get(ref);
        if (source && !owned.has(ref)) {
          owned.set(ref, { resource: source, boundTo: fn });
        }
      }
    }
  }
  return owned;
}

/** The path of the construct a resource stands for: its L2 construct when it is one's default child. */
function constructPath(resource: CfnResource): string {
  const scope = resource.node.scope;
  return scope && scope.node.defaultChild === resource ? scope.node.path : resource.node.path;
}

/** Logical IDs referenced (`Ref`, `Fn::GetAtt`) anywhere in a template value. */
export function referencedIds(value: unknown): string[] {
  const ids: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      for (const [key, inner] of Object.entries(v)) {
        if (key === 'Ref' && typeof inner === 'string') {
          ids.push(inner);
        } else if (key === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string') {
          ids.push(inner[0]);
        } else if (key === 'Fn::GetAtt' && typeof inner === 'string') {
          ids.push(inner.split('.')[0]);
        } else {
          walk(inner);
        }
      }
    }
  };
  walk(value);
  return ids;
}
