#!/usr/bin/env bash
# The Next.js explorer (web/).
#
#   scripts/web.sh build    build web/ (next build) when its sources changed since the last build
#   scripts/web.sh start    build if needed, then serve it (next start)
#
# Environment: PEDIGREE_WEB_PORT (3000), PEDIGREE_WEB_HOST (0.0.0.0), PEDIGREE_API_URL (the API the
# explorer talks to; http://127.0.0.1:4000), PEDIGREE_API_PUBLIC_URL (the API as browsers reach it,
# for subscriptions; defaults to PEDIGREE_API_URL).
#
# A build is needed once per source change: it is stamped with a hash of web/ and the lockfile, so
# `npm start` on a fresh clone builds once (about a minute on 2 cores) and then starts at once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NEXT_TELEMETRY_DISABLED=1

log() { printf '[web] %s\n' "$*" >&2; }

STAMP=web/.next/pedigree-build-stamp

source_hash() {
  # Files that next build writes itself (next-env.d.ts) must not count, or every build would
  # invalidate itself: hash the sources git tracks.
  { find web \( -path web/.next -o -path web/node_modules \) -prune -o -type f ! -name next-env.d.ts ! -name '*.log' -print \
      | LC_ALL=C sort | xargs sha256sum
    sha256sum package-lock.json; } | sha256sum | cut -d' ' -f1
}

build_if_needed() {
  # One build at a time per checkout (npm start and a test run may both ask for one).
  local lock
  lock="${TMPDIR:-/tmp}/pedigree-web-build-$(pwd | sha256sum | cut -c1-12).lock"
  exec 9>"$lock"
  flock 9
  if [[ -f web/.next/BUILD_ID && -f "$STAMP" && "$(cat "$STAMP")" == "$(source_hash)" ]]; then
    flock -u 9
    return 0
  fi
  log "building the explorer (next build; once per change of web/, about a minute)…"
  local started=$SECONDS build_log
  build_log="$(mktemp -t pedigree-web-build.XXXXXX)"
  if ! ./node_modules/.bin/next build web >"$build_log" 2>&1; then
    log "next build failed; its output ($build_log):"
    cat "$build_log" >&2
    exit 1
  fi
  rm -f "$build_log"
  source_hash >"$STAMP"
  log "explorer built in $((SECONDS - started)) s"
  flock -u 9
}

case "${1:-}" in
  build)
    build_if_needed
    ;;
  start)
    build_if_needed
    serve=(./node_modules/.bin/next start web --port "${PEDIGREE_WEB_PORT:-3000}" --hostname "${PEDIGREE_WEB_HOST:-0.0.0.0}")
    if [[ -z "${PEDIGREE_WEB_PARENT_PID:-}" ]]; then
      exec "${serve[@]}"
    fi
    # Started by the API (server/main.ts): stop with it, even when it is killed without a chance to
    # stop us, so no orphan keeps the port.
    "${serve[@]}" &
    next_pid=$!
    trap 'kill "$next_pid" 2>/dev/null; wait "$next_pid"; exit 0' TERM INT
    while kill -0 "$PEDIGREE_WEB_PARENT_PID" 2>/dev/null && kill -0 "$next_pid" 2>/dev/null; do sleep 1; done
    kill "$next_pid" 2>/dev/null || true
    wait "$next_pid"
    ;;
  *)
    echo "usage: scripts/web.sh build|start" >&2
    exit 2
    ;;
esac
