import type {
  CustomPipelineVariable, PipelineCondition, PipelineItem, PipelineStep, StepTrigger,
} from './configuration-model';

/** A step with the id that finds, updates and removes it. */
export interface IdentifiedStep {
  /** Unique in the whole file. */
  readonly id: string;
  /** The step. */
  readonly step: PipelineStep;
}

/** A parallel set (`- parallel:`) whose steps have ids. */
export interface ParallelSetOptions {
  /** The steps, run at the same time. */
  readonly steps: IdentifiedStep[];
  /**
   * Stop every step of the set when one fails.
   * @default false
   */
  readonly failFast?: boolean;
}

/** A stage (`- stage:`) whose steps have ids. */
export interface StageOptions {
  /** The steps, in order. */
  readonly steps: IdentifiedStep[];
  /**
   * Name shown in the Bitbucket UI.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * Deployment environment of the whole stage.
   * @default - not a deployment stage
   */
  readonly deployment?: string;
  /**
   * How the stage starts.
   * @default StepTrigger.AUTOMATIC
   */
  readonly trigger?: StepTrigger;
  /**
   * When the stage runs.
   * @default - always
   */
  readonly condition?: PipelineCondition;
}

/** Where a new item goes; without either, at the end. */
export interface ItemPosition {
  /**
   * Id of an item (or of a step in it) to insert before.
   * @default - not before an item
   */
  readonly before?: string;
  /**
   * Id of an item (or of a step in it) to insert after.
   * @default - not after an item
   */
  readonly after?: string;
}

/** Keeps ids unique across the whole file; implemented by `BitbucketPipelinesFile`. */
export interface IStepIdRegistry {
  /** Throws when `id` is taken; else records it. */
  claimId(id: string): void;
  /** Frees `id`. */
  releaseId(id: string): void;
}

/** Options of `PipelineSequence`. */
export interface PipelineSequenceOptions {
  /** Where the pipeline is in the file, e.g. `branches.main` or `custom.deploy`. */
  readonly path: string;
  /**
   * Variables asked for when a custom pipeline is run by hand.
   * @default - none
   */
  readonly variables?: CustomPipelineVariable[];
}

/** One entry of a sequence. */
interface SequenceEntry {
  readonly id: string;
  readonly kind: 'step' | 'parallel' | 'stage';
  /** One step for `step`, the set's or stage's steps otherwise. */
  steps: IdentifiedStep[];
  readonly failFast?: boolean;
  readonly stage?: Omit<StageOptions, 'steps'>;
}

/**
 * One pipeline of `bitbucket-pipelines.yml` (the default pipeline, a branch,
 * pull-request or tag glob, or a custom pipeline): an ordered list of steps,
 * parallel sets and stages, each with an id. Obtained from
 * `BitbucketPipelinesFile`; `BitbucketPipelinesFile.findStep`, `updateStep`
 * and `removeStep` reach its steps by id.
 */
export class PipelineSequence {
  /** Where the pipeline is in the file, e.g. `branches.main` or `custom.deploy`. */
  public readonly path: string;
  /** Variables asked for when a custom pipeline is run by hand. */
  public readonly variables: CustomPipelineVariable[];
  private readonly registry: IStepIdRegistry;
  private readonly entries: SequenceEntry[] = [];

  /**
   * @param registry keeps ids unique across the file (the `BitbucketPipelinesFile`)
   * @param options where the pipeline is and its variables
   */
  constructor(registry: IStepIdRegistry, options: PipelineSequenceOptions) {
    this.registry = registry;
    this.path = options.path;
    this.variables = [...(options.variables ?? [])];
  }

  /**
   * Adds a step.
   * @param id unique in the file
   * @param step the step
   * @param position where it goes (default: at the end)
   */
  public addStep(id: string, step: PipelineStep, position?: ItemPosition): void {
    this.insert({ id, kind: 'step', steps: [{ id, step }] }, position);
  }

  /**
   * Adds a parallel set; its steps get their own ids.
   * @param id id of the set, unique in the file
   * @param parallel the steps and fail-fast
   * @param position where it goes (default: at the end)
   */
  public addParallel(id: string, parallel: ParallelSetOptions, position?: ItemPosition): void {
    this.insert({ id, kind: 'parallel', steps: [...parallel.steps], failFast: parallel.failFast }, position);
  }

  /**
   * Adds a stage; its steps get their own ids.
   * @param id id of the stage, unique in the file
   * @param stage the stage
   * @param position where it goes (default: at the end)
   */
  public addStage(id: string, stage: StageOptions, position?: ItemPosition): void {
    const { steps, ...rest } = stage;
    this.insert({ id, kind: 'stage', steps: [...steps], stage: rest }, position);
  }

