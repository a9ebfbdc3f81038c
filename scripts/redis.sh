#!/usr/bin/env bash
# Start or stop a throwaway Redis for the tests (the task broker's RQ backend), like scripts/pg.sh.
# usage: scripts/redis.sh start DIR PORT | scripts/redis.sh stop DIR
set -euo pipefail
cmd="$1"; dir="$2"
command -v redis-server >/dev/null || { echo "错误：未找到 redis-server（请安装 Debian 软件包 redis-server）。/ error: redis-server not found" >&2; exit 1; }
case "$cmd" in
  start)
    port="$3"
    mkdir -p "$dir"
    redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$dir" \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/log"
    for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && exit 0; sleep 0.1; done
    echo "错误：Redis 未能启动 / error: Redis did not start (see $dir/log)" >&2; exit 1
    ;;
  stop)
    [[ -f "$dir/redis.pid" ]] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    rm -rf "$dir"
    ;;
esac
