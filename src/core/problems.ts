/**
 * Format the problems found with one construct's props as one message: `Path: message`, or a list when there are
 * several. Each message names the prop in backticks, what is allowed, and the value given.
 */
export function formatProblems(path: string, messages: string[]): string {
  if (messages.length === 1) {
    return `${path}: ${messages[0]}`;
  }
  return `${path}: ${messages.length} problems:\n${messages.map((m) => `  - ${m}`).join('\n')}`;
}

/** A non-fatal concern for `Annotations.addWarningV2`: its stable id (`cdk-lambda-kit:<id>`) and the message. */
export interface Warning {
  readonly id: string;
  readonly message: string;
}
