#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine: installs what is missing, builds, and
#   bash setup.sh run    runs fundgap on the bundled Tower Hamlets scenario
#   bash setup.sh test   runs the whole test suite (what CI runs)
#   bash setup.sh asan   runs the whole test suite under address+undefined sanitizers
#   bash setup.sh fuzz [SECONDS]  runs each libFuzzer target for SECONDS (default 20)
set -euo pipefail
cd "$(dirname "$0")"

packages=(cmake ninja-build g++ libcli11-dev libeigen3-dev libfmt-dev libyaml-dev doctest-dev
          nlohmann-json3-dev python3 python3-yaml libxml2-utils librandom123-dev parallel
          chromium fonts-dejavu-core zsh libxlsxwriter-dev python3-openpyxl python3-pandas
          libreoffice-calc-nogui clang-14 libclang-rt-14-dev)

# ajv-cli (from the npm registry) validates the bundled scenarios against the format's
# JSON Schema; Debian's nodejs and npm are installed where no Node is (the test says it is
# skipped only when npm still cannot be had).
install_ajv() {
  command -v ajv >/dev/null && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! command -v npm >/dev/null; then  # Debian's Node.js and npm, where no Node is installed
    echo "setup: installing nodejs and npm" >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >&2 ||
      echo "setup: could not install npm" >&2
  fi
  command -v npm >/dev/null || { echo "setup: npm is absent, so the schema test will skip ajv" >&2; return 0; }
  echo "setup: installing ajv-cli with npm" >&2
  $sudo npm install -g --no-fund --no-audit ajv-cli@5 >&2 ||
    echo "setup: could not install ajv-cli, so the schema test will skip ajv" >&2
}

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
  install_ajv
}

build() {  # $1: preset
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1" >&2
}

# One clang 14 tree with the address and undefined-behaviour sanitizers: the library, the
# doctest unit tests and the fuzz targets (the `fuzz` presets).
build_fuzz() {
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz >&2
}

case "${1:-}" in
  run)
    install_missing
    build release
    ./build/release/cli/fundgap run scenarios/tower_hamlets_2019.yaml
    ;;
  test)
    install_missing
    build release
    ctest --preset release -j "$(nproc)"
    # clang 14 besides g++: the unit tests under the sanitizers, then a minute of
    # fuzzing that fails on any finding (docs/fuzzing.md).
    build_fuzz
    ctest --preset fuzz -j "$(nproc)"
    bash tests/fuzz/run.sh 20
    ;;
  fuzz)
    install_missing
    build release
    build_fuzz
    bash tests/fuzz/run.sh "${2:-20}"
    ;;
  asan)
    install_missing
    build asan
    ctest --preset asan -j "$(nproc)"
    ;;
  *)
    echo "usage: bash setup.sh run|test|asan|fuzz [SECONDS]" >&2
    exit 2
    ;;
esac
