#!/usr/bin/env node
// jsii-rosetta reads the examples of an assembly: its README and its API docs. The pages of docs/ are not in the
// assembly, so this gives rosetta a copy of the compiled assembly whose README is the README followed by every page of
// docs/ (its API docs left out: `jsii-rosetta extract --strict .jsii` checks those), and runs
// `jsii-rosetta extract --strict` on it: every TypeScript example must compile under its fixture (rosetta/) against
// the compiled package, and is translated to Python, Java, C# and Go. Run after `npx projen compile`.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf8'));
if (!String(assembly.schema).startsWith('jsii/0.10')) {
  throw new Error(`.jsii is not a plain assembly (schema ${assembly.schema}): compile with \`npx projen compile\` first`);
}
const pages = fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).sort();
assembly.readme = { markdown: pages.map((page) => fs.readFileSync(path.join(root, 'docs', page), 'utf8')).join('\n\n') };
assembly.types = {};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-lambda-kit-docs-'));
try {
  fs.writeFileSync(path.join(dir, '.jsii'), JSON.stringify(assembly));
  fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  for (const name of ['lib', 'rosetta', 'node_modules']) {
    fs.symlinkSync(path.join(root, name), path.join(dir, name));
  }
  execFileSync(path.join(root, 'node_modules', '.bin', 'jsii-rosetta'),
    ['extract', '--strict', path.join(dir, '.jsii')], { stdio: 'inherit' });
  const tablet = JSON.parse(fs.readFileSync(path.join(dir, '.jsii.tabl.json'), 'utf8'));
  const snippets = Object.values(tablet.snippets);
  const untranslated = snippets.filter((s) => !s.translations?.python?.source);
  console.log(`docs/: ${snippets.length} examples of ${pages.length} pages compiled and translated`);
  if (snippets.length === 0 || untranslated.length > 0) {
    throw new Error(`docs/: ${untranslated.length} of ${snippets.length} examples have no Python translation`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
