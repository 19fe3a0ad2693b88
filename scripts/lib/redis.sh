#!/usr/bin/env bash
# Redis for tests: a private redis-server on a free 127.0.0.1 port, with its
# folder, pid file and log in one temp folder and no persistence.
#
#   source scripts/lib/redis.sh
#   redis_start   # exports TEST_REDIS_URL, REDIS_TEST_DIR, REDIS_TEST_PORT
#   trap redis_stop EXIT
#
# Sourced, so it leaves the caller's shell options alone; every function
# checks its own steps, works under `set -eu`, and returns non-zero on failure.

_redis_free_port() {
    python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

_redis_install() {
    if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then return 0; fi
    echo "redis: installing redis-server" >&2
    local sudo=""
    [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends redis-server >/dev/null
}

_redis_ping() {
    [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == "PONG" ]]
}

redis_start() {
    _redis_install || return 1
    if [[ -n "${REDIS_TEST_DIR:-}" && -d "$REDIS_TEST_DIR" ]] && _redis_ping "${REDIS_TEST_PORT:-0}"; then
        echo "redis: already running at $TEST_REDIS_URL" >&2
        return 0
    fi
    REDIS_TEST_DIR=$(mktemp -d /tmp/redis-test.XXXXXX)
    REDIS_TEST_PORT=$(_redis_free_port)
    export REDIS_TEST_DIR REDIS_TEST_PORT
    # The distribution's service may run as another user; ours runs as us, in our folder.
    if ! redis-server --bind 127.0.0.1 --port "$REDIS_TEST_PORT" --daemonize yes \
        --dir "$REDIS_TEST_DIR" --pidfile "$REDIS_TEST_DIR/redis.pid" --logfile "$REDIS_TEST_DIR/redis.log" \
        --save "" --appendonly no --protected-mode yes; then
        echo "redis: redis-server did not start" >&2
        redis_stop
        return 1
    fi
    local deadline=$((SECONDS + 10))
    until _redis_ping "$REDIS_TEST_PORT"; do
        if ((SECONDS >= deadline)); then
            echo "redis: no answer to PING on 127.0.0.1:$REDIS_TEST_PORT within 10 s; last lines of its log:" >&2
            tail -n 20 "$REDIS_TEST_DIR/redis.log" >&2 || true
            redis_stop
            return 1
        fi
        sleep 0.1
    done
    export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_TEST_PORT"
    echo "redis: TEST_REDIS_URL=$TEST_REDIS_URL" >&2
}

redis_stop() {
    [[ -n "${REDIS_TEST_DIR:-}" ]] || return 0
    local pid
    pid=$(cat "$REDIS_TEST_DIR/redis.pid" 2>/dev/null || true)
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        local deadline=$((SECONDS + 10))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$REDIS_TEST_DIR"
    unset REDIS_TEST_DIR REDIS_TEST_PORT TEST_REDIS_URL
}
