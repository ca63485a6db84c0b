import * as path from 'path';
import { ICommandHooks, OutputFormat, ServerlessFunction } from '../../src';
import { captureSummary, freshCache, invokeBundle, makeApp, makeProject, synthOneFunction } from '../helpers';

/**
 * Issue 24: the handler check looks at the CommonJS bundle as `afterBundling` left it. Lambda loads `index.js` and
 * calls the export the handler names; AWS (Lambda, Node.js handler): "The handler's name ... index.handler calls the
 * handler function exported by index.js", so a removed file or a replaced export fails every invocation
 * (Runtime.ImportModuleError / Runtime.HandlerNotFound).
 */

class After implements ICommandHooks {
  constructor(private readonly commands: string[]) {}
  public beforeBundling(): string[] {
    return [];
  }
  public afterBundling(_inputDir: string, outputDir: string): string[] {
    return this.commands.map((c) => c.replace(/OUT/g, `"${outputDir}"`));
  }
}

const project = () => makeProject({ 'src/fn.ts': 'export const handler = async () => ({ ok: 1 });\n' });

function build(commands: string[]) {
  const root = project();
  const { app, stack } = makeApp({ cacheDir: freshCache() });
  new ServerlessFunction(stack, 'Fn', {
    entry: path.join(root, 'src/fn.ts'),
    bundling: { format: OutputFormat.CJS, commandHooks: new After(commands) },
  });
  return { app, stack };
}

describe('afterBundling and the handler of a CommonJS bundle', () => {
  test('fails if afterBundling removes index.js', () => {
    const { app } = build(['rm OUT/index.js']);
    expect(() => captureSummary(() => app.synth())).toThrow(/\[Stack\/Fn\] `handler` "handler" is not exported by src\/fn.ts \(exports: none\).*afterBundling/);
  });

  test('fails if afterBundling replaces index.js with a file that exports something else', () => {
    const { app } = build(['printf "exports.other = async () => 2;\\n" > OUT/index.js']);
    expect(() => captureSummary(() => app.synth())).toThrow(/`handler` "handler" is not exported by src\/fn.ts \(exports: other\).*afterBundling/);
  });

  test('accepts a replacement that still exports the handler, and the bundle runs it', async () => {
    const { app, stack } = build(['printf "module.exports = { handler: async () => ({ ok: 2 }) };\\n" > OUT/index.js']);
    const { dir } = synthOneFunction(app, stack);
    expect((await invokeBundle(dir, 'handler')).result).toEqual({ ok: 2 });
  });

  test('accepts an afterBundling that adds files and leaves index.js alone', async () => {
    const { app, stack } = build(['echo v1 > OUT/VERSION']);
    const { dir } = synthOneFunction(app, stack);
    expect((await invokeBundle(dir, 'handler')).result).toEqual({ ok: 1 });
  });
});
