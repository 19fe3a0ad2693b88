# Shared helpers for the project's scripts: installing what is missing.
# Source it; it defines functions only.

# Installs the named Debian packages that are not installed yet (apt-get update once).
ensure_apt_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The C libraries every build links (SQLite, hiredis, rabbitmq-c) and pkg-config.
ensure_build_dependencies() {
  if ! command -v swift >/dev/null 2>&1; then
    echo "swift is not on the PATH: install Swift 6.3 (https://swift.org/install) first" >&2
    exit 1
  fi
  ensure_apt_packages pkg-config libsqlite3-dev libhiredis-dev librabbitmq-dev
}

