# The black-box suite (Tests/BlackBox): real server processes checked by common
# Python clients (aiohttp, websockets, schemathesis), from a virtual environment
# with the pinned packages of Tests/BlackBox/requirements.txt.
#
#   source scripts/lib/deps.sh; source scripts/lib/blackbox.sh
#   blackbox_setup        # creates .venv-blackbox/ or brings it up to date
#   blackbox_run [ARGS]   # pytest ARGS in Tests/BlackBox, on .build/debug/auction
#
# Sourced, so it leaves the caller's shell options alone; each function returns
# non-zero when something it needs is missing: nothing is ever skipped.

BLACKBOX_VENV="$PWD/.venv-blackbox"
BLACKBOX_REQUIREMENTS="$PWD/Tests/BlackBox/requirements.txt"

# A Python 3.11 or newer that can make a venv; Debian's needs python3-venv for that.
_blackbox_python() {
    local python
    for python in python3 /usr/bin/python3; do
        command -v "$python" >/dev/null 2>&1 || continue
        "$python" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && {
            echo "$python"
            return 0
        }
    done
    ensure_apt_packages python3 python3-venv >&2 || return 1
    /usr/bin/python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' || {
        echo "blackbox: no Python 3.11+ with venv (python3, /usr/bin/python3)" >&2
        return 1
    }
    echo /usr/bin/python3
}

blackbox_setup() {
    local stamp="$BLACKBOX_VENV/requirements.txt"
    # Up to date when it runs and was made from these requirements.
    if "$BLACKBOX_VENV/bin/python" -c '' 2>/dev/null && cmp -s "$stamp" "$BLACKBOX_REQUIREMENTS"; then
        return 0
    fi
    local python
    python=$(_blackbox_python) || return 1
    echo "blackbox: installing Tests/BlackBox/requirements.txt in ${BLACKBOX_VENV##*/}/" >&2
    rm -rf "$BLACKBOX_VENV"
    "$python" -m venv "$BLACKBOX_VENV" || return 1
    "$BLACKBOX_VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$BLACKBOX_REQUIREMENTS" || return 1
    cp "$BLACKBOX_REQUIREMENTS" "$stamp"
}

blackbox_run() {
    (
        cd Tests/BlackBox &&
            PYTHONDONTWRITEBYTECODE=1 AUCTION_BINARY="$PWD/../../.build/debug/auction" \
                "$BLACKBOX_VENV/bin/python" -m pytest "$@"
    )
}
