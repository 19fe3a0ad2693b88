#!/usr/bin/env bash
# Throw-away TLS material for the test servers (PostgreSQL, RabbitMQ).
#
#   source scripts/lib/tls.sh
#   tls_make_test_certs DIR   # DIR/ca.crt signed DIR/server.crt (+ server.key), which
#                             # names only `localhost`; DIR/other-ca.crt signed nothing
#
# Sourced, so it leaves the caller's shell options alone; returns non-zero on failure.

tls_make_test_certs() {
    local dir=$1
    mkdir -p "$dir" || return 1
    (
        cd "$dir" || exit 1
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=auction test CA" \
            -keyout ca.key -out ca.crt \
            && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=another test CA" \
                -keyout other-ca.key -out other-ca.crt \
            && openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr \
            && printf 'subjectAltName=DNS:localhost\n' >server.ext \
            && openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
                -extfile server.ext -out server.crt
    ) >"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; return 1; }
    chmod 644 "$dir"/*.crt
}