  /**
   * Adds an item of the plain model; steps inside a parallel set or stage
   * get the ids `<id>.<index>`.
   * @param id unique in the file
   * @param item the step, parallel set or stage
   * @param position where it goes (default: at the end)
   */
  public addItem(id: string, item: PipelineItem, position?: ItemPosition): void {
    const kinds = [item.step, item.parallel, item.stage].filter((k) => k !== undefined).length;
    if (kinds !== 1) throw new Error(`PipelineSequence ${this.path}: item ${JSON.stringify(id)} needs exactly one of step, parallel or stage`);
    const numbered = (steps: PipelineStep[]) => steps.map((step, i) => ({ id: `${id}.${i}`, step }));
    if (item.step) this.addStep(id, item.step, position);
    else if (item.parallel) this.addParallel(id, { steps: numbered(item.parallel.steps), failFast: item.parallel.failFast }, position);
    else if (item.stage) this.addStage(id, { ...item.stage, steps: numbered(item.stage.steps) }, position);
  }

  /** Ids of the items, in order (a parallel set or stage by its own id). */
  public itemIds(): string[] {
    return this.entries.map((e) => e.id);
  }

  /** Whether an item or a step in one has this id. */
  public has(id: string): boolean {
    return this.indexOf(id) >= 0;
  }

  /** The items as the plain model: what is rendered and linted. */
  public items(): PipelineItem[] {
    return this.entries.map((e): PipelineItem => {
      const steps = e.steps.map((s) => s.step);
      if (e.kind === 'step') return { step: steps[0] };
      if (e.kind === 'parallel') return { parallel: { steps, failFast: e.failFast } };
      return { stage: { ...e.stage, steps } };
    });
  }

  /** @internal the step with this id, or undefined. */
  public _find(id: string): IdentifiedStep | undefined {
    for (const e of this.entries) {
      const found = e.steps.find((s) => s.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** @internal replaces the step with this id; false when it is not here. */
  public _replace(id: string, step: PipelineStep): boolean {
    for (const e of this.entries) {
      const i = e.steps.findIndex((s) => s.id === id);
      if (i >= 0) {
        e.steps[i] = { id, step };
        return true;
      }
    }
    return false;
  }

  /**
   * @internal removes the item, or the step, with this id (a parallel set or
   * stage left without steps goes too); false when it is not here.
   */
  public _remove(id: string): boolean {
    const i = this.entries.findIndex((e) => e.id === id);
    if (i >= 0) {
      const [entry] = this.entries.splice(i, 1);
      this.release(entry);
      return true;
    }
    for (const [index, e] of this.entries.entries()) {
      const j = e.steps.findIndex((s) => s.id === id);
      if (j < 0) continue;
      e.steps.splice(j, 1);
      this.registry.releaseId(id);
      if (e.steps.length === 0) {
        this.entries.splice(index, 1);
        this.registry.releaseId(e.id);
      }
      return true;
    }
    return false;
  }

  private insert(entry: SequenceEntry, position: ItemPosition | undefined): void {
    if (position?.before !== undefined && position?.after !== undefined) {
      throw new Error(`PipelineSequence ${this.path}: give before or after for ${JSON.stringify(entry.id)}, not both`);
    }
    const anchor = position?.before ?? position?.after;
    let at = this.entries.length;
    if (anchor !== undefined) {
      const i = this.indexOf(anchor);
      if (i < 0) {
        throw new Error(`PipelineSequence ${this.path}: no item or step ${JSON.stringify(anchor)} to insert ${JSON.stringify(entry.id)} ${position?.before !== undefined ? 'before' : 'after'}; ids here: ${this.itemIds().join(', ') || '(none)'}`);
      }
      at = position?.before !== undefined ? i : i + 1;
    }
    const ids = new Set([entry.id, ...entry.steps.map((s) => s.id)]);
    if (entry.kind !== 'step' && ids.size !== entry.steps.length + 1) {
      throw new Error(`PipelineSequence ${this.path}: the ids of ${JSON.stringify(entry.id)} and its steps must differ`);
    }
    const claimed: string[] = [];
    try {
      for (const id of ids) {
        this.registry.claimId(id);
        claimed.push(id);
      }
    } catch (e) {
      claimed.forEach((id) => this.registry.releaseId(id));
      throw e;
    }
    this.entries.splice(at, 0, entry);
  }

  private indexOf(id: string): number {
    return this.entries.findIndex((e) => e.id === id || e.steps.some((s) => s.id === id));
  }

  private release(entry: SequenceEntry): void {
    this.registry.releaseId(entry.id);
    for (const s of entry.steps) if (s.id !== entry.id) this.registry.releaseId(s.id);
  }
}
