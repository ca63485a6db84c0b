import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** The README and every page of docs/. */
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/**
 * The fenced blocks jsii-rosetta translates (```` ```ts ```` or ```` ```typescript ````, with `key=value` parameters),
 * and the TypeScript-only ones (```` ```tsx ````: rosetta leaves them alone), which compile all the same.
 */
function snippetsOf(doc: string): { readonly source: string; readonly fixture: string }[] {
  const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
  return [...text.matchAll(/^```(?:ts|typescript|tsx)((?: [^\n]*)?)\n([\s\S]*?)^```/gm)].map((m) => ({
    source: m[2],
    fixture: /(?:^| )fixture=(\S+)/.exec(m[1])?.[1] ?? 'default',
  }));
}

/**
 * A snippet completed with its fixture the way jsii-rosetta does it (rosetta's `fixturize`): its imports and `declare`
 * statements hoisted above the fixture, the rest in place of `/// here`.
 */
function fixturize(source: string, fixture: string): string {
  const file = ts.createSourceFile('snippet.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let imports = '';
  let statements = '';
  for (const statement of file.statements) {
    const hoisted = ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)
      || (ts.isVariableStatement(statement) && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword));
    if (hoisted) {
      imports += statement.getFullText(file);
    } else {
      statements += statement.getFullText(file);
    }
  }
  const text = fs.readFileSync(path.join(ROOT, 'rosetta', `${fixture}.ts-fixture`), 'utf8');
  const here = /[/]{3}[ \t]*here[ \t]*$/im;
  expect(text).toMatch(here);
  return `${imports}\n${text.replace(here, statements)}`;
}

/**
 * Problems of each doc's snippets. Every TypeScript snippet in the README and docs/ compiles under the rosetta fixture
 * it names (`rosetta/default.ts-fixture` unless ```` ```ts fixture=NAME ````), against the library's sources, in one
 * TypeScript program over all of them. `jsii-rosetta extract --strict` (.ci/run) compiles them again against the
 * compiled package and translates them.
 */
let problems: Map<string, string[]>;
/** A snippet that must not compile, in the same program: proof that the check reports problems. */
const NEGATIVE_CONTROL = 'negative control';
beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(ROOT, 'test', '.snippets-'));
  try {
    const snippets = new Map(DOCS.map((doc) => [doc, snippetsOf(doc)]));
    snippets.set(NEGATIVE_CONTROL, [{ source: "import { SqsSource } from 'cdk-lambda-kit';\nnew SqsSource(table);\n", fixture: 'default' }]);
    const byDoc = new Map([...snippets].map(([doc, docSnippets]) => [doc, docSnippets.map(({ source, fixture }, i) => {
      const file = path.join(dir, `${doc.replace(/\W/g, '_')}_${i}.ts`);
      fs.writeFileSync(file, fixturize(source, fixture));
      return file;
    })]));
    const files = [...byDoc.values()].flat();
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      esModuleInterop: true,
      skipLibCheck: true,
      // Jest's globals are declared by the testing fixture, as rosetta sees them.
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      paths: {
        'cdk-lambda-kit': [path.join(ROOT, 'src', 'index.ts')],
        'cdk-lambda-kit/lib/testing': [path.join(ROOT, 'src', 'testing', 'index.ts')],
      },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.includes(path.normalize(d.file.fileName)));
    problems = new Map([...byDoc].map(([doc, docFiles]) => [doc, diagnostics
      .filter((d) => docFiles.includes(path.normalize(d.file!.fileName)))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        const text = d.file!.text.split('\n')[line].trim();
        return `${path.basename(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')} (${text})`;
      })]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

test.each(DOCS)('%s: its TypeScript snippets compile under their rosetta fixture', (doc) => {
  expect(problems.get(doc)).toEqual([]);
});

test('a snippet that does not compile is reported (a table given where a queue is expected)', () => {
  expect(problems.get(NEGATIVE_CONTROL)).toEqual([expect.stringMatching(/Argument of type 'Table' is not assignable to parameter of type 'IQueue'/)]);
  const source = fixturize("import { SqsSource } from 'cdk-lambda-kit';\nnew SqsSource(queue);\n", 'default');
  expect(source.indexOf('import { SqsSource }')).toBeLessThan(source.indexOf('class Fixture'));
  expect(source).toMatch(/super\(scope, id\);\s+new SqsSource\(queue\);/);
});

test('the README and docs/ hold TypeScript examples', () => {
  const count = DOCS.map((doc) => snippetsOf(doc).length);
  expect(count.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(12);
  expect(count[0]).toBeGreaterThanOrEqual(1);
});

/** A relative link in the README, docs/ (its ADRs too), CONTRIBUTING.md, SECURITY.md or bindings/ names a file or folder that exists. */
const ADRS = fs.readdirSync(path.join(ROOT, 'docs', 'adr')).map((f) => `docs/adr/${f}`);
test.each([...DOCS, ...ADRS, 'CONTRIBUTING.md', 'SECURITY.md', 'bindings/README.md'])('%s: its relative links resolve', (doc) => {
  const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
  const targets = [...text.matchAll(/\]\((\.{1,2}\/[^)#\s]*)(#[^)]*)?\)/g)].map((m) => m[1]);
  const missing = targets.filter((t) => !fs.existsSync(path.join(ROOT, path.dirname(doc), t)));
  expect(missing).toEqual([]);
});

test('the README stays at most 300 lines', () => {
  expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(300);
});
