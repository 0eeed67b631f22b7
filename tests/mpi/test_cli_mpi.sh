#!/usr/bin/env bash
# The pml program in cluster mode, as a user runs it under mpirun: for 1 to 4 ranks, a model
# trained with --shard equals the one-process model file byte for byte (boosting: CSV and LIBSVM,
# one file split by rows or one file per rank, with validation data; forest: CSV on 3 ranks);
# eval --shard prints the one-process metrics; predict --shard writes per-rank files that
# concatenate to the one-process output; an empty shard, a file missing on one rank and
# parameters that differ between ranks fail on every rank with a message, never a hang (each
# mpirun runs inside `timeout`).
#
# Usage: test_cli_mpi.sh <pml binary> <source dir> <mpiexec> [mpiexec flags...]
set -euo pipefail

PML=${1:?usage: test_cli_mpi.sh <pml binary> <source dir> <mpiexec> [flags...]}
SOURCE_DIR=${2:?}
MPIEXEC=${3:?}
shift 3
FLAGS=("$@")
PML=$(cd "$(dirname "$PML")" && pwd)/$(basename "$PML")

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

failures=0
checks=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run_mpi NP ARGS...: pml ARGS under mpirun -n NP; RC, out.txt, err.txt. A hang is a failure.
run_mpi() {
  local np=$1
  shift
  local start=$SECONDS
  set +e
  timeout --kill-after=10 120 "$MPIEXEC" -n "$np" "${FLAGS[@]}" "$PML" "$@" >out.txt 2>err.txt
  RC=$?
  set -e
  checks=$((checks + 1))
  if [[ $RC -eq 124 || $((SECONDS - start)) -ge 120 ]]; then
    fail "mpirun -n $np pml $*: did not end within 120 s (a hang)"
  fi
}

# run ARGS...: pml ARGS in one process.
run() {
  set +e
  "$PML" "$@" >out.txt 2>err.txt
  RC=$?
  set -e
  checks=$((checks + 1))
}

expect_rc() {
  local want=$1 what=$2
  [[ $RC -eq $want ]] || fail "$what: exit $RC, expected $want; stderr: $(head -c 800 err.txt)"
}

# Data: the bundled Letter Recognition set, made binary (A-M against N-Z) so AUC applies, 1500
# rows to train, 400 to validate and 500 to test.
LETTER="$SOURCE_DIR/data/letter.csv"
binary() { awk -F, -v OFS=, 'NR == 1 { print; next } { $1 = ($1 <= 13) ? 1 : 0; print }'; }
head -n 1501 "$LETTER" | binary >train.csv
{ head -n 1 "$LETTER"; sed -n 1502,1901p "$LETTER"; } | binary >valid.csv
{ head -n 1 "$LETTER"; sed -n 1902,2401p "$LETTER"; } | binary >test.csv
to_libsvm() {
  awk -F, 'NR > 1 { line = $1; for (i = 2; i <= NF; ++i) if ($i != 0) line = line " " (i - 1) ":" $i; print line }'
}
to_libsvm <train.csv >train.svm
PARAMS=(task=classification n_rounds=12 max_depth=4 seed=3)

# ---------------------------------------------------------------------------------------------
# Usage errors need no MPI: they are found before joining the job
# ---------------------------------------------------------------------------------------------
run train boosting train.csv distributed=mpi "${PARAMS[@]}"
expect_rc 2 "train distributed=mpi without --shard"
grep -q "needs --shard" err.txt || fail "distributed=mpi without --shard: $(cat err.txt)"
run train boosting 'part-{rank}.csv' -o x.pml "${PARAMS[@]}"
expect_rc 2 "train {rank} without --shard"
run train boosting train.csv --shard distributed=none "${PARAMS[@]}"
expect_rc 2 "train --shard distributed=none"
run predict model.pml test.csv --shard -o pred.txt
expect_rc 2 "predict --shard without {rank} in -o"
grep -q '{rank}' err.txt || fail "predict --shard -o without {rank}: $(cat err.txt)"

