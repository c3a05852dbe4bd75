import { Component, TextFile } from 'projen';
import type { awscdk } from 'projen';
import { generatedHeader, tsString } from '../core/generated-header';
import type { ResolvedDeployEnvironment } from '../settings';

/** Options of `DeployEnvironmentsFile`. */
export interface DeployEnvironmentsFileOptions {
  /** The environments the module lists, in pipeline order. */
  readonly environments: ResolvedDeployEnvironment[];
}

/**
 * Writes the read-only module `src/deploy-environments.ts` that the app's
 * `main.ts` reads, so adding an environment in `.projenrc.ts` needs no edit of
 * the app code.
 */
export class DeployEnvironmentsFile extends Component {
  /** Path of the module, relative to the project root. */
  public readonly path: string;

  constructor(project: awscdk.AwsCdkTypeScriptApp, options: DeployEnvironmentsFileOptions) {
    super(project);
    const environments = options.environments;
    this.path = `${project.srcdir}/deploy-environments.ts`;
    new TextFile(project, this.path, {
      readonly: true,
      marker: false,
      lines: [
        ...generatedHeader('The deploy environments of this app, from deployEnvironments in .projenrc.ts.'),
        '',
        '/** A deploy environment: one CDK stage, deployed by `npx projen deploy:<name>`. */',
        'export interface DeployEnvironment {',
        '  /** Stage ID; its stacks are selected by `<name>/*`. */',
        '  readonly name: string;',
        '  /** 12-digit AWS account ID. */',
        '  readonly account: string;',
        '  /** AWS region. */',
        '  readonly region: string;',
        '}',
        '',
        '/** In pipeline order. */',
        'export const DEPLOY_ENVIRONMENTS: readonly DeployEnvironment[] = [',
        ...environments.map((e) => `  { name: ${tsString(e.name)}, account: ${tsString(e.account)}, region: ${tsString(e.region)} },`),
        '];',
        '',
      ],
    });
  }
}
