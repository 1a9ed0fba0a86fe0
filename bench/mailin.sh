#!/usr/bin/env bash
# Mail ingest (issue 9): N mails (default 2,000), each with a 100 KB
# attachment of fresh random bytes, from C concurrent SMTP clients
# (default 8) to a workroom's address, sent from a member's verified
# address; once with scanning off (--no-scan), once with a real clamd.
# Prints, per run, mails per second and the time from the end of DATA to
# the server's reply (p50, p99, max), and how many messages the room got.
#
#   bench/mailin.sh
#   N=500 C=4 bench/mailin.sh
#   SERVER_FLAGS="--smtp-strict" bench/mailin.sh    # extra serve flags
#   AUTH=dns bench/mailin.sh                          # check senders by DNS
#
# By default the server runs as it does behind a trusted MTA
# (--smtp-trusted-authserv) and every mail carries that MTA's
# Authentication-Results (dmarc=pass): sender checks then cost no DNS.
# AUTH=dns checks DKIM/SPF/DMARC through the machine's resolver instead,
# which measures the resolver: on a machine without internet each lookup
# ends in a timeout or an error.
#
# The freelancer's notifications are turned off so the figure is ingest
# alone (NOTIFY=on keeps them: one .eml per mail under DATA/outbox/).
# Needs clamav-daemon for the second run (scripts/install-test-deps); it
# is skipped without it.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-2000}
C=${C:-8}
SIZE=${SIZE:-102400}
NOTIFY=${NOTIFY:-off}
AUTH=${AUTH:-trusted}
DOMAIN=bench.localhost
read -r -a extra <<<"${SERVER_FLAGS:-}"
authres=()
if [ "$AUTH" = trusted ]; then
  extra+=(--smtp-trusted-authserv mta.bench.localhost)
  authres=(-header "Authentication-Results: mta.bench.localhost; dmarc=pass header.from=example.com")
fi

go build -o bin/workroom ./cmd/workroom
go build -o bin/mailin ./bench/mailin
# shellcheck source=bench/lib.sh
. bench/lib.sh
with_workdir
opts=(-o IdentitiesOnly=yes -o IdentityAgent=none -o StrictHostKeyChecking=no
  -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR)

start_ours() { # $1: data dir; rest: flags
  local data=$1
  shift
  ssh_port=$(free_port)
  smtp_port=$(free_port)
  ./bin/workroom serve --data "$data" --ssh-addr "127.0.0.1:$ssh_port" --smtp-addr "127.0.0.1:$smtp_port" \
    --mail-domain "$DOMAIN" --rate-messages off "${extra[@]}" "$@" >"$data.log" 2>&1 &
  ours_pid=$!
  pids+=("$ours_pid")
  wait_port "$ssh_port"
  wait_port "$smtp_port"
}
stop_ours() { kill "$ours_pid"; wait "$ours_pid" 2>/dev/null || true; }
wr() { # $1: key; rest: command
  local key=$1
  shift
  ssh -p "$ssh_port" -i "$key" "${opts[@]}" 127.0.0.1 "$@"
}
verify() { # $1: key, $2: data dir, $3: email
  local code=""
  for _ in $(seq 100); do
    code=$(grep -l "$3" "$2"/outbox/*.eml 2>/dev/null | xargs -r grep -h 'Verification code:' | grep -o '[0-9]\+' | tail -1 || true)
    [ -n "$code" ] && break
    sleep 0.1
  done
  wr "$1" verify "$code" >/dev/null
}
setup_room() { # $1: data dir; sets room and address
  rm -f "$work"/id "$work"/id.pub "$work"/id2 "$work"/id2.pub
  ssh-keygen -q -t ed25519 -N '' -f "$work/id" -C bench
  ssh-keygen -q -t ed25519 -N '' -f "$work/id2" -C bench2
  wr "$work/id" signup --name Bench --email bench@example.com >/dev/null
  verify "$work/id" "$1" bench@example.com
  wr "$work/id2" signup --name Other --email other@example.com >/dev/null
  verify "$work/id2" "$1" other@example.com
  local job prop
  job=$(wr "$work/id" job post --title Bench | grep -o '[0-9]\+' | head -1)
  prop=$(wr "$work/id2" propose "$job" --text bench | grep -o '[0-9]\+' | head -1)
  room=$(wr "$work/id" award "$job" "$prop" | grep -o '[0-9]\+' | head -1)
  [ "$NOTIFY" = on ] || wr "$work/id2" notify "$room" off >/dev/null
  address=$(wr "$work/id" rooms --json | python3 -c 'import json,sys; print([r["email"] for r in json.load(sys.stdin)["rooms"] if r["id"]=='"$room"'][0])')
}
unread() { wr "$work/id2" rooms --json | python3 -c 'import json,sys; print([r["unread"] for r in json.load(sys.stdin)["rooms"] if r["id"]=='"$room"'][0])'; }

measure() { # $1: label; rest: serve flags
  local label=$1
  shift
  start_ours "$work/$label" "$@"
  setup_room "$work/$label"
  local before
  before=$(unread)
  echo "--- $label: $N mails × $SIZE bytes, $C clients, to $address, sender checks: $AUTH"
  ./bin/mailin -addr "127.0.0.1:$smtp_port" -from bench@example.com -to "$address" -n "$N" -c "$C" -size "$SIZE" "${authres[@]}" || {
    echo "server log:" >&2
    tail -20 "$work/$label.log" >&2
  }
  echo "messages posted in the room: $(($(unread) - before))"
  stop_ours
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem/{print $2}') GiB"
measure scanning-off --no-scan

if [ -z "$(clamd_path)" ]; then
  echo "--- scanning-on: skipped, no clamd (scripts/install-test-deps installs it)"
  exit 0
fi
start_clamd "$work"
measure scanning-on --clamd "127.0.0.1:$clam_port"
rm -rf "$clam_tmp"
