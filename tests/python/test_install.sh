#!/usr/bin/env bash
# The Python package installed two ways, as a user would, then imported from outside the tree:
#   1. cmake --install puts it under <prefix>/lib/python3.X/dist-packages, linked to <prefix>/lib;
#   2. pip (no PyPI: --no-build-isolation --no-index) into a venv, against that installed libpml.
# Usage: test_install.sh <build-dir> <source-dir> <python>
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
python=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null

check='
import sys, numpy as np, pml
assert pml.__file__.startswith(sys.argv[1]), pml.__file__
X = np.random.default_rng(0).random((200, 4)); y = (X[:, 0] > 0.5).astype(int)
assert pml.RandomForestClassifier(n_estimators=5).fit(X, y).score(X, y) > 0.9
print("ok", pml.__file__)
'
site=$(ls -d "$prefix"/lib/python3*/*-packages)
(cd "$work" && PYTHONPATH="$site" "$python" -c "$check" "$site")

# pip builds in the directory it is given, so it gets a copy of what setup.py reads.
mkdir -p "$work/src"
cp -r "$src/include" "$src/bindings" "$work/src/"
rm -rf "$work/src/bindings/python/build"
if ! "$python" -m pip --version >/dev/null 2>&1 || ! "$python" -m venv --help >/dev/null 2>&1; then
  echo "pip or venv missing for $python: the pip install is not tested (apt-get install python3-pip python3-venv)"
  exit 0
fi
"$python" -m venv --system-site-packages "$work/venv"
PML_PREFIX="$prefix" "$work/venv/bin/python" -m pip install -q --no-build-isolation --no-index \
  "$work/src/bindings/python"
(cd "$work" && "$work/venv/bin/python" -c "$check" "$work/venv")
