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

source "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

_redis_install() {
    if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then return 0; fi
    echo "redis: installing redis-server" >&2
    local sudo=""
    [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends redis-server >/dev/null
}

_redis_ping() {
    # Bounded: whatever holds the port may accept and never answer.
    [[ "$(timeout 5 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == "PONG" ]]
}

redis_start() {
    _redis_install || return 1
    if [[ -n "${REDIS_TEST_DIR:-}" && -d "$REDIS_TEST_DIR" ]] && _redis_ping "${REDIS_TEST_PORT:-0}"; then
        echo "redis: already running at $TEST_REDIS_URL" >&2
        return 0
    fi
    start_on_free_ports redis _redis_start_once
}

# Returns 2 when the port was in use.
_redis_start_once() {
    REDIS_TEST_DIR=$(mktemp -d /tmp/redis-test.XXXXXX)
    REDIS_TEST_PORT=$(free_ports 1)
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
    until _redis_ours "$REDIS_TEST_PORT"; do
        if _redis_bind_failed; then
            redis_stop
            return 2
        fi
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

# Ours, not a server that took the port first: the one whose pid is in our pid file.
_redis_ours() {
    ! _redis_bind_failed && _redis_ping "$1" \
        && [[ "$(_redis_pid "$1")" == "$(cat "$REDIS_TEST_DIR/redis.pid" 2>/dev/null)" ]]
}

_redis_bind_failed() {
    grep -q "Address already in use" "$REDIS_TEST_DIR/redis.log" 2>/dev/null
}

_redis_pid() {
    timeout 5 redis-cli -h 127.0.0.1 -p "$1" info server 2>/dev/null | sed -n 's/^process_id:\([0-9]*\).*/\1/p'
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
