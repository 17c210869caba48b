#!/usr/bin/env bash
# Brings up what the agent-memory integration tests need on a Debian bookworm
# machine: PostgreSQL 15, the pgvector extension, pgbouncer, and the test role
# and databases. Idempotent: on a machine where everything is already in place
# it only checks, which takes a second or two. See --help.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/setup-postgres.sh [--pgbouncer] [--replica] [--help]

Installs and starts what the integration tests need (idempotent):
  1. PostgreSQL 15 (apt); cluster 15/main started only after every package
     below is installed, and restarted when its package changed under it
  2. pgvector 0.8.x, built from Debian trixie's source package if the
     'vector' extension is not available yet
  3. pgbouncer (apt; installed, not started unless --pgbouncer)
  4. test role and databases (test db, its _bench twin for benchmarks and its
     _load twin for the pgbouncer load test), with the 'vector' extension
     created in each; a _novector twin without it (what a new user's database
     is like before a superuser runs CREATE EXTENSION); password login over
     TCP verified

Options:
  --pgbouncer   also start a pgbouncer for the tests (transaction pooling,
                127.0.0.1 only, run as postgres, files in a runtime dir)
  --replica     also start a hot standby of the cluster (15/replica, streaming
                replication through the slot agent_memory_replica, made with
                pg_basebackup) on 127.0.0.1:5433; made again when it does not stream
  -h, --help    show this help

Environment (defaults in brackets):
  AGENT_MEMORY_TEST_DB            [agent_memory_test]
  AGENT_MEMORY_TEST_BENCH_DB      [<AGENT_MEMORY_TEST_DB>_bench]
  AGENT_MEMORY_TEST_LOAD_DB       [<AGENT_MEMORY_TEST_DB>_load]
  AGENT_MEMORY_TEST_NOVECTOR_DB   [<AGENT_MEMORY_TEST_DB>_novector]
  AGENT_MEMORY_TEST_USER          [agent_memory_test]
  AGENT_MEMORY_TEST_PASSWORD      [agent_memory_test]  (local test-only credential)
  AGENT_MEMORY_PG_PORT            [5432]
  AGENT_MEMORY_PGBOUNCER          [0]  1 = same as --pgbouncer
  AGENT_MEMORY_PGBOUNCER_PORT     [6432]
  AGENT_MEMORY_PGBOUNCER_DIR      [/tmp/agent-memory-pgbouncer]
  AGENT_MEMORY_REPLICA            [0]  1 = same as --replica
  AGENT_MEMORY_REPLICA_PORT       [5433]

Needs root; re-runs itself through sudo when started as another user.
EOF
}

# ---------------------------------------------------------------- settings --
PG_VERSION=15
PG_CLUSTER=main
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
PG_EXTDIR=/usr/share/postgresql/$PG_VERSION/extension
PG_LIBDIR=/usr/lib/postgresql/$PG_VERSION/lib
# bookworm only ships pgvector 0.4; trixie's source package is 0.8.x, which
# builds unchanged against bookworm's PostgreSQL 15 headers.
PGVECTOR_SUITE=trixie
PGVECTOR_SERIES=0.8
TRIXIE_SRC_FILE=/etc/apt/sources.list.d/agent-memory-trixie-src.sources

TEST_DB=${AGENT_MEMORY_TEST_DB:-agent_memory_test}
BENCH_DB=${AGENT_MEMORY_TEST_BENCH_DB:-${TEST_DB}_bench}
LOAD_DB=${AGENT_MEMORY_TEST_LOAD_DB:-${TEST_DB}_load}
NOVECTOR_DB=${AGENT_MEMORY_TEST_NOVECTOR_DB:-${TEST_DB}_novector}
TEST_USER=${AGENT_MEMORY_TEST_USER:-agent_memory_test}
TEST_PASSWORD=${AGENT_MEMORY_TEST_PASSWORD:-agent_memory_test}
PG_PORT=${AGENT_MEMORY_PG_PORT:-5432}
WANT_PGBOUNCER=${AGENT_MEMORY_PGBOUNCER:-0}
WANT_REPLICA=${AGENT_MEMORY_REPLICA:-0}
REPLICA_PORT=${AGENT_MEMORY_REPLICA_PORT:-5433}
REPLICA_CLUSTER=replica
PGBOUNCER_PORT=${AGENT_MEMORY_PGBOUNCER_PORT:-6432}
PGBOUNCER_DIR=${AGENT_MEMORY_PGBOUNCER_DIR:-/tmp/agent-memory-pgbouncer}

