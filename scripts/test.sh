#!/usr/bin/env bash
# The whole test suite: unit tests, generated-source compilation, end-to-end
# `projen new --from` of the packed package, and lint. Prints jest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
npx projen test
