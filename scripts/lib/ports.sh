#!/usr/bin/env bash
# Ports for the servers the scripts start (sourced by postgres.sh, redis.sh, rabbitmq.sh).
# A port picked free can be taken by another process before the server binds it, so a
# start that finds its port taken is tried again on other ports, a bounded number of times.

# N distinct free ports on 127.0.0.1, on one line (all held until printed: none twice).
free_ports() {
    python3 -c 'import socket,sys
held=[socket.socket() for _ in range(int(sys.argv[1]))]
for s in held: s.bind(("127.0.0.1",0))
print(*(s.getsockname()[1] for s in held))' "${1:-1}"
}

# Runs START (a function that picks its ports, starts a server and cleans up after a
# failure) up to 3 times while it returns 2: its port was taken before it was bound.
start_on_free_ports() {
    local what=$1 start=$2 attempt status
    for attempt in 1 2 3; do
        "$start" && return 0
        status=$?
        ((status == 2 && attempt < 3)) || return 1
        echo "$what: a port picked free was taken before the server bound it; other ports" >&2
    done
}
