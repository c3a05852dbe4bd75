import * as fs from 'fs';
import * as path from 'path';
import { generatedHeader } from '../../src/core/generated-header';
import { BitbucketOidc } from '../../src/oidc/bitbucket-oidc';
import { OIDC_TEMPLATE_DIR, OIDC_TEMPLATE_FILES } from '../../src/oidc/oidc-templates';
import { tsLiteral } from '../../src/oidc/ts-literal';
import { baseOptions, newProject, synth, tasks, twoEnvironmentOptions } from '../util';

const OIDC_DIR = 'src/bitbucket-oidc';
const RUNNER = 'npx ts-node -P tsconfig.json --prefer-ts-exts';

describe('generated files', () => {
  const files = synth(baseOptions());

  test('are read-only, start with the generated header and import only aws-cdk-lib, constructs and each other', () => {
    const generated = Object.keys(files).filter((f) => f.startsWith(`${OIDC_DIR}/`)).sort();
    expect(generated).toEqual(['bitbucket-oidc-config.ts', 'bitbucket-oidc-stack.ts', 'config.ts', 'drift-read-permissions.ts', 'main.ts', 'preview-role.ts'].map((f) => `${OIDC_DIR}/${f}`));
    const managed: string[] = files['.projen/files.json'].files;
    for (const file of generated) {
      expect(managed).toContain(file);
      const text: string = files[file];
      expect(text.split('\n')[0]).toBe(generatedHeader('')[0]);
      expect(text.split('\n')[1]).toMatch(/^\/\/ .*\S/);
      expect(text.endsWith('\n')).toBe(true);
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const source of imports) expect(source).toMatch(/^(aws-cdk-lib(\/[a-z0-9-]+)?|constructs|\.\/[a-z-]+)$/);
    }
  });

  test('are marked read-only, so projen writes them without write permission', () => {
    const project = newProject(baseOptions());
    for (const file of ['bitbucket-oidc-config.ts', 'bitbucket-oidc-stack.ts', 'config.ts', 'drift-read-permissions.ts', 'main.ts', 'preview-role.ts']) {
      expect(project.tryFindFile(`${OIDC_DIR}/${file}`)?.readonly).toBe(true);
    }
  });

  test('the static files are the templates of this package, verbatim after the header', () => {
    for (const name of OIDC_TEMPLATE_FILES) {
      const template = fs.readFileSync(path.join(OIDC_TEMPLATE_DIR, name), 'utf-8');
      expect(files[`${OIDC_DIR}/${name}`].split('\n').slice(2).join('\n')).toBe(template);
    }
  });

  test('config.ts is the project\'s own, not the example of the templates folder', () => {
    const example = fs.readFileSync(path.join(OIDC_TEMPLATE_DIR, 'config.ts'), 'utf-8');
    const two = synth(twoEnvironmentOptions());
    expect(two[`${OIDC_DIR}/config.ts`]).not.toContain(example.split('\n').slice(4).join('\n'));
    expect(two[`${OIDC_DIR}/config.ts`]).toContain("stackId: 'BitbucketOidc-222222222222'");
    expect(two[`${OIDC_DIR}/config.ts`]).toContain("deploymentUuid: 'a1b2c3d4-0000-4000-8000-000000000002'");
  });

  test('optional settings that are unset are left out of config.ts', () => {
    expect(files[`${OIDC_DIR}/config.ts`]).not.toMatch(/permissionsBoundary|deploymentUuid|undefined/);
    expect(synth(baseOptions({ deployRolePermissionsBoundary: 'b' }))[`${OIDC_DIR}/config.ts`]).toContain("permissionsBoundary: 'b',");
  });
});

