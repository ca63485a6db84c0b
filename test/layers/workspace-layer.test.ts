import * as path from 'path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { DependencyLayer } from '../../src';
import { freshCache, makeApp, makeProject, makeUnbundledApp } from '../helpers';

/**
 * A DependencyLayer built from the package.json of a workspace (no lock file beside it): each package at the version
 * the workspace locks in the monorepo's lock file (the full four-manager monorepo is test/bundling/workspaces.test.ts).
 */

/** An npm workspaces monorepo whose root lock places `locked` for packages/layer; the layer asks for `wanted`. */
function monorepo(wanted: Record<string, string>, locked: Record<string, string>): string {
  return makeProject({
    'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
    'package-lock.json': JSON.stringify({
      name: 'mono',
      lockfileVersion: 3,
      packages: {
        '': { name: 'mono', workspaces: ['packages/*'] },
        'packages/layer': { name: 'layer', dependencies: wanted },
        ...Object.fromEntries(Object.entries(locked).map(([name, version]) => [`packages/layer/node_modules/${name}`, { version }])),
      },
    }),
    'packages/layer/package.json': JSON.stringify({ name: 'layer', private: true, dependencies: wanted }),
  });
}

test('installs the version the workspace locks, not the newest in the range', () => {
  const root = monorepo({ ms: '^2.1.0' }, { ms: '2.1.2' });
  const { stack } = makeApp({ cacheDir: freshCache() });
  const layer = new DependencyLayer(stack, 'Deps', { packageJson: path.join(root, 'packages/layer/package.json') });
  expect(layer.moduleVersions).toEqual({ ms: '2.1.2' });
  Annotations.fromStack(stack).hasNoWarning('/Stack/Deps', Match.anyValue());
});

test('warns with a stable id when the lock file does not hold a package, and not once it does (the fix)', () => {
  // "the newest version in range" is what npm installs without a lock: the warning says so.
  const unlocked = monorepo({ 'ms': '2.1.2', 'left-pad': '^1.3.0' }, { ms: '2.1.2' });
  const first = makeUnbundledApp();
  new DependencyLayer(first.stack, 'Deps', { packageJson: path.join(unlocked, 'packages/layer/package.json') });
  Annotations.fromStack(first.stack).hasWarning('/Stack/Deps', Match.stringLikeRegexp(
    '`packageJson`: left-pad is not locked or installed for .*packages/layer/package.json, so the layer gets the newest version in range.*install the workspace.*\\[ack: cdk-lambda-kit:layerDependencyNotLocked\\]'));

  // Following it: installing the workspace puts left-pad in the lock file.
  const installed = monorepo({ 'ms': '2.1.2', 'left-pad': '^1.3.0' }, { 'ms': '2.1.2', 'left-pad': '1.3.0' });
  const second = makeUnbundledApp();
  new DependencyLayer(second.stack, 'Deps', { packageJson: path.join(installed, 'packages/layer/package.json') });
  Annotations.fromStack(second.stack).hasNoWarning('/Stack/Deps', Match.anyValue());
});