# ---------------------------------------------------------------------------------------------
# Training: byte-identical to one process for any rank count
# ---------------------------------------------------------------------------------------------
run train boosting train.csv "${PARAMS[@]}" -o ref.pml -q
expect_rc 0 "one-process train"
for np in 1 2 3 4; do
  run_mpi "$np" train boosting train.csv --shard "${PARAMS[@]}" -o "csv-$np.pml"
  expect_rc 0 "mpirun -n $np train --shard"
  cmp -s ref.pml "csv-$np.pml" || fail "mpirun -n $np train --shard: model differs from one process"
  # One summary for the job, from rank 0.
  [[ $(grep -c "trained boosting on $np ranks\?:" err.txt) -eq 1 ]] ||
    fail "mpirun -n $np train --shard: expected one summary line: $(cat err.txt)"
done

# The forest's cluster mode through the same path (on main since the CLI's was written).
FOREST=(task=classification n_trees=8 max_depth=8 seed=5)
run train forest train.csv "${FOREST[@]}" -o ref-forest.pml -q
expect_rc 0 "one-process train forest"
run_mpi 3 train forest train.csv --shard "${FOREST[@]}" -o forest-3.pml -q
expect_rc 0 "mpirun -n 3 train forest --shard"
cmp -s ref-forest.pml forest-3.pml || fail "forest --shard on 3 ranks: model differs from one process"

run train boosting train.svm "${PARAMS[@]}" -o ref-svm.pml -q
expect_rc 0 "one-process train (LIBSVM)"
run_mpi 3 train boosting train.svm --shard "${PARAMS[@]}" -o svm-3.pml -q
expect_rc 0 "mpirun -n 3 train --shard (LIBSVM)"
cmp -s ref-svm.pml svm-3.pml || fail "LIBSVM --shard on 3 ranks: model differs from one process"

# One file per rank, uneven: 200, 500 and 800 rows, each with the header.
{ head -n 1 train.csv; sed -n 2,201p train.csv; } >part-0.csv
{ head -n 1 train.csv; sed -n 202,701p train.csv; } >part-1.csv
{ head -n 1 train.csv; sed -n 702,1501p train.csv; } >part-2.csv
run_mpi 3 train boosting 'part-{rank}.csv' --shard "${PARAMS[@]}" -o parts.pml -q
expect_rc 0 "mpirun -n 3 train part-{rank}.csv --shard"
cmp -s ref.pml parts.pml || fail "per-rank files: model differs from one process"

# Validation data, sharded the same way; early stopping's history is part of the model.
run train boosting train.csv --valid valid.csv early_stopping_rounds=3 "${PARAMS[@]}" -o ref-valid.pml -q
expect_rc 0 "one-process train --valid"
run_mpi 3 train boosting train.csv --valid valid.csv --shard early_stopping_rounds=3 \
  "${PARAMS[@]}" -o valid-3.pml
expect_rc 0 "mpirun -n 3 train --valid --shard"
cmp -s ref-valid.pml valid-3.pml || fail "--valid --shard on 3 ranks: model differs from one process"
grep -q "validation" err.txt || fail "--valid --shard: no validation score in the summary"

# ---------------------------------------------------------------------------------------------
# Evaluation and prediction
# ---------------------------------------------------------------------------------------------
run eval ref.pml test.csv
expect_rc 0 "one-process eval"
cp out.txt ref-eval.txt
grep -q '^auc=' ref-eval.txt || fail "one-process eval printed no auc: $(cat ref-eval.txt)"
for np in 2 3 4; do
  run_mpi "$np" eval ref.pml test.csv --shard
  expect_rc 0 "mpirun -n $np eval --shard"
  cmp -s ref-eval.txt out.txt || fail "mpirun -n $np eval --shard printed $(cat out.txt), one process $(cat ref-eval.txt)"
done
run_mpi 3 eval ref.pml test.csv --shard --metric logloss,error
expect_rc 0 "mpirun -n 3 eval --shard --metric"
[[ $(cat out.txt) == $(grep -E '^logloss=' ref-eval.txt; "$PML" eval ref.pml test.csv --metric error) ]] ||
  fail "mpirun -n 3 eval --metric logloss,error: $(cat out.txt)"

