#!/usr/bin/env bash
# Tests of the pml command-line program as a user and a script meet it: exit statuses, one-line
# errors that name what failed, help for every command and, once a learner is built, the
# train -> predict -> eval -> info round trip.
#
# Usage: test_cli.sh <path to the pml binary> <pml source directory>
set -euo pipefail

PML=${1:?usage: test_cli.sh <pml binary> <source dir>}
SOURCE_DIR=${2:?usage: test_cli.sh <pml binary> <source dir>}
[[ -x $PML ]] || { echo "not an executable: $PML" >&2; exit 1; }
[[ -d $SOURCE_DIR ]] || { echo "not a directory: $SOURCE_DIR" >&2; exit 1; }
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

# Runs pml with the given arguments; leaves its exit status in RC, stdout in out.txt and stderr
# in err.txt.
run() {
  set +e
  "$PML" "$@" >out.txt 2>err.txt
  RC=$?
  set -e
  checks=$((checks + 1))
}

describe() { printf 'pml %s' "$*"; }

# expect_ok ARGS...: exit 0 and nothing on stderr but an optional summary line.
expect_ok() {
  run "$@"
  if [[ $RC -ne 0 ]]; then
    fail "$(describe "$@"): exit $RC, expected 0; stderr: $(head -c 500 err.txt)"
    return 1
  fi
}

# expect_error STATUS REGEX ARGS...: exits with STATUS, writes nothing to stdout and exactly one
# line to stderr, which starts with "pml: " and matches the extended regular expression REGEX.
expect_error() {
  local status=$1 pattern=$2
  shift 2
  run "$@"
  local what
  what=$(describe "$@")
  [[ $RC -eq $status ]] || fail "$what: exit $RC, expected $status; stderr: $(head -c 500 err.txt)"
  [[ ! -s out.txt ]] || fail "$what: wrote to stdout on error: $(head -c 200 out.txt)"
  local lines
  lines=$(wc -l <err.txt)
  [[ $lines -eq 1 ]] || fail "$what: $lines lines on stderr, expected 1: $(head -c 500 err.txt)"
  grep -q '^pml: ' err.txt || fail "$what: stderr does not start with 'pml: ': $(head -c 500 err.txt)"
  grep -Eq -- "$pattern" err.txt || fail "$what: stderr does not match /$pattern/: $(cat err.txt)"
}

expect_stdout() {
  local pattern=$1 what=$2
  grep -Eq -- "$pattern" out.txt || fail "$what: stdout does not match /$pattern/"
}

# ---------------------------------------------------------------------------------------------
# Help and version
# ---------------------------------------------------------------------------------------------
for args in "--help" "-h" "help"; do
  # shellcheck disable=SC2086
  expect_ok $args && expect_stdout 'Usage: pml <command>' "pml $args"
done
expect_ok --version && expect_stdout '^pml [0-9]+\.[0-9]+\.[0-9]+' "pml --version"
expect_ok -V && expect_stdout '^pml [0-9]+\.[0-9]+\.[0-9]+' "pml -V"

for cmd in train predict eval info; do
  expect_ok "$cmd" --help && expect_stdout "^Usage: pml $cmd" "pml $cmd --help"
  grep -q 'Examples:' out.txt || fail "pml $cmd --help has no examples"
  expect_ok help "$cmd" && expect_stdout "^Usage: pml $cmd" "pml help $cmd"
  # Help wins over any other mistake on the line.
  expect_ok "$cmd" --no-such-option -h && expect_stdout "^Usage: pml $cmd" "pml $cmd ... -h"
done

expect_ok train --help
for word in forest boosting svm 'Parameter reference' --output --valid --quiet --format \
  --label-column --header --no-header --delimiter --n-features n_jobs seed verbose; do
  grep -q -- "$word" out.txt || fail "pml train --help does not mention '$word'"
done
expect_ok predict --help
for word in --kind value proba raw --output --label-column; do
  grep -q -- "$word" out.txt || fail "pml predict --help does not mention '$word'"
