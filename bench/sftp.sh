#!/usr/bin/env bash
# Files over SFTP (issue 8): this server against OpenSSH's own sshd
# (internal-sftp), both on loopback, driven by the same OpenSSH sftp client.
# Each run moves the same 200 MiB up and down — two files of 100 MiB, the
# largest a workroom takes — through each server in turn, RUNS times (at
# least 5) per cipher, and prints the medians and the ratio ours/OpenSSH.
# Then, with a real clamd, a few uploads of fresh bytes (clamd caches
# clean results by hash).
#
#   make bench-sftp                 # RUNS=5 CIPHERS="default aes128-gcm@openssh.com"
#   RUNS=7 bench/sftp.sh
#
# Needs openssh-server, openssh-client, clamav-daemon (scripts/install-test-deps).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
CIPHERS=${CIPHERS:-"default aes128-gcm@openssh.com"}
SCAN_RUNS=${SCAN_RUNS:-3}
MIB=${MIB:-100} # per file; two files per run

go build -o bin/workroom ./cmd/workroom
# shellcheck source=bench/lib.sh
. bench/lib.sh
with_workdir

ssh-keygen -q -t ed25519 -N '' -f "$work/id" -C bench
ssh-keygen -q -t ed25519 -N '' -f "$work/id2" -C bench2
opts=(-i "$work/id" -o IdentitiesOnly=yes -o IdentityAgent=none -o StrictHostKeyChecking=no
  -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR)
head -c $((MIB << 20)) /dev/urandom >"$work/a.bin"
head -c $((MIB << 20)) /dev/urandom >"$work/b.bin"
mkdir -p "$work/down"

