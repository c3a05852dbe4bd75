import * as fs from 'fs';
import * as path from 'path';
import { Component } from 'projen';

/**
 * One line instead of npm's dozens of `EBADENGINE` blocks: when the Node.js
 * that runs projen is older than this package supports, every package with
 * the same `engines` floor (the AWS SDK, aws-cdk-lib, this package) warns on
 * its own and the one fact that matters drowns. Printed after projen's
 * install (postSynthesize runs after the NodePackage component's), so it is
 * the last thing the user reads; not an error, because the project is written
 * and works once Node is upgraded.
 */
export class NodeVersionNotice extends Component {
  /** The sentence for a running Node.js `running` below the floor `required` (`>= 22.0.0`), or undefined when it is new enough. */
  public static text(running: string, required: string): string | undefined {
    const floor = /(\d+)(?:\.(\d+))?/.exec(required);
    const have = /(\d+)\.(\d+)/.exec(running);
    if (!floor || !have) return undefined;
    const [needMajor, needMinor] = [Number(floor[1]), Number(floor[2] ?? 0)];
    const [major, minor] = [Number(have[1]), Number(have[2])];
    if (major > needMajor || (major === needMajor && minor >= needMinor)) return undefined;
    return `Node.js ${running} is older than projen-bitbucket-cdk supports (node ${required}); npm's EBADENGINE warnings above all say this. `
      + `Install Node.js ${needMajor} or later (for example \`nvm install ${needMajor}\`), then run \`npx projen\` again.`;
  }

  public postSynthesize(): void {
    const text = NodeVersionNotice.text(process.versions.node, ownEnginesNode());
    if (text) this.project.logger.warn(`BitbucketCdkApp: ${text}`);
  }
}

/** This package's `engines.node` (the floor npm checks), from its own package.json. */
function ownEnginesNode(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8'));
  return manifest.engines?.node ?? '';
}
