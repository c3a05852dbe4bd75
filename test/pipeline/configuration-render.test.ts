import { schemaErrors } from './pipeline-helpers';
import { StepSize, StepTrigger } from '../../src/pipeline/configuration-model';
import { renderConfiguration } from '../../src/pipeline/configuration-render';

describe('rendering the model', () => {
  const rendered: any = renderConfiguration({
    image: { name: 'node:22' },
    clone: { depth: 1 },
    options: { maxTime: 30, size: StepSize.SIZE_2X, docker: false },
    definitions: {
      caches: { 'my_Cache-x': { path: '~/.npm', keyFiles: ['package-lock.json'] }, 'plain': { path: 'vendor' } },
      services: { pg: { image: { name: 'postgres:16', runAsUser: 999 }, memory: 512, variables: { POSTGRES_PASSWORD: 'x' } } },
    },
    pipelines: {
      defaultPipeline: [{ step: { script: ['true'] } }],
      branches: {
        'feature/*': [{
          step: {
            name: 'S',
            script: ['a'],
            afterScript: ['b'],
            maxTime: 5,
            size: StepSize.SIZE_4X,
            trigger: StepTrigger.AUTOMATIC,
            deployment: 'Test',
            oidc: true,
            caches: ['node'],
            services: ['docker'],
            clone: { enabled: false, fullDepth: true, lfs: true },
            condition: { changesets: { excludePaths: ['docs/**'] }, state: 'X == true' },
            artifacts: { paths: ['out/**'], download: false },
          },
        }],
      },
      pullRequests: { '**': [{ parallel: { failFast: true, steps: [{ script: ['p1'] }, { script: ['p2'] }] } }] },
      tags: { 'v*': [{ stage: { name: 'St', deployment: 'Production', trigger: StepTrigger.MANUAL, steps: [{ script: ['s'] }] } }] },
      custom: { 'Deploy-All': { variables: [{ name: 'V', defaultValue: 'a', allowedValues: ['a'] }], items: [{ step: { script: ['c'] } }] } },
    },
  });

  test('Bitbucket keys are kebab-case where Bitbucket says so', () => {
    const step = rendered.pipelines.branches['feature/*'][0].step;
    expect(Object.keys(step)).toEqual(expect.arrayContaining(['max-time', 'after-script']));
    expect(step).not.toHaveProperty('maxTime');
    expect(step).not.toHaveProperty('afterScript');
    expect(rendered.options['max-time']).toBe(30);
    expect(rendered.pipelines).toHaveProperty('pull-requests');
    expect(rendered.pipelines).toHaveProperty('default');
    expect(rendered.pipelines.custom['Deploy-All'][0]).toEqual({ variables: [{ 'name': 'V', 'default': 'a', 'allowed-values': ['a'] }] });
    expect(rendered.pipelines['pull-requests']['**'][0].parallel['fail-fast']).toBe(true);
    expect(rendered.definitions.services.pg.image).toEqual({ 'name': 'postgres:16', 'run-as-user': 999 });
  });

  test('user data keys and Bitbucket camelCase keys are kept as written', () => {
    expect(Object.keys(rendered.pipelines.branches)).toEqual(['feature/*']);
    expect(Object.keys(rendered.pipelines.custom)).toEqual(['Deploy-All']);
    expect(Object.keys(rendered.definitions.caches)).toEqual(['my_Cache-x', 'plain']);
    expect(rendered.pipelines.branches['feature/*'][0].step.condition.changesets).toEqual({ excludePaths: ['docs/**'] });
  });

  test('short forms: image name, cache path, artifact list; expanded forms when needed', () => {
    expect(rendered.image).toBe('node:22');
    expect(rendered.definitions.caches.plain).toBe('vendor');
    expect(rendered.definitions.caches['my_Cache-x']).toEqual({ key: { files: ['package-lock.json'] }, path: '~/.npm' });
    const step = rendered.pipelines.branches['feature/*'][0].step;
    expect(step.artifacts).toEqual({ download: false, paths: ['out/**'] });
    expect(step.clone).toEqual({ enabled: false, depth: 'full', lfs: true });
    expect(renderConfiguration({ pipelines: { defaultPipeline: [{ step: { script: ['x'], artifacts: { paths: ['a/**'] } } }] } }))
      .toEqual({ pipelines: { default: [{ step: { script: ['x'], artifacts: ['a/**'] } }] } });
  });

  test('nothing unset is rendered', () => {
    expect(JSON.stringify(rendered)).not.toContain('null');
    expect(rendered.pipelines.default).toEqual([{ step: { script: ['true'] } }]);
  });

  test('the whole rendering passes the schema', () => {
    expect(schemaErrors(rendered)).toEqual([]);
  });
});
