/**
 * One parser per kind of value. Each returns the normalised value, or
 * undefined after recording an error that names the option, the value and the fix.
 */
export * from './aws-account-region';
export * from './aws-iam-values';
export * from './bitbucket-values';
export * from './project-values';
