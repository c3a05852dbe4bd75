/**
 * A deploy step's world without AWS or a registry: a clone holding the
 * committed files a step needs (the step runner and the pre-flight script,
 * package-lock.json) and the `cdk.out` artifact, a stub `npm` whose `ci`
 * "installs" a fake CDK CLI, and that fake CLI, which records its
 * arguments, its environment and the token file as it found it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DeployPreflight } from '../../src/pipeline/deploy-preflight';
import { OidcStepRunner } from '../../src/pipeline/oidc-step-runner';
import { tempDir } from '../util';

/** The generated files an OIDC step runs, from `Testing.synth`. */
export function stepFiles(synthesised: Record<string, any>): Record<string, string> {
  return { [OidcStepRunner.FILE_PATH]: synthesised[OidcStepRunner.FILE_PATH], [DeployPreflight.FILE_PATH]: synthesised[DeployPreflight.FILE_PATH] };
}

export const LOCKED_INTEGRITY = 'sha512-K3d02L17IwmAuiBWNuX1DzYhKUs9GrKYI7bZnGJfJ1bKz9ymXFxfudBOL3rUb8JAusDNSULiQU2fsJH7kyY2XA==';

/**
 * A fake `cdk` (plain Node): writes its arguments, its environment and what
 * it finds at the token and credential files as JSON into `$RECORD_DIR`
 * (the runner removes them when the CLI ends); exits with `$FAKE_CDK_EXIT`.
 */
export const FAKE_CDK = [
  '#!/usr/bin/env node',
  "const fs = require('fs'); const path = require('path');",
  'const look = (f) => { try { const s = fs.statSync(f); return { content: fs.readFileSync(f, "utf-8"), mode: (s.mode & 0o777).toString(8),'
    + ' dirMode: (fs.statSync(path.dirname(f)).mode & 0o777).toString(8) }; } catch { return undefined; } };',
  'const e = process.env;',
  'const files = { token: look(e.AWS_WEB_IDENTITY_TOKEN_FILE || "/nonexistent"), credentials: look(e.AWS_SHARED_CREDENTIALS_FILE || "/nonexistent"),'
    + ' config: look(e.AWS_CONFIG_FILE || "/nonexistent") };',
  "fs.writeFileSync(path.join(e.RECORD_DIR, 'cdk.json'), JSON.stringify({ args: process.argv.slice(2), env: e, files }));",
  'process.exit(Number(e.FAKE_CDK_EXIT || 0));',
].join('\n');

/** What the fake CLI found at a file: its content and modes (octal). */
export interface SeenFile {
  readonly content: string;
  readonly mode: string;
  readonly dirMode: string;
}

/** `npm ci` stand-in: installs FAKE_CDK as aws-cdk at the version package.json asks for, records its own environment. */
const STUB_NPM = [
  '#!/bin/sh',
  'env > "$RECORD_DIR/npm-env"',
  'printf "%s\\n" "$*" > "$RECORD_DIR/npm-args"',
  '[ "$1" = ci ] || exit 1',
  'v="$(node -p \'require("./package.json").dependencies["aws-cdk"]\')" || exit 1',
  'mkdir -p node_modules/aws-cdk/bin',
  'printf \'{"name":"aws-cdk","version":"%s"}\' "$v" > node_modules/aws-cdk/package.json',
  'cp "$FAKE_CDK_FILE" node_modules/aws-cdk/bin/cdk',
].join('\n');

/** The `package-lock.json` a generated project commits, locking aws-cdk at `version`. */
export function projectLockfile(version: string, integrity = LOCKED_INTEGRITY, resolvedHost = 'https://registry.npmjs.org'): string {
  return JSON.stringify({
    name: 'my-app',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'my-app', devDependencies: { 'aws-cdk': version } },
      'node_modules/aws-cdk': {
        version,
        resolved: `${resolvedHost}/aws-cdk/-/aws-cdk-${version}.tgz`,
        integrity,
        dev: true,
        license: 'Apache-2.0',
        bin: { cdk: 'bin/cdk' },
        engines: { node: '>= 18.0.0' },
      },
    },
  }, undefined, 2);
}

