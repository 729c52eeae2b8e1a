#!/usr/bin/env bash
# Shared by the bench scripts: start MariaDB (the peer) and Grove on loopback
# ports with throw-away data directories, and stop them by PID. Source it.
#   start_mariadb PORT DIR   -> sets MARIADB_PID   (user root, no password, database sbtest)
#   start_grove PORT DIR     -> sets GROVE_PID     (user root, no password, database sbtest)
#   stop_pid PID
# Installs Debian's mariadb-server and sysbench if missing (apt-get, as root or via sudo).
set -u
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

ensure_debian() {
  local missing=()
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  command -v sysbench >/dev/null 2>&1 || missing+=(sysbench)
  command -v mariadb >/dev/null 2>&1 || missing+=(mariadb-client)
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

wait_port() {  # wait_port PORT PID: until something accepts on 127.0.0.1:PORT (bounded)
  local i
  for i in $(seq 1 600); do
    kill -0 "$2" 2>/dev/null || { echo "server $2 died" >&2; return 1; }
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "port $1 never opened" >&2; return 1
}

start_mariadb() {  # MariaDB as measured in ../shared/bench-peer: InnoDB, 1 GiB pool, binlog off, fsync per commit
  local port=$1 dir=$2
  rm -rf "$dir"; mkdir -p "$dir"
  mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
    --user="$(id -un)" >/dev/null 2>&1 || return 1
  /usr/sbin/mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/sock" --port="$port" \
    --bind-address=127.0.0.1 --user="$(id -un)" --innodb-buffer-pool-size=1G --skip-log-bin \
    --innodb-flush-log-at-trx-commit=1 --max-connections=200 --log-error="$dir/err.log" &
  MARIADB_PID=$!
  wait_port "$port" "$MARIADB_PID" || return 1
  mariadb -h 127.0.0.1 -P "$port" -u root -e "CREATE DATABASE IF NOT EXISTS sbtest" || return 1
}

start_grove() {  # start_grove PORT DIR [SQL run once after start, e.g. 'SET GLOBAL dolt_transaction_commit = 1']
  local port=$1 dir=$2 init=${3:-}
  rm -rf "$dir"; mkdir -p "$dir"
  "$BENCH_ROOT/.venv/bin/grove" sql-server --host 127.0.0.1 --port "$port" --data-dir "$dir" ${GROVE_ARGS:-} \
    > "$dir.log" 2>&1 &
  GROVE_PID=$!
  wait_port "$port" "$GROVE_PID" || return 1
  mariadb -h 127.0.0.1 -P "$port" -u root -e "CREATE DATABASE IF NOT EXISTS sbtest" || return 1
  if [ -n "$init" ]; then mariadb -h 127.0.0.1 -P "$port" -u root -e "$init" || return 1; fi
}

stop_pid() {
  [ -n "${1:-}" ] || return 0
  kill "$1" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null
}
