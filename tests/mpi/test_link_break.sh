#!/usr/bin/env bash
# Fault test: a link breaks in the middle of a cluster-mode training. `fault_training <learner>
# announce` runs under mpirun -np 3 over TCP (--mca btl tcp,self, so there is a link to break on
# one machine); once rank 1 is training, this script destroys its TCP connections to the other
# ranks with `ss -K` (as a failing switch or a firewall would). No process dies, so Open MPI does
# not end the job by itself; pml's watchdog (PML_MPI_TIMEOUT, here 5 s) must end it with an error
# well within the limit (unless MPI notices the broken connection first and fails or aborts).
# Exits 77 (skipped) where sockets cannot be destroyed (no root, a kernel without
# CONFIG_INET_DIAG_DESTROY, no non-loopback address for the TCP transport).
#
# Usage: test_link_break.sh <seconds> <learner> <fault_training binary> <mpiexec> [flags...]
set -uo pipefail
limit=${1:?usage: test_link_break.sh <seconds> <learner> <program> <mpiexec> [flags...]}
learner=${2:?}
program=${3:?}
mpiexec=${4:?}
shift 4
command -v ss >/dev/null || { echo "SKIP: no ss"; exit 77; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
export PML_MPI_TIMEOUT=5
start=$(date +%s%N)
timeout --kill-after=10 "$limit" "$mpiexec" -n 3 "$@" --mca btl tcp,self -x PML_MPI_TIMEOUT \
  "$program" "$learner" announce >"$log" 2>&1 &
job=$!

pid=
for _ in $(seq 1 150); do
  pid=$(sed -n 's/.*rank 1 is pid \([0-9]*\).*/\1/p' "$log" | head -n 1)
  [[ -n $pid ]] && break
  kill -0 "$job" 2>/dev/null || break
  sleep 0.2
done
if [[ -z $pid ]]; then
  wait "$job"
  echo "FAIL: rank 1 never started training; output:"
  cat "$log"
  exit 1
fi

# Rank 1's TCP connections to other ranks, as "local peer" pairs (Open MPI's runtime talks over
# loopback: leave it, so mpirun can still end the job).
sockets() {
  ss -tnp 2>/dev/null | grep "pid=$pid," |
    awk '$4 !~ /^127\./ && $4 !~ /^\[::1\]/ { print $4, $5 }'
}
cut_links() {
  local local_address peer
  while read -r local_address peer; do
    ss -K src "$local_address" dst "$peer" >/dev/null 2>&1
  done < <(sockets)
}
first=
for _ in $(seq 1 50); do
  first=$(sockets | head -n 1)
  [[ -n $first ]] && break
  sleep 0.2
done
if [[ -z $first ]]; then
  kill "$job"
  wait "$job"
  echo "SKIP: rank 1 has no non-loopback TCP connection to break"
  exit 77
fi
break_ms=$(($(date +%s%N) / 1000000))
cut_links
if sockets | grep -qxF "$first"; then
  kill "$job"
  wait "$job"
  echo "SKIP: ss -K cannot destroy sockets here (needs root and CONFIG_INET_DIAG_DESTROY)"
  exit 77
fi
echo "broke the TCP connections of rank 1 (pid $pid); keeping them down"
# The transport connects to each peer on first use, so connections keep appearing: the link
# stays down, as behind a failed switch, until the job ends.
while kill -0 "$job" 2>/dev/null; do
  cut_links
  sleep 0.1
done

wait "$job"
rc=$?
end_ms=$(($(date +%s%N) / 1000000))
ms=$((end_ms - start / 1000000))
echo "mpirun exited with status $rc after $((ms / 1000)) s, $((end_ms - break_ms)) ms after the break; its output:"
cat "$log"
if [[ $rc -eq 124 || $ms -ge $((limit * 1000)) ]]; then
  echo "FAIL: the job did not end within ${limit}s after a link broke: a hang" >&2
  exit 1
fi
[[ $rc -ne 0 ]] || { echo "FAIL: mpirun exited 0 after a link broke" >&2; exit 1; }
# The time bound above is the test; how the job ended is reported. Usually the transport goes
# quiet and pml's watchdog ends the waiting ranks; sometimes MPI notices the broken connection
# itself, and either pml_train fails with PML_ERR_DISTRIBUTED ("MPI allreduce failed: ...") on a
# surviving rank or Open MPI aborts the process ("... FATAL"). Each is a clean end with a message.
if grep -q "no answer from the other ranks within 5 s" "$log"; then
  how="pml's watchdog ended the waiting ranks"
elif grep -Eq "fault_training: rank [0-9]+: pml_train: .*MPI [a-z]+ failed" "$log"; then
  how="MPI reported the lost connection and pml_train failed with PML_ERR_DISTRIBUTED"
elif grep -Eq "FATAL|unexpectedly disconnected" "$log"; then
  how="Open MPI noticed the lost connection and aborted"
else
  echo "FAIL: the job ended but nothing reported the lost link" >&2
  exit 1
fi
echo "PASS ($learner): the job ended with status $rc, $((end_ms - break_ms)) ms after the link broke: $how"
