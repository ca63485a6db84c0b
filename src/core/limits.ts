import { Duration, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';

/**
 * Pure checks of AWS Lambda's limits. Each returns the problem as a sentence (the prop in backticks, what is
 * allowed, the value given) or undefined. Unresolved tokens are never judged.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */

/** Lambda's limit on the environment variables of one function: keys and values, in bytes. */
export const ENVIRONMENT_LIMIT_BYTES = 4096;

/** Lambda's limit on layers per function. */
export const LAYER_LIMIT = 5;

/** Environment variables Lambda reserves: setting one fails the deployment. */
const RESERVED_ENVIRONMENT_KEYS = [
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
];

/**
 * A duration as a message quotes it, exactly. `Duration.toHumanString()` shows two units at most, so it drops what a
 * rule refuses: 90.5 seconds reads "1 minute 30 seconds", 3661 seconds "1 hour 1 minute". Here every unit shows
 * ("1 hour 1 minute 1 second"), and a fraction of a second in a minute or more reads in seconds ("90.5 seconds").
 */
export function formatDuration(value: Duration): string {
  const ms = value.toMilliseconds();
  if (ms % 1000 !== 0 && ms >= 60_000) {
    return `${ms / 1000} seconds`;
  }
  const units: Array<[number, string]> = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second'], [1, 'milli']];
  const parts: string[] = [];
  let rest = ms;
  for (const [size, unit] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) {
      parts.push(`${n} ${unit}${n === 1 && unit !== 'milli' ? '' : 's'}`);
    }
  }
  return parts.length > 0 ? parts.join(' ') : '0 seconds';
}

/** An integer within [min, max]. */
export function checkIntegerRange(prop: string, value: number | undefined, min: number, max: number, unit = ''): string | undefined {
  if (value === undefined || Token.isUnresolved(value)) {
    return undefined;
  }
  const suffix = unit ? ` ${unit}` : '';
  if (!Number.isInteger(value) || value < min || value > max) {
    return `\`${prop}\` must be a whole number from ${min} to ${max}${suffix}, got ${value}${suffix}`;
  }
  return undefined;
}

/** A number within [min, max] (fractions allowed). */
export function checkRange(prop: string, value: number | undefined, min: number, max: number): string | undefined {
  if (value === undefined || Token.isUnresolved(value)) {
    return undefined;
  }
  if (!(value >= min && value <= max)) {
    return `\`${prop}\` must be from ${min} to ${max}, got ${value}`;
  }
  return undefined;
}

/** Memory: 128 to 10,240 MB. */
export function checkMemorySize(value: number | undefined): string | undefined {
  return checkIntegerRange('memorySize', value, 128, 10240, 'MB');
}

/**
 * A duration in whole seconds (or whole minutes) from `min` to `max` of that unit. `range` is how the message states
 * the range ("60 seconds to 6 hours"); by default "`min` to `max`".
 */
export function checkWholeDuration(
  prop: string, value: Duration | undefined, unit: 'seconds' | 'minutes', min: number, max: number, range = `${min} to ${max}`,
): string | undefined {
  if (value === undefined || value.isUnresolved()) {
    return undefined;
  }
  const size = unit === 'seconds' ? 1000 : 60_000;
  const ms = value.toMilliseconds();
  if (ms % size !== 0 || ms < min * size || ms > max * size) {
    return `\`${prop}\` must be whole ${unit} from ${range}, got ${formatDuration(value)}`;
  }
  return undefined;
}

/** Timeout: 1 to 900 seconds (15 minutes), in whole seconds. */
export function checkTimeout(value: Duration | undefined): string | undefined {
  return checkWholeDuration('timeout', value, 'seconds', 1, 900, '1 to 900 seconds (15 minutes)');
}

/** Ephemeral storage: 512 to 10,240 MB. */
export function checkEphemeralStorage(value: Size | undefined): string | undefined {
  if (value === undefined || value.isUnresolved()) {
    return undefined;
  }
  return checkIntegerRange('ephemeralStorageSize', value.toMebibytes({ rounding: SizeRoundingBehavior.NONE }), 512, 10240, 'MB');
}

/**
 * Environment variables: keys are letters, digits and underscores starting with a letter (at least two characters),
 * not reserved by Lambda, and keys plus values fit in 4 KB. Token keys or values are left out of the count.
 */
export function checkEnvironment(variables: Record<string, string> | undefined): string[] {
  const problems: string[] = [];
  let bytes = 0;
  for (const [key, value] of Object.entries(variables ?? {})) {
    if (Token.isUnresolved(key)) {
      continue;
    }
    if (!/^[a-zA-Z][a-zA-Z0-9_]+$/.test(key)) {
      problems.push(`\`environment\` keys must start with a letter and have at least two letters, digits or underscores, got "${key}"`);
    }
    if (RESERVED_ENVIRONMENT_KEYS.includes(key)) {
      problems.push(`\`environment\` must not set "${key}", which Lambda reserves`);
    }
    bytes += Buffer.byteLength(key);
    if (typeof value === 'string' && !Token.isUnresolved(value)) {
      bytes += Buffer.byteLength(value);
    }
  }
  if (bytes > ENVIRONMENT_LIMIT_BYTES) {
    problems.push(`\`environment\` must be at most 4 KB (4096 bytes of keys and values), got ${bytes} bytes`);
  }
  return problems;
}

/**
 * At most five layers, counting those other props add (`insightsVersion`, `paramsAndSecrets`, `adotInstrumentation`,
 * `powertools`): `added` names each prop that adds one.
 */
export function checkLayerCount(count: number, added: string[] = []): string | undefined {
  const total = count + added.length;
  if (total <= LAYER_LIMIT) {
    return undefined;
  }
  if (added.length === 0) {
    return `\`layers\` must hold at most ${LAYER_LIMIT} layers, got ${count}`;
  }
  const props = added.map((p) => `\`${p}\``).join(', ');
  return `\`layers\` must hold at most ${Math.max(0, LAYER_LIMIT - added.length)} layers with ${props}, which add ${added.length === 1 ? 'a layer' : 'a layer each'} ` +
    `(Lambda's limit is ${LAYER_LIMIT} a function), got ${count} in \`layers\`: ${total} in all`;
}

/** An alias name: 1 to 128 letters, digits, `-` or `_`, not only digits. */
export function checkAliasName(name: string): string | undefined {
  if (Token.isUnresolved(name)) {
    return undefined;
  }
  if (!/^[a-zA-Z0-9_-]{1,128}$/.test(name) || /^[0-9]+$/.test(name)) {
    return `\`aliasName\` must be 1 to 128 letters, digits, "-" or "_", and not only digits, got "${name}"`;
  }
  return undefined;
}
