#!/usr/bin/env bash
# Issues 6 and 10's figures: live sessions under load. Builds the server and
# bench/load, and for each run starts `workroom serve` on a free loopback
# port with a fresh data folder, runs the tool against it, and stops it by
# its pid (the tool ends each run by sending the server SIGQUIT, whose stack
# dump it counts goroutines in; a server still up after that gets SIGTERM).
#
#   bench/load.sh                      # issue 6's four runs
#   LOAD_RUNS="pairs:1000" bench/load.sh -posts 100
#   LOAD_RUNS="meeting:100 meeting:1000 meeting:2000 idle:1000 idle:5000" bench/load.sh
#
# LOAD_RUNS lists SHAPE:SESSIONS runs (shapes pairs, watchers, meeting,
# idle); extra arguments go to the tool (see `go run ./bench/load -h`).
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o bin/workroom ./cmd/workroom
go build -o bin/load ./bench/load

runs=${LOAD_RUNS:-"pairs:100 pairs:1000 pairs:2000 watchers:100"}

# Every session is a socket at both ends: 5,000 idle sessions need more
# than the usual 1,024 descriptors in the tool and the server.
ulimit -n "$(ulimit -Hn)"

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

# Meeting lines are messages: one every two seconds per account is under
# the per-account limit, but the thousands of accounts share 16 loopback
# addresses, so the per-address limit (4 accounts' worth) would throttle
# them; meeting runs turn the message limit off.
meeting_flags=("${server_flags[@]}" --rate-messages off)

for r in $runs; do
  flags=server_flags
  [ "${r%%:*}" = meeting ] && flags=meeting_flags
  serve_and_run "$flags" ./bin/load -shape "${r%%:*}" -sessions "${r##*:}" "$@"
done
