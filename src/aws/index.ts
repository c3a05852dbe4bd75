/*
 * Shared AWS plumbing of the preview and drift tools. NOT exported from
 * src/index.ts: loading it must stay out of `.projenrc.ts` (see optional-module.ts).
 */
export * from './aws-errors';
export * from './clients';
export * from './credentials';
export * from './optional-module';
