import * as naming from '../core/naming';
import { LEFTOVER_CREDENTIAL_VARIABLES } from '../pipeline/credential-sources';
import type { ResolvedDeployEnvironment, ResolvedSettings } from '../settings';

/** What the doctor expects of one environment's step (the `ExpectedEnvironment` of the template). */
export interface DoctorEnvironmentExpectations {
  readonly index: number;
  readonly name: string;
  readonly bitbucketDeployment: string;
  /** `null`, not absent, so the embedded JSON shows that the option is unset. */
  readonly bitbucketDeploymentUuid: string | null;
  readonly account: string;
  readonly region: string;
  readonly roleArn: string;
  readonly subjectPattern: string;
}

/** The values embedded in the generated doctor (the `Expected` of the template). */
export interface DoctorExpectations {
  readonly project: string;
  readonly workspace: string;
  readonly workspaceUuid: string;
  readonly repositoryUuid: string;
  readonly issuerUrl: string;
  readonly audience: string;
  /** The branch whose pipeline deploys: a deploy token from another branch is a warning. */
  readonly mainBranch: string;
  readonly leftoverVariables: string[];
  readonly environments: DoctorEnvironmentExpectations[];
}

/**
 * The doctor's expectations, from the same settings and naming functions the
 * OIDC stack and the pipeline use, so it checks against the trust actually
 * generated (same `sub` pattern, same role ARNs).
 */
/** What the doctor's expectations are computed from. */
export type DoctorInput = Pick<ResolvedSettings, 'projectName' | 'workspace' | 'workspaceUuid' | 'repositoryUuid' | 'issuerUrl' | 'audience' | 'mainBranch' | 'environments'>;

export function doctorExpectations(settings: DoctorInput): DoctorExpectations {
  return {
    project: settings.projectName,
    workspace: settings.workspace,
    workspaceUuid: settings.workspaceUuid,
    repositoryUuid: settings.repositoryUuid,
    issuerUrl: settings.issuerUrl,
    audience: settings.audience,
    mainBranch: settings.mainBranch,
    leftoverVariables: [...LEFTOVER_CREDENTIAL_VARIABLES],
    environments: settings.environments.map((env, index) => environmentExpectations(settings, env, index)),
  };
}

function environmentExpectations(settings: DoctorInput, env: ResolvedDeployEnvironment, index: number): DoctorEnvironmentExpectations {
  return {
    index,
    name: env.name,
    bitbucketDeployment: env.bitbucketDeployment,
    bitbucketDeploymentUuid: env.bitbucketDeploymentUuid ?? null,
    account: env.account,
    region: env.region,
    roleArn: env.deployRoleArn,
    subjectPattern: naming.subjectPattern(settings.repositoryUuid, env.bitbucketDeploymentUuid),
  };
}
