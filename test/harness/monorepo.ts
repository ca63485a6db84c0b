import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The monorepo of test/fixtures/monorepo installed by a real package manager (the versions pinned in the
 * repository's devDependencies), once per fixture content: installs are kept in node_modules/.cache, and every test
 * works on a copy (symbolic links copied as links, so pnpm's and the workspaces' stay relative and valid).
 */

export type Manager = 'npm' | 'pnpm' | 'yarn-classic' | 'yarn-pnp';
export const MANAGERS: Manager[] = ['npm', 'pnpm', 'yarn-classic', 'yarn-pnp'];

const REPO = path.join(__dirname, '..', '..');
const FIXTURE = path.join(REPO, 'test', 'fixtures', 'monorepo');
const CACHE = path.join(REPO, 'node_modules', '.cache', 'cdk-lambda-kit-test-monorepos');

const bin = (...p: string[]) => path.join(REPO, 'node_modules', ...p);
const TOOLS: Record<Manager, { command: string[]; workspaceRef: string; files: Record<string, string> }> = {
  'npm': {
    command: ['npm', 'install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
    workspaceRef: '1.0.0',
    files: {},
  },
  'pnpm': {
    command: [process.execPath, bin('pnpm', 'bin', 'pnpm.cjs'), 'install', '--ignore-scripts', `--store-dir=${path.join(CACHE, 'pnpm-store')}`, '--reporter=silent'],
    workspaceRef: 'workspace:*',
    files: { 'pnpm-workspace.yaml': 'packages:\n  - "packages/*"\n' },
  },
  'yarn-classic': {
    command: [process.execPath, bin('yarn', 'bin', 'yarn.js'), 'install', '--non-interactive', '--no-progress', '--ignore-scripts', `--cache-folder=${path.join(CACHE, 'yarn-classic-cache')}`],
    workspaceRef: '1.0.0',
    files: {},
  },
  'yarn-pnp': {
    command: [process.execPath, bin('@yarnpkg', 'cli-dist', 'bin', 'yarn.js'), 'install'],
    workspaceRef: 'workspace:*',
    files: {
      // The zips in the project's .yarn/cache: .pnp.cjs points at them relatively, so a copy of the project works.
      '.yarnrc.yml': 'nodeLinker: pnp\nenableTelemetry: false\nenableGlobalCache: false\n',
      'yarn.lock': '',
    },
  },
};

/** Files of the fixture, relative and POSIX, with their contents. */
function fixtureFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(FIXTURE, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        walk(child);
      } else {
        out[child] = fs.readFileSync(path.join(FIXTURE, child), 'utf8');
      }
    }
  };
  walk('');
  return out;
}

/** The installed monorepo for a manager, from the cache or installed now. */
function installed(manager: Manager): string {
  const tool = TOOLS[manager];
  const files = { ...fixtureFiles(), ...tool.files };
  files['packages/api/package.json'] = files['packages/api/package.json'].replace('"WORKSPACE"', JSON.stringify(tool.workspaceRef));
  const key = createHash('sha256').update(JSON.stringify([manager, tool.command.slice(1), files])).digest('hex').slice(0, 16);
  const dir = path.join(CACHE, `${manager}-${key}`);
  if (fs.existsSync(path.join(dir, '.installed'))) {
    return dir;
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(tmp, name)), { recursive: true });
    fs.writeFileSync(path.join(tmp, name), content);
  }
  execFileSync(tool.command[0], tool.command.slice(1), { cwd: tmp, stdio: 'pipe', env: { ...process.env, YARN_ENABLE_TELEMETRY: '0', COREPACK_ENABLE_STRICT: '0', YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' } });
  fs.writeFileSync(path.join(tmp, '.installed'), '');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return dir;
}

/** A fresh copy of the installed monorepo, for a test to edit. */
export function monorepo(manager: Manager): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), `lambda-kit-${manager}-`));
  fs.cpSync(installed(manager), copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}
