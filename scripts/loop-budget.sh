#!/usr/bin/env bash
# The fast loop's budget: times `npx projen test` as a contributor runs it
# (fast jest suites, then eslint), prints the figure against the budget and
# the machine's load, and the ten slowest suites. With --slow it also runs
# the slow suites (`npx projen test:slow`) and lists their ten slowest.
#
#   bash scripts/loop-budget.sh            # fast loop only (about 2 min)
#   bash scripts/loop-budget.sh --slow     # and the slow suites (about 15 min)
#
# Exits 1 when the fast loop is over budget, so a change that slows it shows.
set -euo pipefail
cd "$(dirname "$0")/.."

BUDGET_SECONDS="${LOOP_BUDGET_SECONDS:-150}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

bash scripts/install.sh

# Ten slowest suites of a jest --json result, with their test counts.
slowest() {
  node -e '
    const r = require(process.argv[1]);
    const rows = r.testResults.map((t) => ({ s: (t.perfStats.end - t.perfStats.start) / 1000, n: t.assertionResults.length, f: require("path").relative(process.cwd(), t.name) }));
    rows.sort((a, b) => b.s - a.s);
    for (const x of rows.slice(0, 10)) console.log(`  ${x.s.toFixed(1).padStart(6)} s  ${String(x.n).padStart(3)} tests  ${x.f}`);
    const total = rows.reduce((sum, x) => sum + x.s, 0);
    console.log(`  ${rows.length} suites, ${r.numTotalTests} tests, ${total.toFixed(0)} s of suite time (run in parallel)`);
  ' "$1"
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
npx projen test --json --outputFile="$out/fast.json" >"$out/fast.log" 2>&1 || { tail -40 "$out/fast.log"; echo "npx projen test failed" >&2; exit 1; }
end=$(date +%s.%N)
wall=$(node -e "console.log((${end} - ${start}).toFixed(1))")

echo "== Fast loop (npx projen test: fast suites and eslint) =="
echo "  wall ${wall} s, budget ${BUDGET_SECONDS} s; $(nproc) cores; load average before ${load_before}, after $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  slowest fast suites:"
slowest "$out/fast.json"

if [ "${1:-}" = "--slow" ]; then
  start=$(date +%s.%N)
  npx projen test:slow --json --outputFile="$out/slow.json" >"$out/slow.log" 2>&1 || { tail -40 "$out/slow.log"; echo "npx projen test:slow failed" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "== Slow suites (npx projen test:slow) =="
  echo "  wall $(node -e "console.log((${end} - ${start}).toFixed(1))") s"
  echo "  slowest slow suites:"
  slowest "$out/slow.json"
fi

if node -e "process.exit(${wall} > ${BUDGET_SECONDS} ? 0 : 1)"; then
  echo "OVER BUDGET: the fast loop took ${wall} s (budget ${BUDGET_SECONDS} s). Remove repeated work (shared syntheses, fixtures) before moving suites to the slow project." >&2
  exit 1
fi
echo "Within budget: ${wall} s of ${BUDGET_SECONDS} s."