/** A minimal cloud assembly with one stage (a nested assembly) whose asset manifest holds `assets`. */
export function writeAssembly(dir: string, stage: string, assets: { files?: object; dockerImages?: object } = {}): void {
  const nested = `assembly-${stage}`;
  fs.mkdirSync(path.join(dir, nested), { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
    version: '48.0.0',
    artifacts: { [nested]: { type: 'cdk:cloud-assembly', properties: { directoryName: nested, displayName: stage } } },
  }));
  fs.writeFileSync(path.join(dir, nested, 'manifest.json'), JSON.stringify({
    version: '48.0.0',
    artifacts: {
      [`${stage}Stack.assets`]: { type: 'cdk:asset-manifest', properties: { file: `${stage}Stack.assets.json` } },
      [`${stage}Stack`]: { type: 'aws:cloudformation:stack', properties: { templateFile: `${stage}Stack.template.json` } },
    },
  }));
  fs.writeFileSync(path.join(dir, nested, `${stage}Stack.assets.json`), JSON.stringify({ version: '48.0.0', files: {}, dockerImages: {}, ...assets }));
}

export interface StepWorld {
  readonly root: string;
  readonly clone: string;
  readonly tmp: string;
  readonly home: string;
  readonly bin: string;
  readonly record: string;
}

/** Options of `stepWorld`. */
export interface StepWorldOptions {
  /** Generated files the clone holds, by path (`stepFiles`). */
  readonly files: Record<string, string>;
  /** CLI version locked in package-lock.json; undefined: no package-lock.json. */
  readonly lockedVersion?: string;
  /** Stage whose assembly is restored as the artifact; undefined: no cdk.out. */
  readonly assemblyStage?: string;
  /** Assets of that assembly. */
  readonly assets?: { files?: object; dockerImages?: object };
  /** TMPDIR inside the clone directory. */
  readonly tmpInsideClone?: boolean;
  /** Integrity locked for aws-cdk (default LOCKED_INTEGRITY). */
  readonly lockedIntegrity?: string;
  /** The repository's `.npmrc`. */
  readonly npmrc?: string;
  /** Use the real npm instead of the stub. */
  readonly realNpm?: boolean;
}

export function stepWorld(o: StepWorldOptions): StepWorld {
  const root = tempDir('pbc-step-');
  const clone = path.join(root, 'build');
  const tmp = o.tmpInsideClone ? path.join(clone, 'tmp') : path.join(root, 'tmp');
  const home = path.join(root, 'home');
  const bin = path.join(root, 'bin');
  const record = path.join(root, 'record');
  for (const dir of [clone, tmp, home, bin, record, path.join(clone, '.projen')]) fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(o.files)) fs.writeFileSync(path.join(clone, file), text);
  if (o.lockedVersion) fs.writeFileSync(path.join(clone, 'package-lock.json'), projectLockfile(o.lockedVersion, o.lockedIntegrity));
  if (o.npmrc !== undefined) fs.writeFileSync(path.join(clone, '.npmrc'), o.npmrc);
  if (o.assemblyStage) writeAssembly(path.join(clone, 'cdk.out'), o.assemblyStage, o.assets);
  if (!o.realNpm) fs.writeFileSync(path.join(bin, 'npm'), STUB_NPM, { mode: 0o755 });
  fs.writeFileSync(path.join(root, 'fake-cdk.js'), FAKE_CDK);
  return { root, clone, tmp, home, bin, record };
}

/** The environment of a step run in `world`, Bitbucket's variables plus the stubs'. */
export function stepEnv(world: StepWorld, token: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: `${world.bin}:${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: world.home,
    TMPDIR: world.tmp,
    RECORD_DIR: world.record,
    FAKE_CDK_FILE: path.join(world.root, 'fake-cdk.js'),
    BITBUCKET_STEP_OIDC_TOKEN: token,
    BITBUCKET_BUILD_NUMBER: '42',
    BITBUCKET_CLONE_DIR: world.clone,
    ...overrides,
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

/** What the fake CLI recorded, if it ran. */
export function cdkRecord(world: StepWorld): {
  args: string[]; env: Record<string, string>; files: { token?: SeenFile; credentials?: SeenFile; config?: SeenFile };
} | undefined {
  const file = path.join(world.record, 'cdk.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) : undefined;
}

/** Environment the stub npm saw, if it ran. */
export function npmEnv(world: StepWorld): Record<string, string> | undefined {
  const file = path.join(world.record, 'npm-env');
  if (!fs.existsSync(file)) return undefined;
  const result: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf-8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}

/** Every file below `dir` whose name is `name`. */
export function filesNamed(dir: string, name: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name === name)
    .map((e) => path.join(e.parentPath ?? (e as any).path, e.name));
}
