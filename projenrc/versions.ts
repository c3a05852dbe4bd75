/**
 * The projen and Node.js versions this package supports and is tested with.
 * Policy (README "Versions"):
 *
 * - projen is a peer dependency with an open range up to 1.0
 *   (`>=OLDEST_PROJEN_VERSION <1.0.0`, as projen-pipelines and
 *   cdklabs-projen-project-types do), so a new projen minor never makes
 *   `npm install` of a user's project fail on a peer conflict.
 * - CI tests the oldest supported projen (OLDEST_PROJEN_VERSION, e2e) and the
 *   newest (PROJEN_VERSION, this repository's own, used by every other test).
 *   Raise PROJEN_VERSION to test a newer projen; raise OLDEST_PROJEN_VERSION
 *   (and so the peer range) when a projen API this package needs appears.
 * - Generated projects pin projen exactly (`--projen-version` in the README's
 *   `projen new`): projen's upgrade task leaves exact versions alone, so projen
 *   changes only when the user changes `projenVersion`.
 */

/** The newest tested projen: this repository's devDependency, and the version the README's `projen new` pins. */
export const PROJEN_VERSION = '0.103.25';

/** The oldest projen the peer range accepts, created and synthesised by test/e2e/supported-versions.test.ts. */
export const OLDEST_PROJEN_VERSION = '0.103.0';

/** The projen peer range (open up to 1.0). */
export const PROJEN_PEER_RANGE = `>=${OLDEST_PROJEN_VERSION} <1.0.0`;

/**
 * Oldest Node.js this package and the projects it generates support: Node 20
 * is end of life (April 2026) and AWS SDK releases after January 2027 need 22.
 * The pipeline image defaults to `node:22` (src/versions.ts DEFAULT_NODE_MAJOR).
 */
export const MIN_NODE_VERSION = '22.0.0';
