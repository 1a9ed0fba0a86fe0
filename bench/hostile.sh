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

. bench/serve.sh
server_flags=() # the defaults: the limits under test

serve_and_run server_flags ./bin/hostile "$@"                  # quiet vs hostile, and memory per unregistered TUI
serve_and_run server_flags ./bin/hostile -signed-in 100 "$@"  # memory per signed-in TUI, on a fresh server
