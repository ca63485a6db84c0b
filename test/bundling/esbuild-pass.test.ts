import { packageNameOf, packageOf, topModules } from '../../src/bundling/esbuild-pass';

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
