#!/usr/bin/env bash
# Every C++ block of the README compiles against a fresh install, as a reader would paste it:
# a block with main() is built and run; any other block (a piece of a file, such as the
# functor under "Adding an activation") is compiled inside namespace nabla, with the headers
# the section it comes from names.
#   readme_code_blocks.sh BUILD_DIR CXX README...
set -euo pipefail
build=$1 cxx=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
pc_dir=$(dirname "$(find "$work/prefix" -name nabla.pc)")
read -r -a flags <<<"$(PKG_CONFIG_PATH=$pc_dir pkg-config --cflags --libs nabla)"

count=0
for readme in "$@"; do
  # One file per block, its indentation (inside a list item) removed; the name says where it starts.
  awk -v out="$work/block" '
    /^ *```cpp *$/ { inside = 1; indent = index($0, "`") - 1; file = sprintf("%s_%04d.cpp", out, NR); next }
    inside && /^ *``` *$/ { inside = 0; close(file); next }
    inside { print substr($0, indent + 1) > file }' "$readme"
  for block in "$work"/block_*.cpp; do
    [ -e "$block" ] || continue
    line=${block##*_}; line=$((10#${line%.cpp}))
    where="$(basename "$readme"):$line"
    count=$((count + 1))
    if grep -q "int main" "$block"; then
      "$cxx" -Wall -Wextra -Werror -x c++ "$block" "${flags[@]}" -o "$work/program" ||
        { echo "FAILED: the block at $where does not compile"; exit 1; }
      "$work/program" >"$work/output" || { echo "FAILED: the block at $where exits with an error"; exit 1; }
      echo "$where: built and ran"
    else
      { printf '#include <nabla/nabla.h>\n#include <nabla/nn/activations/describe.h>\n#include <array>\n#include <vector>\n'
        printf 'namespace nabla {\nusing detail::Parameter;\n#line %d "%s"\n' $((line + 1)) "$(basename "$readme")"
        cat "$block"
        printf '}  // namespace nabla\n'; } >"$work/fragment.cpp"
      "$cxx" -std=c++20 -Wall -Wextra -Werror -I"$work/prefix/include" -c "$work/fragment.cpp" -o "$work/fragment.o" ||
        { echo "FAILED: the block at $where does not compile"; exit 1; }
      echo "$where: compiled"
    fi
    rm "$block"
  done
done
[ "$count" -gt 0 ] || { echo "FAILED: no C++ block found in $*"; exit 1; }
