import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { FileProbe } from '../../src/bundling/cache/fingerprint';
import { resolveBundling } from '../../src/bundling/esbuild/build-options';
import { loadEsbuild } from '../../src/bundling/esbuild/loader';
import { ownFileReaders, packageFindings, packageOf, scanFile } from '../../src/bundling/esbuild/own-files';
import { PassEntry, buildGroup, esmExportsOf, packageNameOf, topModules } from '../../src/bundling/esbuild/pass';
import { makeProject } from '../helpers';

describe('esbuild pass helpers', () => {
  test('packageNameOf names the package of an import, and nothing for built-ins, paths and esbuild inputs', () => {
    expect(packageNameOf('lodash-es/groupBy')).toEqual('lodash-es');
    expect(packageNameOf('@aws-sdk/client-s3')).toEqual('@aws-sdk/client-s3');
    expect(packageNameOf('@scope/pkg/deep/file.js')).toEqual('@scope/pkg');
    for (const none of ['fs', 'node:fs', 'fs/promises', './local', '/abs/path', '<runtime>', 'data:text/plain,x']) {
      expect(packageNameOf(none)).toBeUndefined();
    }
  });

  test('packageOf finds the package of an input path, and topModules ranks packages by bytes', () => {
    expect(packageOf('node_modules/a/node_modules/@s/b/index.js')).toEqual('@s/b');
    expect(packageOf('src/x.ts')).toBeUndefined();
    expect(topModules({
      'node_modules/zod/a.js': { bytesInOutput: 10 },
      'node_modules/zod/b.js': { bytesInOutput: 15 },
      'src/x.ts': { bytesInOutput: 20 },
    })).toEqual([{ module: 'zod', bytes: 25 }, { module: 'src/x.ts', bytes: 20 }]);
  });
});

