#!/usr/bin/env bash
# Main job: build this package, create a real project from it in demo/, synthesise it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
npx ts-node --project projenrc/tsconfig.json scripts/demo.ts
