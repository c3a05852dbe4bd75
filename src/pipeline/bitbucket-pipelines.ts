import { Component } from 'projen';
import type { awscdk } from 'projen';
import type { DeployTasks } from '../app/deploy-tasks';
import type { ResolvedSettings } from '../settings';

export interface BitbucketPipelinesOptions {
  readonly settings: ResolvedSettings;
  readonly deployTasks: DeployTasks;
}

// PLACEHOLDER: replaced by the pipeline implementation (issue 4).
export class BitbucketPipelines extends Component {
  constructor(project: awscdk.AwsCdkTypeScriptApp, public readonly options: BitbucketPipelinesOptions) {
    super(project);
  }
}