for arg in "$@"; do
  case $arg in
    --pgbouncer) WANT_PGBOUNCER=1 ;;
    --replica) WANT_REPLICA=1 ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'setup-postgres: unknown argument: %s (see --help)\n' "$arg" >&2; exit 2 ;;
  esac
done

die() { printf 'setup-postgres: ERROR: %s\n' "$*" >&2; exit 1; }

for v in PG_PORT PGBOUNCER_PORT REPLICA_PORT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a port number, got '${!v}'"
done

# ------------------------------------------------------------------- root --
# apt, pg_ctlcluster and make install all need root. Rather than sprinkling
# sudo over every command, re-run the whole script as root once, passing the
# overrides explicitly because sudo resets the environment.
if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 ||
    die "must run as root, and sudo is not installed (run it as root instead)"
  pass_env=()
  for v in AGENT_MEMORY_TEST_DB AGENT_MEMORY_TEST_BENCH_DB AGENT_MEMORY_TEST_LOAD_DB \
    AGENT_MEMORY_TEST_NOVECTOR_DB AGENT_MEMORY_TEST_USER \
    AGENT_MEMORY_TEST_PASSWORD AGENT_MEMORY_PG_PORT AGENT_MEMORY_PGBOUNCER \
    AGENT_MEMORY_PGBOUNCER_PORT AGENT_MEMORY_PGBOUNCER_DIR AGENT_MEMORY_REPLICA AGENT_MEMORY_REPLICA_PORT; do
    if [[ -n ${!v+x} ]]; then pass_env+=("$v=${!v}"); fi
  done
  echo "setup-postgres: not root, re-running through sudo"
  exec sudo -- env "${pass_env[@]}" bash "$(readlink -f "${BASH_SOURCE[0]}")" "$@"
fi

export DEBIAN_FRONTEND=noninteractive
# Waiting for the dpkg lock beats failing when another apt run is finishing.
APT_OPTS=(-y -q -o DPkg::Lock::Timeout=300)

# Serialise concurrent runs (e.g. two test jobs starting at once) so they do
# not race on apt, the build or CREATE DATABASE. Every child goes through
# run/as_postgres, which close fd 9: a daemon (postgres, pgbouncer) that
# inherited it would hold the lock for as long as it lives.
LOCK_DIR=/run/lock
[[ -d $LOCK_DIR ]] || LOCK_DIR=/tmp
exec 9>"$LOCK_DIR/agent-memory-setup-postgres.lock"
flock -w 900 9 || die "another setup-postgres run holds the lock for too long"

# Command output goes to a log that is printed only on failure, so each step
# stays a single line; the log is removed when the run succeeds.
LOG=$(mktemp /tmp/agent-memory-setup-postgres.XXXXXX.log)
on_exit() {
  local rc=$?
  if [[ $rc -eq 0 ]]; then rm -f "$LOG"; else echo "setup-postgres: log kept at $LOG" >&2; fi
}
trap on_exit EXIT

# ---------------------------------------------------------------- helpers --
say() { printf '%s\n' "$*"; }

