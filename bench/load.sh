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

. bench/serve.sh

for r in $runs; do
  serve_and_run server_flags ./bin/load -shape "${r%%:*}" -sessions "${r##*:}" "$@"
done
