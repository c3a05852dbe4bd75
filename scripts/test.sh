#!/usr/bin/env bash
# The whole test suite in one jest run: the fast unit and component tests and
# the slow suites (end-to-end `projen new --from` of the package, packed once,
# the pipeline rehearsal, generated-project compilation), then eslint.
# Ends with jest's summary of every suite. `npx projen test` is the fast part only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
npx projen test:all
