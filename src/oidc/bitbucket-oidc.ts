import { Component } from 'projen';
import type { awscdk } from 'projen';
import type { ResolvedSettings } from '../settings';

// PLACEHOLDER: replaced by the OIDC implementation (issue 3).
export class BitbucketOidc extends Component {
  constructor(project: awscdk.AwsCdkTypeScriptApp, public readonly settings: ResolvedSettings) {
    super(project);
  }
}
