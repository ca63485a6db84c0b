import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { ServerlessFunction } from '../../src';
import { resolveBundling } from '../../src/bundling/esbuild/build-options';
import {
  ESM_DIRNAME_BANNER, ESM_REQUIRE_BANNER, NODE_BUILTINS, addEsmBanner, builtinShimDir, builtinShimFile, builtinShimText, esmBannerFor,
} from '../../src/bundling/esbuild/esm-interop';
import { invokeInLambdaRuntime } from '../../src/testing';
import { bundleDirOf, makeApp, makeProject } from '../helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const esbuild = require('esbuild');

/** The built-ins a bundle's metafile says it imports statically (`import ... from "node:http"`). */
function staticBuiltinImports(metafile: any): string[] {
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  return Object.values<any>(metafile.outputs).flatMap((o) => o.imports ?? [])
    .filter((i: any) => i.kind === 'import-statement' && builtins.has(i.path)).map((i: any) => i.path);
}

describe('the built-ins CommonJS files', () => {
  test('one per Node.js 24 built-in, each requiring it, and none other', () => {
    const dir = builtinShimDir();
    const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.cjs')).sort();
    expect(files).toEqual(NODE_BUILTINS.map(builtinShimFile).sort());
    for (const name of NODE_BUILTINS) {
      expect(fs.readFileSync(path.join(dir, builtinShimFile(name)), 'utf8')).toEqual(builtinShimText(name));
    }
    expect(builtinShimText('http')).toEqual('module.exports = (0, require)("node:http");\n');
  });

  test('every built-in of the Node.js running the tests is among them', () => {
    const names = builtinModules.filter((m) => !NODE_BUILTINS.includes(m) && !NODE_BUILTINS.includes(`node:${m}`));
    expect(names).toEqual([]);
  });
});

describe('esmBannerFor', () => {
  test.each([
    ['var a=1;export{a as handler};', ''],
    ['var s=(e=>typeof require<"u"?require:e)(0);', ESM_REQUIRE_BANNER],
    ['const x=require("x");', ESM_REQUIRE_BANNER],
    ['var _require=1,$require2=2,requireX=3;', ''],
    ['console.log(__lambdaKitDirname);', ESM_DIRNAME_BANNER],
    ['console.log(__lambdaKitFilename,require);', ESM_REQUIRE_BANNER + ESM_DIRNAME_BANNER],
  ])('%s', (text, banner) => {
    expect(esmBannerFor(text)).toEqual(banner);
  });

  test('addEsmBanner keeps a hashbang first and moves the source map down one line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-kit-banner-'));
    const file = path.join(dir, 'index.mjs');
    fs.writeFileSync(file, '#!/usr/bin/env node\nconst a=require("x");\n//# sourceMappingURL=index.mjs.map\n');
    fs.writeFileSync(`${file}.map`, JSON.stringify({ version: 3, sources: ['a.ts'], mappings: ';AAAA' }));
    expect(addEsmBanner(file)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toEqual(`#!/usr/bin/env node\n${ESM_REQUIRE_BANNER}\nconst a=require("x");\n//# sourceMappingURL=index.mjs.map\n`);
    expect(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')).mappings).toEqual(';;AAAA');
  });
});