describe('cdk.oidc.out', () => {
  const files = synth(baseOptions());

  test('is ignored by git and npm and excluded from both tsconfigs', () => {
    expect(files['.gitignore']).toMatch(/^\/cdk\.oidc\.out\/$/m);
    expect(files['.npmignore']).toMatch(/^\/cdk\.oidc\.out\/$/m);
    expect(files['tsconfig.json'].exclude).toContain('cdk.oidc.out');
    const dev = newProject(baseOptions()).tsconfigDev;
    expect(dev.exclude).toContain('cdk.oidc.out');
  });

  test('is not the output of the app', () => {
    expect(files['cdk.json'].output).toBe('cdk.out');
  });
});

describe('tasks', () => {
  const all = tasks(synth(twoEnvironmentOptions()));

  test('synth regenerates from .projenrc.ts, empties cdk.oidc.out, then runs the OIDC entry point into it, the way projen runs the app', () => {
    expect(all['bitbucket:oidc:synth'].description).toBeTruthy();
    expect(all['bitbucket:oidc:synth'].steps).toEqual([
      { spawn: 'default' },
      { exec: 'rm -rf cdk.oidc.out' },
      { exec: `cdk synth --app '${RUNNER} ${OIDC_DIR}/main.ts' --output cdk.oidc.out --build '' --quiet` },
    ]);
  });

  test('diff and deploy synthesise, then work on the synthesised assembly', () => {
    expect(all['bitbucket:oidc:diff'].steps).toEqual([
      { spawn: 'bitbucket:oidc:synth' },
      { exec: "cdk diff --app cdk.oidc.out --build ''", receiveArgs: true },
    ]);
    expect(all['bitbucket:oidc:deploy'].steps).toEqual([
      { spawn: 'bitbucket:oidc:synth' },
      { exec: "cdk deploy --app cdk.oidc.out --build '' --require-approval broadening --all", receiveArgs: true },
    ]);
  });

  test('one deploy task per account selects that account\'s stack', () => {
    for (const account of ['111111111111', '222222222222']) {
      const task = all[`bitbucket:oidc:deploy:${account}`];
      expect(task.description).toContain(account);
      expect(task.steps).toEqual([
        { spawn: 'bitbucket:oidc:synth' },
        { exec: `cdk deploy --app cdk.oidc.out --build '' --require-approval broadening BitbucketOidc-${account}`, receiveArgs: true },
      ]);
    }
    expect(Object.keys(all).filter((t) => t.startsWith('bitbucket:oidc:deploy:'))).toHaveLength(2);
    for (const name of Object.keys(all).filter((t) => t.startsWith('bitbucket:oidc:'))) expect(all[name].description).toBeTruthy();
  });

  test('are reachable on the component', () => {
    const project = newProject(twoEnvironmentOptions());
    const oidc = project.components.find((c): c is BitbucketOidc => c instanceof BitbucketOidc)!;
    expect(oidc.synthTask.name).toBe(BitbucketOidc.SYNTH_TASK);
    expect(oidc.deployTask.name).toBe('bitbucket:oidc:deploy');
    expect(oidc.diffTask.name).toBe('bitbucket:oidc:diff');
    expect(oidc.deployAccountTasks['222222222222'].name).toBe(BitbucketOidc.deployAccountTaskName('222222222222'));
    expect(oidc.entrypoint).toBe('src/bitbucket-oidc/main.ts');
    expect(oidc.configFile).toBe('src/bitbucket-oidc/config.ts');
    expect(oidc.cdkout).toBe('cdk.oidc.out');
    expect(oidc.files).toHaveLength(5);
  });
});

describe('tsLiteral', () => {
  test('renders nested data with single quotes and trailing commas, leaving undefined out', () => {
    expect(tsLiteral({ a: "it's", b: [1, true], c: [], d: undefined, e: { f: 'x' } })).toBe([
      '{',
      "  a: 'it\\'s',",
      '  b: [',
      '    1,',
      '    true,',
      '  ],',
      '  c: [],',
      '  e: {',
      "    f: 'x',",
      '  },',
      '}',
    ].join('\n'));
  });

  test('refuses keys that would need quotes', () => {
    expect(() => tsLiteral({ 'a-b': 1 })).toThrow(/not an identifier/);
  });
});
