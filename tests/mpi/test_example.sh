#!/usr/bin/env bash
# Runs examples/mpi on 2 ranks with 2,000 training and 500 test rows of the Letter data, as its
# README does with all of them, and checks that it reports a score and rank 0 saved the model.
# Usage: test_example.sh <pml_mpi_example> <letter.csv> <mpiexec> [mpiexec flags...]
set -euo pipefail
example=${1:?} letter=${2:?} mpiexec=${3:?}
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -n 2001 "$letter" >"$work/train.csv"
{ head -n 1 "$letter"; tail -n 500 "$letter"; } >"$work/test.csv"
timeout --kill-after=10 120 "$mpiexec" -n 2 "$@" "$example" "$work/train.csv" "$work/test.csv" \
  "$work/model.pml" | tee "$work/out.txt"
grep -Eq '^test accuracy on 2 ranks: 0\.[0-9]+; model saved' "$work/out.txt"
[[ -s "$work/model.pml" ]]