done
expect_ok eval --help
for word in --metric accuracy logloss auc rmse mae r2; do
  grep -q -- "$word" out.txt || fail "pml eval --help does not mention '$word'"
done

# ---------------------------------------------------------------------------------------------
# Usage errors: status 2, one line, nothing attempted
# ---------------------------------------------------------------------------------------------
printf 'y,a,b\n1,0.5,2\n0,1.5,3\n1,0.25,2\n0,1.75,4\n' >small.csv

expect_error 2 'missing command'
expect_error 2 "unknown command 'frobnicate'" frobnicate
expect_error 2 "unknown option '--frobnicate'" --frobnicate
expect_error 2 "unknown command 'nope'" help nope
expect_error 2 'missing <algorithm>' train
expect_error 2 'missing <data-file>' train forest
expect_error 2 "unknown option '--bogus'" train forest small.csv --bogus
expect_error 2 'option -o needs a value' train forest small.csv -o
expect_error 2 "--format must be one of csv\\|libsvm\\|auto, got .xlsx." train forest small.csv --format xlsx
expect_error 2 "--header must be one of auto\\|yes\\|no" train forest small.csv --header=maybe
expect_error 2 "unexpected argument 'extra'.*key=value" train forest small.csv extra
expect_error 2 "bad parameter 'Max-Depth=3'" train forest small.csv Max-Depth=3
expect_error 2 "bad parameter '=3'" train forest small.csv =3
expect_error 2 'missing <model>' predict
expect_error 2 'missing <data-file>' predict model.pml
expect_error 2 "--kind must be value, proba or raw" predict model.pml small.csv --kind probability
expect_error 2 "unexpected argument 'n_trees=3'" predict model.pml small.csv n_trees=3
expect_error 2 "unknown option '-x'" predict model.pml small.csv -x
expect_error 2 'missing <model>' eval
expect_error 2 'empty name' eval model.pml small.csv --metric accuracy,,logloss
expect_error 2 'missing <model>' info
expect_error 2 "unexpected argument 'b.pml'" info a.pml b.pml
expect_error 2 "option --valid needs a value" train forest small.csv --valid
# Usage errors are found before any file is touched.
[[ ! -e small.pml ]] || fail "a usage error left a model behind"

# ---------------------------------------------------------------------------------------------
# Runtime failures: status 1, one line naming the file or the cause
# ---------------------------------------------------------------------------------------------
expect_error 1 "no-such-file\.csv" train forest no-such-file.csv
expect_error 1 "no-such-model\.pml" predict no-such-model.pml small.csv
expect_error 1 "no-such-model\.pml" eval no-such-model.pml small.csv
expect_error 1 "no-such-model\.pml" info no-such-model.pml

printf 'y,a,b\n1,2,3\n0,4,5\n1,x,6\n' >malformed.csv
expect_error 1 "malformed\.csv.*(line 4|:4\b)" train forest malformed.csv

printf 'this is not a model' >garbage.pml
expect_error 1 "garbage\.pml" info garbage.pml
: >empty.pml
expect_error 1 "empty\.pml" info empty.pml

expect_error 1 "unknown algorithm 'no_such_algorithm'.*available algorithms" \
  train no_such_algorithm small.csv
[[ ! -e small.pml ]] || fail "a failed training left a model behind"

# A LIBSVM-only option on a CSV file is a mistake the reader reports.
expect_error 1 "small\.csv" train forest small.csv --n-features 4

# ---------------------------------------------------------------------------------------------
# Round trip, once a learner is built
# ---------------------------------------------------------------------------------------------
# Deterministic data without awk's rand(), whose sequence differs between awk implementations.
generate() { # generate ROWS SEED: CSV with a header, label first, 4 features, 2 classes
  awk -v rows="$1" -v seed="$2" 'BEGIN {
    state = seed
    print "label,f1,f2,f3,f4"
    for (i = 0; i < rows; i++) {
      line = ""
      sum = 0
      for (j = 0; j < 4; j++) {
        state = (state * 1103515245 + 12345) % 2147483648
        x = state / 2147483648
        if (j < 2) sum += x
        line = line "," sprintf("%.6f", x)
      }
      print (sum > 1 ? 1 : 0) line
    }
  }'
}

