import * as fs from 'fs';
import * as path from 'path';
import { generatedOidcApp } from './generated-oidc-app';
import { BitbucketCdkAppOptions } from '../../src';
import { tempDir } from '../util';

/**
 * The `cdk.oidc.out` a pull request's build step publishes, as a downloaded
 * artifact: the project's generated OIDC entry point synthesised by
 * aws-cdk-lib (what `bitbucket:oidc:synth:app` runs), copied into `dir`.
 * Call `removeWorkDirs` of generated-oidc-app in `afterAll`.
 */
export function oidcArtifact(options: BitbucketCdkAppOptions, dir = path.join(tempDir('pbc-artifact-'), 'cdk.oidc.out')): string {
  const assembly = generatedOidcApp(options).app.synth();
  fs.cpSync(assembly.directory, dir, { recursive: true });
  fs.rmSync(assembly.directory, { recursive: true, force: true });
  return dir;
}
