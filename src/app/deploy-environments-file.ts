import * as fs from 'fs';
import * as path from 'path';
import { Component, TextFile } from 'projen';
import type { awscdk } from 'projen';
import { generatedHeader, tsString } from '../core/generated-header';
import type { ResolvedDeployEnvironment } from '../settings';

/** Options of `DeployEnvironmentsFile`. */
export interface DeployEnvironmentsFileOptions {
  /** The environments the module lists, in pipeline order. */
  readonly environments: ResolvedDeployEnvironment[];
  /**
   * Stack tags every stack of the app must carry (`tagStacks(app)`): the
   * read-only role of previews and drift detection reads only stacks with
   * them.
   */
  readonly stackTags: Readonly<Record<string, string>>;
  /** Warn when the app entry point does not call `tagStacks` (previews or drift detection are on). */
  readonly warnWhenUntagged: boolean;
}

/** The function of the module that tags the app's stacks; the app entry point must call it. */
export const TAG_STACKS_FUNCTION = 'tagStacks';

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
        "import { Stage, Tags } from 'aws-cdk-lib';",
        "import type { IConstruct } from 'constructs';",
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
        '/**',
        ' * Stack tags of this app: the read-only role of pull-request previews and',
        " * drift detection reads only stacks that carry them, never another app's.",
        ' */',
        'export const STACK_TAGS: Readonly<Record<string, string>> = {',
        ...Object.entries(options.stackTags).map(([k, v]) => `  ${tsString(k)}: ${tsString(v)},`),
        '};',
        '',
        '/**',
        ' * Gives every stack under `scope` the `STACK_TAGS`, as stack tags only (the',
        ' * templates do not change). Call it once the stages exist, before `app.synth()`:',
        ' * tags do not cross into a stage by themselves, so each stage is tagged.',
        ' */',
        `export function ${TAG_STACKS_FUNCTION}(scope: IConstruct): void {`,
        '  for (const node of [scope, ...scope.node.findAll().filter((c) => c !== scope && Stage.isStage(c))]) {',
        '    for (const [key, value] of Object.entries(STACK_TAGS)) {',
        "      Tags.of(node).add(key, value, { includeResourceTypes: ['aws:cdk:stack'] });",
        '    }',
        '  }',
        '}',
        '',
      ],
    });
    if (options.warnWhenUntagged) warnWhenUntagged(project, this.path, Object.keys(options.stackTags));
  }
}

/**
 * An app entry point written before the tag existed (main.ts is the user's)
 * does not call `tagStacks`: its stacks stay unreadable to the read-only role.
 */
function warnWhenUntagged(project: awscdk.AwsCdkTypeScriptApp, modulePath: string, keys: string[]): void {
  const entry = path.posix.join(project.srcdir, project.appEntrypoint);
  const file = path.join(project.outdir, entry);
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf-8').includes(`${TAG_STACKS_FUNCTION}(`)) return;
  const module = `./${path.posix.relative(path.posix.dirname(entry), modulePath).replace(/\.ts$/, '')}`;
  project.logger.warn(`BitbucketCdkApp: ${entry} does not call ${TAG_STACKS_FUNCTION}(app), so previews and drift detection cannot read its stacks `
    + `(the read-only role reads only stacks tagged ${keys.join(', ')} as this app's). Add \`import { ${TAG_STACKS_FUNCTION} } from '${module}';\` and \`${TAG_STACKS_FUNCTION}(app);\` `
    + 'before app.synth(), then deploy each environment once (the pipeline does on the next merge).');
}