now_us() { local t=${EPOCHREALTIME//[!0-9]/}; printf '%s' "$((10#$t))"; }
STEP_T0=0
begin() { printf '%s ... ' "$*"; STEP_T0=$(now_us); }
finish() {
  local d=$(( ($(now_us) - STEP_T0) / 100000 ))
  printf '%s (%d.%d s)\n' "${1:-done}" $((d / 10)) $((d % 10))
}

# Runs a command with its output in the log (and without the lock fd); on
# failure ends the open step line, shows the tail of the log and stops.
run() {
  if ! "$@" >>"$LOG" 2>&1 9>&-; then
    printf 'FAILED\n'
    tail -n 40 "$LOG" >&2
    die "command failed: $*"
  fi
}

# As the postgres OS user (peer auth on the local socket is how Debian lets the
# superuser in). cd / first: root's cwd may be unreadable for postgres.
as_postgres() { (cd / && runuser -u postgres -- "$@" 9>&-); }

# stdin -> file $1, written by postgres with mode 0600 (so a file in a
# postgres-owned dir under /tmp is never written by root).
write_as_postgres() {
  # shellcheck disable=SC2016 # $1 is meant for the inner sh
  as_postgres sh -c 'umask 077 && cat >"$1"' sh "$1"
}

# SQL as the superuser. Statements come on stdin so psql's :'var' / :"var"
# quoting applies (it does not for -c), which keeps the overridable names and
# the password safely quoted.
psql_su() {
  local db=$1
  as_postgres "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -p "$PG_PORT" -d "$db" \
    -v role="$TEST_USER" -v pw="$TEST_PASSWORD" -v db="$TARGET_DB"
}
TARGET_DB=

# SQL over TCP as the test role, the way the tests connect.
psql_test() {
  local port=$1 db=$2 sql=$3
  PGPASSWORD=$TEST_PASSWORD PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -At -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$port" -U "$TEST_USER" -d "$db" -c "$sql"
}

APT_UPDATED=0
apt_update_once() {
  [[ $APT_UPDATED -eq 1 ]] && return 0
  begin "apt: updating package lists"
  run apt-get update -q -o DPkg::Lock::Timeout=300
  finish
  APT_UPDATED=1
}

pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

port_open() { timeout 2 bash -c ": >/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# -------------------------------------------------- 1. PostgreSQL 15 server --
# Everything is installed before the server is started or checked: installing the pgvector build
# dependencies (postgresql-server-dev-15) can upgrade postgresql-15 itself (bookworm's security
# suite is ahead of its point release), and a server started before that would then load the new
# release's libraries (plpgsql.so: "undefined symbol") into the old binary.
step_postgres_install() {
  if [[ -x $PG_BIN/postgres ]]; then
    say "postgres: $(installed_pg_version) already installed"
  else
    apt_update_once
    begin "postgres: installing postgresql-$PG_VERSION"
    run apt-get install "${APT_OPTS[@]}" "postgresql-$PG_VERSION"
    finish
  fi
}

# The release of the binaries on disk, e.g. "15.20".
installed_pg_version() { "$PG_BIN/postgres" --version | awk '{print $3}'; }

cluster_line() { pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c'; }

wait_accepting() {
  # pg_ctlcluster returns before the server accepts connections (e.g. during
  # crash recovery), so wait for it, but not forever.
  local deadline=$((SECONDS + 30))
  until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; do
    ((SECONDS < deadline)) ||
      die "PostgreSQL not accepting connections on 127.0.0.1:$PG_PORT after 30 s; see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"
    sleep 0.2
  done
}

step_postgres_start() {
  local line status port
  line=$(cluster_line)
  if [[ -z $line ]]; then
    begin "postgres: creating cluster $PG_VERSION/$PG_CLUSTER on port $PG_PORT"
    run pg_createcluster -p "$PG_PORT" "$PG_VERSION" "$PG_CLUSTER"
    finish
    line=$(cluster_line)
  fi
  port=$(awk '{print $3}' <<<"$line")
  status=$(awk '{print $4}' <<<"$line")
  [[ $port == "$PG_PORT" ]] ||
    die "cluster $PG_VERSION/$PG_CLUSTER is configured for port $port, not $PG_PORT (set AGENT_MEMORY_PG_PORT=$port)"

  if [[ $status == online* ]]; then
    wait_accepting
    # A server that was running while apt replaced its package (here or in an earlier run, or by
    # hand) runs the old binary against the new libraries: restart it onto the one on disk.
    local running on_disk
    running=$(psql_su postgres <<<"SHOW server_version" | awk '{print $1}')
    on_disk=$(installed_pg_version)
    if [[ -n $running && $running != "$on_disk" ]]; then
      begin "postgres: restarting cluster $PG_VERSION/$PG_CLUSTER: it runs $running, the package on disk is $on_disk"
      run pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart -m fast
      finish
    else
      say "postgres: cluster $PG_VERSION/$PG_CLUSTER already running on $PG_PORT ($on_disk)"
    fi
  else
    begin "postgres: starting cluster $PG_VERSION/$PG_CLUSTER on $PG_PORT ($(installed_pg_version))"
    # Someone else may start it between our look and ours (exit 2, "already
    # running"): that is fine as long as it is online now.
    if ! pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >>"$LOG" 2>&1 9>&- &&
      [[ $(cluster_line | awk '{print $4}') != online* ]]; then
      printf 'FAILED\n'
      tail -n 40 "$LOG" >&2
      die "could not start cluster $PG_VERSION/$PG_CLUSTER; see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"
    fi
    finish
  fi
  wait_accepting
  say "postgres: accepting connections on 127.0.0.1:$PG_PORT"
}

# ------------------------------------------------------------- 2. pgvector --
# Prints "URIs<TAB>Signed-By" of the machine's own Debian source for the
# release's main suite, so the trixie deb-src entry reuses its mirror (we never
# name a mirror ourselves). deb822 files first, one-line .list files second.
debian_source_of() {
  local codename=$1 f out
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f && $f != "$TRIXIE_SRC_FILE" ]] || continue
    out=$(awk -v want="$codename" '
      BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; uris = ""; suites = ""; signed = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          line = $i
          # skip comments and continuation lines (e.g. an inline key)
          if (line ~ /^[ \t]*#/ || line ~ /^[ \t]/ || index(line, ":") == 0) continue
          key = tolower(substr(line, 1, index(line, ":") - 1))
          val = substr(line, index(line, ":") + 1)
          gsub(/^[ \t]+|[ \t]+$/, "", val)
          if (key == "types") types = val
          else if (key == "uris") uris = val
          else if (key == "suites") suites = val
          else if (key == "signed-by") signed = val
          else if (key == "enabled") enabled = tolower(val)
        }
        if (enabled == "no" || (" " types " ") !~ / deb /) next
        n = split(suites, s, /[ \t]+/)
        for (j = 1; j <= n; j++) if (s[j] == want) { print uris "\t" signed; exit 0 }
      }' "$f")
    if [[ -n $out ]]; then printf '%s\n' "$out"; return 0; fi
  done

  # Classic one-line format: deb [signed-by=...] URI SUITE COMPONENTS...
  local files=()
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] && files+=("$f")
  done
  ((${#files[@]})) || return 1
  out=$(awk -v want="$codename" '
    $1 == "deb" {
      signed = ""; i = 2
      if ($2 ~ /^\[/) {
        while (i <= NF) {
          if ($i ~ /^\[?signed-by=/) { signed = $i; sub(/^\[?signed-by=/, "", signed); sub(/\]$/, "", signed) }
          if ($i ~ /\]$/) { i++; break }
          i++
        }
      }
      if ($(i + 1) == want) { print $i "\t" signed; exit 0 }
    }' "${files[@]}")
  [[ -n $out ]] && printf '%s\n' "$out"
}

step_pgvector() {
  if [[ -f $PG_EXTDIR/vector.control && -f $PG_LIBDIR/vector.so ]]; then
    local have
    have=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$PG_EXTDIR/vector.control")
    say "pgvector: ${have:-?} already installed"
    return 0
  fi

  # 2a. deb-src entry for trixie on the machine's existing Debian mirror.
  local codename src uris signed
  # shellcheck source=/dev/null
  codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-bookworm}")
  src=$(debian_source_of "$codename") ||
    die "no apt source for suite '$codename' found in /etc/apt/sources.list.d or sources.list; cannot derive a mirror for $PGVECTOR_SUITE"
  uris=${src%%$'\t'*}
  signed=${src#*$'\t'}
  # An inline (multi-line) key cannot be copied by this parser; Debian's own
  # archive keyring also verifies trixie, so fall back to it.
  if [[ -z $signed || ! -e $signed ]]; then
    signed=/usr/share/keyrings/debian-archive-keyring.gpg
  fi
  # deb-src only: apt never installs binaries from it, so later installs of
  # bookworm packages stay on bookworm.
  local want
  want=$(printf '%s\n' \
    "# Added by agent-memory scripts/setup-postgres.sh: source packages only," \
    "# used to build pgvector $PGVECTOR_SERIES.x for PostgreSQL $PG_VERSION." \
    "Types: deb-src" "URIs: $uris" "Suites: $PGVECTOR_SUITE" "Components: main" \
    "Signed-By: $signed")
  if [[ -f $TRIXIE_SRC_FILE && $(<"$TRIXIE_SRC_FILE") == "$want" ]]; then
    say "pgvector: deb-src entry for $PGVECTOR_SUITE already in $TRIXIE_SRC_FILE"
  else
    printf '%s\n' "$want" >"$TRIXIE_SRC_FILE"
    say "pgvector: added deb-src entry for $PGVECTOR_SUITE (mirror from $codename sources) in $TRIXIE_SRC_FILE"
    APT_UPDATED=0 # the new entry needs its index fetched
  fi
  apt_update_once

  # 2b. build dependencies (pgxs headers + compiler).
  local missing=() p
  for p in "postgresql-server-dev-$PG_VERSION" build-essential; do
    pkg_installed "$p" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    begin "pgvector: installing build deps (${missing[*]})"
    run apt-get install "${APT_OPTS[@]}" --no-install-recommends "${missing[@]}"
    finish
  else
    say "pgvector: build deps already installed"
  fi

  # 2c. fetch, check version, build, install.
  local work orig ver
  work=$(mktemp -d /tmp/agent-memory-pgvector.XXXXXX)
  # _apt downloads into the directory (apt's sandbox); without write access it
  # falls back to root with a warning.
  chown _apt "$work" 2>/dev/null || true
  begin "pgvector: downloading source package from $PGVECTOR_SUITE"
  # "pgvector/trixie" pins the suite even if a bookworm deb-src is also set up.
  (cd "$work" && run apt-get source --download-only "pgvector/$PGVECTOR_SUITE")
  finish
  orig=$(find "$work" -maxdepth 1 -name 'pgvector_*.orig.tar.*' | head -n 1)
  [[ -n $orig ]] || die "no pgvector .orig tarball in the downloaded source package"
  ver=$(basename "$orig")
  ver=${ver#pgvector_}
  ver=${ver%.orig.tar.*}
  [[ $ver == "$PGVECTOR_SERIES".* ]] ||
    die "$PGVECTOR_SUITE has pgvector $ver, expected $PGVECTOR_SERIES.x; update PGVECTOR_SERIES/PGVECTOR_SUITE in this script"

  begin "pgvector: building $ver from $PGVECTOR_SUITE source"
  mkdir "$work/src"
  run tar -xf "$orig" -C "$work/src" --strip-components=1
  # OPTFLAGS= drops pgvector's default -march=native (as Debian's package
  # does), so the installed library also runs if this disk moves to another
  # CPU model.
  run make -C "$work/src" -j2 PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS=
  run make -C "$work/src" install PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS=
  finish
  rm -rf "$work"
  [[ -f $PG_EXTDIR/vector.control && -f $PG_LIBDIR/vector.so ]] ||
    die "make install did not put vector.control/vector.so under $PG_EXTDIR and $PG_LIBDIR"
  say "pgvector: $ver installed"
}

# ------------------------------------------------------------ 3. pgbouncer --
step_pgbouncer_install() {
  if [[ -x /usr/sbin/pgbouncer ]]; then
    say "pgbouncer: $(/usr/sbin/pgbouncer --version | head -n 1 | awk '{print $2}') already installed"
    return 0
  fi
  apt_update_once
  begin "pgbouncer: installing"
  run apt-get install "${APT_OPTS[@]}" pgbouncer
  finish
  # The package enables a system-wide pgbouncer on localhost:6432 with an empty
  # config where an init system runs; it would hold the tests' port, so stop
  # and disable it. Harmless (refused or no-op) where services do not start.
  if [[ -d /run/systemd/system ]]; then
    systemctl disable --now pgbouncer.service >>"$LOG" 2>&1 || true
  elif [[ -x /etc/init.d/pgbouncer ]]; then
    update-rc.d pgbouncer disable >>"$LOG" 2>&1 || true
    invoke-rc.d pgbouncer stop >>"$LOG" 2>&1 || true
  fi
  say "pgbouncer: system service disabled (the tests start their own with --pgbouncer)"
}

# The configuration the tests' pgbouncer runs with. "*" routes every database
# name (test and bench) to the local server. extra_float_digits is ignored
# because pgjdbc sends it at startup and pgbouncer would otherwise reject the
# connection. No unix socket: the tests use TCP on loopback only.
# max_client_conn leaves room for the load test's 64 threads next to other
# builds; default_pool_size caps the server connections (clients beyond it
# queue inside pgbouncer, they do not fail). server_login_retry = 1 makes
# pgbouncer reconnect within a second after PostgreSQL restarts, instead of
# waiting its default 15 s.
pgbouncer_ini() {
  cat <<EOF
[databases]
* = host=127.0.0.1 port=$PG_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $PGBOUNCER_DIR/userlist.txt
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
server_login_retry = 1
ignore_startup_parameters = extra_float_digits
logfile = $PGBOUNCER_DIR/pgbouncer.log
pidfile = $PGBOUNCER_DIR/pgbouncer.pid
EOF
}

step_pgbouncer_start() {
  if [[ $WANT_PGBOUNCER != 1 ]]; then
    say "pgbouncer: not started (pass --pgbouncer or AGENT_MEMORY_PGBOUNCER=1)"
    return 0
  fi
  local check="select '[1,2,3]'::vector"
  local ini=$PGBOUNCER_DIR/pgbouncer.ini pid
  if port_open "$PGBOUNCER_PORT"; then
    psql_test "$PGBOUNCER_PORT" "$TEST_DB" "$check" >>"$LOG" 2>&1 ||
      die "127.0.0.1:$PGBOUNCER_PORT is taken by something that does not serve $TEST_DB for $TEST_USER"
    # Ours (its pidfile is in our directory): bring a running one's configuration
    # up to date; SIGHUP makes pgbouncer re-read it without dropping clients.
    pid=$(cat "$PGBOUNCER_DIR/pgbouncer.pid" 2>/dev/null || true)
    if [[ -f $ini && $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
      [[ $(<"$ini") != "$(pgbouncer_ini)" ]]; then
      pgbouncer_ini | write_as_postgres "$ini"
      kill -HUP "$pid"
      say "pgbouncer: configuration of the running one (pid $pid) updated and reloaded"
    fi
    say "pgbouncer: already listening on 127.0.0.1:$PGBOUNCER_PORT, query through it works"
    return 0
  fi

  # /tmp is world-writable: refuse a directory someone else planted there.
  if [[ -L $PGBOUNCER_DIR ]] || { [[ -e $PGBOUNCER_DIR ]] && [[ $(stat -c %U "$PGBOUNCER_DIR") != postgres ]]; }; then
    die "$PGBOUNCER_DIR exists and is not a directory owned by postgres"
  fi
  install -d -m 700 -o postgres -g postgres "$PGBOUNCER_DIR"

  begin "pgbouncer: starting on 127.0.0.1:$PGBOUNCER_PORT (transaction pooling, files in $PGBOUNCER_DIR)"
  # The auth file holds the plain test password (test-only credential, 0600,
  # owned by postgres): with it pgbouncer can do SCRAM both towards clients
  # and towards the server, and it stays valid whatever salt the server's
  # stored verifier has.
  write_as_postgres "$PGBOUNCER_DIR/userlist.txt" <<EOF
"${TEST_USER//\"/\"\"}" "${TEST_PASSWORD//\"/\"\"}"
EOF
  pgbouncer_ini | write_as_postgres "$ini"
  # pgbouncer refuses to run as root; -d daemonises it.
  run as_postgres /usr/sbin/pgbouncer -d -q "$ini"
  local deadline=$((SECONDS + 10))
  until port_open "$PGBOUNCER_PORT"; do
    if ((SECONDS >= deadline)); then
      printf 'FAILED\n'
      tail -n 20 "$PGBOUNCER_DIR/pgbouncer.log" >&2 || true
      die "pgbouncer did not listen on 127.0.0.1:$PGBOUNCER_PORT within 10 s"
    fi
    sleep 0.1
  done
  run psql_test "$PGBOUNCER_PORT" "$TEST_DB" "$check"
  finish "done, query through it works"
}

# ----------------------------------------------------- 4. role + databases --
step_role() {
  TARGET_DB=$TEST_DB
  if [[ $(psql_su postgres <<<"SELECT 1 FROM pg_roles WHERE rolname = :'role'") != 1 ]]; then
    psql_su postgres <<<"CREATE ROLE :\"role\" LOGIN PASSWORD :'pw'" >>"$LOG"
    say "role: created $TEST_USER"
  else
    # The password is not reset here: step_login_check does that only when
    # login actually fails, so the stored SCRAM verifier is not churned.
    say "role: $TEST_USER already exists"
  fi
}

ensure_db() {
  local db=$1 vector=${2:-with} owner ext
  TARGET_DB=$db
  owner=$(psql_su postgres <<<"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = :'db'")
  if [[ -z $owner ]]; then
    psql_su postgres <<<"CREATE DATABASE :\"db\" OWNER :\"role\"" >>"$LOG"
    owner=$TEST_USER
    printf 'db %s: created, owner %s' "$db" "$owner"
  elif [[ $owner != "$TEST_USER" ]]; then
    psql_su postgres <<<"ALTER DATABASE :\"db\" OWNER TO :\"role\"" >>"$LOG"
    printf 'db %s: exists, owner changed %s -> %s' "$db" "$owner" "$TEST_USER"
  else
    printf 'db %s: already exists, owner %s' "$db" "$owner"
  fi
  # CREATE EXTENSION needs the superuser (pgvector is not a trusted extension).
  ext=$(psql_su "$db" <<<"SELECT extversion FROM pg_extension WHERE extname = 'vector'")
  if [[ $vector == without ]]; then
    # For the tests of what 'init' says to a user whose database lacks the extension.
    if [[ -n $ext ]]; then
      psql_su "$db" <<<"DROP EXTENSION vector CASCADE" >>"$LOG"
      printf '; extension vector dropped (kept without it)\n'
    else
      printf '; without extension vector, as meant\n'
    fi
    return 0
  fi
  if [[ -z $ext ]]; then
    ext=$(psql_su "$db" <<<"SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS vector; SELECT extversion FROM pg_extension WHERE extname = 'vector'")
    printf '; extension vector %s created\n' "$ext"
  else
    printf '; extension vector %s already there\n' "$ext"
  fi
}

step_login_check() {
  if ! psql_test "$PG_PORT" "$TEST_DB" 'select 1' >>"$LOG" 2>&1; then
    # Role existed with another password (or NOLOGIN): make it match.
    TARGET_DB=$TEST_DB
    psql_su postgres <<<"ALTER ROLE :\"role\" LOGIN PASSWORD :'pw'" >>"$LOG"
    say "role: password/LOGIN of $TEST_USER reset to the configured one"
    psql_test "$PG_PORT" "$TEST_DB" 'select 1' >>"$LOG" 2>&1 ||
      die "password login as $TEST_USER to 127.0.0.1:$PG_PORT/$TEST_DB fails; check pg_hba.conf (needs scram-sha-256 or md5 for 127.0.0.1/32)"
  fi
  say "login: $TEST_USER@127.0.0.1:$PG_PORT/$TEST_DB with password works"
}

# ------------------------------------------------------ 5. hot standby --
# A streaming replica of 15/main, for the tests and the bench of reads on replicas. pg_basebackup
# runs as the postgres OS user over the local socket (Debian's pg_hba lets it in by peer for
# replication), and -R writes standby.signal and primary_conninfo, so no password is involved.
replica_line() { pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$REPLICA_CLUSTER" '$1 == v && $2 == c'; }

replica_in_recovery() {
  [[ $(as_postgres "$PG_BIN/psql" -X -At -p "$REPLICA_PORT" -d postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null) == t ]]
}

# The standby reads its WAL through a physical replication slot, so that the primary keeps what
# the standby has not received yet. Without one, a bulk load (a million episodes and their HNSW
# index write gigabytes of WAL) recycles segments the standby still needs, and the standby is
# stuck for good ("requested WAL segment ... has already been removed") while it still looks
# online and in recovery.
REPLICA_SLOT=agent_memory_replica
# A slot keeps WAL for a standby that is gone, too: this bound keeps a forgotten test standby from
# filling the disk. Past it the slot is lost, and the next run of this script makes the standby
# again.
REPLICA_SLOT_MAX_WAL=16GB

# 0 when the standby streams from the primary through its slot, which the primary keeps.
replica_streaming() {
  local deadline=$((SECONDS + ${1:-15}))
  while ((SECONDS < deadline)); do
    [[ $(as_postgres "$PG_BIN/psql" -X -At -p "$PG_PORT" -d postgres -c \
        "SELECT count(*) FROM pg_replication_slots s JOIN pg_stat_replication r ON r.pid = s.active_pid
         WHERE s.slot_name = '$REPLICA_SLOT' AND s.wal_status IS DISTINCT FROM 'lost' AND r.state = 'streaming'" \
        2>/dev/null) == 1 ]] && return 0
    sleep 0.5
  done
  return 1
}

step_replica() {
  if [[ $WANT_REPLICA != 1 ]]; then
    return 0
  fi
  local line data
  line=$(replica_line)
  if [[ -n $line && $(awk '{print $4}' <<<"$line") == online* ]] && replica_in_recovery && replica_streaming; then
    local running on_disk
    running=$(as_postgres "$PG_BIN/psql" -X -At -p "$REPLICA_PORT" -d postgres -c 'SHOW server_version' | awk '{print $1}')
    on_disk=$(installed_pg_version)
    if [[ $running != "$on_disk" ]]; then
      begin "replica: restarting $PG_VERSION/$REPLICA_CLUSTER: it runs $running, the package on disk is $on_disk"
      run pg_ctlcluster "$PG_VERSION" "$REPLICA_CLUSTER" restart -m fast
      finish
    fi
    say "replica: $PG_VERSION/$REPLICA_CLUSTER streaming from $PG_PORT, accepting reads on 127.0.0.1:$REPLICA_PORT"
    return 0
  fi
  if [[ -n $line ]]; then
    # There, but not a working standby (stopped, not streaming through its slot, its data gone
    # astray): make it anew.
    begin "replica: dropping the unusable cluster $PG_VERSION/$REPLICA_CLUSTER to make it again"
    run pg_dropcluster --stop "$PG_VERSION" "$REPLICA_CLUSTER"
    finish
  fi
  begin "replica: making $PG_VERSION/$REPLICA_CLUSTER on $REPLICA_PORT with pg_basebackup from $PG_PORT"
  run pg_createcluster -p "$REPLICA_PORT" "$PG_VERSION" "$REPLICA_CLUSTER"
  data=$(replica_line | awk '{print $6}')
  [[ -n $data && $data == /var/lib/postgresql/* ]] || die "unexpected data directory for $PG_VERSION/$REPLICA_CLUSTER: '$data'"
  run as_postgres find "$data" -mindepth 1 -delete
  if [[ $(as_postgres "$PG_BIN/psql" -X -At -p "$PG_PORT" -d postgres -c 'SHOW max_slot_wal_keep_size') == -1 ]]; then
    run as_postgres "$PG_BIN/psql" -X -q -p "$PG_PORT" -d postgres \
      -c "ALTER SYSTEM SET max_slot_wal_keep_size = '$REPLICA_SLOT_MAX_WAL'" -c 'SELECT pg_reload_conf()'
  fi
  run as_postgres "$PG_BIN/psql" -X -q -p "$PG_PORT" -d postgres -c \
    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$REPLICA_SLOT'"
  # -C -S: the slot is made with the backup, so no WAL is missed between the two; -R writes it
  # into the standby's primary_slot_name.
  run as_postgres "$PG_BIN/pg_basebackup" -p "$PG_PORT" -D "$data" -R -X stream -c fast -C -S "$REPLICA_SLOT"
  # The primary's settings came along in postgresql.auto.conf; the cluster's own port wins.
  run pg_ctlcluster "$PG_VERSION" "$REPLICA_CLUSTER" start
  finish
  local deadline=$((SECONDS + 30))
  until replica_in_recovery; do
    ((SECONDS < deadline)) || die "the replica on $REPLICA_PORT is not a hot standby after 30 s; see /var/log/postgresql/postgresql-$PG_VERSION-$REPLICA_CLUSTER.log"
    sleep 0.2
  done
  replica_streaming 30 || die "the replica on $REPLICA_PORT does not stream from $PG_PORT through slot $REPLICA_SLOT after 30 s; see /var/log/postgresql/postgresql-$PG_VERSION-$REPLICA_CLUSTER.log"
  say "replica: streaming from $PG_PORT through slot $REPLICA_SLOT, accepting reads on 127.0.0.1:$REPLICA_PORT"
}

# ------------------------------------------------------------------- main --
T_START=$(now_us)
step_postgres_install
step_pgvector
step_pgbouncer_install
step_postgres_start
step_role
ensure_db "$TEST_DB"
ensure_db "$BENCH_DB"
ensure_db "$LOAD_DB"
ensure_db "$NOVECTOR_DB" without
step_login_check
step_pgbouncer_start
step_replica
d=$(( ($(now_us) - T_START) / 100000 ))
printf 'setup-postgres: all set (%d.%d s)\n' $((d / 10)) $((d % 10))