# --- our server: two accounts, one room ---
start_ours() { # $1: data dir; rest: flags
  local data=$1
  shift
  ours_port=$(free_port)
  ./bin/workroom serve --data "$data" --ssh-addr "127.0.0.1:$ours_port" "$@" >"$data.log" 2>&1 &
  ours_pid=$!
  pids+=("$ours_pid")
  wait_port "$ours_port"
}
stop_ours() { kill "$ours_pid"; wait "$ours_pid" 2>/dev/null || true; }
wr() { # $1: key; rest: command
  local key=$1
  shift
  ssh -p "$ours_port" -i "$key" "${opts[@]:2}" 127.0.0.1 "$@"
}
verify() { # $1: key, $2: data dir, $3: email
  local code
  for _ in $(seq 100); do
    code=$(grep -h -A0 'Verification code:' "$2"/outbox/*.eml 2>/dev/null | grep -B0 -o '[0-9]\+' | tail -1 || true)
    [ -n "$code" ] && break
    sleep 0.1
  done
  wr "$1" verify "$code" >/dev/null
}
setup_room() { # $1: data dir; prints the room folder
  wr "$work/id" signup --name Bench --email bench@example.com >/dev/null
  verify "$work/id" "$1"
  rm -f "$1"/outbox/*.eml
  wr "$work/id2" signup --name Other --email other@example.com >/dev/null
  verify "$work/id2" "$1"
  local job prop room
  job=$(wr "$work/id" job post --title Bench | grep -o '[0-9]\+' | head -1)
  prop=$(wr "$work/id2" propose "$job" --text bench | grep -o '[0-9]\+' | head -1)
  room=$(wr "$work/id" award "$job" "$prop" | grep -o '[0-9]\+' | head -1)
  echo "/$room-bench"
}

# --- OpenSSH's sshd with internal-sftp ---
mkdir -p "$work/sshd/remote" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$work/sshd/host" -C host
cp "$work/id.pub" "$work/sshd/authorized_keys"
openssh_port=$(free_port)
cat >"$work/sshd/config" <<EOF
Port $openssh_port
ListenAddress 127.0.0.1
HostKey $work/sshd/host
AuthorizedKeysFile $work/sshd/authorized_keys
PidFile $work/sshd/pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
EOF
/usr/sbin/sshd -D -f "$work/sshd/config" -E "$work/sshd/log" &
openssh_pid=$!
pids+=("$openssh_pid")
wait_port "$openssh_port"

# transfer PORT CIPHER DIR up|down: seconds for the two files.
transfer() {
  local port=$1 cipher=$2 dir=$3 way=$4 batch c=() t0 t1
  [ "$cipher" != default ] && c=(-c "$cipher")
  if [ "$way" = up ]; then
    batch="put $work/a.bin $dir/a.bin"$'\n'"put $work/b.bin $dir/b.bin"
  else
    batch="get $dir/a.bin $work/down/a.bin"$'\n'"get $dir/b.bin $work/down/b.bin"
  fi
  t0=$(date +%s.%N)
  sftp -P "$port" "${opts[@]}" "${c[@]}" -b - 127.0.0.1 <<<"$batch" >/dev/null
  t1=$(date +%s.%N)
  if [ "$way" = down ]; then cmp -s "$work/down/a.bin" "$work/a.bin" && cmp -s "$work/down/b.bin" "$work/b.bin" || {
    echo "download differs" >&2
    exit 1
  }; fi
  python3 -c "print($t1-$t0)"
}
median_mbs() { python3 -c "import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print('%.0f' % (2*$MIB*1.048576/statistics.median(v)))" "$@"; }

start_ours "$work/ours" --no-scan
room=$(setup_room "$work/ours")
remote="$work/sshd/remote"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem/{print $2}') GiB; $(ssh -V 2>&1)"
echo "each run: 2 × $MIB MiB up, then down; $RUNS runs alternating; MB/s (10^6 bytes) of the medians"
printf '%-26s %-5s %10s %10s %7s\n' cipher way ours openssh ratio
for cipher in $CIPHERS; do
  for way in up down; do
    ours=() theirs=()
    for _ in $(seq "$RUNS"); do
      if [ "$way" = up ]; then
        ours+=("$(transfer "$ours_port" "$cipher" "$room" up)")
        theirs+=("$(transfer "$openssh_port" "$cipher" "$remote" up)")
      else
        ours+=("$(transfer "$ours_port" "$cipher" "$room" down)")
        theirs+=("$(transfer "$openssh_port" "$cipher" "$remote" down)")
      fi
    done
    o=$(median_mbs "${ours[@]}")
    s=$(median_mbs "${theirs[@]}")
    printf '%-26s %-5s %10s %10s %7s\n' "$cipher" "$way" "$o" "$s" "$(python3 -c "print('%.2f' % ($o/$s))")"
  done
done
stop_ours

# --- with a real clamd: fresh bytes per upload ---
if [ -n "$(clamd_path)" ]; then
  start_clamd "$work"
  rm -f "$work/id2"* && ssh-keygen -q -t ed25519 -N '' -f "$work/id2" -C bench2
  start_ours "$work/scan" --clamd "127.0.0.1:$clam_port"
  room=$(setup_room "$work/scan")
  ours=() theirs=()
  for _ in $(seq "$SCAN_RUNS"); do
    head -c $((MIB << 20)) /dev/urandom >"$work/a.bin"
    head -c $((MIB << 20)) /dev/urandom >"$work/b.bin"
    wr "$work/id" admin quota "${room#/}" 2G >/dev/null 2>&1 || true
    ours+=("$(transfer "$ours_port" default "$room" up)")
    theirs+=("$(transfer "$openssh_port" default "$remote" up)")
    wr "$work/id" rm "$(echo "$room" | grep -o '[0-9]\+' | head -1)" a.bin >/dev/null
    wr "$work/id" rm "$(echo "$room" | grep -o '[0-9]\+' | head -1)" b.bin >/dev/null
  done
  o=$(median_mbs "${ours[@]}")
  s=$(median_mbs "${theirs[@]}")
  printf '%-26s %-5s %10s %10s %7s   (clamd on, %s runs, fresh bytes each)\n' default up "$o" "$s" "$(python3 -c "print('%.2f' % ($o/$s))")" "$SCAN_RUNS"
  stop_ours
  rm -rf "$clam_tmp"
fi
