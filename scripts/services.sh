#!/usr/bin/env bash
# Private development/CI instances of PostgreSQL, Redis and Neo4j for Pedigree.
#
#   scripts/services.sh up     [postgres|redis|neo4j ...]   start (all three when none named)
#   scripts/services.sh down   [postgres|redis|neo4j ...]   stop
#   scripts/services.sh status [postgres|redis|neo4j ...]   report; exit 3 if any is not running
#   scripts/services.sh env                                 print `export` lines; use with eval
#
# Everything listens on 127.0.0.1 only, on ports away from the defaults so that a system-wide
# Postgres/Redis/Neo4j never clashes. State lives in ${PEDIGREE_SERVICES_DIR:-<repo>/.pedigree/services}
# with one folder per service (data, log, pid).
#
# Environment:
#   PEDIGREE_PG_PORT (55432)  PEDIGREE_REDIS_PORT (56379)  PEDIGREE_NEO4J_PORT (57687)
#   PEDIGREE_SERVICES_DIR     PEDIGREE_FAST_PG=1 (fsync/synchronous_commit off; for throwaway CI data)
#   PEDIGREE_NEO4J_HEAP (512m)  PEDIGREE_NEO4J_PAGECACHE (128m)  PEDIGREE_SERVICES_TIMEOUT (seconds to wait for each service; 120)
#
# Runs on a fresh Debian machine as root (CI): missing PostgreSQL, Redis, Java or Maven are
# installed with apt-get, and the Neo4j launcher is built with Maven on first use.
set -Eeuo pipefail
trap 'printf "[services] ERROR: unexpected failure at line %s: %s\n" "$LINENO" "$BASH_COMMAND" >&2' ERR

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${PEDIGREE_SERVICES_DIR:-$REPO_DIR/.pedigree/services}"
[[ "$STATE_DIR" == /* ]] || STATE_DIR="$PWD/$STATE_DIR"   # daemons need absolute paths
PG_PORT="${PEDIGREE_PG_PORT:-55432}"
REDIS_PORT="${PEDIGREE_REDIS_PORT:-56379}"
NEO4J_PORT="${PEDIGREE_NEO4J_PORT:-57687}"
NEO4J_HEAP="${PEDIGREE_NEO4J_HEAP:-512m}"
NEO4J_PAGECACHE="${PEDIGREE_NEO4J_PAGECACHE:-128m}"
TIMEOUT="${PEDIGREE_SERVICES_TIMEOUT:-120}"
ALL_SERVICES=(postgres redis neo4j)

PG_USER_NAME=pedigree
PG_PASSWORD=pedigree
PG_DB=pedigree

NEO4J_SRC="$REPO_DIR/graph/neo4j-server"
NEO4J_MAIN=dev.pedigree.neo4j.Neo4jDevServer

# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------

log() { printf '[services] %s\n' "$*"; }
warn() { printf '[services] WARNING: %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# Print the end of a log file, indented, to stderr (used on every start failure).
show_log_tail() {
  local file="$1" lines="${2:-40}"
  if [[ -s "$file" ]]; then
    printf '[services] --- last %s lines of %s ---\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" | sed 's/^/    /' >&2
    printf '[services] ---\n' >&2
  else
    printf '[services] (no log at %s)\n' "$file" >&2
  fi
}

# Fail with the service's log tail.
die_with_log() {
  local msg="$1" file="$2"
  printf '[services] ERROR: %s\n' "$msg" >&2
  show_log_tail "$file"
  exit 1
}

# True when something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp: no nc needed).
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# True when $1 is a live pid whose command line contains $2 (guards against pid reuse).
pid_alive_as() {
  local pid="$1" pattern="$2" cmdline
  [[ -n "$pid" && "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$pattern"* ]]
}

read_pidfile() { if [[ -f "$1" ]]; then tr -dc '0-9' <"$1"; fi; }

# Wait up to $TIMEOUT seconds until a command succeeds.
wait_for() {
  local deadline=$((SECONDS + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.25
  done
}

# Wait until pid $1 has exited, at most $2 seconds.
wait_for_exit() {
  local pid="$1" deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# apt-get install, running `apt-get update` once per invocation first (a fresh image has no lists).
APT_UPDATED=0
apt_install() {
  [[ $EUID -eq 0 ]] || die "missing $*; install it (apt-get install $*) or run this script as root"
  command -v apt-get >/dev/null || die "missing $* and no apt-get on this machine"
  if [[ $APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    apt-get update -qq >&2
    APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# PostgreSQL refuses to run as root, so as root we run it as an unprivileged system user; that
# user must be able to reach the state folder. A clone under /root (mode 700) is not reachable,
# so grant search (x, not read) permission on the ancestors that lack it, and say so.
ensure_reachable_by() {
  local user="$1" dir="$2" d
  runuser -u "$user" -- test -x "$dir" 2>/dev/null && return 0
  d="$dir"
  while [[ "$d" != / ]]; do
    d="$(dirname "$d")"
    if ! runuser -u "$user" -- test -x "$d" 2>/dev/null; then
      log "chmod o+x $d (so that '$user' can reach $dir)"
      chmod o+x "$d"
    fi
  done
  runuser -u "$user" -- test -x "$dir" || die "user '$user' cannot reach $dir"
}

# Keep one log per start (the previous one as *.prev), so a failure shows this start's lines.
rotate_log() { if [[ -f "$1" ]]; then mv -f "$1" "$1.prev"; fi; }

elapsed_since() { printf '%ss' "$((SECONDS - $1))"; }

# ---------------------------------------------------------------------------------------------
# PostgreSQL (Debian's binaries, initdb + pg_ctl, own data folder, TCP on loopback only)
# ---------------------------------------------------------------------------------------------

PG_DIR="$STATE_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"
PG_PIDFILE="$PG_DIR/postgres.pid"   # written by the server itself (external_pid_file)
PG_BIN=""
PG_OS_USER=""

pg_newest_bindir() {
  find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1 || true
}

# Sets PG_BIN; with "--no-install" returns 1 instead of installing (for status/down).
pg_find_bin() {
  [[ -n "$PG_BIN" ]] && return 0
  local d
  # Debian keeps server binaries (initdb, pg_ctl, postgres) off PATH, one folder per major
  # version; take the newest.
  d="$(pg_newest_bindir)"
  if [[ -z "$d" || ! -x "$d/pg_ctl" ]]; then
    [[ "${1:-}" == --no-install ]] && return 1
    apt_install postgresql
    d="$(pg_newest_bindir)"
  fi
  [[ -n "$d" && -x "$d/pg_ctl" && -x "$d/initdb" ]] || die "PostgreSQL binaries not found under /usr/lib/postgresql"
  PG_BIN="$d"
}

# Which OS user owns and runs the cluster. As root: 'postgres' (created by the Debian package),
# else a system user 'pedigree-svc' we create. As a normal user: that user.
pg_pick_os_user() {
  [[ -n "$PG_OS_USER" ]] && return 0
  if [[ $EUID -ne 0 ]]; then
    PG_OS_USER="$(id -un)"
  elif id postgres >/dev/null 2>&1; then
    PG_OS_USER=postgres
  else
    id pedigree-svc >/dev/null 2>&1 ||
      useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin pedigree-svc
    PG_OS_USER=pedigree-svc
  fi
}

# Run a command as the cluster's OS user (runuser, not su: no PAM session/password, no shell).
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u "$PG_OS_USER" -- "$@"
  else
    "$@"
  fi
}

# psql as the 'pedigree' superuser over TCP (unix sockets are disabled, see pg_write_conf).
pg_psql() {
  PGPASSWORD="$PG_PASSWORD" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER_NAME" "$@"
}

pg_is_running() {
  [[ -f "$PG_DATA/PG_VERSION" ]] || return 1
  as_pg "$PG_BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1
}

pg_answers() {
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d postgres &&
    [[ "$(pg_psql -d postgres -tAc 'select 1')" == 1 ]]
}

pg_init() {
  local pwfile="$PG_DIR/.pwfile"
  log "postgres: initdb $PG_DATA (superuser '$PG_USER_NAME')"
  printf '%s\n' "$PG_PASSWORD" >"$pwfile"
  chown "$PG_OS_USER" "$pwfile"
  chmod 600 "$pwfile"
  # The bootstrap superuser *is* 'pedigree' (can create databases, as the app's tests do).
  # --no-locale: C collation, the same byte order as the embedded PGlite mode.
  if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER_NAME" --pwfile="$pwfile" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 --encoding=UTF8 --no-locale \
    >"$PG_DIR/initdb.log" 2>&1; then
    rm -f "$pwfile"
    die_with_log "postgres: initdb failed" "$PG_DIR/initdb.log"
  fi
  rm -f "$pwfile"
  # Our settings live in pedigree.conf, rewritten at each start (ports/flags come from env).
  printf "\n# Pedigree dev/CI settings (scripts/services.sh rewrites this file at each start)\ninclude 'pedigree.conf'\n" \
    >>"$PG_DATA/postgresql.conf"
}

pg_write_conf() {
  {
    echo "# Written by scripts/services.sh at each start; edits here are lost."
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $PG_PORT"
    # TCP only: a socket under the repo path could exceed the 107-byte limit, and
    # /var/run/postgresql may not exist or be shared with a system cluster.
    echo "unix_socket_directories = ''"
    echo "max_connections = 200"
    echo "external_pid_file = '$PG_PIDFILE'"
    if [[ "${PEDIGREE_FAST_PG:-0}" == 1 ]]; then
      echo "# PEDIGREE_FAST_PG=1: throwaway data, durability traded for speed"
      echo "fsync = off"
      echo "synchronous_commit = off"
    fi
  } >"$PG_DATA/pedigree.conf"
  chown "$PG_OS_USER" "$PG_DATA/pedigree.conf"
}

up_postgres() {
  local t0=$SECONDS
  pg_find_bin
  pg_pick_os_user
  if pg_is_running; then
    pg_answers || die_with_log "postgres: running but not answering on 127.0.0.1:$PG_PORT (another port configured?)" "$PG_LOG"
    log "postgres: already running on 127.0.0.1:$PG_PORT"
    return 0
  fi
  port_open "$PG_PORT" && die "postgres: port $PG_PORT is taken by another process (set PEDIGREE_PG_PORT)"

  mkdir -p "$PG_DIR"
  if [[ $EUID -eq 0 ]]; then
    chown "$PG_OS_USER" "$PG_DIR"
    [[ -d "$PG_DATA" ]] && chown -R "$PG_OS_USER" "$PG_DATA"
    ensure_reachable_by "$PG_OS_USER" "$PG_DIR"
  fi
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    pg_init
  else
    local have want
    have="$(cat "$PG_DATA/PG_VERSION")"
    want="$(basename "$(dirname "$PG_BIN")")"   # /usr/lib/postgresql/<major>/bin
    [[ "$have" == "$want" ]] ||
      die "postgres: $PG_DATA was made by PostgreSQL $have but this machine has $want; remove $PG_DIR to start afresh"
  fi
  pg_write_conf
  rotate_log "$PG_LOG"

  log "postgres: starting on 127.0.0.1:$PG_PORT"
  # pg_ctl -w waits for the postmaster to report ready (or fail) in postmaster.pid.
  # 9>&-: see take_lock.
  as_pg "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t "$TIMEOUT" -s 9>&- ||
    die_with_log "postgres: pg_ctl start failed" "$PG_LOG"
  wait_for pg_answers ||
    die_with_log "postgres: no answer to 'select 1' on 127.0.0.1:$PG_PORT within ${TIMEOUT}s" "$PG_LOG"

  # Idempotent: the database survives restarts; create it on first start only.
  if [[ "$(pg_psql -d postgres -tAc "select 1 from pg_database where datname = '$PG_DB'")" != 1 ]]; then
    pg_psql -d postgres -c "create database $PG_DB owner $PG_USER_NAME" ||
      die_with_log "postgres: could not create database $PG_DB" "$PG_LOG"
  fi
  log "postgres: ready on 127.0.0.1:$PG_PORT ($(elapsed_since "$t0"))"
}

down_postgres() {
  if ! pg_find_bin --no-install || ! { pg_pick_os_user && pg_is_running; }; then
    log "postgres: not running"
    return 0
  fi
  log "postgres: stopping"
  # fast = roll back open sessions and shut down cleanly (checkpoint), no crash recovery next time.
  as_pg "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 -s ||
    die_with_log "postgres: pg_ctl stop failed" "$PG_LOG"
  log "postgres: stopped"
}

status_postgres() {
  if ! pg_find_bin --no-install; then
    log "postgres: not installed (up installs it)"
    return 1
  fi
  pg_pick_os_user
  if pg_is_running && pg_answers; then
    log "postgres: running  pid $(read_pidfile "$PG_PIDFILE")  postgres://$PG_USER_NAME@127.0.0.1:$PG_PORT/$PG_DB  data $PG_DATA"
  elif pg_is_running; then
    log "postgres: running but NOT answering on 127.0.0.1:$PG_PORT  (log $PG_LOG)"
    return 1
  else
    log "postgres: stopped"
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# Redis (Debian's redis-server, daemonized, AOF on, never evicts: BullMQ needs both)
# ---------------------------------------------------------------------------------------------

REDIS_DIR="$STATE_DIR/redis"
REDIS_DATA="$REDIS_DIR/data"
REDIS_LOG="$REDIS_DIR/redis.log"
REDIS_PIDFILE="$REDIS_DIR/redis.pid"

redis_find_bin() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  apt_install redis-server
  command -v redis-server >/dev/null || die "redis-server not found after apt-get install"
}

redis_pid() { read_pidfile "$REDIS_PIDFILE"; }
redis_is_running() { pid_alive_as "$(redis_pid)" redis-server; }
redis_answers() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

# Fails fast when the daemon has already died (e.g. bad config), instead of waiting out TIMEOUT.
redis_ready_or_dead() {
  redis_answers && return 0
  local pid
  pid="$(redis_pid)"
  if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
    REDIS_DIED=1
    return 0
  fi
  return 1
}

up_redis() {
  local t0=$SECONDS
  redis_find_bin
  if redis_is_running; then
    redis_answers || die_with_log "redis: running (pid $(redis_pid)) but not answering on 127.0.0.1:$REDIS_PORT" "$REDIS_LOG"
    log "redis: already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  port_open "$REDIS_PORT" && die "redis: port $REDIS_PORT is taken by another process (set PEDIGREE_REDIS_PORT)"
  mkdir -p "$REDIS_DATA"
  rm -f "$REDIS_PIDFILE"
  rotate_log "$REDIS_LOG"

  log "redis: starting on 127.0.0.1:$REDIS_PORT"
  # Loopback only; appendonly for durability across restarts; noeviction because BullMQ must
  # never lose keys silently. Redis runs fine as root, so no user switch here.
  redis-server \
    --port "$REDIS_PORT" --bind 127.0.0.1 \
    --appendonly yes --maxmemory-policy noeviction \
    --dir "$REDIS_DATA" \
    --daemonize yes --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" 9>&- ||
    die_with_log "redis: redis-server failed to start" "$REDIS_LOG"

  REDIS_DIED=0
  # PING answers "LOADING" while the AOF is replayed, so this also waits for that.
  wait_for redis_ready_or_dead ||
    die_with_log "redis: no PONG on 127.0.0.1:$REDIS_PORT within ${TIMEOUT}s" "$REDIS_LOG"
  [[ $REDIS_DIED -eq 0 ]] || die_with_log "redis: the server exited during start-up" "$REDIS_LOG"
  log "redis: ready on 127.0.0.1:$REDIS_PORT ($(elapsed_since "$t0"))"
}

down_redis() {
  local pid
  pid="$(redis_pid)"
  if ! redis_is_running; then
    log "redis: not running"
    rm -f "$REDIS_PIDFILE"
    return 0
  fi
  log "redis: stopping (pid $pid)"
  # SIGTERM = graceful: fsyncs the AOF, then exits.
  kill -TERM "$pid"
  wait_for_exit "$pid" 60 || die_with_log "redis: pid $pid did not exit within 60s" "$REDIS_LOG"
  rm -f "$REDIS_PIDFILE"
  log "redis: stopped"
}

status_redis() {
  if redis_is_running && redis_answers; then
    log "redis: running  pid $(redis_pid)  redis://127.0.0.1:$REDIS_PORT  data $REDIS_DATA"
  elif redis_is_running; then
    log "redis: running (pid $(redis_pid)) but NOT answering on 127.0.0.1:$REDIS_PORT  (log $REDIS_LOG)"
    return 1
  else
    log "redis: stopped"
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# Neo4j 5.26 community: no Debian/npm package, so graph/neo4j-server is a small Java launcher
# of the embedded engine + Bolt connector from Maven Central (see its pom.xml).
# ---------------------------------------------------------------------------------------------

NEO4J_DIR="$STATE_DIR/neo4j"
NEO4J_DATA="$NEO4J_DIR/data"
NEO4J_LOG="$NEO4J_DIR/neo4j.log"    # launcher stdout/stderr; Neo4j's own debug.log is under data/logs
NEO4J_PIDFILE="$NEO4J_DIR/neo4j.pid"
NEO4J_BUILD_LOG="$NEO4J_DIR/build.log"
NEO4J_STAMP="$NEO4J_SRC/target/.pedigree-built"   # touched after a successful build

neo4j_find_tools() {
  local missing=()
  command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || missing+=(maven)
  [[ ${#missing[@]} -eq 0 ]] || apt_install "${missing[@]}"
}

# Rebuild when the output is missing or the pom/sources are newer than the last build.
neo4j_needs_build() {
  [[ -f "$NEO4J_STAMP" && -d "$NEO4J_SRC/target/lib" ]] || return 0
  [[ -f "$NEO4J_SRC/target/classes/${NEO4J_MAIN//.//}.class" ]] || return 0
  [[ -n "$(find "$NEO4J_SRC/pom.xml" "$NEO4J_SRC/src" -newer "$NEO4J_STAMP" -print -quit)" ]] && return 0
  return 1
}

neo4j_build() {
  local t0=$SECONDS
  mkdir -p "$NEO4J_DIR"
  log "neo4j: building the launcher with Maven (first time downloads Neo4j into ~/.m2)"
  rm -f "$NEO4J_STAMP"
  # `clean` so that target/lib never keeps jars of an older Neo4j version after a pom change.
  mvn -B -q -ntp -f "$NEO4J_SRC/pom.xml" clean package >"$NEO4J_BUILD_LOG" 2>&1 ||
    die_with_log "neo4j: Maven build failed (full log: $NEO4J_BUILD_LOG)" "$NEO4J_BUILD_LOG"
  touch "$NEO4J_STAMP"
  log "neo4j: launcher built ($(elapsed_since "$t0"))"
}

neo4j_pid() { read_pidfile "$NEO4J_PIDFILE"; }
neo4j_is_running() { pid_alive_as "$(neo4j_pid)" "$NEO4J_MAIN"; }

NEO4J_READY_LINE=""
# Ready = the launcher printed its READY line for our port AND the Bolt port accepts connections.
# Sets NEO4J_DIED when the process is gone, so that we fail fast rather than wait out TIMEOUT.
neo4j_ready_or_dead() {
  if ! kill -0 "$1" 2>/dev/null; then
    NEO4J_DIED=1
    return 0
  fi
  grep -qF "$NEO4J_READY_LINE" "$NEO4J_LOG" && port_open "$NEO4J_PORT"
}

up_neo4j() {
  local t0=$SECONDS pid
  neo4j_find_tools
  if neo4j_is_running; then
    port_open "$NEO4J_PORT" ||
      die_with_log "neo4j: running (pid $(neo4j_pid)) but Bolt port $NEO4J_PORT is closed" "$NEO4J_LOG"
    log "neo4j: already running on bolt://127.0.0.1:$NEO4J_PORT"
    return 0
  fi
  port_open "$NEO4J_PORT" && die "neo4j: port $NEO4J_PORT is taken by another process (set PEDIGREE_NEO4J_PORT)"
  if neo4j_needs_build; then neo4j_build; fi

  mkdir -p "$NEO4J_DATA"
  rm -f "$NEO4J_PIDFILE"
  rotate_log "$NEO4J_LOG"   # also required by the READY check, which reads this start's log

  log "neo4j: starting on bolt://127.0.0.1:$NEO4J_PORT (heap $NEO4J_HEAP, page cache $NEO4J_PAGECACHE)"
  # setsid + nohup: the JVM gets its own session, so neither the terminal's Ctrl-C/hang-up nor
  # the end of a CI step's process group takes it down; `down` stops it by pid. A plain classpath
  # (target/classes + target/lib/*) rather than a shaded jar: Neo4j's META-INF/services stay intact.
  setsid nohup java -Xms128m -Xmx"$NEO4J_HEAP" -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError \
    -Dpedigree.neo4j.pagecache="$NEO4J_PAGECACHE" -cp "$NEO4J_SRC/target/classes:$NEO4J_SRC/target/lib/*" \
    "$NEO4J_MAIN" "$NEO4J_DATA" "$NEO4J_PORT" </dev/null >"$NEO4J_LOG" 2>&1 9>&- &
  pid=$!
  echo "$pid" >"$NEO4J_PIDFILE"

  NEO4J_READY_LINE="NEO4J READY bolt://127.0.0.1:$NEO4J_PORT"
  NEO4J_DIED=0
  if ! wait_for neo4j_ready_or_dead "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    die_with_log "neo4j: not ready on bolt://127.0.0.1:$NEO4J_PORT within ${TIMEOUT}s (stopped it; debug log: $NEO4J_DATA/logs/debug.log)" "$NEO4J_LOG"
  fi
  if [[ $NEO4J_DIED -ne 0 ]]; then
    rm -f "$NEO4J_PIDFILE"
    die_with_log "neo4j: the launcher exited during start-up (debug log: $NEO4J_DATA/logs/debug.log)" "$NEO4J_LOG"
  fi
  log "neo4j: ready on bolt://127.0.0.1:$NEO4J_PORT, pid $pid ($(elapsed_since "$t0"))"
}

down_neo4j() {
  local pid
  pid="$(neo4j_pid)"
  if ! neo4j_is_running; then
    log "neo4j: not running"
    rm -f "$NEO4J_PIDFILE"
    return 0
  fi
  log "neo4j: stopping (pid $pid)"
  # SIGTERM runs the launcher's shutdown hook: Neo4j checkpoints and closes the store cleanly.
  kill -TERM "$pid"
  if ! wait_for_exit "$pid" 90; then
    warn "neo4j: pid $pid still alive after 90s; sending SIGKILL (next start will run recovery)"
    kill -KILL "$pid" 2>/dev/null || true
    wait_for_exit "$pid" 10 || die "neo4j: pid $pid would not die"
  fi
  rm -f "$NEO4J_PIDFILE"
  log "neo4j: stopped"
}

status_neo4j() {
  if neo4j_is_running && port_open "$NEO4J_PORT"; then
    log "neo4j: running  pid $(neo4j_pid)  bolt://127.0.0.1:$NEO4J_PORT  data $NEO4J_DATA"
  elif neo4j_is_running; then
    log "neo4j: running (pid $(neo4j_pid)) but Bolt port $NEO4J_PORT is closed (starting? log $NEO4J_LOG)"
    return 1
  else
    log "neo4j: stopped"
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# verbs
# ---------------------------------------------------------------------------------------------

print_env() {
  cat <<EOF
export DATABASE_URL=postgres://$PG_USER_NAME:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT
# Neo4j runs with auth disabled (listens on 127.0.0.1 only): no NEO4J_USER/NEO4J_PASSWORD needed.
export NEO4J_URL=bolt://127.0.0.1:$NEO4J_PORT
EOF
}

usage() {
  sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# Validate names; none given = all three (in start order).
select_services() {
  local s
  SELECTED=()
  if [[ $# -eq 0 ]]; then
    SELECTED=("${ALL_SERVICES[@]}")
    return 0
  fi
  for s in "$@"; do
    case "$s" in
      postgres | redis | neo4j) SELECTED+=("$s") ;;
      *) die "unknown service '$s' (expected: ${ALL_SERVICES[*]})" ;;
    esac
  done
}

# One `up`/`down` at a time per state folder (CI steps or two terminals may race).
# The lock is held on fd 9; every command that leaves a daemon behind is started with `9>&-`,
# or the daemon would inherit the fd and hold the lock for its whole life.
take_lock() {
  mkdir -p "$STATE_DIR"
  exec 9>"$STATE_DIR/.lock"
  flock -w 600 9 || die "another services.sh holds $STATE_DIR/.lock"
}

main() {
  local verb="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$verb" in
    up)
      select_services "$@"
      take_lock
      local s
      for s in "${SELECTED[@]}"; do "up_$s"; done
      ;;
    down)
      select_services "$@"
      take_lock
      local s i
      for ((i = ${#SELECTED[@]} - 1; i >= 0; i--)); do "down_${SELECTED[i]}"; done
      ;;
    status)
      select_services "$@"
      local s rc=0
      for s in "${SELECTED[@]}"; do "status_$s" || rc=3; done
      exit "$rc"
      ;;
    env) print_env ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
