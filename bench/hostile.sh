#!/usr/bin/env bash
# Issue 5's figures: a normal user's `rooms` and post → screen latency,
# quiet and under hostile load, and the server's memory per idle TUI.
# Builds the server, starts it on a free loopback port with a fresh data
# folder and --no-scan defaults, runs bench/hostile against it, and stops
# it by its pid. Extra arguments go to the tool (see `go run ./bench/hostile -h`).
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o bin/workroom ./cmd/workroom
go build -o bin/hostile ./bench/hostile

# serve_and_run ARGS…: a fresh server for one run of the tool.
serve_and_run() {
  local data port pid
  data=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  ./bin/workroom serve --data "$data" --ssh-addr "127.0.0.1:$port" >"$data/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  local status=0
  ./bin/hostile -addr "127.0.0.1:$port" -pid "$pid" "$@" || status=$?
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  return "$status"
}

serve_and_run "$@"                       # quiet vs hostile, and memory per unregistered TUI
serve_and_run -signed-in 100 "$@"        # memory per signed-in TUI, on a fresh server
