#!/usr/bin/env bash
# PostgreSQL for tests and local runs: a throw-away cluster on a free loopback port.
#
#   source scripts/lib/postgres.sh
#   postgres_start            # exports TEST_POSTGRES_URL, PG_TEST_DIR, PG_TEST_PORT,
#                             # TEST_POSTGRES_CA, TEST_POSTGRES_OTHER_CA
#   trap postgres_stop EXIT
#
# postgres_pause / postgres_resume stop and restart the same cluster on the same
# port (fault tests). Every wait is bounded. Safe to call twice: postgres_start
# keeps a cluster it already started in this shell, postgres_stop ignores a
# cluster that is gone. PostgreSQL refuses to run as root, so as root the
# cluster belongs to the OS user $PG_TEST_OS_USER (created when missing).
#
# The cluster also takes TLS (ssl=on, the plain port stays open): its certificate
# names only `localhost` and is signed by a CA made here ($TEST_POSTGRES_CA); a
# second CA that signed nothing ($TEST_POSTGRES_OTHER_CA) is the wrong one. The
# database $PG_TEST_TLS_DB_NAME refuses connections without TLS, so a test can
# tell that a client really encrypts.
#
# This file is sourced, so it does not `set -e` (that would change the caller's
# shell): each function checks its own steps and returns non-zero on failure.

source "$(dirname "${BASH_SOURCE[0]}")/tls.sh"
source "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

: "${PG_TEST_OS_USER:=auctionpg}"
: "${PG_TEST_DB_USER:=auction}"
: "${PG_TEST_DB_PASSWORD:=auction}"
: "${PG_TEST_DB_NAME:=auction_test}"
: "${PG_TEST_START_TIMEOUT:=60}"
: "${PG_TEST_TLS_DB_NAME:=auction_tls_only}"
# 1: fsync and synchronous_commit stay on (what production runs; the bench's default).
: "${PG_TEST_DURABLE:=0}"

# Prints the directory holding initdb, pg_ctl and postgres, installing them if needed.
_pg_bin_dir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
            echo "$dir"
            return 0
        fi
    done
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null && command -v postgres >/dev/null; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return 0
    fi
    echo "postgres.sh: installing the PostgreSQL server (apt: postgresql)" >&2
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq >&2 || return 1
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2 || return 1
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -x "$dir/initdb" ]]; then
            echo "$dir"
            return 0
        fi
    done
    echo "postgres.sh: PostgreSQL server binaries not found after installing" >&2
    return 1
}

# Runs a command as the cluster's owner: $PG_TEST_OS_USER when root, else ourselves.
_pg_as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$PG_TEST_OS_USER" -- "$@"
    else
        "$@"
    fi
}


# A CA, a server certificate for `localhost` signed by it, and another CA, in
# $PG_TEST_DIR/tls; then the server is told to use them and which database needs TLS.
_pg_tls_setup() {
    local tls="$PG_TEST_DIR/tls"
    tls_make_test_certs "$tls" || return 1
    chmod 600 "$tls/server.key" || return 1
    cat >>"$PG_TEST_DIR/data/postgresql.conf" <<CONF
ssl = on
ssl_cert_file = '$tls/server.crt'
ssl_key_file = '$tls/server.key'
CONF
    # First match wins: the TLS-only database refuses plain TCP before the general rule.
    cat >"$PG_TEST_DIR/data/pg_hba.conf" <<HBA
local all all trust
hostnossl $PG_TEST_TLS_DB_NAME all 127.0.0.1/32 reject
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
HBA
}

_pg_running() {
    [[ -n "${PG_TEST_DIR:-}" && -f "$PG_TEST_DIR/data/postmaster.pid" ]]
}

# Starts the server of $PG_TEST_DIR on $PG_TEST_PORT; waits at most PG_TEST_START_TIMEOUT seconds.
_pg_ctl_start() {
    _pg_as_owner "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/postgres.log" \
        -w -t "$PG_TEST_START_TIMEOUT" \
        -o "-p $PG_TEST_PORT -c listen_addresses=127.0.0.1 -k $PG_TEST_DIR/socket" start >/dev/null \
        || { tail -n 20 "$PG_TEST_DIR/postgres.log" >&2; return 1; }
}

# Returns 2 when the port was taken before the server bound it.
_pg_start_on_a_free_port() {
    PG_TEST_PORT=$(free_ports 1) || return 1
    export PG_TEST_PORT
    [[ ! -f "$PG_TEST_DIR/postgres.log" ]] || : >"$PG_TEST_DIR/postgres.log"
    _pg_ctl_start && return 0
    if grep -q "Address already in use" "$PG_TEST_DIR/postgres.log"; then return 2; fi
    return 1
}

