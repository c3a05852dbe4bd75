import * as fs from 'fs';
import * as path from 'path';
import { InitProjectOptionHints } from 'projen';
import { BitbucketCdkApp } from '../../src';
import { PROJENRC_EXAMPLE_LINES, ProjenrcExamples } from '../../src/app/projenrc-examples';
import { baseOptions, synth, tempDir } from '../util';

/** A `.projenrc.ts` as projen 0.103's `new` renders it from the README's flags. */
const WRITTEN_BY_PROJEN_NEW = [
  "import { BitbucketCdkApp } from 'projen-bitbucket-cdk';",
  'const project = new BitbucketCdkApp({',
  "  bitbucketRepositoryUuid: '{3f0c9a42-5678-4e1f-8a3b-fedcba987654}',",
  "  bitbucketWorkspace: 'acme',",
  "  bitbucketWorkspaceUuid: '{7baee083-1b2c-4c8d-9d2e-0123456789ab}',",
  "  defaultReleaseBranch: 'main',",
  "  deployAccount: '012345678901',",
  "  deployRegion: 'eu-west-1',",
  "  name: 'my-app',",
  "  projenVersion: '0.103.25',",
  '',
  '  // deps: [],                  /* Runtime dependencies of this module. */',
  '});',
  'project.synth();',
].join('\n');

/** The examples' code as a user uncomments it (the prose lines stay comments). */
const EXAMPLE_CODE = PROJENRC_EXAMPLE_LINES.filter((l) => !/^\/\/ [A-Z]/.test(l)).map((l) => l.replace(/^\/\/ ?/, '')).join('\n');

/** Evaluates an options object literal's body. */
function evaluate(body: string): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(`return {\n${body}\n};`)();
}

/** The examples as a user uncomments them, with the placeholders filled in. */
function uncommented(): Record<string, unknown> {
  const code = EXAMPLE_CODE
    .replace(/'<(\w+) account id>'/g, (_, env) => `'${{ dev: '111111111111', qa: '222222222222', production: '333333333333' }[env as string]}'`)
    .replace(/'<uuid of (\w+)>'/g, (_, env) => `'{a1b2c3d4-0000-4000-8000-00000000000${{ dev: 1, qa: 2, production: 3 }[env as string]}}'`);
  return evaluate(code);
}

describe('.projenrc.ts of a new project shows this package\'s next options', () => {
  test('the examples end the options projen new wrote, and the file stays what projen wrote around them', () => {
    const after = ProjenrcExamples.addTo(WRITTEN_BY_PROJEN_NEW);
    expect(after.startsWith(WRITTEN_BY_PROJEN_NEW.slice(0, WRITTEN_BY_PROJEN_NEW.lastIndexOf('\n});')))).toBe(true);
    expect(after.endsWith('\n});\nproject.synth();')).toBe(true);
    for (const name of ['deployEnvironments', 'wave', 'manualApproval', 'pullRequestPreview', 'dockerImageAssets', 'driftDetection']) {
      expect(after).toContain(`${name}:`);
    }
    // Every added line is a comment: the new project synthesises exactly as projen new asked.
    const added = after.split('\n').filter((l) => !WRITTEN_BY_PROJEN_NEW.split('\n').includes(l));
    expect(added.length).toBe(PROJENRC_EXAMPLE_LINES.length);
    for (const line of added) expect(line).toMatch(/^ {2}\/\/ /);
  });

  test('uncommented and filled in, the examples are a working project: three environments, a wave, a manual production', () => {
    const examples = uncommented();
    const files = synth(baseOptions({ deployAccount: undefined, deployRegion: undefined, ...examples }));
    const pipeline: string = files['bitbucket-pipelines.yml'];
    expect(files['src/deploy-environments.ts']).toContain("account: '333333333333'");
    // dev and qa deploy side by side (the wave), production waits for a person.
    expect(pipeline).toMatch(/- parallel:[\s\S]*name: Deploy dev[\s\S]*name: Deploy qa[\s\S]*name: Deploy production/);
    expect(pipeline).toMatch(/name: Deploy production[\s\S]*?trigger: manual/);
    expect(pipeline).toMatch(/services:\n\s+- docker/);
  });

  test('an example left with its placeholders fails on the option, naming it, not at deploy time', () => {
    const examples = evaluate(EXAMPLE_CODE);
    expect(() => new BitbucketCdkApp({ ...baseOptions({ deployAccount: undefined, deployRegion: undefined, ...examples }), outdir: tempDir() }))
      .toThrow(/deployEnvironments\[0\]\.account.*<dev account id>/s);
  });

  test('added once: a second projectCreation (or a file that has them) changes nothing', () => {
    const once = ProjenrcExamples.addTo(WRITTEN_BY_PROJEN_NEW);
    expect(ProjenrcExamples.addTo(once)).toBe(once);
  });

  test('a file that is not projen new\'s rendering is left alone', () => {
    const own = "import { BitbucketCdkApp } from 'projen-bitbucket-cdk';\nexport const project = makeProject();\n";
    expect(ProjenrcExamples.addTo(own)).toBe(own);
  });

  test('projen new writes them; --no-comments does not', () => {
    for (const [comments, expected] of [[InitProjectOptionHints.FEATURED, true], [InitProjectOptionHints.NONE, false]] as const) {
      const outdir = tempDir();
      fs.writeFileSync(path.join(outdir, '.projenrc.ts'), WRITTEN_BY_PROJEN_NEW);
      const project = new BitbucketCdkApp({ ...baseOptions(), outdir });
      const component = project.components.find((c): c is ProjenrcExamples => c instanceof ProjenrcExamples)!;
      component.projectCreation({ fqn: 'projen-bitbucket-cdk.BitbucketCdkApp', args: {}, comments, type: {} as any, synth: true, post: true });
      expect(fs.readFileSync(path.join(outdir, '.projenrc.ts'), 'utf-8').includes(PROJENRC_EXAMPLE_LINES[0])).toBe(expected);
    }
  });
});
