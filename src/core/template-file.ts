import * as path from 'path';
import { ISynthesisSession, Stack } from 'aws-cdk-lib';

/**
 * Call `written` with the absolute path of the stack's template right after the CDK has written it (and before the
 * stack's artifact, with its warnings, is). `_synthesizeTemplate` is how a stack writes its template (aws-cdk-lib's
 * synthesizers call it); should a later aws-cdk-lib rename it, this returns false and nothing is called.
 */
export function afterTemplateWritten(stack: Stack, written: (templateFile: string) => void): boolean {
  type Writer = { _synthesizeTemplate?: (session: ISynthesisSession, ...rest: unknown[]) => unknown };
  const writer = stack as unknown as Writer;
  const original = writer._synthesizeTemplate;
  if (typeof original !== 'function') {
    return false;
  }
  writer._synthesizeTemplate = function (this: Stack, session: ISynthesisSession, ...rest: unknown[]) {
    const result = original.call(this, session, ...rest);
    written(path.resolve(session.assembly.outdir, stack.templateFile));
    return result;
  };
  return true;
}
