import * as fs from 'fs';
import * as path from 'path';

/**
 * `templates/bitbucket-oidc/` of this package. The component runs from
 * `lib/oidc/` (or `src/oidc/` under ts-jest): both sit two levels below the
 * package root, next to `templates/`, which the npm package ships.
 */
export const OIDC_TEMPLATE_DIR = path.join(__dirname, '..', '..', 'templates', 'bitbucket-oidc');

/**
 * The static files copied verbatim into each project. `config.ts` in the
 * template folder is only an example and is generated per project instead.
 */
export const OIDC_TEMPLATE_FILES: readonly string[] = ['bitbucket-oidc-config.ts', 'bitbucket-oidc-stack.ts', 'drift-read-permissions.ts', 'main.ts', 'preview-role.ts'];

/** Lines of a template file; the last one is empty, so the file ends with a newline. */
export function templateLines(fileName: string): string[] {
  const text = fs.readFileSync(path.join(OIDC_TEMPLATE_DIR, fileName), 'utf-8');
  return `${text.replace(/\r\n/g, '\n').replace(/\n*$/, '')}\n`.split('\n');
}
