#!/usr/bin/env bash
# Fault test: a rank freezes in the middle of a cluster-mode training. `fault_training <learner>
# freeze` runs under mpirun -np 3; rank 1 stops itself (SIGSTOP: alive, its connections open, as
# a frozen node or a process stuck in the kernel), so neither MPI nor its runtime notices
# anything. pml's watchdog (PML_MPI_TIMEOUT, here 5 s) must end the waiting ranks with an error,
# and mpirun the job, well within the limit. Afterwards this script kills the stopped rank if
# the job left it behind.
#
# Usage: test_rank_frozen.sh <seconds> <learner> <fault_training binary> <mpiexec> [flags...]
set -uo pipefail
limit=${1:?usage: test_rank_frozen.sh <seconds> <learner> <program> <mpiexec> [flags...]}
learner=${2:?}
program=${3:?}
mpiexec=${4:?}
shift 4

log=$(mktemp)
pid=
cleanup() {
  # The frozen rank, if mpirun did not end it (SIGKILL ends a stopped process too).
  pid=${pid:-$(sed -n 's/.*rank 1 is pid \([0-9]*\) and stops.*/\1/p' "$log" | head -n 1)}
  [[ -n $pid ]] && kill -KILL "$pid" 2>/dev/null
  rm -f "$log"
}
trap cleanup EXIT
export PML_MPI_TIMEOUT=5
start=$(date +%s%N)
# --kill-after: if mpirun ignores SIGTERM while hung, SIGKILL it so the test itself ends.
timeout --kill-after=10 "$limit" "$mpiexec" -n 3 "$@" -x PML_MPI_TIMEOUT \
  "$program" "$learner" freeze >"$log" 2>&1
rc=$?
end_ms=$(($(date +%s%N) / 1000000))
ms=$((end_ms - start / 1000000))
pid=$(sed -n 's/.*rank 1 is pid \([0-9]*\) and stops.*/\1/p' "$log" | head -n 1)
left=
[[ -n $pid && $(ps -o stat= -p "$pid" 2>/dev/null) == T* ]] && left=" (rank 1, pid $pid, still stopped)"
echo "mpirun exited with status $rc after $((ms / 1000)) s$left; its output:"
cat "$log"

if [[ $rc -eq 124 || $rc -eq 137 || $ms -ge $((limit * 1000)) ]]; then
  echo "FAIL: the job did not end within ${limit}s after a rank froze: a hang" >&2
  exit 1
fi
[[ $rc -ne 0 ]] || { echo "FAIL: mpirun exited 0 although rank 1 froze" >&2; exit 1; }
if grep -q "the fault was not injected" "$log" || [[ -z $pid ]]; then
  echo "FAIL: training ended before rank 1 stopped itself; the test needs longer training" >&2
  exit 1
fi
# A frozen rank is silent: only pml's watchdog can end the others.
if ! grep -Eq "pml: rank [02]: no answer from the other ranks within 5 s in MPI [a-z_]+" "$log"; then
  echo "FAIL: the job ended but no waiting rank reported the frozen one" >&2
  exit 1
fi
freeze_ms=$(sed -n 's/.*and stops itself at \([0-9]*\) ms.*/\1/p' "$log" | head -n 1)
echo "PASS ($learner): the job ended with status $rc, $((end_ms - freeze_ms)) ms after rank 1" \
  "froze: $(grep -Eo "no answer .* in MPI [a-z_]+" "$log" | head -n 1)"
