import { Testing } from 'projen/lib/testing';
import { DeployEnvironment } from '../../src';
import { resolveSettings } from '../../src/validation/resolve-settings';
import { PRODUCTION_UUID, REPOSITORY_UUID, STAGING_UUID, baseOptions, newProject } from '../util';
import { optionsError, problemAbout } from './helpers';

/** What a preset fills in: environments without the repository's deployment UUIDs. */
const PRESET_ENVIRONMENTS: DeployEnvironment[] = [
  { name: 'staging', account: '111111111111', region: 'eu-west-1', bitbucketDeployment: 'Staging' },
  { name: 'production', account: '222222222222', region: 'eu-west-1', bitbucketDeployment: 'Production', manualApproval: true },
];
const fromPreset = (extra: Record<string, unknown>, deployEnvironments: DeployEnvironment[] = PRESET_ENVIRONMENTS) =>
  baseOptions({ deployAccount: undefined, deployRegion: undefined, deployEnvironments, ...extra });

describe('bitbucketDeploymentUuids: deployment UUIDs by environment name', () => {
  test('merge into the environments given elsewhere (a preset), scoping each role, with no warning left', () => {
    const s = resolveSettings(fromPreset({ bitbucketDeploymentUuids: { staging: `{${STAGING_UUID.toUpperCase()}}`, production: PRODUCTION_UUID } }));
    expect(s.environments.map((e) => [e.name, e.bitbucketDeploymentUuid])).toEqual([['staging', STAGING_UUID], ['production', PRODUCTION_UUID]]);
    expect(s.warnings.filter((w) => w.includes('bitbucketDeploymentUuid'))).toEqual([]);
    // The trust the OIDC stack gets is the scoped one.
    const config = Testing.synth(newProject(fromPreset({ bitbucketDeploymentUuids: { staging: STAGING_UUID, production: PRODUCTION_UUID } })))['src/bitbucket-oidc/config.ts'];
    expect(config).toContain(`{${REPOSITORY_UUID}}*{${PRODUCTION_UUID}}:*`);
    expect(config).toContain(`{${REPOSITORY_UUID}}*{${STAGING_UUID}}:*`);
  });

  test('an environment the preset adds later is picked up, and one without a UUID still warns', () => {
    const s = resolveSettings(fromPreset({ bitbucketDeploymentUuids: { production: PRODUCTION_UUID } }, [
      ...PRESET_ENVIRONMENTS,
      { name: 'dr', account: '333333333333', region: 'us-east-1' },
    ]));
    expect(s.environments.map((e) => e.name)).toEqual(['staging', 'production', 'dr']);
    expect(s.environments[1].bitbucketDeploymentUuid).toBe(PRODUCTION_UUID);
    expect(s.warnings).toEqual(expect.arrayContaining([
      expect.stringMatching(/^deployEnvironments\[0\]\.bitbucketDeploymentUuid: not set for "staging"/),
      expect.stringMatching(/^deployEnvironments\[2\]\.bitbucketDeploymentUuid: not set for "dr"/),
    ]));
  });

  test('with the command-line shortcut, "production" is the one environment', () => {
    const s = resolveSettings(baseOptions({ bitbucketDeploymentUuids: { production: PRODUCTION_UUID } }));
    expect(s.environments[0].bitbucketDeploymentUuid).toBe(PRODUCTION_UUID);
  });

  test('an unknown name is an error that lists the known ones (and suggests a case slip)', () => {
    const error = optionsError(fromPreset({ bitbucketDeploymentUuids: { prod: PRODUCTION_UUID, Staging: STAGING_UUID } }));
    expect(problemAbout(error, 'bitbucketDeploymentUuids.prod')).toContain('No environment is named "prod". Known environments: "staging", "production".');
    expect(problemAbout(error, 'bitbucketDeploymentUuids.Staging')).toContain('No environment is named "Staging"; did you mean "staging"?');
  });

  test('a bad UUID is reported under the map\'s own name', () => {
    const error = optionsError(fromPreset({ bitbucketDeploymentUuids: { production: 'Production' } }));
    expect(problemAbout(error, 'bitbucketDeploymentUuids.production')).toContain('"Production"');
  });

  test('two different UUIDs for one environment are an error; the same one given twice is not', () => {
    const error = optionsError(fromPreset({ bitbucketDeploymentUuids: { production: STAGING_UUID } }, [
      { ...PRESET_ENVIRONMENTS[1], bitbucketDeploymentUuid: PRODUCTION_UUID },
    ]));
    expect(problemAbout(error, 'bitbucketDeploymentUuids.production').replace(/\s+/g, ' ')).toContain(`Differs from deployEnvironments[0].bitbucketDeploymentUuid "${PRODUCTION_UUID}". Give the UUID of "production" once.`);
    expect(() => resolveSettings(fromPreset({ bitbucketDeploymentUuids: { production: `{${PRODUCTION_UUID}}` } }, [
      { ...PRESET_ENVIRONMENTS[1], bitbucketDeploymentUuid: PRODUCTION_UUID },
    ]))).not.toThrow();
  });

  test('one UUID for two environments is refused, naming both places', () => {
    const error = optionsError(fromPreset({ bitbucketDeploymentUuids: { staging: PRODUCTION_UUID, production: PRODUCTION_UUID } }));
    expect(problemAbout(error, 'bitbucketDeploymentUuids.production')).toContain('Also used by bitbucketDeploymentUuids.staging');
  });

  test('not a map: an error', () => {
    const error = optionsError(fromPreset({ bitbucketDeploymentUuids: [PRODUCTION_UUID] }));
    expect(problemAbout(error, 'bitbucketDeploymentUuids')).toContain('Expected a map from environment name');
  });
});
