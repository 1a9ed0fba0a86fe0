# Sourced by the bench scripts: one fresh workroom server per run.
#
# serve_and_run SERVER_FLAGS_ARRAY TOOL ARGS…: starts bin/workroom on a
# free loopback port with a fresh data folder and the server flags named
# by the array, waits for the port, runs TOOL -addr 127.0.0.1:PORT -pid PID
# -server-log LOG ARGS…, then stops the server by its pid and removes the
# folder. Returns the tool's status.
serve_and_run() {
  local -n flags=$1
  local tool=$2 data port pid status=0
  shift 2
  data=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  ./bin/workroom serve --data "$data" --ssh-addr "127.0.0.1:$port" "${flags[@]}" >"$data/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  "$tool" -addr "127.0.0.1:$port" -pid "$pid" -server-log "$data/server.log" "$@" || status=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  return "$status"
}
