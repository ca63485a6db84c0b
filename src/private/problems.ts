import { IConstruct } from 'constructs';

/**
 * Collects every problem found with one construct's props, so that all of them are reported in one error.
 *
 * Messages follow one shape: the prop in backticks, what is allowed, the value given.
 */
export class Problems {
  private readonly messages: string[] = [];

  constructor(private readonly scope: IConstruct) {}

  /** Record a problem, if there is one. */
  public add(message: string | undefined): void {
    if (message) {
      this.messages.push(message);
    }
  }

  /** Whether any problem was recorded. */
  public get any(): boolean {
    return this.messages.length > 0;
  }

  /** All recorded messages, in the order they were found. */
  public get all(): string[] {
    return [...this.messages];
  }

  /** Throw one error that lists every recorded problem, prefixed with the construct path. */
  public throwIfAny(): void {
    if (this.messages.length === 0) {
      return;
    }
    throw new Error(formatProblems(this.scope.node.path, this.messages));
  }
}

/** Format problems of one construct: `Path: message`, or a list when there are several. */
export function formatProblems(path: string, messages: string[]): string {
  if (messages.length === 1) {
    return `${path}: ${messages[0]}`;
  }
  return `${path}: ${messages.length} problems:\n${messages.map((m) => `  - ${m}`).join('\n')}`;
}
