#!/usr/bin/env bash
# The R package installed as a user would against an installed libpml: cmake --install into a
# temporary prefix, then R CMD INSTALL of bindings/r (configure finds libpml with pkg-config and
# generates the SWIG wrapper from bindings/pml.i), then a model trained from outside the tree.
# Works on a copy of bindings/, as R CMD INSTALL configures a directory in place.
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

mkdir -p "$work/src" "$work/library"
cp -r "$src/bindings" "$work/src/"
rm -rf "$work/src/bindings/python/build"
PKG_CONFIG_PATH="$libdir/pkgconfig" R CMD INSTALL --no-multiarch --library="$work/library" \
  "$work/src/bindings/r" >"$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }

cd "$work"
R_LIBS="$work/library" Rscript --vanilla -e '
  library(pml)
  stopifnot(startsWith(find.package("pml"), normalizePath(Sys.getenv("R_LIBS"))))
  fit <- pml_forest(Species ~ ., data = iris, n_trees = 20, n_jobs = 2)
  stopifnot(mean(predict(fit, iris) == iris$Species) > 0.9)
  cat("ok", pml_version(), find.package("pml"), "\n")
'
# the package links the installed libpml, not the build tree's
linked=$(ldd "$work/library/pml/libs/pml.so" | awk '/libpml\.so/ { print $3 }')
[[ "$(readlink -f "$linked")" == "$(readlink -f "$libdir"/libpml.so)" ]] ||
  { echo "pml.so links $linked, not the installed $libdir/libpml.so"; exit 1; }
echo "pml.so links $linked"
