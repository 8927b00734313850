#!/usr/bin/env bash
# The whole test suite: lint, type check, schema check, then every test on PGlite and on the real
# services (PostgreSQL, Redis, Neo4j) that scripts/services.sh starts. A missing service fails the
# run (PEDIGREE_REQUIRE_SERVICES=1) instead of skipping its tests.
set -euo pipefail
cd "$(dirname "$0")/.."

export PEDIGREE_REQUIRE_SERVICES=1
export PEDIGREE_FAST_PG="${PEDIGREE_FAST_PG:-1}"

echo "==> services"
bash scripts/services.sh up
echo "==> lint (biome)"
npx biome check .
echo "==> type check (tsc)"
npx tsc -p .
echo "==> circular imports (madge)"
npx madge --circular --extensions ts --ts-config tsconfig.json server graph workers
echo "==> web: generated GraphQL types match schema.graphql and the operations (codegen --check)"
npm run -s web:codegen:check
echo "==> web: type check (tsc -p web) and unit tests"
npx tsc -p web
npx vitest run --config web/vitest.config.ts
echo "==> browser tests (e2e: the stack with demo data, driven through Chromium)"
bash scripts/e2e.sh
echo "==> tests (vitest)"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.vitest-results.json || status=$?
node scripts/print-test-summary.mjs .vitest-results.json
exit "$status"
