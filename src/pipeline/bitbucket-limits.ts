/*
 * Bitbucket Pipelines' limits, in one place: option validation
 * (src/validation/) and the pipeline lints both read them.
 *
 * @see https://support.atlassian.com/bitbucket-cloud/docs/bitbucket-pipelines-configuration-reference/
 * @see https://support.atlassian.com/bitbucket-cloud/docs/databases-and-service-containers/
 */

/** Steps per pipeline, counting each step of a parallel set and of a stage. */
export const MAX_STEPS_PER_PIPELINE = 100;
/** Longest `max-time` of a step, in minutes. */
export const MAX_TIME_LIMIT = 720;
/** Longest `concurrency-group` name (the official schema's `maxLength`). */
export const MAX_CONCURRENCY_GROUP_LENGTH = 50;
/** Longest `deployment:` environment name Bitbucket accepts. */
export const MAX_DEPLOYMENT_NAME_LENGTH = 100;
/** Services per step. */
export const MAX_SERVICES_PER_STEP = 5;
/** Runner labels of `runs-on` (each at most `MAX_RUNNER_LABEL_LENGTH` characters). */
export const MAX_RUNNER_LABELS = 10;
/** Longest runner label. */
export const MAX_RUNNER_LABEL_LENGTH = 50;
/** Step sizes, smallest first; 4x and larger need a paid plan or a runner, 16x and 32x a runner. */
export const STEP_SIZES: readonly string[] = ['1x', '2x', '4x', '8x', '16x', '32x'];
/** Smallest memory of a service container, in MB. */
export const MIN_SERVICE_MEMORY = 128;
/** Memory of a service container when `definitions.services.<name>.memory` is not set, in MB. */
export const DEFAULT_SERVICE_MEMORY = 1024;
/** What the build container of a step keeps for itself, in MB. */
const BUILD_CONTAINER_MEMORY = 1024;

/** Memory of a step of this size (4 GB per 1x), in MB. */
export function stepMemory(size: string): number {
  const factor = Number.parseInt(size, 10);
  return 4096 * (Number.isInteger(factor) && factor > 0 ? factor : 1);
}

/**
 * Memory all services of a step of this size may use together, in MB: the
 * step's memory less the build container's 1024 MB (3072 for 1x, 7168 for 2x).
 */
export function serviceMemoryLimit(size: string): number {
  return stepMemory(size) - BUILD_CONTAINER_MEMORY;
}

/*
 * Code Insights (reports and annotations on a commit), as the pull-request
 * preview posts them.
 *
 * @see https://developer.atlassian.com/cloud/bitbucket/rest/api-group-reports/
 * @see https://developer.atlassian.com/server/bitbucket/how-tos/code-insights/ (title and details lengths)
 */

/** Annotations in one bulk `POST .../reports/{id}/annotations`. */
export const MAX_ANNOTATIONS_PER_REQUEST = 100;
/** Annotations one report may hold. */
export const MAX_ANNOTATIONS_PER_REPORT = 1000;
/** Longest annotation `summary` (Bitbucket answers 400 "The summary field cannot contain more than 450 characters."). */
export const MAX_ANNOTATION_SUMMARY_LENGTH = 450;
/** Data fields of a report ("Maximum 10"). */
export const MAX_REPORT_DATA_FIELDS = 10;
/**
 * Longest report `title` and `details`. Atlassian documents none for
 * Bitbucket Cloud; these are the Code Insights limits it documents for
 * Bitbucket Data Center, kept as the safe bound.
 */
export const MAX_REPORT_TITLE_LENGTH = 450;
export const MAX_REPORT_DETAILS_LENGTH = 2000;
/** Longest annotation `details`: none documented for Cloud; Data Center's annotation message limit. */
export const MAX_ANNOTATION_DETAILS_LENGTH = 2000;

/**
 * Longest line of the generated `bitbucket-pipelines.yml`, indentation and
 * quotes included. Not Bitbucket's limit (it has none): this package's own,
 * so that a reviewer can read every step of the file; the long logic lives
 * in the committed scripts under `.projen/` that the steps run.
 */
export const MAX_SCRIPT_LINE_LENGTH = 200;
