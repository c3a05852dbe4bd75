/**
 * The AWS SDK clients and the CDK's template diff are not dependencies of
 * this package: the generated project has them as devDependencies (added by
 * `npx projen`, pinned by its lockfile). They are loaded only when a tool
 * that needs them runs, so `.projenrc.ts` can load this package before they
 * are installed.
 */

/** Thrown when a package the preview or drift tool needs is not installed. */
export class MissingModuleError extends Error {
  constructor(public readonly moduleName: string, tool: string) {
    super(`${tool} needs the package ${moduleName}, which is not installed in this project.\n`
      + `Run \`npx projen\` (it adds ${moduleName} to the devDependencies), then \`npm ci\` `
      + '(or `npm install` if package-lock.json is not up to date yet).');
    this.name = 'MissingModuleError';
  }
}

/**
 * `require(name)`, or a `MissingModuleError` naming the package and the fix
 * when it is not installed. Other load errors (a broken install) propagate.
 */
export function loadOptionalModule<T>(name: string, tool: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err?.code === 'MODULE_NOT_FOUND' && String(err.message).includes(`'${name}'`)) {
      throw new MissingModuleError(name, tool);
    }
    throw e;
  }
}
