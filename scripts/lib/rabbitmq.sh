#!/usr/bin/env bash
# RabbitMQ for tests: a private node on free 127.0.0.1 ports, everything it
# writes (data, logs, config, Erlang cookie, its own epmd) in one temp folder.
#
#   source scripts/lib/rabbitmq.sh
#   rabbitmq_start   # exports TEST_AMQP_URL, TEST_AMQPS_URL, TEST_AMQP_CA, RABBITMQ_TEST_DIR, RABBITMQ_TEST_NODE
#   ...
#   rabbitmq_stop    # stops the node, kills leftovers, removes the folder
#
# It never touches the node the Debian package may have started (default name,
# port 5672, system epmd): our node has a unique name, its own ports and its
# own epmd port.
#
# The node also has a TLS listener (TEST_AMQPS_URL, amqps://...@localhost): its
# certificate names only `localhost` and is signed by the CA in TEST_AMQP_CA; the
# CA in TEST_AMQP_OTHER_CA signed nothing.
#
# rabbitmq_start_node / rabbitmq_stop_node start and stop the node again in the
# same folder and on the same ports (the reconnection tests use them).
#
# Sourced, so it leaves the caller's shell options alone (scripts that source it
# set -euo pipefail themselves); every function checks its own steps, works
# under `set -eu`, and returns non-zero on failure.

RABBITMQ_SBIN=/usr/lib/rabbitmq/bin
source "$(dirname "${BASH_SOURCE[0]}")/tls.sh"
source "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

_rabbitmq_install() {
    if [[ -x "$RABBITMQ_SBIN/rabbitmq-server" ]]; then return 0; fi
    echo "rabbitmq: installing rabbitmq-server" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq rabbitmq-server >/dev/null
}

# Runs a RabbitMQ program with the node's environment (and only in a subshell,
# so that the caller's HOME and variables stay as they were).
_rabbitmq_env() {
    local dir="$RABBITMQ_TEST_DIR"
    (
        # The cookie is read from $HOME/.erlang.cookie by the node and the CLI tools.
        export HOME="$dir"
        export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
        export RABBITMQ_NODENAME="$RABBITMQ_TEST_NODE"
        export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
        export RABBITMQ_NODE_PORT="$RABBITMQ_TEST_PORT"
        export RABBITMQ_DIST_PORT="$RABBITMQ_TEST_DIST_PORT"
        export ERL_EPMD_PORT="$RABBITMQ_TEST_EPMD_PORT"
        export ERL_EPMD_ADDRESS=127.0.0.1
        export RABBITMQ_MNESIA_BASE="$dir/mnesia"
        export RABBITMQ_LOG_BASE="$dir/log"
        export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
        export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
        export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
        export RABBITMQ_PLUGINS_EXPAND_DIR="$dir/plugins-expand"
        export RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
        export RABBITMQ_FEATURE_FLAGS_FILE="$dir/feature_flags"
        export RABBITMQ_QUORUM_DIR="$dir/quorum"
        export RABBITMQ_STREAM_DIR="$dir/stream"
        # Erlang distribution on loopback only.
        export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
        "$@"
    )
}