run predict ref.pml test.csv --kind proba -o ref-pred.txt
expect_rc 0 "one-process predict"
run_mpi 3 predict ref.pml test.csv --shard --kind proba -o 'pred-{rank}.txt'
expect_rc 0 "mpirun -n 3 predict --shard"
cat pred-0.txt pred-1.txt pred-2.txt >pred-all.txt
cmp -s ref-pred.txt pred-all.txt || fail "predict --shard: per-rank files do not concatenate to the one-process output"

# ---------------------------------------------------------------------------------------------
# Errors on one rank stop every rank
# ---------------------------------------------------------------------------------------------
# Two rows on three ranks: rows [0, 0), [0, 1) and [1, 2), so rank 0's shard is empty.
printf 'y,a,b\n1,0.5,2\n0,1.5,3\n' >tiny.csv
run_mpi 3 train boosting tiny.csv --shard task=classification -o tiny.pml
[[ $RC -ne 0 ]] || fail "an empty shard: mpirun exited 0"
grep -q "pml: rank 0: .*shard 0/3 of 'tiny.csv' is empty" err.txt ||
  fail "an empty shard: rank 0 did not say why: $(cat err.txt)"
for r in 1 2; do
  grep -q "pml: rank $r: stopped because rank 0: .*is empty" err.txt ||
    fail "an empty shard: rank $r did not report rank 0's error: $(cat err.txt)"
done
[[ ! -e tiny.pml ]] || fail "an empty shard: a model was saved"

# An empty file on one rank, and a file missing on another.
: >empty-2.csv
cp part-0.csv empty-0.csv
cp part-1.csv empty-1.csv
run_mpi 3 train boosting 'empty-{rank}.csv' --shard task=classification -o empty.pml
[[ $RC -ne 0 ]] || fail "an empty per-rank file: mpirun exited 0"
[[ $(grep -c "^pml: rank [0-2]: " err.txt) -ge 3 ]] ||
  fail "an empty per-rank file: expected an error line from every rank: $(cat err.txt)"
run_mpi 4 train boosting 'part-{rank}.csv' --shard task=classification -o missing.pml
[[ $RC -ne 0 ]] || fail "a missing per-rank file: mpirun exited 0"
grep -q "pml: rank 0: stopped because rank 3: .*part-3.csv" err.txt ||
  fail "a missing per-rank file: rank 0 did not report rank 3's error: $(cat err.txt)"

# Different parameters on two ranks (MPMD launch): an error on both, not a deadlock.
set +e
timeout --kill-after=10 120 "$MPIEXEC" "${FLAGS[@]}" \
  -n 1 "$PML" train boosting train.csv --shard task=classification max_depth=3 -o mismatch.pml : \
  -n 1 "$PML" train boosting train.csv --shard task=classification max_depth=4 -o mismatch.pml \
  >out.txt 2>err.txt
RC=$?
set -e
checks=$((checks + 1))
[[ $RC -ne 0 && $RC -ne 124 ]] || fail "mismatched parameters: exit $RC"
for r in 0 1; do
  grep -q "pml: rank $r: cannot train.*rank 1 has different parameters" err.txt ||
    fail "mismatched parameters: rank $r did not report it: $(cat err.txt)"
done
[[ ! -e mismatch.pml ]] || fail "mismatched parameters: a model was saved"

# A malformed watchdog limit in the environment fails on every rank before MPI starts.
PML_MPI_TIMEOUT=soon run_mpi 2 train boosting train.csv --shard "${PARAMS[@]}" -o timeout.pml
[[ $RC -ne 0 ]] || fail "PML_MPI_TIMEOUT=soon: mpirun exited 0"
grep -q "pml: --shard: cannot join the MPI job: .*PML_MPI_TIMEOUT=soon is not a number" err.txt ||
  fail "PML_MPI_TIMEOUT=soon: no message naming it: $(cat err.txt)"

echo "$checks checks, $failures failures"
[[ $failures -eq 0 ]]