/** The export scan as it was: three regular expressions over the whole text (the reference for `esmExportsOf`). */
function referenceExports(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/(?:^|[;\n}])\s*export\s*\{([^}]*)\}/g)) {
    for (const part of match[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()!.trim();
      if (name) {
        names.push(name.replace(/^["']|["']$/g, ''));
      }
    }
  }
  for (const match of text.matchAll(/(?:^|[;\n}])\s*export\s+(?:async\s+)?(?:function\*?|const|let|var|class)\s+([A-Za-z_$][\w$]*)/g)) {
    names.push(match[1]);
  }
  if (/(?:^|[;\n}])\s*export\s+default\b/.test(text)) {
    names.push('default');
  }
  return [...new Set(names)].sort();
}

describe('esmExportsOf', () => {
  test('reads the export statement esbuild ends a bundle with, minified or not', () => {
    expect(esmExportsOf('var a=1;function b(){}export{b as handler,a as other};\n//# sourceMappingURL=index.mjs.map'))
      .toEqual(['handler', 'other']);
    expect(esmExportsOf('const handler = async () => 1;\nexport {\n  handler\n};\n')).toEqual(['handler']);
    expect(esmExportsOf('var x="export{nope}";function y(){return x}export{y as "quoted"};')).toEqual(['quoted']);
    expect(esmExportsOf('export default function(){}')).toEqual(['default']);
    expect(esmExportsOf('const exported=1;var exports={};')).toEqual([]);
  });

  test('finds what the whole-text scan it replaced found, on generated modules', () => {
    const piece = fc.oneof(
      fc.constantFrom('export{a as handler,b};', 'export { c };', 'export const d = 1;', 'export async function e(){}',
        'export function* f(){}', 'export class G {}', 'export default 1;', 'export let h;', 'export var i;',
        'x.export{j};', 'reexport{k};', '"export{l}";', 'var exported=1;', 'export', 'export{', '}export{m};'),
      fc.stringMatching(/^[a-z ;}{\n\t]{0,12}$/),
    );
    const separator = fc.constantFrom('', ';', '\n', ' ', '}', '\t\n  ', ';\r\n');
    fc.assert(fc.property(fc.array(fc.tuple(separator, piece), { maxLength: 12 }), (parts) => {
      const text = parts.map(([sep, p]) => sep + p).join('');
      expect(esmExportsOf(text)).toEqual(referenceExports(text));
    }), { numRuns: 2000 });
  });
});

describe('ownFileReaders', () => {
  test('a pass scans each package file once, however many bundles hold it', () => {
    const root = makeProject({
      'node_modules/templated/package.json': '{"name":"templated","main":"index.js"}',
      'node_modules/templated/index.js': "require('./a'); require('./b'); require('./c');\n",
      'node_modules/templated/a.js': 'module.exports = 1;\n',
      'node_modules/templated/b.js': 'module.exports = 2;\n',
      'node_modules/templated/c.js': "module.exports = () => require('fs').readFileSync(require('path').join(__dirname, 'x.txt'));\n",
      ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`src/fn${i}.ts`, `import 'templated';\nexport const handler = async () => ${i};\n`])),
    });
    const files = ['index.js', 'a.js', 'b.js', 'c.js'].map((name) => path.join(root, 'node_modules', 'templated', name));
    const entries: PassEntry[] = Array.from({ length: 10 }, (_, i) => {
      const { resolved, problems } = resolveBundling({}, { entry: path.join(root, 'src', `fn${i}.ts`), runtimeName: 'nodejs22.x', cwd: root });
      expect(problems).toEqual([]);
      return { id: `fn${i}`, resolved: resolved! };
    });
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'pass-'));
    // The module object itself (the namespace import is read-only): every `fs` import sees the counting version.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs = require('fs') as typeof fs;
    const reads: string[] = [];
    const readFileSync = nodeFs.readFileSync;
    nodeFs.readFileSync = ((file: fs.PathOrFileDescriptor, options?: any) => {
      reads.push(String(file));
      return readFileSync(file, options);
    }) as typeof fs.readFileSync;
    try {
      const built = buildGroup(loadEsbuild(root), entries, path.join(staging, 'out'), path.join(staging, 'metafiles'), () => ({}));
      expect(built.passes).toBe(1);
      for (const entry of entries) {
        expect(built.bundles.get(entry.id)?.record?.ownFileReaders)
          .toEqual([{ module: 'templated', file: 'templated/c.js', uses: 'path.join(__dirname, …)', line: 1, atLoad: false }]);
      }
      // Read at most once each (a package is not scanned further once one of its files is found), c.js among them.
      const scanned = reads.filter((file) => files.includes(file));
      expect(scanned).toEqual([...new Set(scanned)]);
      expect(scanned).toContain(files[3]);
    } finally {
      nodeFs.readFileSync = readFileSync;
      fs.rmSync(staging, { recursive: true, force: true });
    }
  });

  test('names the first place in each package that reaches its own files on a code path, once a package', () => {
    const root = makeProject({
      'node_modules/plain/index.js': 'module.exports = typeof __dirname;\n',
      'node_modules/templated/a.js': "exports.read = () => fs.readFileSync(path.join(__dirname, 'x.txt'));\n",
      'node_modules/templated/b.js': "exports.b = function () {\n  return require.resolve('./b.json');\n};\n",
      'node_modules/@aws-sdk/client-x/index.js': "fs.readFileSync(path.join(__dirname, 'x'));\n",
    });
    const files = ['plain/index.js', 'templated/a.js', 'templated/b.js', '@aws-sdk/client-x/index.js', 'templated/missing.js']
      .map((name) => path.join(root, 'node_modules', name));
    expect(ownFileReaders(files)).toEqual([{ module: 'templated', file: 'templated/a.js', uses: 'path.join(__dirname, …)', line: 1, atLoad: false }]);
  });

  // Issue 23: jsdom reads its stylesheet when the module loads; pdfkit names its ICC profile and fonts. Those ship
  // installed (findings in `shipInstalled`); pino's worker, named on a code path, is only a warning.
  test('a read when the module loads, or of a data file of the package, is to ship installed; a code path\'s is a warning', () => {
    const root = makeProject({
      'node_modules/sheet/package.json': '{"name":"sheet"}',
      'node_modules/sheet/lib/style.js': 'const css = fs.readFileSync(\n  path.resolve(__dirname, "../browser/default.css"),\n  "utf8");\n',
      'node_modules/sheet/browser/default.css': 'p {}\n',
      'node_modules/fonts/package.json': '{"name":"fonts"}',
      'node_modules/fonts/js/pdf.mjs': "const ICC = new URL('./data/srgb.icc', import.meta.url).href;\nexport const f = () => ICC;\n",
      'node_modules/fonts/js/data/srgb.icc': 'icc',
      'node_modules/loads/package.json': '{"name":"loads"}',
      'node_modules/loads/index.js': "const names = fs.readdirSync(__dirname + '/locales' + suffix);\n",
      'node_modules/worker/package.json': '{"name":"worker"}',
      'node_modules/worker/transport.js': "function transport() {\n  if (x) {\n    return join(__dirname, 'worker.js');\n  }\n}\n",
      'node_modules/worker/worker.js': 'module.exports = 1;\n',
      'node_modules/quoted/package.json': '{"name":"quoted"}',
      'node_modules/quoted/index.js': "const s = '{';\n// {\nexports.f = () => 1;\nconst p = join(__dirname, 'missing.txt');\n",
      // A JSDoc example is no use (@graphql-tools/merge).
      'node_modules/documented/package.json': '{"name":"documented"}',
      'node_modules/documented/index.js': "/**\n * const r = loadFilesSync(path.join(__dirname, './resolvers'));\n */\nexports.merge = (a) => a;\n",
    });
    // A copy nested under another package cannot be installed alone at its version: a warning, not an install.
    fs.cpSync(path.join(root, 'node_modules/sheet'), path.join(root, 'node_modules/worker/node_modules/nested-sheet'), { recursive: true });
    const files = ['sheet/lib/style.js', 'fonts/js/pdf.mjs', 'loads/index.js', 'worker/transport.js', 'quoted/index.js', 'documented/index.js',
      'worker/node_modules/nested-sheet/lib/style.js']
      .map((name) => path.join(root, 'node_modules', name));
    const found = packageFindings(files, scanFile, new FileProbe(), root);
    expect(found.shipInstalled).toEqual([
      { module: 'fonts', reason: "fonts reads its own file js/data/srgb.icc (new URL('…', import.meta.url), fonts/js/pdf.mjs:1)", external: true },
      { module: 'loads', reason: 'loads reads its own files when the module loads (__dirname + "…", loads/index.js:1)', external: true },
      { module: 'sheet', reason: 'sheet reads its own file browser/default.css (path.join(__dirname, …), sheet/lib/style.js:2)', external: true },
    ]);
    expect(found.ownFileReaders).toEqual([
      // Braces in strings and comments are none: computed at the top level, not read there.
      { module: 'nested-sheet', file: 'nested-sheet/lib/style.js', uses: 'path.join(__dirname, …)', line: 2, atLoad: true },
      { module: 'quoted', file: 'quoted/index.js', uses: 'path.join(__dirname, …)', line: 4, atLoad: true },
      { module: 'worker', file: 'worker/transport.js', uses: 'path.join(__dirname, …)', line: 3, atLoad: false },
    ]);
  });
});
