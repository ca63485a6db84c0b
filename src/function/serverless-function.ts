import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { BundledCode } from '../bundling/bundled-code';
import { BundlingOptions } from '../bundling/bundling-options';
import { loadEsbuild } from '../bundling/esbuild-loader';
import { checkHandlerName, resolveBundling } from '../private/esbuild-options';
import { formatProblems } from '../private/problems';

/**
 * Properties of a {@link ServerlessFunction}.
 *
 * Every option of `lambda.Function` (besides `code`, which the bundler produces) passes through unchanged.
 */
export interface ServerlessFunctionProps extends lambda.FunctionOptions {
  /**
   * The handler's source file (`.ts`, `.mts`, `.cts`, `.tsx`, `.js`, `.mjs`, `.cjs` or `.jsx`), absolute or relative
   * to the directory `cdk` runs in.
   */
  readonly entry: string;

  /**
   * The name of the exported function Lambda invokes.
   *
   * Checked at synth against the bundle's exports.
   *
   * @default 'handler'
   */
  readonly handler?: string;

  /**
   * The Node.js runtime.
   *
   * Decides the esbuild target and whether the AWS SDK v3 is provided by the runtime.
   *
   * @default lambda.Runtime.NODEJS_24_X
   * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
   */
  readonly runtime?: lambda.Runtime;

  /**
   * How the entry is bundled with esbuild.
   *
   * @default - ESM, minified, tree-shaken, `@aws-sdk/*` external, no source map
   */
  readonly bundling?: BundlingOptions;
}

/**
 * A Node.js Lambda function bundled with esbuild in-process, in one pass with every other function of the app,
 * and cached between synths.
 *
 * It is a `lambda.Function`: pass it wherever aws-cdk-lib takes a `lambda.IFunction`.
 */
export class ServerlessFunction extends lambda.Function {
  /** The name of the exported function Lambda invokes. */
  public readonly handlerExport: string;

  /** The entry file, as an absolute path. */
  public readonly entry: string;

  constructor(scope: Construct, id: string, props: ServerlessFunctionProps) {
    const path = scope.node.path ? `${scope.node.path}/${id}` : id;
    const handlerExport = props.handler ?? 'handler';
    const runtime = props.runtime ?? lambda.Runtime.NODEJS_24_X;

    const problems: string[] = [];
    const handlerProblem = checkHandlerName(handlerExport);
    if (handlerProblem) {
      problems.push(handlerProblem);
    }
    const { resolved, problems: bundlingProblems } = resolveBundling(props.bundling ?? {}, {
      entry: props.entry,
      runtimeName: runtime.name,
      cwd: process.cwd(),
    });
    problems.push(...bundlingProblems);
    if (problems.length > 0 || !resolved) {
      throw new Error(formatProblems(path, problems));
    }
    if (Stack.of(scope).bundlingRequired) {
      loadEsbuild(resolved.projectRoot);
    }

    const code = new BundledCode(resolved);
    super(scope, id, {
      ...props,
      runtime,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      handler: `index.${handlerExport}`,
      code,
    });
    this.handlerExport = handlerExport;
    this.entry = resolved.entry;

    if (resolved.sourceMap) {
      const nodeOptions = props.environment?.NODE_OPTIONS ?? '';
      if (!nodeOptions.includes('--enable-source-maps')) {
        this.addEnvironment('NODE_OPTIONS', `${nodeOptions} --enable-source-maps`.trim());
      }
    }

    this.node.addValidation({ validate: () => code.problems(handlerExport) });
  }
}
