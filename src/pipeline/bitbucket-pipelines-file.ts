import { Component, YamlFile } from 'projen';
import type { Project } from 'projen';
import type {
  CustomPipelineVariable, PipelineCache, PipelineClone, PipelineImage, PipelineService, PipelineStep,
  PipelinesConfiguration, PipelinesGlobalOptions,
} from './configuration-model';
import { renderConfiguration } from './configuration-render';
import { lintConfiguration, PipelineLintError } from './pipeline-lints';
import { IStepIdRegistry, PipelineSequence } from './pipeline-sequence';

/** Options of `BitbucketPipelinesFile`. */
export interface BitbucketPipelinesFileOptions {
  /**
   * Default image of every step, e.g. `{ name: 'node:22' }`.
   * @default - Bitbucket's default image
   */
  readonly image?: PipelineImage;
  /**
   * Clone settings of every step.
   * @default - Bitbucket's defaults
   */
  readonly clone?: PipelineClone;
  /**
   * Defaults for every step: size, max-time, docker, runs-on.
   * @default - Bitbucket's defaults
   */
  readonly options?: PipelinesGlobalOptions;
}

/** Options of a custom pipeline. */
export interface CustomPipelineOptions {
  /**
   * Variables asked for when it is run by hand.
   * @default - none
   */
  readonly variables?: CustomPipelineVariable[];
}

/**
 * `bitbucket-pipelines.yml` for any projen project (a `TypeScriptProject`,
 * `JsiiProject`, `NodeProject`...): a typed model of the whole file whose
 * pipelines hold steps, parallel sets and stages by id, linted at synth time
 * against the Bitbucket rules the official schema misses (a failing lint
 * writes no file at all). Get a pipeline with `branchPipeline`,
 * `pullRequestPipeline`, `tagPipeline`, `defaultPipeline` or
 * `customPipeline`, add to it, then find, update or remove any step by id.
 *
 * @example
 * const pipelines = new BitbucketPipelinesFile(project, { image: { name: 'node:22' } });
 * pipelines.branchPipeline('main').addStep('build', { name: 'Build', script: ['npm ci', 'npx projen build'] });
 */
export class BitbucketPipelinesFile extends Component implements IStepIdRegistry {
  /** Path of the file, relative to the project root. */
  public static readonly FILE_PATH = 'bitbucket-pipelines.yml';

  /** The component of a project, if it has one. */
  public static of(project: Project): BitbucketPipelinesFile | undefined {
    return project.components.find((c): c is BitbucketPipelinesFile => c instanceof BitbucketPipelinesFile);
  }

  /** The YAML file; `addOverride` here bypasses the model and its lints. */
  public readonly file: YamlFile;
  private readonly options: BitbucketPipelinesFileOptions;
  private readonly ids = new Set<string>();
  private readonly caches: { [name: string]: PipelineCache } = {};
  private readonly services: { [name: string]: PipelineService } = {};
  private defaultSequence?: PipelineSequence;
  private readonly branches = new Map<string, PipelineSequence>();
  private readonly pullRequests = new Map<string, PipelineSequence>();
  private readonly tags = new Map<string, PipelineSequence>();
  private readonly customs = new Map<string, PipelineSequence>();

  constructor(project: Project, options: BitbucketPipelinesFileOptions = {}) {
    super(project);
    if (BitbucketPipelinesFile.of(project) !== this) {
      throw new Error(`BitbucketPipelinesFile: the project already has a ${BitbucketPipelinesFile.FILE_PATH}; use BitbucketPipelinesFile.of(project)`);
    }
    this.options = options;
    // Rendered lazily, so that steps added after construction are included.
    this.file = new YamlFile(project, BitbucketPipelinesFile.FILE_PATH, {
      obj: () => renderConfiguration(this.configuration()),
      readonly: true,
      committed: true,
    });
  }

  /** The pipeline run on every push to a branch without a branch pipeline (`pipelines.default`). */
  public defaultPipeline(): PipelineSequence {
    this.defaultSequence ??= new PipelineSequence(this, { path: 'default' });
    return this.defaultSequence;
  }

  /**
   * The pipeline of pushes to branches matching a glob (`pipelines.branches.<glob>`), created on first use.
   * @param glob e.g. `main` or `release/*`
   */
  public branchPipeline(glob: string): PipelineSequence {
    return sequence(this.branches, glob, () => new PipelineSequence(this, { path: `branches.${glob}` }));
  }

  /**
   * The pipeline of pull requests from branches matching a glob (`pipelines.pull-requests.<glob>`).
   * @param glob source-branch glob, e.g. `**`
   */
  public pullRequestPipeline(glob: string): PipelineSequence {
    return sequence(this.pullRequests, glob, () => new PipelineSequence(this, { path: `pull-requests.${glob}` }));
  }

  /**
   * The pipeline of tags matching a glob (`pipelines.tags.<glob>`).
   * @param glob e.g. `v*`
   */
  public tagPipeline(glob: string): PipelineSequence {
    return sequence(this.tags, glob, () => new PipelineSequence(this, { path: `tags.${glob}` }));
  }