generate 300 42 >train.csv
generate 200 7 >test.csv

set +e
"$PML" train forest train.csv -o probe.pml --quiet >/dev/null 2>probe.err
probe=$?
set -e

if [[ $probe -ne 0 ]]; then
  echo "note: 'pml train forest' is not available yet ($(head -c 300 probe.err)); round trip skipped"
else
  mkdir -p sub
  (cd sub && "$PML" train forest ../train.csv seed=3 >out.txt 2>err.txt) ||
    fail "pml train forest ../train.csv failed: $(cat sub/err.txt)"
  [[ -s sub/train.pml ]] || fail "pml train did not save to <data-file name>.pml in the cwd"
  grep -Eq '300 rows.*4 features.*2 classes' sub/err.txt ||
    fail "train summary lacks rows, features and classes: $(cat sub/err.txt)"
  [[ ! -s sub/out.txt ]] || fail "pml train wrote to stdout"

  expect_ok train forest train.csv -o model.pml --quiet seed=5
  [[ -s model.pml && ! -s err.txt ]] || fail "pml train --quiet: no model, or stderr not quiet"
  expect_ok train forest train.csv -o model-valid.pml --valid test.csv --quiet seed=5

  # Predicted values: one label per row, from the training labels.
  expect_ok predict model.pml test.csv
  [[ $(wc -l <out.txt) -eq 200 ]] || fail "predict: $(wc -l <out.txt) lines, expected 200"
  grep -Evq '^[01]$' out.txt && fail "predict: a value that is not a class label: $(grep -Ev '^[01]$' out.txt | head -1)"
  cp out.txt values.txt

  # The same rows without their label column give the same predictions.
  cut -d, -f2- test.csv >unlabelled.csv
  expect_ok predict model.pml unlabelled.csv
  cmp -s out.txt values.txt || fail "predict on unlabelled CSV differs from labelled"
  expect_ok predict model.pml unlabelled.csv --label-column none
  cmp -s out.txt values.txt || fail "predict --label-column none differs"

  # -o writes the same lines to a file.
  expect_ok predict model.pml test.csv -o predictions.txt
  [[ ! -s out.txt ]] || fail "predict -o also wrote to stdout"
  cmp -s predictions.txt values.txt || fail "predict -o file differs from stdout"

  # Probabilities: two columns per row, each row summing to 1.
  expect_ok predict model.pml test.csv --kind proba
  awk 'NF != 2 || $1 < 0 || $2 < 0 || ($1 + $2) < 0.999999 || ($1 + $2) > 1.000001 { bad = 1 }
       END { exit bad || NR != 200 }' out.txt || fail "predict --kind proba: bad rows: $(head -3 out.txt)"
  expect_ok predict model.pml test.csv --kind=raw
  [[ $(wc -l <out.txt) -eq 200 ]] || fail "predict --kind raw: wrong number of lines"

  # Evaluation: default metrics of a binary classifier, and a chosen list.
  expect_ok eval model.pml test.csv
  for metric in accuracy logloss auc; do
    grep -Eq "^$metric=[-+0-9.eE]+$" out.txt || fail "eval: no $metric line: $(cat out.txt)"
  done
  awk -F= '$1 == "accuracy" && $2 < 0.8 { exit 1 }' out.txt ||
    fail "eval: accuracy below 0.8 on separable data: $(cat out.txt)"
  expect_ok eval model.pml test.csv --metric accuracy,error
  [[ $(cut -d= -f1 out.txt | tr '\n' ' ') == "accuracy error " ]] ||
    fail "eval --metric accuracy,error printed: $(cat out.txt)"
  expect_error 1 "rmse" eval model.pml test.csv --metric rmse
  expect_error 1 "no_such_metric" eval model.pml test.csv --metric no_such_metric

  # Data with the wrong number of features is refused, naming the mismatch.
  cut -d, -f1-3 test.csv >narrow.csv
  expect_error 1 "narrow\.csv.*column" predict model.pml narrow.csv

  # info: JSON that names the algorithm and the features.
  expect_ok info model.pml
  expect_stdout '"algorithm": "forest"' "pml info"
  expect_stdout '"n_features": 4' "pml info"
  if command -v python3 >/dev/null; then
    python3 -c 'import json, sys; json.load(open("out.txt"))' || fail "pml info: not valid JSON"
    expect_ok info model.pml --compact
    python3 -c 'import json, sys; json.load(open("out.txt"))' || fail "pml info --compact: not valid JSON"
  fi

  # The same data in LIBSVM form, and a test file whose last features are absent.
  awk -F, 'NR > 1 { printf "%s", $1; for (j = 2; j <= NF; j++) printf " %d:%s", j - 1, $j; print "" }' \
    train.csv >train.svm
  awk -F, 'NR > 1 { printf "%s 1:%s 2:%s\n", $1, $2, $3 }' test.csv >test-narrow.svm
  expect_ok train forest train.svm -o svm.pml --quiet
  expect_ok predict svm.pml test-narrow.svm
  [[ $(wc -l <out.txt) -eq 200 ]] || fail "predict on LIBSVM with fewer features: wrong lines"

  # Other CSV layouts: label last, tab-separated, no header.
  awk -F, -v OFS='\t' 'NR > 1 { print $2, $3, $4, $5, $1 }' train.csv >train.tsv
  expect_ok train forest train.tsv --format csv --delimiter tab --label-column last --no-header \
    -o tsv.pml --quiet
  expect_ok info tsv.pml
  expect_stdout '"n_features": 4' "pml info on the TSV model"

  # Regression: default metrics rmse, mae, r2.
  awk -F, 'NR == 1 { print; next } { $1 = $2 * 2 + $3 + 0.125; print }' OFS=, train.csv >reg.csv
  expect_ok train forest reg.csv task=regression -o reg.pml --quiet
  expect_ok eval reg.pml reg.csv
  for metric in rmse mae r2; do
    grep -Eq "^$metric=" out.txt || fail "eval regression: no $metric line: $(cat out.txt)"
  done
  expect_error 1 "proba|PROBA|regression" predict reg.pml reg.csv --kind proba

  # Parameters the learner does not know are refused, naming the key.
  expect_error 1 "no_such_param" train forest train.csv no_such_param=1 -o bad.pml
  [[ ! -e bad.pml ]] || fail "a refused parameter left a model behind"

  # A model written where it cannot be is an error naming the path.
  expect_error 1 "no-such-dir/m\.pml" train forest train.csv -o no-such-dir/m.pml --quiet

  # Logging goes to stderr only and leaves stdout alone.
  expect_ok train forest train.csv verbose=2 -o verbose.pml
  grep -v '^\[pml\] ' err.txt | grep -Evq '^trained ' &&
    fail "verbose training wrote a stray line to stderr: $(grep -v '^\[pml\] ' err.txt | head -2)"

  # Boosting with a validation file and early stopping: the summary says how many rounds were
  # kept and the model predicts with them.
  expect_ok train boosting train.csv --valid test.csv early_stopping_rounds=3 n_rounds=400 \
    learning_rate=0.5 -o boost.pml
  grep -Eq '^  [0-9]+ rounds kept of [0-9]+ trained; validation logloss after round [0-9]+: ' err.txt ||
    fail "boosting summary lacks the rounds kept: $(cat err.txt)"
  kept=$(sed -n 's/^  \([0-9]*\) rounds kept of \([0-9]*\) trained.*/\1 \2/p' err.txt)
  read -r n_kept n_trained <<<"$kept"
  [[ $n_kept -lt 400 && $((n_trained - n_kept)) -eq 3 ]] ||
    fail "early stopping: kept $n_kept of $n_trained rounds, expected the best + 3 trained"
  expect_ok info boost.pml
  expect_stdout '"algorithm": "boosting"' "pml info on a boosting model"
  expect_stdout "\"n_rounds\": $n_kept" "pml info on a boosting model"
  expect_ok eval boost.pml test.csv --metric accuracy
  awk -F= '$2 < 0.8 { exit 1 }' out.txt || fail "boosting accuracy below 0.8: $(cat out.txt)"
  expect_error 1 "early_stopping_rounds needs a validation" train boosting train.csv \
    early_stopping_rounds=3 -o bad.pml

  # SVM: train, predict decision values, evaluate.
  expect_ok train svm train.csv C=10 -o svm-model.pml --quiet
  expect_ok eval svm-model.pml test.csv --metric accuracy
  awk -F= '$2 < 0.8 { exit 1 }' out.txt || fail "svm accuracy below 0.8: $(cat out.txt)"
  expect_ok predict svm-model.pml test.csv --kind raw
  [[ $(wc -l <out.txt) -eq 200 ]] || fail "svm predict --kind raw: wrong number of lines"
  expect_error 1 "gamma" train svm train.csv gamma=-1 -o bad.pml

  # Text categories: train names the columns, predict and eval read them from the model. The
  # test file holds a city training never saw (it goes where missing values go) and its rows in
  # another order, so its own sorted names differ from training's.
  {
    echo "label,city,x"
    for i in $(seq 0 299); do
      city=(oslo lima kyiv rome baku doha)
      c=${city[$((i * 7 % 6))]}
      case $c in lima | rome | doha) y=1 ;; *) y=0 ;; esac
      echo "$y,$c,0.$((i % 10))"
    done
  } >cities.csv
  printf 'label,city,x\n1,rome,0.5\n0,oslo,0.1\n1,atlantis,0.2\n1,,0.2\n' >cities-test.csv
  expect_ok train boosting cities.csv categorical_features=0 n_rounds=20 -o cities.pml --quiet
  expect_ok info cities.pml
  expect_stdout '"0": \[' "pml info lists the categories"
  grep -q '"kyiv"' out.txt || fail "pml info lacks the category names: $(cat out.txt)"
  expect_ok eval cities.pml cities.csv --metric accuracy
  [[ $(cat out.txt) == "accuracy=1" ]] || fail "cities: training accuracy $(cat out.txt), not 1"
  expect_ok predict cities.pml cities-test.csv --kind proba
  mapfile -t p <out.txt
  [[ ${p[2]} == "${p[3]}" ]] || fail "an unseen city did not predict as a missing one: ${p[*]}"
  [[ ${p[0]} != "${p[1]}" ]] || fail "rome and oslo predict alike: ${p[*]}"
  expect_error 1 "'oslo' is not a number \(a column of categories needs categorical_features\)" \
    train boosting cities.csv -o bad.pml

  # Cluster mode outside mpirun: a build without the MPI backend says how to get one; a build
  # with it runs a job of one rank, which trains the one-process model (tests/mpi runs mpirun).
  expect_error 2 "distributed=mpi needs --shard" train boosting train.csv distributed=mpi
  expect_error 2 "needs --shard" train boosting 'part-{rank}.csv' -o part.pml
  expect_error 2 "\{rank\}" predict boost.pml test.csv --shard -o pred.txt
  run train boosting train.csv --shard task=classification n_rounds=3 -o shard.pml
  if [[ $RC -eq 0 ]]; then
    expect_ok train boosting train.csv task=classification n_rounds=3 -o one.pml --quiet
    cmp -s shard.pml one.pml || fail "--shard on one rank: model differs from the one-process model"
  else
    expect_error 1 "--shard: cannot join the MPI job: .*PML_WITH_MPI" \
      train boosting train.csv --shard task=classification n_rounds=3 -o shard.pml
    [[ ! -e shard.pml ]] || fail "--shard without the MPI backend left a model behind"
  fi
fi

echo "$checks checks, $failures failed"
[[ $failures -eq 0 ]]
