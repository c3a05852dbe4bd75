import { isString, trimmed } from './input';
import { Problems } from './problems';
import { MAX_TIME_LIMIT, STEP_SIZES } from '../pipeline/bitbucket-limits';
import { StepSize } from '../pipeline/configuration-model';

/** Parsers for names and pipeline settings; same contract as the others. */

/**
 * An environment name becomes the task names `deploy:<name>`/`diff:<name>`,
 * a CDK stage ID (`<name>/*` selects its stacks), part of an IAM role name and
 * logical ID, and by default the Bitbucket deployment name.
 */
export function environmentName(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'an environment name')) return undefined;
  const v = trimmed(option, value, problems);
  const rule = 'Use letters, digits and single hyphens, starting with a letter, at most 32 characters (e.g. "prod-eu").';
  if (v === '') {
    problems.error(option, value, `Empty. Name the environment, e.g. "production". ${rule}`);
    return undefined;
  }
  const why = environmentNameFlaw(v);
  if (why) {
    problems.error(option, value, `${why}. ${rule}`);
    return undefined;
  }
  return v;
}

function environmentNameFlaw(v: string): string | undefined {
  if (v.length > 32) return `Too long (${v.length} characters): it becomes part of a 64-character IAM role name`;
  if (/\//.test(v)) return '"/" separates CDK construct paths, so it cannot be in a stage ID';
  if (/:/.test(v)) return '":" separates task names (deploy:<name>), so the task would be ambiguous';
  if (/\s/.test(v)) return 'Spaces break task names and the `<name>/*` stack selection';
  if (/[*?]/.test(v)) return '"*" and "?" are stack-selection wildcards';
  if (/[^A-Za-z0-9-]/.test(v)) return `"${/[^A-Za-z0-9-]/.exec(v)![0]}" is not allowed in task names, stage IDs and role names alike`;
  if (!/^[A-Za-z]/.test(v)) return 'Must start with a letter (CDK stage IDs and logical IDs)';
  if (/-$|--/.test(v)) return 'Trailing or double hyphens collapse in role names, so two names could share a role';
  return undefined;
}

/** A wave name: shown in the pipeline ("Start wave <name>") and part of step ids. */
export function waveName(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'a wave name')) return undefined;
  const v = trimmed(option, value, problems);
  if (!/^[A-Za-z][A-Za-z0-9-]{0,31}$/.test(v)) {
    problems.error(option, value, 'Not a wave name: use letters, digits and hyphens, starting with a letter, at most 32 characters (e.g. "staging"). Environments with the same wave deploy in one parallel set.');
    return undefined;
  }
  return v;
}

export function stepSize(option: string, value: unknown, problems: Problems): StepSize | undefined {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : typeof value === 'number' ? `${value}x` : undefined;
  if (v !== undefined && STEP_SIZES.includes(v) && typeof value === 'string') {
    if (v !== value) problems.warn(option, `using step size "${v}".`);
    return v as StepSize;
  }
  const hint = v !== undefined && STEP_SIZES.includes(v) ? ` Write "${v}".` : '';
  problems.error(option, value, `Bitbucket step sizes are ${STEP_SIZES.join(', ')} (4x and larger need a paid plan or a runner).${hint}`);
  return undefined;
}

export function maxTime(option: string, value: unknown, problems: Problems): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIME_LIMIT) {
    problems.error(option, value, `Bitbucket accepts a step max-time of 1 to ${MAX_TIME_LIMIT} whole minutes.`);
    return undefined;
  }
  return value;
}

export function dockerImage(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'a Docker image name')) return undefined;
  const v = trimmed(option, value, problems);
  if (!/^[a-z0-9][\w./:@-]*$/i.test(v)) {
    problems.error(option, value, 'Not a Docker image name: expected e.g. "node:22" or "public.ecr.aws/docker/library/node:22".');
    return undefined;
  }
  return v;
}

/** npm's sha512 integrity of a tarball (`sha512-` and 88 base64 characters), as `npm view <pkg>@<v> dist.integrity` prints it. */
export function sha512Integrity(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'an npm integrity')) return undefined;
  const v = trimmed(option, value, problems);
  if (!/^sha512-[A-Za-z0-9+/]{86}==$/.test(v)) {
    const weak = /^sha(1|256)-/.test(v) ? ` ${v.split('-')[0]} is too weak: npm verifies the CLI with sha512.` : '';
    problems.error(option, value, `Expected npm's sha512 integrity, "sha512-" and 88 base64 characters.${weak} Copy the output of npm view aws-cdk@<cdkCliVersion> dist.integrity.`);
    return undefined;
  }
  return v;
}

export function branchName(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'a branch name')) return undefined;
  const v = trimmed(option, value, problems);
  if (v === '' || /[\s~^:?*[\\]|\.\.|^\/|\/$|^-/.test(v)) {
    problems.error(option, value, 'Not a git branch name: expected e.g. "main". The main branch deploys.');
    return undefined;
  }
  return v;
}

export function flag(option: string, value: unknown, problems: Problems, meaning?: string): boolean | undefined {
  if (typeof value === 'boolean') return value;
  problems.error(option, value, `Expected true or false.${meaning ? ` ${meaning}` : ''}`);
  return undefined;
}

/** An npm version or range (the CDK CLI version is pinned in the pipeline). */
export function npmVersion(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'an npm version')) return undefined;
  const v = trimmed(option, value, problems);
  // Exact: the deploy steps run `npx aws-cdk@<version>`, and a range would fetch whatever is newest, not the lockfile's CLI.
  if (!/^\d+\.\d+\.\d+([-+][\w.]+)?$/.test(v)) {
    problems.error(option, value, 'Expected an exact npm version such as "2.1148.1": the deploy steps run `npx aws-cdk@<version>`, and a range would fetch the newest CLI instead of the lockfile\'s.');
    return undefined;
  }
  return v;
}
