import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The layout of shared/STYLE.md, checked on a source tree: no import cycles between files, a ground folder (`core/`)
 * that imports nothing from the other folders, folders whose arrow runs one way only, no drawer of "private" helpers,
 * and an `index.ts` that only re-exports. Every import counts, `import type` included: a type-only arrow is still an
 * arrow a reader follows.
 */

/** The ground folder, relative to the source root. */
export const GROUND_FOLDER = 'core';

/**
 * Folders whose arrow runs one way only, as `[upper, lower]`: files of the upper folder may import the lower one's,
 * never the reverse, re-exports included. Layers build on bundling (a DependencyLayer installs with the bundler's npm
 * install, in its cache), so bundling never imports layers.
 */
export const ONE_WAY_FOLDERS: ReadonlyArray<readonly [string, string]> = [['layers', 'bundling']];

/** Every `.ts` file under `dir`, as a path relative to `root` with forward slashes, sorted. */
function sourceFiles(root: string, dir = root): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...sourceFiles(root, full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      files.push(path.relative(root, full).split(path.sep).join('/'));
    }
  }
  return files.sort();
}

/** The file a relative specifier names (`./x` is `x.ts` or `x/index.ts`), or undefined. */
function resolveSpecifier(root: string, from: string, specifier: string): string | undefined {
  const base = path.join(root, path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
      return path.relative(root, candidate).split(path.sep).join('/');
    }
  }
  return undefined;
}

/** The import graph of a source tree: each file's imports of other files in the tree, by relative path. */
export interface ImportGraph {
  readonly files: string[];
  readonly imports: Map<string, string[]>;
  /** Relative specifiers that name no file of the tree, as `file: specifier`. */
  readonly unresolved: string[];
}

/** Read the imports (`import`, `import type`, `export ... from`, `import()`, `require()`) of every file under `root`. */
export function importGraph(root: string): ImportGraph {
  const files = sourceFiles(root);
  const imports = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(path.join(root, file), 'utf8'), true, true);
    const targets = new Set<string>();
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) {
        continue; // a package
      }
      const target = resolveSpecifier(root, file, fileName);
      if (target === undefined) {
        unresolved.push(`${file}: ${fileName}`);
      } else {
        targets.add(target);
      }
    }
    imports.set(file, [...targets].sort());
  }
  return { files, imports, unresolved };
}

/** Every import cycle, each as the path of files from one file back to itself; one per back edge of a depth-first walk. */
export function findCycles(graph: ImportGraph): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.imports.get(file) ?? []) {
      if (state.get(next) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(next)), next]);
      } else if (state.get(next) === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.files) {
    if (state.get(file) === undefined) {
      visit(file);
    }
  }
  return cycles;
}

/** The statements of an index file that are not re-exports (`export * from`, `export { ... } from`). */
export function nonReexports(source: string): string[] {
  const file = ts.createSourceFile('index.ts', source, ts.ScriptTarget.Latest, true);
  return file.statements
    .filter((s) => !(ts.isExportDeclaration(s) && s.moduleSpecifier !== undefined))
    .map((s) => s.getText(file).split('\n')[0]);
}

/** Every way the tree under `root` departs from the layout, one sentence each; empty when it follows it. */
export function layoutProblems(root: string): string[] {
  const problems: string[] = [];
  const graph = importGraph(root);
  for (const entry of graph.unresolved) {
    problems.push(`unresolved import: ${entry}`);
  }
  for (const cycle of findCycles(graph)) {
    problems.push(`import cycle: ${cycle.join(' -> ')}`);
  }
  const ground = `${GROUND_FOLDER}/`;
  for (const file of graph.files.filter((f) => f.startsWith(ground))) {
    for (const target of graph.imports.get(file) ?? []) {
      if (!target.startsWith(ground)) {
        problems.push(`the ground folder imports a concern: ${file} -> ${target}`);
      }
    }
  }
  for (const [upper, lower] of ONE_WAY_FOLDERS) {
    for (const file of graph.files.filter((f) => f.startsWith(`${lower}/`))) {
      for (const target of (graph.imports.get(file) ?? []).filter((t) => t.startsWith(`${upper}/`))) {
        problems.push(`${lower}/ imports ${upper}/, whose arrow runs ${upper}/ -> ${lower}/ only: ${file} -> ${target}`);
      }
    }
  }
  if (fs.existsSync(path.join(root, 'private'))) {
    problems.push(`a drawer of private helpers exists: private/ (${sourceFiles(root, path.join(root, 'private')).length} files); move each helper to the concern that uses it`);
  }
  const index = path.join(root, 'index.ts');
  if (fs.existsSync(index)) {
    for (const statement of nonReexports(fs.readFileSync(index, 'utf8'))) {
      problems.push(`index.ts holds more than re-exports: ${statement}`);
    }
  }
  return problems;
}

