import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { PREVIEW_DEPENDENCIES } from '../src/versions';

const SRC = path.join(__dirname, '..', 'src');

/** Every local module `entry` imports, transitively (static imports and re-exports, type-only ones left out). */
function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf-8'), ts.ScriptTarget.Latest, true);
    const specifiers: string[] = [];
    for (const statement of source.statements) {
      const typeOnly = (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly)
        || (ts.isExportDeclaration(statement) && statement.isTypeOnly);
      if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && !typeOnly) {
        specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
      }
    }
    seen.set(file, specifiers);
    for (const s of specifiers.filter((x) => x.startsWith('.'))) {
      const base = path.resolve(path.dirname(file), s);
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (target) visit(target);
    }
  };
  visit(entry);
  return seen;
}

describe('the package entry point', () => {
  // An existing project that upgrades this package loads it in .projenrc.ts before the
  // synthesis that adds these devDependencies: loading it must not need them.
  test('never loads the AWS SDK or cloudformation-diff, nor the preview and drift tools that do', () => {
    const modules = reachable(path.join(SRC, 'index.ts'));
    const optional = Object.keys(PREVIEW_DEPENDENCIES);
    const offending = [...modules].flatMap(([file, specifiers]) => specifiers
      .filter((s) => optional.some((o) => s === o || s.startsWith(`${o}/`)) || s.startsWith('@aws-sdk/'))
      .map((s) => `${path.relative(SRC, file)} imports ${s}`));
    expect(offending).toEqual([]);
    const tools = [...modules.keys()].map((f) => path.relative(SRC, f)).filter((f) => /^(preview|drift|aws)\//.test(f));
    expect(tools).toEqual([]);
    // The walk itself works: it reaches the pipeline and the OIDC components.
    expect(modules.has(path.join(SRC, 'pipeline', 'bitbucket-pipelines.ts'))).toBe(true);
  });

  test('the tools do reach the loader of those modules (so the check above looks at the right files)', () => {
    for (const tool of ['preview', 'drift']) {
      const modules = reachable(path.join(SRC, tool, 'cli.ts'));
      expect(modules.has(path.join(SRC, 'aws', 'optional-module.ts'))).toBe(true);
    }
  });
});
