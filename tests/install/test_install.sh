#!/usr/bin/env bash
# Installs the build into a temporary prefix and builds examples/c against it twice, as a user
# would: with pkg-config and with CMake's find_package(pml). Then checks the exported symbols.
# Usage: test_install.sh <build-dir> <source-dir>
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"

cmake --install "$build" --prefix "$prefix" >/dev/null
libdir="$prefix/lib"
[[ -d "$prefix/lib64" ]] && libdir="$prefix/lib64"
for f in include/pml/pml.h; do
  [[ -f "$prefix/$f" ]] || { echo "missing $f"; exit 1; }
done
for f in pkgconfig/pml.pc cmake/pml/pmlConfig.cmake cmake/pml/pmlConfigVersion.cmake cmake/pml/pmlTargets.cmake; do
  [[ -f "$libdir/$f" ]] || { echo "missing $libdir/$f"; exit 1; }
done

# A tiny CSV: label first.
printf 'y,a,b\n0,0.1,1.0\n1,0.9,0.2\n0,0.2,0.8\n1,0.8,0.1\n0,0.15,0.9\n1,0.95,0.3\n0,0.05,0.7\n1,0.85,0.25\n' > "$work/data.csv"

shared=0
if ls "$libdir"/libpml.so* >/dev/null 2>&1; then shared=1; fi

# 1. pkg-config
export PKG_CONFIG_PATH="$libdir/pkgconfig"
pc_flags=$(pkg-config --cflags --libs pml)
[[ $shared == 1 ]] || pc_flags=$(pkg-config --static --cflags --libs pml)
cc -std=c11 -Wall -Wextra -Werror "$src/examples/c/main.c" $pc_flags -o "$work/example_pc"
LD_LIBRARY_PATH="$libdir" "$work/example_pc" "$work/data.csv"
echo "pkg-config build: ok"

# 2. find_package(pml)
cmake -S "$src/examples/c" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
"$work/cmake-build/pml_example" "$work/data.csv"
echo "find_package build: ok"

# 3. Only pml_* symbols leave the shared library, and the SONAME carries the major version.
if [[ $shared == 1 ]]; then
  lib=$(ls "$libdir"/libpml.so.*.*.* | head -n 1)
  others=$(nm -D --defined-only "$lib" | awk '$2 != "A" {print $3}' | grep -v '^pml_' || true)
  if [[ -n "$others" ]]; then
    echo "non-pml symbols exported:"; echo "$others" | head; exit 1
  fi
  soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
  [[ "$soname" =~ ^libpml\.so\.[0-9]+$ ]] || { echo "bad SONAME '$soname'"; exit 1; }
  echo "exports: $(nm -D --defined-only "$lib" | grep -c ' pml_') pml_* functions only; SONAME $soname"
fi
