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

# Makes the venv with PYTHON when it is 3.11 or newer and can.
_blackbox_try_venv() {
    command -v "$1" >/dev/null 2>&1 || return 1
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || return 1
    rm -rf "$BLACKBOX_VENV"
    "$1" -m venv "$BLACKBOX_VENV" >/dev/null 2>&1
}

# python3 on the PATH, else Debian's, which makes venvs only with python3-venv.
_blackbox_make_venv() {
    _blackbox_try_venv python3 && return 0
    ensure_apt_packages python3 python3-venv >&2 || return 1
    _blackbox_try_venv /usr/bin/python3 && return 0
    echo "blackbox: no Python 3.11+ that makes a venv (python3, /usr/bin/python3 with python3-venv)" >&2
    return 1
}

blackbox_setup() {
    local stamp="$BLACKBOX_VENV/requirements.txt"
    # Up to date when it runs and was made from these requirements.
    if "$BLACKBOX_VENV/bin/python" -c '' 2>/dev/null && cmp -s "$stamp" "$BLACKBOX_REQUIREMENTS"; then
        return 0
    fi
    echo "blackbox: installing Tests/BlackBox/requirements.txt in ${BLACKBOX_VENV##*/}/" >&2
    _blackbox_make_venv || return 1
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
