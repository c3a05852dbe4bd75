import type {
  CustomPipeline,
  CustomPipelineVariable,
  PipelineArtifacts,
  PipelineCache,
  PipelineClone,
  PipelineCondition,
  PipelineDefinitions,
  PipelineImage,
  PipelineItem,
  PipelineParallel,
  PipelineService,
  PipelineStage,
  PipelineStep,
  PipelinesConfiguration,
  PipelinesGlobalOptions,
  PipelinesSection,
} from './configuration-model';

/*
 * One render function per model type, each naming Bitbucket's keys
 * explicitly: a generic camelCase→kebab-case conversion would also rewrite
 * user data (branch globs, cache names) and Bitbucket's own camelCase keys
 * (`includePaths`).
 */

type Json = { [key: string]: unknown };

/** The YAML document as a plain object, with Bitbucket's keys. */
export function renderConfiguration(c: PipelinesConfiguration): Json {
  return compact({
    image: c.image && renderImage(c.image),
    clone: c.clone && renderClone(c.clone),
    options: c.options && renderGlobalOptions(c.options),
    definitions: c.definitions && renderDefinitions(c.definitions),
    pipelines: renderPipelines(c.pipelines),
  });
}

export function renderPipelines(p: PipelinesSection): Json {
  return compact({
    'default': p.defaultPipeline && renderItems(p.defaultPipeline),
    'branches': p.branches && mapValues(p.branches, renderItems),
    'pull-requests': p.pullRequests && mapValues(p.pullRequests, renderItems),
    'tags': p.tags && mapValues(p.tags, renderItems),
    'custom': p.custom && mapValues(p.custom, renderCustomPipeline),
  });
}

export function renderItems(items: PipelineItem[]): Json[] {
  return items.map(renderItem);
}

export function renderItem(item: PipelineItem): Json {
  return compact({
    step: item.step && renderStep(item.step),
    parallel: item.parallel && renderParallel(item.parallel),
    stage: item.stage && renderStage(item.stage),
  });
}

export function renderStep(s: PipelineStep): Json {
  return compact({
    'name': s.name,
    'image': s.image && renderImage(s.image),
    'size': s.size,
    'max-time': s.maxTime,
    'trigger': s.trigger,
    'deployment': s.deployment,
    'concurrency-group': s.concurrencyGroup,
    'oidc': s.oidc,
    'clone': s.clone && renderClone(s.clone),
    'caches': nonEmpty(s.caches),
    'services': nonEmpty(s.services),
    'condition': s.condition && renderCondition(s.condition),
    'runs-on': nonEmpty(s.runsOn),
    'script': [...s.script],
    'after-script': nonEmpty(s.afterScript),
    'artifacts': s.artifacts && renderArtifacts(s.artifacts),
  });
}

function renderParallel(p: PipelineParallel): Json {
  return compact({
    'fail-fast': p.failFast,
    'steps': p.steps.map((step) => ({ step: renderStep(step) })),
  });
}

function renderStage(s: PipelineStage): Json {
  return compact({
    name: s.name,
    trigger: s.trigger,
    deployment: s.deployment,
    condition: s.condition && renderCondition(s.condition),
    steps: s.steps.map((step) => ({ step: renderStep(step) })),
  });
}

function renderCustomPipeline(p: CustomPipeline): Json[] {
  const variables = p.variables && p.variables.length > 0 ? [{ variables: p.variables.map(renderVariable) }] : [];
  return [...variables, ...renderItems(p.items)];
}

function renderVariable(v: CustomPipelineVariable): Json {
  return compact({
    'name': v.name,
    'default': v.defaultValue,
    'allowed-values': nonEmpty(v.allowedValues),
    'description': v.description,
  });
}

/** A bare name renders as a string, as people write it. */
function renderImage(i: PipelineImage): string | Json {
  if (i.runAsUser === undefined && i.username === undefined && i.password === undefined) {
    return i.name;
  }
  return compact({
    'name': i.name,
    'run-as-user': i.runAsUser,
    'username': i.username,
    'password': i.password,
  });
}

function renderClone(c: PipelineClone): Json {
  return compact({
    enabled: c.enabled,
    depth: c.fullDepth ? 'full' : c.depth,
    lfs: c.lfs,
  });
}

/** Only paths: the short list form. */
function renderArtifacts(a: PipelineArtifacts): unknown {
  if (a.download === undefined) {
    return [...(a.paths ?? [])];
  }
  return compact({ download: a.download, paths: nonEmpty(a.paths) });
}

function renderCondition(c: PipelineCondition): Json {
  return compact({
    // Bitbucket's keys here are camelCase.
    changesets: c.changesets && compact({
      includePaths: nonEmpty(c.changesets.includePaths),
      excludePaths: nonEmpty(c.changesets.excludePaths),
    }),
    state: c.state,
  });
}

function renderGlobalOptions(o: PipelinesGlobalOptions): Json {
  return compact({
    'max-time': o.maxTime,
    'size': o.size,
    'docker': o.docker,
    'runs-on': nonEmpty(o.runsOn),
  });
}

function renderDefinitions(d: PipelineDefinitions): Json {
  return compact({
    caches: d.caches && mapValues(d.caches, renderCache),
    services: d.services && mapValues(d.services, renderService),
  });
}

/** Without key files, the short form `name: path`. */
function renderCache(c: PipelineCache): unknown {
  if (!c.keyFiles || c.keyFiles.length === 0) {
    return c.path;
  }
  return { key: { files: [...c.keyFiles] }, path: c.path };
}

function renderService(s: PipelineService): Json {
  return compact({
    image: s.image && renderImage(s.image),
    memory: s.memory,
    variables: s.variables && { ...s.variables },
  });
}

/** Keys are user data: copied as given. */
function mapValues<T, R>(map: { [key: string]: T }, render: (value: T) => R): { [key: string]: R } {
  const result: { [key: string]: R } = {};
  for (const [key, value] of Object.entries(map)) {
    result[key] = render(value);
  }
  return result;
}

function nonEmpty(values: string[] | undefined): string[] | undefined {
  return values && values.length > 0 ? [...values] : undefined;
}

/** Drops undefined values so the YAML holds only what was set. */
function compact(obj: Json): Json {
  const result: Json = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value !== undefined) result[key] = value;
  }
  return result;
}
