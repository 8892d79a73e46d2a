#!/usr/bin/env bash
# Installs the build into a temporary prefix and builds a program against it twice, as a user
# would: with pkg-config and a bare compiler, and with CMake's find_package.
#   install_test.sh BUILD_DIR CXX
set -euo pipefail
build=$1 cxx=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null

echo "== pkg-config"
pc_dir=$(dirname "$(find "$work/prefix" -name nabla.pc)")
flags=$(PKG_CONFIG_PATH=$pc_dir pkg-config --cflags --libs nabla)
"$cxx" -Wall -Wextra -Werror "$here/consumer/main.cpp" $flags -o "$work/app"
"$work/app"

echo "== find_package"
cmake -S "$here/consumer" -B "$work/consumer-build" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
cmake --build "$work/consumer-build" >/dev/null
"$work/consumer-build/consumer"
