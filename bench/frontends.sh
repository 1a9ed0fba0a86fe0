#!/usr/bin/env bash
# Issue 12's live figure: two front ends (`workroom serve --store
# postgres://…`) over one PostgreSQL, the load tool's sessions spread
# over both — each pair's client on front end A, its freelancer on B — so
# every line or post crosses from one front end to the other. Prints what
# bench/load prints (latency from the send on one front end to the other
# session's screen); memory and CPU figures are front end A's.
#
#   bench/frontends.sh                         # posts, 1,000 sessions (pairs)
#   LOAD_RUNS="meeting:1000" bench/frontends.sh
#
# Needs the postgresql package (scripts/install-test-deps installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
go build -o bin/workroom ./cmd/workroom
go build -o bin/load ./bench/load
runs=${LOAD_RUNS:-"pairs:1000"}
ulimit -n "$(ulimit -Hn)"

server_flags=(
  --rate-signups off --rate-jobs off --rate-proposals off
  --rate-sessions off --rate-verify-mails off --rate-messages off
  --max-conns-per-addr 10000 --max-conns-per-account 10000
  --max-sessions 100 --no-scan
)

for r in $runs; do
  with_workdir
  start_postgres "$work"
  a=$(free_port) b=$(free_port)
  mkdir -p "$work/a" "$work/b"
  ./bin/workroom serve --data "$work/a" --store "$pg_url" --ssh-addr "127.0.0.1:$a" --smtp-addr 127.0.0.1:0 "${server_flags[@]}" >"$work/a.log" 2>&1 &
  pids+=("$!")
  pid_a=$!
  wait_port "$a"
  # Front ends behind one address share one host key.
  cp "$work/a/ssh_host_ed25519_key" "$work/b/"
  ./bin/workroom serve --data "$work/b" --store "$pg_url" --ssh-addr "127.0.0.1:$b" --smtp-addr 127.0.0.1:0 "${server_flags[@]}" >"$work/b.log" 2>&1 &
  pids+=("$!")
  wait_port "$b"
  echo "== $r over two front ends (:$a, :$b), one PostgreSQL"
  ./bin/load -addr "127.0.0.1:$a,127.0.0.1:$b" -pid "$pid_a" -server-log "$work/a.log" -shape "${r%%:*}" -sessions "${r##*:}" "$@" || true
  stop_workdir
  trap - EXIT
done
