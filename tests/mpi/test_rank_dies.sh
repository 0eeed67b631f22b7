#!/usr/bin/env bash
# Fault test: one rank of a cluster-mode training dies (SIGKILL); the job must end with an error
# within a time bound, never hang. Runs `fault_training <learner> die` under mpirun -np 3 inside
# `timeout`, so a hang (status 124 from timeout) fails distinctly from the expected error.
#
# Usage: test_rank_dies.sh <seconds> <learner> <fault_training binary> <mpiexec> [flags...]
set -uo pipefail
limit=${1:?usage: test_rank_dies.sh <seconds> <learner> <program> <mpiexec> [flags...]}
learner=${2:?}
program=${3:?}
mpiexec=${4:?}
shift 4

log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s%N)
# --kill-after: if mpirun ignores SIGTERM while hung, SIGKILL it so the test itself ends.
timeout --kill-after=10 "$limit" "$mpiexec" -n 3 "$@" "$program" "$learner" die >"$log" 2>&1
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
elapsed=$((ms / 1000)).$(printf %03d $((ms % 1000)))
echo "mpirun exited with status $rc after ${elapsed}s; its output:"
cat "$log"

# timeout exits 124 (or 137 after --kill-after); mpirun itself exits 137 when a rank was killed,
# so the clock tells a hang apart.
if [[ $rc -eq 124 || $ms -ge $((limit * 1000)) ]]; then
  echo "FAIL: the job did not end within ${limit}s after a rank died: a hang" >&2
  exit 1
fi
if [[ $rc -eq 0 ]]; then
  echo "FAIL: mpirun exited 0 although rank 1 was killed" >&2
  exit 1
fi
if grep -q "the fault was not injected" "$log"; then
  echo "FAIL: training ended before rank 1 killed itself; the test needs longer training" >&2
  exit 1
fi
grep -q "rank 1 is pid [0-9]* and kills itself" "$log" || { echo "FAIL: rank 1 was not killed by the test" >&2; exit 1; }
# Either mpirun reports the dead process (Open MPI's default: the job is aborted) or a surviving
# rank reports pml's PML_ERR_DISTRIBUTED.
if ! grep -Eiq "signal 9|killed|exited on signal|PML_ERR_DISTRIBUTED|pml_train: .*(rank|MPI)" "$log"; then
  echo "FAIL: neither mpirun nor a surviving rank reported the failure" >&2
  exit 1
fi
end_ms=$((start / 1000000 + ms))
death_ms=$(sed -n 's/.*kills itself at \([0-9]*\) ms.*/\1/p' "$log" | head -n 1)
echo "PASS ($learner): the job ended with status $rc in ${elapsed}s (limit ${limit}s)," \
  "$((end_ms - death_ms)) ms after rank 1 died"