/* eslint-disable no-bitwise */ // symbol flags are bit masks
/**
 * What the public API (the exports of `index.ts`) holds by accident, one sentence each: `export *` (which exports
 * whatever a file exports, helpers included), an exported function or constant (an internal helper: jsii gives it to
 * no other language, yet TypeScript users can import it), and an exported type that no public member uses (an
 * internal struct that lands in API.md and every generated language). A type is used when a public member of an
 * exported class names it (in a property, a parameter, a return type or a heritage clause), or a member of a used
 * type does. Members that are private, `_`-prefixed or `@internal` do not count.
 */
export function publicApiProblems(root: string): string[] {
  const index = path.join(root, 'index.ts');
  const program = ts.createProgram([index], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(index)!;
  const problems: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause === undefined) {
      problems.push(`index.ts re-exports a whole file: ${statement.getText(source)}`);
    }
  }
  const resolve = (symbol: ts.Symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!).map((symbol) => ({ name: symbol.name, symbol: resolve(symbol) }));
  const inTree = (symbol: ts.Symbol) => (symbol.declarations ?? []).some((d) => !path.relative(root, d.getSourceFile().fileName).startsWith('..'));

  // Every type the public members of exported classes reach, from the classes down.
  const used = new Set<ts.Symbol>();
  const queue = exported.filter((e) => e.symbol.flags & ts.SymbolFlags.Class).map((e) => e.symbol);
  const reference = (name: ts.Node) => {
    const symbol = checker.getSymbolAtLocation(name);
    const target = symbol && resolve(symbol);
    if (target && inTree(target) && !used.has(target)) {
      used.add(target);
      queue.push(target);
    }
  };
  const visitTypes = (node: ts.Node): void => {
    if (ts.isBlock(node)) {
      return; // code, not signatures
    }
    if (ts.isTypeReferenceNode(node)) {
      reference(ts.isQualifiedName(node.typeName) ? node.typeName.right : node.typeName);
    } else if (ts.isExpressionWithTypeArguments(node)) {
      reference(ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression);
    }
    ts.forEachChild(node, visitTypes);
  };
  const isPublic = (member: ts.Node) => {
    const name = (member as { name?: ts.Node }).name;
    const internal = ts.getJSDocTags(member).some((tag) => tag.tagName.text === 'internal');
    const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
    return !internal && !modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)
      && !(name && ts.isIdentifier(name) && name.text.startsWith('_')) && !(name && ts.isPrivateIdentifier(name));
  };
  for (let symbol = queue.shift(); symbol; symbol = queue.shift()) {
    for (const declaration of symbol.declarations ?? []) {
      if (ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration)) {
        declaration.heritageClauses?.forEach(visitTypes);
        declaration.members.filter(isPublic).forEach(visitTypes);
      } else if (ts.isTypeAliasDeclaration(declaration)) {
        visitTypes(declaration.type);
      }
    }
  }

  for (const { name, symbol } of exported) {
    if (symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable)) {
      problems.push(`index.ts exports a ${symbol.flags & ts.SymbolFlags.Function ? 'function' : 'constant'}: ${name}`);
    } else if (!(symbol.flags & ts.SymbolFlags.Class) && !used.has(symbol)) {
      problems.push(`index.ts exports a type that no public member uses: ${name}`);
    }
  }
  return problems.sort();
}
