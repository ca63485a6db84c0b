import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadEsbuild } from '../../src/bundling/esbuild-loader';

describe('loading esbuild', () => {
  test('loads the project copy in-process', () => {
    expect(loadEsbuild(process.cwd()).version).toMatch(/^0\.\d+\.\d+$/);
  });

  test('fails with one sentence saying how to install it when it cannot be found', () => {
    const nowhere = fs.mkdtempSync(path.join(os.tmpdir(), 'no-esbuild-'));
    expect(() => loadEsbuild(nowhere, nowhere)).toThrow(
      new RegExp(`^cdk-lambda-kit bundles with esbuild, which is not installed: run \`npm install --save-dev esbuild@\\^0\\.28\\.2\` in ${nowhere.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.*\\)\\.$`),
    );
  });
});
