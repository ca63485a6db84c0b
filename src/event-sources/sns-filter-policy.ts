import * as sns from 'aws-cdk-lib/aws-sns';
import { isToken } from './delivery';

/**
 * The constraints Amazon SNS puts on a subscription's filter policy, checked on the policy as SNS receives it.
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html
 */

/** "A filter policy can have a maximum of five keys." */
const MAX_KEYS = 5;
/** "The total combination of values in a filter policy must not exceed 150." */
const MAX_COMBINATIONS = 150;
/** "For numeric matching, the value can range from -10^9 to 10^9 ..., with five digits of accuracy after the decimal point." */
const NUMERIC_LIMIT = 1e9;
/** "The maximum size of a filter policy is 256 KB." */
const MAX_BYTES = 256 * 1024;
/** The content filters SNS knows. */
const OPERATORS = ['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'equals-ignore-case', 'cidr'];

/** A message-attribute policy as SNS receives it: each attribute's conditions. */
export function renderAttributePolicy(policy: { [attribute: string]: sns.SubscriptionFilter }): Record<string, unknown> {
  return Object.fromEntries(Object.entries(policy).map(([k, v]) => [k, v.conditions]));
}

/** A message-body policy as SNS receives it: nested policies and each leaf's conditions. */
export function renderBodyPolicy(policy: { [attribute: string]: sns.FilterOrPolicy }): Record<string, unknown> {
  return Object.fromEntries(Object.entries(policy).map(([k, v]) => [k,
    v.isPolicy() ? renderBodyPolicy((v as sns.Policy).policyDoc) : (v as sns.Filter).filterDoc.conditions]));
}

/**
 * What is wrong with a rendered filter policy: more than five keys, more than 150 combinations of values, a
 * nested policy where only attributes are filtered, empty value lists, conditions SNS does not know, numbers out of
 * range or with more than five decimals, numeric ranges that match nothing, and a policy over 256 KB.
 */
export function checkFilterPolicy(prop: string, policy: Record<string, unknown>, nestedAllowed: boolean): string[] {
  const problems: string[] = [];
  const keys: string[] = [];
  const combinations = walk(prop, policy, '', nestedAllowed, keys, problems);
  if (keys.length > MAX_KEYS) {
    problems.push(`\`${prop}\` must have at most ${MAX_KEYS} keys (SNS's limit), got ${keys.length}: ${keys.join(', ')}`);
  }
  if (combinations > MAX_COMBINATIONS) {
    problems.push(`\`${prop}\` must have at most ${MAX_COMBINATIONS} combinations of values (the product of the number of values of each key, SNS's limit), got ${combinations}`);
  }
  const bytes = Buffer.byteLength(JSON.stringify(policy));
  if (bytes > MAX_BYTES) {
    problems.push(`\`${prop}\` must be at most 256 KB (SNS's limit), got ${Math.ceil(bytes / 1024)} KB`);
  }
  return problems;
}

/** Checks one level of a policy; returns its number of combinations and collects its leaf keys. */
function walk(prop: string, node: Record<string, unknown>, at: string, nestedAllowed: boolean, keys: string[], problems: string[]): number {
  let combinations = 1;
  for (const [key, value] of Object.entries(node)) {
    const path = at ? `${at}.${key}` : key;
    if (key === '$or' && Array.isArray(value)) {
      combinations *= value.reduce((n: number, branch) => n + (typeof branch === 'object' && branch !== null
        ? walk(prop, branch as Record<string, unknown>, at, nestedAllowed, keys, problems) : 0), 0);
      continue;
    }
    if (Array.isArray(value)) {
      keys.push(path);
      if (value.length === 0) {
        problems.push(`\`${prop}\` ${path} must list at least one value (an empty list matches no message), got []`);
      }
      value.forEach((condition) => checkCondition(prop, path, condition, problems));
      combinations *= Math.max(1, value.length);
    } else if (typeof value === 'object' && value !== null && !isToken(value)) {
      if (!nestedAllowed) {
        problems.push(`\`${prop}\` ${path} must be a list of conditions: SNS accepts nested policies only for the message body (\`filterPolicyWithMessageBody\`), got ${JSON.stringify(value)}`);
        continue;
      }
      combinations *= walk(prop, value as Record<string, unknown>, path, nestedAllowed, keys, problems);
    }
  }
  return combinations;
}

function checkCondition(prop: string, path: string, condition: unknown, problems: string[]): void {
  if (typeof condition === 'number') {
    checkNumber(prop, path, condition, problems);
    return;
  }
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    return;
  }
  const entries = Object.entries(condition as Record<string, unknown>);
  const unknown = entries.filter(([op]) => !OPERATORS.includes(op));
  if (unknown.length > 0) {
    problems.push(`\`${prop}\` ${path} conditions must use ${OPERATORS.join(', ')}, got ${JSON.stringify(condition)}`);
    return;
  }
  for (const [op, operand] of entries) {
    if (op === 'numeric' && Array.isArray(operand)) {
      operand.filter((v): v is number => typeof v === 'number').forEach((v) => checkNumber(prop, path, v, problems));
      if (operand.length === 4) {
        const [lowOp, low, highOp, high] = operand as [string, number, string, number];
        const empty = !(['>', '>='].includes(lowOp) && ['<', '<='].includes(highOp)) || low >= high;
        if (empty) {
          problems.push(`\`${prop}\` ${path} numeric range must go from a lower bound (">" or ">=") up to a higher one ("<" or "<="), got ${JSON.stringify(operand)}, which matches no number`);
        }
      }
    }
  }
}

function checkNumber(prop: string, path: string, value: number, problems: string[]): void {
  if (isToken(value)) {
    return;
  }
  const decimals = (String(value).split('.')[1] ?? '').length;
  if (Math.abs(value) > NUMERIC_LIMIT || decimals > 5 || String(value).includes('e')) {
    problems.push(`\`${prop}\` ${path} numbers must be from -1000000000 to 1000000000 with at most five decimals (SNS's limits), got ${value}`);
  }
}
