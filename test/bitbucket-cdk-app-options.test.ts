/**
 * `projen new` without a required flag lists the missing flags with each
 * option's jsii summary (the first short paragraph or first sentence of its
 * JSDoc, nothing more); `projen new --help` shows the same. That summary must
 * say where in Bitbucket the value is.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// The function jsii uses to cut the summary out of the JSDoc (not in jsii's exports map, hence the file path).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { splitSummary } = require(path.join(path.dirname(require.resolve('jsii/package.json')), 'lib/docs.js')) as {
  splitSummary: (doc: string) => [string | undefined, string | undefined];
};

const OPTIONS_FILE = path.resolve(__dirname, '../src/bitbucket-cdk-app-options.ts');

/** Required options and their JSDoc text, as jsii reads them from the source. */
function requiredOptions(): Array<{ name: string; doc: string }> {
  const source = ts.createSourceFile(OPTIONS_FILE, fs.readFileSync(OPTIONS_FILE, 'utf-8'), ts.ScriptTarget.Latest, true);
  const result: Array<{ name: string; doc: string }> = [];
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'BitbucketCdkAppOptions') return;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || member.questionToken) continue;
      const jsDoc = ts.getJSDocCommentsAndTags(member).find(ts.isJSDoc);
      result.push({ name: member.name.getText(source), doc: ts.getTextOfJSDocComment(jsDoc?.comment) ?? '' });
    }
  });
  return result;
}

/** The line `projen new` prints for a missing option (projen's `argDesc`). */
function missingFlagLine(name: string, doc: string): string {
  const [summary] = splitSummary(doc);
  const flag = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return `--${flag} [string] ${(summary ?? '').replace(/ *\.$/, '')}`;
}

test('the required options are the three Bitbucket values', () => {
  expect(requiredOptions().map((o) => o.name).sort()).toEqual(['bitbucketRepositoryUuid', 'bitbucketWorkspace', 'bitbucketWorkspaceUuid']);
});

test.each([
  ['bitbucketWorkspace', 'Identity provider URL'],
  ['bitbucketWorkspaceUuid', 'Audience'],
  ['bitbucketRepositoryUuid', 'Repository UUID'],
])('the missing-flag line of %s says where in Bitbucket to find it (%s)', (name, field) => {
  const option = requiredOptions().find((o) => o.name === name)!;
  const line = missingFlagLine(name, option.doc);
  expect(line).toContain('Repository settings → Pipelines → OpenID Connect');
  expect(line).toContain(field);
});