  /**
   * A pipeline run by hand or on a schedule (`pipelines.custom.<name>`).
   * Variables can be given only when it is created.
   * @param name name shown in "Run pipeline"
   * @param options its variables
   */
  public customPipeline(name: string, options: CustomPipelineOptions = {}): PipelineSequence {
    const existing = this.customs.get(name);
    if (existing && options.variables !== undefined) {
      throw new Error(`BitbucketPipelinesFile: the custom pipeline ${JSON.stringify(name)} already exists; its variables are set when it is created`);
    }
    return sequence(this.customs, name, () => new PipelineSequence(this, { path: `custom.${name}`, variables: options.variables }));
  }

  /** Whether a custom pipeline of this name exists. */
  public hasCustomPipeline(name: string): boolean {
    return this.customs.has(name);
  }

  /**
   * Defines a custom cache that steps can list in `caches`.
   * @param name cache name; written as given
   * @param cache path and key files
   */
  public addCache(name: string, cache: PipelineCache): void {
    this.caches[name] = cache;
  }

  /**
   * Defines a service that steps can list in `services`, e.g. `docker` with
   * more memory than its default 1024 MB.
   * @param name service name; written as given
   * @param service image, memory, variables
   */
  public addService(name: string, service: PipelineService): void {
    this.services[name] = service;
  }

  /**
   * The step with this id, wherever it is; undefined when there is none.
   * @param id the step's id
   */
  public findStep(id: string): PipelineStep | undefined {
    for (const s of this.sequences()) {
      const found = s._find(id);
      if (found) return found.step;
    }
    return undefined;
  }

  /**
   * Replaces the step with this id, keeping its place. To change one
   * setting: `updateStep(id, { ...findStep(id), size: StepSize.SIZE_2X })`.
   * @param id the step's id
   * @param step the new step
   */
  public updateStep(id: string, step: PipelineStep): void {
    if (!this.sequences().some((s) => s._replace(id, step))) throw this.unknown(id);
  }

  /**
   * Removes the step, parallel set or stage with this id (a parallel set or
   * stage left without steps goes too).
   * @param id the id
   */
  public removeStep(id: string): void {
    if (!this.sequences().some((s) => s._remove(id))) throw this.unknown(id);
  }

  /** Every id in the file: items and the steps inside parallel sets and stages. */
  public allIds(): string[] {
    return [...this.ids];
  }

  /** Records an id for a `PipelineSequence`; throws when it is taken. */
  public claimId(id: string): void {
    if (typeof id !== 'string' || id.trim() === '') throw new Error(`BitbucketPipelinesFile: a step id must be a non-empty string (got ${JSON.stringify(id)})`);
    if (this.ids.has(id)) throw new Error(`BitbucketPipelinesFile: the id ${JSON.stringify(id)} is already used; ids are unique in the file (findStep, updateStep, removeStep)`);
    this.ids.add(id);
  }

  /** Frees an id of a removed item (called by `PipelineSequence`). */
  public releaseId(id: string): void {
    this.ids.delete(id);
  }

  /** The whole file as a typed model: what is rendered and linted. */
  public configuration(): PipelinesConfiguration {
    const items = (map: Map<string, PipelineSequence>) => (map.size === 0 ? undefined : Object.fromEntries([...map].map(([k, s]) => [k, s.items()])));
    const definitions = {
      caches: Object.keys(this.caches).length > 0 ? { ...this.caches } : undefined,
      services: Object.keys(this.services).length > 0 ? { ...this.services } : undefined,
    };
    return {
      image: this.options.image,
      clone: this.options.clone,
      options: this.options.options,
      definitions: definitions.caches || definitions.services ? definitions : undefined,
      pipelines: {
        defaultPipeline: this.defaultSequence?.items(),
        branches: items(this.branches),
        pullRequests: items(this.pullRequests),
        tags: items(this.tags),
        custom: this.customs.size === 0 ? undefined : Object.fromEntries([...this.customs].map(([k, s]) => [k, {
          items: s.items(),
          variables: s.variables.length > 0 ? [...s.variables] : undefined,
        }])),
      },
    };
  }

  /** Refuses, before projen deletes or writes any file, a pipeline Bitbucket or AWS would reject. */
  public preSynthesize(): void {
    const problems = lintConfiguration(this.configuration(), (name) => this.project.tasks.tryFind(name) !== undefined);
    if (problems.length > 0) {
      throw new PipelineLintError(problems);
    }
  }

  private sequences(): PipelineSequence[] {
    return [
      ...(this.defaultSequence ? [this.defaultSequence] : []),
      ...this.branches.values(), ...this.pullRequests.values(), ...this.tags.values(), ...this.customs.values(),
    ];
  }

  private unknown(id: string): Error {
    return new Error(`BitbucketPipelinesFile: no step, parallel set or stage has the id ${JSON.stringify(id)}; ids: ${this.allIds().join(', ') || '(none)'}`);
  }
}

function sequence(map: Map<string, PipelineSequence>, key: string, create: () => PipelineSequence): PipelineSequence {
  let s = map.get(key);
  if (!s) {
    s = create();
    map.set(key, s);
  }
  return s;
}
