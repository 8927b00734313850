#!/usr/bin/env bash
# Browser tests (e2e/*.e2e.test.ts): installs Debian's Chromium when it is missing (as root, the way
# scripts/services.sh installs PostgreSQL and Redis), then runs them. The tests start the stack
# themselves (API + explorer, building the explorer first when web/ changed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[e2e] %s\n' "$*" >&2; }

CHROMIUM="${PEDIGREE_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM" ]]; then
  [[ $EUID -eq 0 ]] || { log "Chromium is missing at $CHROMIUM: run 'sudo apt-get install -y chromium'"; exit 1; }
  command -v apt-get >/dev/null || { log "Chromium is missing at $CHROMIUM and there is no apt-get"; exit 1; }
  log "installing Chromium (apt-get install chromium)"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  [[ -x "$CHROMIUM" ]] || { log "Chromium still missing at $CHROMIUM after apt-get install"; exit 1; }
fi

export NEXT_TELEMETRY_DISABLED=1
exec npx vitest run --config e2e/vitest.config.ts "$@"
