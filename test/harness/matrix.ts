import { App, Stack } from 'aws-cdk-lib';
import { ServerlessFunction, ServerlessFunctionProps } from '../../src';

/**
 * The tables of bad configurations (`bad-input-matrix.test.ts`, `event-sources/synth-checks-matrix.test.ts`): what a
 * row builds in, what it must fail or warn with, and how it is run.
 */

/** What a row builds in: an app, its stack, and a function `Fn` with the fixture handler. */
export interface MatrixContext {
  readonly app: App;
  readonly stack: Stack;
  /** A ServerlessFunction `Fn` with these props (and the table's defaults). */
  fn(props?: Partial<ServerlessFunctionProps>): ServerlessFunction;
}

/** A function `Fn` in `stack`: the fixture handler, the table's defaults, then the row's props. */
export function matrixContext(app: App, stack: Stack, defaults: Partial<ServerlessFunctionProps> & { entry: string }): MatrixContext {
  return { app, stack, fn: (props = {}) => new ServerlessFunction(stack, 'Fn', { ...defaults, ...props }) };
}

/** A configuration that must fail at synth with a message naming the construct, the prop, what is allowed and the value. */
export interface ErrorCase {
  /** What is wrong. */
  readonly name: string;
  /** Needs a real esbuild pass (handler exports, externals); otherwise bundling is skipped. */
  readonly bundled?: boolean;
  readonly build: (c: MatrixContext) => void;
  /** The construct path the message starts with. */
  readonly path: string;
  /** The prop, as the message names it. */
  readonly prop: string;
  /** What is allowed, as the message says it. */
  readonly allowed: string;
  /** The value given, as the message quotes it. */
  readonly given: string;
}

/** A configuration AWS accepts but that must warn, with a stable id. */
export interface WarningCase {
  readonly name: string;
  readonly bundled?: boolean;
  readonly build: (c: MatrixContext) => void;
  /** The construct path the warning is on. @default '/Stack/Fn' */
  readonly path?: string;
  readonly id: string;
}

/** Build the row in the context and synthesize: the message of the error thrown, or undefined. */
export function failureOf(c: MatrixContext, build: (c: MatrixContext) => void): string | undefined {
  try {
    build(c);
    c.app.synth();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
