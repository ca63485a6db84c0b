import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { esmExportsOf, ownFileReaders, packageNameOf, packageOf, topModules } from '../../src/bundling/esbuild-pass';
import { FileProbe } from '../../src/bundling/fingerprint';

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
  test('reads each file once per pass, however many bundles hold it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'own-files-'));
    const pkg = path.join(dir, 'node_modules', 'templated');
    fs.mkdirSync(pkg, { recursive: true });
    const files = ['a.js', 'b.js', 'c.js'].map((name) => path.join(pkg, name));
    files.forEach((file, i) => fs.writeFileSync(file, i === 2 ? "fs.readFileSync(path.join(__dirname, 'x.txt'))" : 'module.exports = 1;'));
    const probe = new FileProbe();
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
      for (let bundle = 0; bundle < 10; bundle++) {
        expect(ownFileReaders(files, probe)).toEqual([{ module: 'templated', file: 'templated/c.js', uses: 'path.join(__dirname, …)' }]);
      }
      expect(reads.filter((file) => files.includes(file))).toHaveLength(3);
    } finally {
      nodeFs.readFileSync = readFileSync;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
