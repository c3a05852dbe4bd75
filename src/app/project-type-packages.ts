import * as fs from 'fs';
import * as path from 'path';
import { DependencyType } from 'projen';
import type { Project } from 'projen';

/** This package: the one every project type of a preset derives from. */
export const THIS_PACKAGE = 'projen-bitbucket-cdk';

/** A dependency that provides the project type: this package, or a preset built on it. */
export interface ProjectTypePackage {
  /** Package name. */
  readonly name: string;
  /** Version of the copy in node_modules now. */
  readonly version: string;
  /** Version as `.projenrc.ts` declares it (`undefined` when it names none). */
  readonly declared?: string;
  /** What package.json holds for it now (a range, or a `file:`/git spec that no upgrade can move). */
  readonly packageJsonSpec?: string;
  /** Whether the project lists it itself (a preset in devDeps); false for this package reached only through a preset's peer. */
  readonly direct: boolean;
}

const DECLARED_TYPES = [DependencyType.BUILD, DependencyType.DEVENV, DependencyType.RUNTIME, DependencyType.TEST, DependencyType.OPTIONAL];

function installed(outdir: string, name: string): any | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(outdir, 'node_modules', name, 'package.json'), 'utf-8'));
  } catch {
    return undefined;
  }
}

/**
 * The installed packages the project type comes from: this package, and every
 * declared dependency that depends on it (a platform team's preset), read
 * from `node_modules` of the project. Empty where nothing is installed (a
 * test's temporary folder).
 */
export function projectTypePackages(project: Project): ProjectTypePackage[] {
  const found: ProjectTypePackage[] = [];
  const declared = project.deps.all.filter((d) => DECLARED_TYPES.includes(d.type));
  let manifestNow: any = {};
  try {
    manifestNow = JSON.parse(fs.readFileSync(path.join(project.outdir, 'package.json'), 'utf-8'));
  } catch {
    // No package.json yet: a new project.
  }
  const specOf = (name: string): string | undefined => manifestNow.devDependencies?.[name] ?? manifestNow.dependencies?.[name];
  for (const dep of declared) {
    const manifest = installed(project.outdir, dep.name);
    if (!manifest?.version) continue;
    const builtOnThis = dep.name === THIS_PACKAGE
      || THIS_PACKAGE in (manifest.peerDependencies ?? {})
      || THIS_PACKAGE in (manifest.dependencies ?? {});
    if (!builtOnThis) continue;
    found.push({ name: dep.name, version: manifest.version, declared: dep.version, packageJsonSpec: specOf(dep.name), direct: true });
  }
  if (!found.some((p) => p.name === THIS_PACKAGE)) {
    const self = installed(project.outdir, THIS_PACKAGE);
    if (self?.version) found.push({ name: THIS_PACKAGE, version: self.version, direct: false });
  }
  return found;
}
