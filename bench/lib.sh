# Sourced by the bench scripts that run their own servers: free loopback
# ports, waiting for one to open, and a clamd of their own.

# free_port prints a TCP port free on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_port waits (10 s at most) until something listens on 127.0.0.1:$1.
wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; return 1; }

# clamd_path prints the clamd binary, or nothing when it is not installed
# (scripts/install-test-deps installs it).
clamd_path() { command -v clamd || { [ -x /usr/sbin/clamd ] && echo /usr/sbin/clamd; } || true; }

# start_clamd WORKDIR starts clamd on a free loopback port with a one-line
# signature database (EICAR, as the tests use: there is no internet for
# the real one), limits above the largest upload, and its temp files under
# /tmp (Debian's AppArmor profile for clamd allows that). It sets
# clam_port and clam_tmp, and adds clamd's pid to the caller's pids array.
start_clamd() {
  local work=$1 clam
  clam=$(clamd_path)
  mkdir -p "$work/clamdb"
  clam_tmp=$(mktemp -d /tmp/bench-clamd-XXXX)
  echo "Workroom.Test.EICAR:0:*:$(printf 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE' | od -An -tx1 | tr -d ' \n')" >"$work/clamdb/bench.ndb"
  clam_port=$(free_port)
  cat >"$work/clamd.conf" <<CONF
Foreground yes
DatabaseDirectory $work/clamdb
TemporaryDirectory $clam_tmp
TCPSocket $clam_port
TCPAddr 127.0.0.1
StreamMaxLength 110M
MaxFileSize 110M
MaxScanSize 400M
AlertExceedsMax yes
CONF
  "$clam" --config-file="$work/clamd.conf" >"$work/clamd.log" 2>&1 &
  pids+=("$!")
  wait_port "$clam_port"
}

# with_workdir makes work, a temp folder, and an empty pids array; on exit
# every process in pids is stopped (and waited for) and the folder removed.
with_workdir() {
  work=$(mktemp -d)
  pids=()
  trap stop_workdir EXIT
}

stop_workdir() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}

# start_postgres WORKDIR makes a PostgreSQL cluster in WORKDIR/pg (as the
# postgres user when run as root: PostgreSQL refuses root), starts it on
# a free loopback port with PostgreSQL's defaults (every commit flushed),
# and creates the database "workroom". It sets pg_url and adds the
# server's pid to the caller's pids array. Needs the postgresql package
# (scripts/install-test-deps installs it).
start_postgres() {
  local work=$1 bin as=()
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  mkdir -p "$work/pg"
  if [ "$(id -u)" -eq 0 ]; then
    chmod o+x "$work" # postgres must reach its folder inside
    chown postgres "$work/pg"
    as=(setpriv --reuid=postgres --regid=postgres --init-groups)
  fi
  "${as[@]}" "$bin/initdb" -D "$work/pg/data" -U workroom --auth=trust -E UTF8 --locale=C >"$work/pg/initdb.log"
  pg_port=$(free_port)
  "${as[@]}" "$bin/postgres" -D "$work/pg/data" -p "$pg_port" -h 127.0.0.1 -k "$work/pg" -c max_connections=300 >"$work/pg/postgres.log" 2>&1 &
  pids+=("$!")
  wait_port "$pg_port"
  for _ in $(seq 100); do "$bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U workroom -d postgres -c 'CREATE DATABASE workroom' 2>/dev/null && break; sleep 0.1; done
  pg_url="postgres://workroom@127.0.0.1:$pg_port/workroom?sslmode=disable"
}
