#!/usr/bin/env bash
# Issue 6's figures: live sessions under load. Builds the server and
# bench/load, and for each run starts `workroom serve` on a free loopback
# port with a fresh data folder, runs the tool against it, and stops it by
# its pid (the tool ends each run by sending the server SIGQUIT, whose stack
# dump it counts goroutines in; a server still up after that gets SIGTERM).
#
#   bench/load.sh                      # all four runs
#   LOAD_RUNS="pairs:1000" bench/load.sh -posts 100
#
# LOAD_RUNS lists SHAPE:SESSIONS runs; extra arguments go to the tool
# (see `go run ./bench/load -h`).
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o bin/workroom ./cmd/workroom
go build -o bin/load ./bench/load

runs=${LOAD_RUNS:-"pairs:100 pairs:1000 pairs:2000 watchers:100"}

# The server's limits opened wide so setting up thousands of accounts,
# rooms and sessions from a few loopback addresses is not throttled. The
# message limit stays at its default: the tool posts under it.
server_flags=(
  --rate-signups off --rate-jobs off --rate-proposals off
  --rate-sessions off --rate-verify-mails off
  --max-conns-per-addr 10000 --max-conns-per-account 10000
  --max-sessions 100
)

# serve_and_run SHAPE SESSIONS ARGS…: a fresh server for one run.
serve_and_run() {
  local shape=$1 sessions=$2 data port pid
  shift 2
  data=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  ./bin/workroom serve --data "$data" --ssh-addr "127.0.0.1:$port" "${server_flags[@]}" >"$data/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  local status=0
  ./bin/load -addr "127.0.0.1:$port" -pid "$pid" -server-log "$data/server.log" \
    -shape "$shape" -sessions "$sessions" "$@" || status=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  return "$status"
}

for r in $runs; do
  serve_and_run "${r%%:*}" "${r##*:}" "$@"
done