describe('ESM bundles load built-ins through require, and get the banner only when they use it', () => {
  const root = makeProject({
    'src/hello.ts': 'export const handler = async () => ({ hello: "world" });\n',
    'src/http.ts': [
      "import http, { STATUS_CODES } from 'node:http';",
      "import * as fs from 'fs';",
      "import { readFile } from 'node:fs/promises';",
      "import 'node:zlib';",
      'export const handler = async () => ({ ok: STATUS_CODES[200], agent: typeof http.Agent, read: typeof readFile, fs: typeof fs.default.readFileSync });',
    ].join('\n'),
    // A dependency that needs `require` (a built-in, from CommonJS) and `__dirname` (a file beside it).
    'node_modules/needs-require/package.json': JSON.stringify({ name: 'needs-require', version: '1.0.0', main: 'index.js' }),
    'node_modules/needs-require/index.js': "const os = require('os');\nmodule.exports = () => os.EOL.length;\n",
    'node_modules/needs-dirname/package.json': JSON.stringify({ name: 'needs-dirname', version: '1.0.0', main: 'index.js' }),
    'node_modules/needs-dirname/index.js': 'module.exports = () => typeof __dirname;\n',
    'src/dep-require.ts': "import eol from 'needs-require';\nexport const handler = async () => ({ eol: eol() });\n",
    'src/dep-dirname.ts': "import dir from 'needs-dirname';\nexport const handler = async () => ({ dir: dir() });\n",
  });
  const { app, stack } = makeApp();
  for (const name of ['Hello', 'Http', 'DepRequire', 'DepDirname']) {
    const file = name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
    new ServerlessFunction(stack, name, { entry: path.join(root, `src/${file}.ts`) });
  }
  const code = (name: string) => fs.readFileSync(path.join(bundleDirOf(app, stack, name), 'index.mjs'), 'utf8');
  const run = (name: string) => invokeInLambdaRuntime({ bundleDir: bundleDirOf(app, stack, name), handler: 'index.handler' }, {});

  test('a bundle that uses none of require, __dirname, __filename gets no banner', async () => {
    expect(code('Hello')).not.toMatch(/createRequire|import/);
    await expect(run('Hello')).resolves.toEqual({ hello: 'world' });
  });

  test('static imports of built-ins become require calls, with the require banner only', async () => {
    const text = code('Http');
    expect(text.startsWith(ESM_REQUIRE_BANNER + '\n')).toBe(true);
    expect(text).not.toContain(ESM_DIRNAME_BANNER);
    expect(text.slice(ESM_REQUIRE_BANNER.length)).not.toMatch(/\bfrom\s*["'](node:)?(http|fs|fs\/promises|zlib)["']|import\s*["']/);
    expect(text).toMatch(/\("node:http"\)/);
    await expect(run('Http')).resolves.toEqual({ ok: 'OK', agent: 'function', read: 'function', fs: 'function' });
  });

  test('a dependency that needs require gets it', async () => {
    expect(code('DepRequire').startsWith(ESM_REQUIRE_BANNER + '\n')).toBe(true);
    await expect(run('DepRequire')).resolves.toEqual({ eol: 1 });
  });

  test('a dependency that needs __dirname gets it, without require', async () => {
    const text = code('DepDirname');
    expect(text.startsWith(ESM_DIRNAME_BANNER + '\n')).toBe(true);
    expect(text).not.toContain('createRequire');
    await expect(run('DepDirname')).resolves.toEqual({ dir: 'string' });
  });
});

/**
 * Differential property test: a generated module graph importing built-ins in every form is run by Node.js as it is
 * (native ES module semantics) and bundled; both must give the same observations, and the bundle must import no
 * built-in statically.
 */