_rabbitmq_port_open() {
    python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.settimeout(0.5)
try:
    s.connect(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
s.settimeout(2)
# An AMQP server answers an unsupported protocol header with its own header.
s.sendall(b"AMQP\x00\x00\x00\x00")
try:
    data = s.recv(8)
except OSError:
    sys.exit(1)
sys.exit(0 if data.startswith(b"AMQP") else 1)
EOF
}

_rabbitmq_kill_leftovers() {
    local marker="RABBITMQ_MNESIA_BASE=$RABBITMQ_TEST_DIR/mnesia" env pid
    for env in /proc/[0-9]*/environ; do
        pid=${env#/proc/}
        pid=${pid%/environ}
        [[ "$pid" != "$$" && "$pid" != "${BASHPID:-$$}" ]] || continue
        if { tr '\0' '\n' <"$env"; } 2>/dev/null | grep -qxF -- "$marker"; then
            kill -9 "$pid" 2>/dev/null || true
        fi
    done
}

# Starts the node in $RABBITMQ_TEST_DIR and waits until it takes AMQP connections.
rabbitmq_start_node() {
    local started=$SECONDS
    (
        # The node must not hold the caller's descriptors (a pipe or a process
        # monitor would otherwise wait for the node to end).
        for fd in /proc/"$BASHPID"/fd/*; do
            fd=${fd##*/}
            if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
        done
        _rabbitmq_env "$RABBITMQ_SBIN/rabbitmq-server"
    ) </dev/null >"$RABBITMQ_TEST_DIR/log/stdout.log" 2>&1 &
    echo $! >"$RABBITMQ_TEST_DIR/server.pid"
    # 180 s: 7 s on a quiet machine, 41-101 s on two cores shared with builds (an exit is seen at once).
    local deadline=$((SECONDS + 180))
    until _rabbitmq_port_open "$RABBITMQ_TEST_PORT"; do
        if ! kill -0 "$(cat "$RABBITMQ_TEST_DIR/server.pid")" 2>/dev/null; then
            echo "rabbitmq: the node exited while starting; last lines of its output:" >&2
            tail -n 30 "$RABBITMQ_TEST_DIR/log/stdout.log" >&2 || true
            return 1
        fi
        if ((SECONDS >= deadline)); then
            echo "rabbitmq: the node did not accept AMQP connections within 180 s" >&2
            tail -n 30 "$RABBITMQ_TEST_DIR/log/stdout.log" >&2 || true
            return 1
        fi
        sleep 0.2
    done
    # The listener opens late in the boot; make sure the boot has completed.
    # 120 s: the Erlang CLI alone boots slowly on two cores shared with builds (30 s ran out).
    if ! _rabbitmq_env timeout 120 "$RABBITMQ_SBIN/rabbitmqctl" -n "$RABBITMQ_TEST_NODE" await_startup --timeout 110 >/dev/null; then
        echo "rabbitmq: the node did not finish booting within 120 s" >&2
        return 1
    fi
    echo "rabbitmq: node $RABBITMQ_TEST_NODE up on 127.0.0.1:$RABBITMQ_TEST_PORT in $((SECONDS - started)) s" >&2
}

# Stops the node (bounded), keeping its folder and ports for a later start.
rabbitmq_stop_node() {
    [[ -n "${RABBITMQ_TEST_DIR:-}" && -d "$RABBITMQ_TEST_DIR" ]] || return 0
    # SIGTERM makes the VM shut RabbitMQ down cleanly, without the seconds an
    # Erlang CLI (rabbitmqctl stop) takes to boot.
    local pid
    pid=$(cat "$RABBITMQ_TEST_DIR/rabbitmq.pid" 2>/dev/null || true)
    if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then
        pid=$(cat "$RABBITMQ_TEST_DIR/server.pid" 2>/dev/null || true)
    fi
    if [[ -n "$pid" ]]; then
        kill -TERM "$pid" 2>/dev/null || true
        local deadline=$((SECONDS + 20))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    # Leftovers (the Erlang VM, its helpers, our private epmd): every process
    # whose environment names our folder, and only those.
    _rabbitmq_kill_leftovers
    local deadline=$((SECONDS + 10))
    while _rabbitmq_port_open "$RABBITMQ_TEST_PORT" && ((SECONDS < deadline)); do sleep 0.2; done
    rm -f "$RABBITMQ_TEST_DIR/server.pid" "$RABBITMQ_TEST_DIR/rabbitmq.pid"
}

rabbitmq_start() {
    _rabbitmq_install || return 1
    if [[ -n "${RABBITMQ_TEST_DIR:-}" && -d "$RABBITMQ_TEST_DIR" ]] && _rabbitmq_port_open "${RABBITMQ_TEST_PORT:-0}"; then
        echo "rabbitmq: already running at $TEST_AMQP_URL" >&2
        return 0
    fi
    start_on_free_ports rabbitmq _rabbitmq_start_once
}

# Returns 2 when a port was in use.
_rabbitmq_start_once() {
    RABBITMQ_TEST_DIR=$(mktemp -d /tmp/rabbitmq-test.XXXXXX)
    chmod 755 "$RABBITMQ_TEST_DIR"
    read -r RABBITMQ_TEST_PORT RABBITMQ_TEST_DIST_PORT RABBITMQ_TEST_EPMD_PORT RABBITMQ_TEST_TLS_PORT \
        <<<"$(free_ports 4)"
    RABBITMQ_TEST_NODE="rabbit_test_${RABBITMQ_TEST_PORT}@localhost"
    export RABBITMQ_TEST_DIR RABBITMQ_TEST_PORT RABBITMQ_TEST_DIST_PORT RABBITMQ_TEST_EPMD_PORT RABBITMQ_TEST_NODE
    export RABBITMQ_TEST_TLS_PORT

    mkdir -p "$RABBITMQ_TEST_DIR"/{mnesia,log,plugins-expand,quorum,stream}
    : >"$RABBITMQ_TEST_DIR/rabbitmq-env.conf"
    echo "[]." >"$RABBITMQ_TEST_DIR/enabled_plugins"
    echo "[]." >"$RABBITMQ_TEST_DIR/advanced.config"
    python3 -c 'import secrets;print(secrets.token_hex(16).upper(),end="")' >"$RABBITMQ_TEST_DIR/.erlang.cookie"
    chmod 400 "$RABBITMQ_TEST_DIR/.erlang.cookie"
    tls_make_test_certs "$RABBITMQ_TEST_DIR/tls" || return 1
    # The node may run as another user than ours: its key must be readable (test material only).
    chmod 644 "$RABBITMQ_TEST_DIR/tls/server.key"
    cat >"$RABBITMQ_TEST_DIR/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$RABBITMQ_TEST_PORT
listeners.ssl.default = 127.0.0.1:$RABBITMQ_TEST_TLS_PORT
ssl_options.cacertfile = $RABBITMQ_TEST_DIR/tls/ca.crt
ssl_options.certfile = $RABBITMQ_TEST_DIR/tls/server.crt
ssl_options.keyfile = $RABBITMQ_TEST_DIR/tls/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
loopback_users.guest = true
log.console = false
log.file.level = info
disk_free_limit.absolute = 10MB
EOF
    if ! rabbitmq_start_node; then
        local status=1
        if grep -rqsiE "eaddrinuse|address already in use" "$RABBITMQ_TEST_DIR/log"; then status=2; fi
        rabbitmq_stop
        return "$status"
    fi
    export TEST_AMQP_URL="amqp://guest:guest@127.0.0.1:$RABBITMQ_TEST_PORT/"
    export TEST_AMQPS_URL="amqps://guest:guest@localhost:$RABBITMQ_TEST_TLS_PORT/"
    export TEST_AMQP_CA="$RABBITMQ_TEST_DIR/tls/ca.crt" TEST_AMQP_OTHER_CA="$RABBITMQ_TEST_DIR/tls/other-ca.crt"
    echo "rabbitmq: TEST_AMQP_URL=$TEST_AMQP_URL TEST_AMQPS_URL=$TEST_AMQPS_URL" >&2
}

rabbitmq_stop() {
    [[ -n "${RABBITMQ_TEST_DIR:-}" ]] || return 0
    rabbitmq_stop_node
    _rabbitmq_kill_leftovers
    rm -rf "$RABBITMQ_TEST_DIR"
    unset RABBITMQ_TEST_DIR RABBITMQ_TEST_PORT RABBITMQ_TEST_DIST_PORT RABBITMQ_TEST_EPMD_PORT RABBITMQ_TEST_NODE TEST_AMQP_URL
    unset RABBITMQ_TEST_TLS_PORT TEST_AMQPS_URL TEST_AMQP_CA TEST_AMQP_OTHER_CA
}