postgres_start() {
    _pg_running && return 0 # already running, started by this shell
    PG_TEST_BIN=$(_pg_bin_dir) || return 1
    if [[ $(id -u) -eq 0 ]] && ! id "$PG_TEST_OS_USER" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_TEST_OS_USER" || return 1
    fi
    PG_TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/auction-pg.XXXXXX") || return 1
    export PG_TEST_BIN PG_TEST_DIR
    mkdir -p "$PG_TEST_DIR/socket" || return 1
    printf '%s\n' "$PG_TEST_DB_PASSWORD" >"$PG_TEST_DIR/pwfile"
    if [[ $(id -u) -eq 0 ]]; then
        chown -R "$PG_TEST_OS_USER" "$PG_TEST_DIR" && chmod 700 "$PG_TEST_DIR" || return 1
    fi
    # Socket connections are trusted for the set-up below; TCP needs the password.
    if ! _pg_as_owner "$PG_TEST_BIN/initdb" -D "$PG_TEST_DIR/data" -U postgres --pwfile="$PG_TEST_DIR/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
        >"$PG_TEST_DIR/initdb.log" 2>&1; then
        cat "$PG_TEST_DIR/initdb.log" >&2
        return 1
    fi
    # Room for parallel tests' pools; throw-away data: durability off for speed, unless asked.
    echo "max_connections = 300" >>"$PG_TEST_DIR/data/postgresql.conf"
    if [[ "$PG_TEST_DURABLE" != 1 ]]; then
        cat >>"$PG_TEST_DIR/data/postgresql.conf" <<CONF
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    fi
    _pg_tls_setup || return 1
    if [[ $(id -u) -eq 0 ]]; then chown -R "$PG_TEST_OS_USER" "$PG_TEST_DIR/tls" || return 1; fi
    start_on_free_ports postgres.sh _pg_start_on_a_free_port || return 1
    _pg_as_owner "$PG_TEST_BIN/psql" -h "$PG_TEST_DIR/socket" -p "$PG_TEST_PORT" -U postgres -d postgres \
        -X -q -v ON_ERROR_STOP=1 -v user="$PG_TEST_DB_USER" -v pass="$PG_TEST_DB_PASSWORD" \
        -v db="$PG_TEST_DB_NAME" -v tlsdb="$PG_TEST_TLS_DB_NAME" <<'SQL' || return 1
CREATE ROLE :"user" LOGIN CREATEDB PASSWORD :'pass';
CREATE DATABASE :"db" OWNER :"user";
CREATE DATABASE :"tlsdb" OWNER :"user";
SQL
    export TEST_POSTGRES_URL="postgres://$PG_TEST_DB_USER:$PG_TEST_DB_PASSWORD@127.0.0.1:$PG_TEST_PORT/$PG_TEST_DB_NAME"
    export TEST_POSTGRES_CA="$PG_TEST_DIR/tls/ca.crt" TEST_POSTGRES_OTHER_CA="$PG_TEST_DIR/tls/other-ca.crt"
    echo "postgres.sh: PostgreSQL on 127.0.0.1:$PG_TEST_PORT (data in $PG_TEST_DIR)" >&2
}

# Stops the server (fast: open sessions are ended) and keeps its data and port.
postgres_pause() {
    _pg_running || return 0
    : "${PG_TEST_BIN:=$(_pg_bin_dir)}"
    _pg_as_owner "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w -t 30 stop >/dev/null
}

# Starts a paused server again on its port.
postgres_resume() {
    [[ -n "${PG_TEST_DIR:-}" && -d "$PG_TEST_DIR/data" && -n "${PG_TEST_PORT:-}" ]] \
        || { echo "postgres.sh: no cluster to resume" >&2; return 1; }
    _pg_running && return 0
    : "${PG_TEST_BIN:=$(_pg_bin_dir)}"
    _pg_ctl_start
}

# Stops the server and removes its data. Always returns 0 (fit for a trap).
postgres_stop() {
    [[ -n "${PG_TEST_DIR:-}" ]] || return 0
    if _pg_running; then
        : "${PG_TEST_BIN:=$(_pg_bin_dir)}"
        _pg_as_owner "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
            || _pg_as_owner "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -w -t 10 stop >/dev/null 2>&1
    fi
    rm -rf "$PG_TEST_DIR"
    unset PG_TEST_DIR PG_TEST_PORT TEST_POSTGRES_URL TEST_POSTGRES_CA TEST_POSTGRES_OTHER_CA
    return 0
}