describe('built-ins keep their ES module semantics (property)', () => {
  // Built-ins that print to stdout, start a runner or need flags are left out; the rest of this Node's are used.
  const SKIP = new Set(['repl', 'test', 'test/reporters', 'sea', 'sqlite', 'inspector', 'inspector/promises', 'wasi', 'trace_events']);
  const names = builtinModules.filter((m) => !m.startsWith('_') && !SKIP.has(m.replace(/^node:/, '')));
  const identifier = /^[A-Za-z_$][\w$]*$/;
  const keysOf = (name: string): string[] =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Object.keys(require(name)).filter((k) => identifier.test(k) && k !== 'default').slice(0, 40);

  const importForm = fc.constantFrom('default', 'named', 'namespace', 'side-effect', 'reexport-named', 'reexport-namespace', 'reexport-star', 'reexport-default');
  const usage = fc.record({ name: fc.constantFrom(...names), prefixed: fc.boolean(), form: importForm, keyIndex: fc.nat() });

  function moduleFor(u: { name: string; prefixed: boolean; form: string; keyIndex: number }, i: number): Record<string, string> {
    const bare = u.name.replace(/^node:/, '');
    const spec = u.prefixed || u.name.startsWith('node:') ? `node:${bare}` : bare;
    const keys = keysOf(u.name);
    const key = keys.length ? keys[u.keyIndex % keys.length] : undefined;
    const req = "import { createRequire as cr } from 'node:module'; const req = cr(import.meta.url);";
    const exact = (v: string) => `${v} === req(${JSON.stringify(u.name)})`;
    const keyFacts = (ns: string) => key ? `, key: ${JSON.stringify(key)}, same: ${ns}.${key} === req(${JSON.stringify(u.name)}).${key}, type: typeof ${ns}.${key}` : '';
    const probe = (body: string) => `${req}\nexport const probe = () => (${body});\n`;
    switch (u.form) {
      case 'default':
        return { [`m${i}.mjs`]: `import x from '${spec}';\n${probe(`{ isExports: ${exact('x')} }`)}` };
      case 'named':
        return key ? { [`m${i}.mjs`]: `import { ${key} as k } from '${spec}';\n${probe(`{ same: k === req(${JSON.stringify(u.name)}).${key}, type: typeof k }`)}` }
          : { [`m${i}.mjs`]: `import x from '${spec}';\n${probe(`{ isExports: ${exact('x')} }`)}` };
      case 'namespace':
        return { [`m${i}.mjs`]: `import * as ns from '${spec}';\n${probe(`{ keys: Object.keys(ns).sort(), isDefault: ${exact('ns.default')}${keyFacts('ns')} }`)}` };
      case 'side-effect':
        return { [`m${i}.mjs`]: `import '${spec}';\n${probe('{ imported: true }')}` };
      case 'reexport-named':
        return key ? {
          [`r${i}.mjs`]: `export { ${key} } from '${spec}';\n`,
          [`m${i}.mjs`]: `import { ${key} as k } from './r${i}.mjs';\n${probe(`{ same: k === req(${JSON.stringify(u.name)}).${key} }`)}`,
        } : { [`m${i}.mjs`]: `import '${spec}';\n${probe('{ imported: true }')}` };
      case 'reexport-namespace':
        return {
          [`r${i}.mjs`]: `export * as ns from '${spec}';\n`,
          [`m${i}.mjs`]: `import { ns } from './r${i}.mjs';\n${probe(`{ keys: Object.keys(ns).sort(), isDefault: ${exact('ns.default')}${keyFacts('ns')} }`)}`,
        };
      case 'reexport-star':
        return key ? {
          [`r${i}.mjs`]: `export * from '${spec}';\n`,
          [`m${i}.mjs`]: `import * as r from './r${i}.mjs';\n${probe(`{ hasDefault: 'default' in r${keyFacts('r')} }`)}`,
        } : { [`m${i}.mjs`]: `import '${spec}';\n${probe('{ imported: true }')}` };
      default:
        return {
          [`r${i}.mjs`]: `export { default as d } from '${spec}';\n`,
          [`m${i}.mjs`]: `import { d } from './r${i}.mjs';\n${probe(`{ isExports: ${exact('d')} }`)}`,
        };
    }
  }

  const runEntry = (file: string, cwd: string): unknown => JSON.parse(execFileSync(process.execPath, ['--no-warnings', '--input-type=module', '-e',
    `const m = await import(${JSON.stringify(file)}); process.stdout.write(JSON.stringify(await m.handler()));`], { cwd, encoding: 'utf8' }));

  test('native import and bundle agree, and the bundle imports no built-in statically', () => {
    fc.assert(fc.property(fc.array(usage, { minLength: 1, maxLength: 5 }), (usages) => {
      const files: Record<string, string> = {};
      usages.forEach((u, i) => Object.assign(files, moduleFor(u, i)));
      files['entry.mjs'] = usages.map((_, i) => `import { probe as p${i} } from './m${i}.mjs';`).join('\n') +
        `\nexport const handler = async () => [${usages.map((_, i) => `p${i}()`).join(', ')}];\n`;
      const root = makeProject(files);
      const { resolved } = resolveBundling({}, { entry: 'entry.mjs', runtimeName: 'nodejs24.x', cwd: root });
      const outdir = path.join(root, 'out');
      const result = esbuild.buildSync({ ...resolved!.buildOptions, entryPoints: [path.join(root, 'entry.mjs')], outdir, metafile: true, logLevel: 'silent' });
      expect(staticBuiltinImports(result.metafile)).toEqual([]);
      addEsmBanner(path.join(outdir, 'entry.mjs'));
      const bundled = runEntry(path.join(outdir, 'entry.mjs'), root);
      const native = runEntry(path.join(root, 'entry.mjs'), root);
      expect(bundled).toEqual(native);
      fs.rmSync(root, { recursive: true, force: true });
    }), { numRuns: 40 });
  });
});
