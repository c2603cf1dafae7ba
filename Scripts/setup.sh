#!/usr/bin/env bash
# findoc set-up: installs what is missing on a Debian 12 machine, builds, then runs the demo or the tests.
#
#   bash Scripts/setup.sh demo   # build (release) and run the main job on Samples/ into ./findoc.sqlite
#   bash Scripts/setup.sh test   # build and run the whole test suite
#
# Safe to re-run: installed packages and built products are reused, and the demo store skips files it already holds.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-demo}

# 1. Debian packages: only those missing, and apt-get update only when something is missing.
packages=(libxml2-dev libsqlite3-dev libopenblas-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH; install the Swift 6.x toolchain first" >&2; exit 1; }

# 2. The base encoder (all-MiniLM-L6-v2) into the models directory; a quick sha256 check when already there.
case "$mode" in demo | test) bash Scripts/install-model.sh ;; esac

# Tests and benchmarks pin BLAS threads so results do not depend on the machine's load.
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}

# Builds with the compiler's progress lines hidden; on failure prints the whole log and stops.
quiet_build() {
  local log
  log=$(mktemp)
  echo "setup: swift build $*" >&2
  if ! swift build "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "setup: build failed" >&2
    exit 1
  fi
  rm -f "$log"
}

case "$mode" in
  demo)
    quiet_build -c release --product findoc
    bin=$(swift build -c release --show-bin-path)/findoc
    echo "== findoc run Samples/  (store: ${FINDOC_DB:-./findoc.sqlite})"
    "$bin" run Samples/
    echo
    echo "== findoc stats"
    "$bin" stats
    echo
    echo "== findoc query transactions --limit 8"
    "$bin" query transactions --limit 8
    echo
    echo "== findoc query invoices"
    "$bin" query invoices
    echo
    echo "== findoc query calls"
    "$bin" query calls
    echo
    echo "findoc is at $bin; try: $bin --help"
    ;;
  test)
    quiet_build --build-tests
    swift test --skip-build
    ;;
  *)
    echo "usage: bash Scripts/setup.sh demo|test" >&2
    exit 64
    ;;
esac
