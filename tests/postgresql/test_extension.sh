#!/usr/bin/env bash
# pml's PostgreSQL extension, end to end, on a throw-away cluster:
# - builds the extension with PGXS against this build's libpml and installs it into a private
#   copy of the server's installation (pg_cluster.sh), never into the system's;
# - initdb into a temporary directory, a server on a Unix socket in that directory only;
# - loads Letter (data/letter.csv) into tables; trains forest, boosting (classification and
#   regression) and SVM in SQL; checks each model has the same bytes as the command line's on the
#   same file and that scoring the table in SQL gives the command line's predictions, values and
#   probabilities, digit for digit;
# - features as one array column give the same model as separate columns;
# - the same model whatever n_jobs; the model cache parses each model once per backend; a
#   parallel scan scores in its workers; a statement timeout and pg_cancel_backend stop long
#   training;
# - bad input (bad_input.sql): an ERROR with pml's message and SQLSTATE, never a crash;
# - examples/postgresql/main.sql runs, each learner above 90% test accuracy.
# The server is stopped and the directory removed at the end, whatever happens.
# Usage: test_extension.sh <build-dir> <source-dir> <pml-cli>
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
cli=$3
here="$src/tests/postgresql"
# shellcheck source=pg_cluster.sh
source "$here/pg_cluster.sh"

pg_throwaway_cluster "$build" "$src" test

# --- data: Letter as 16 int4 feature columns, as one float8[] column, and its first 3000 rows
letter="$src/data/letter.csv"
head -n 3001 "$letter" >"$work/letter_small.csv"
pg_csv_columns "$letter"
sql <<SQL
CREATE EXTENSION pml;
CREATE TABLE letter ($columns);
\copy letter FROM '$letter' CSV HEADER
CREATE TABLE letter_small ($columns);
\copy letter_small FROM '$work/letter_small.csv' CSV HEADER
CREATE TABLE letter_array AS
  SELECT row_number() OVER () AS id, letter, ARRAY[$features]::float8[] AS features FROM letter;
SQL
[[ $(sql -c "SELECT count(*) FROM letter") == 20000 ]] || fail "Letter did not load"

# --- training in SQL, and the same training with the command line
sql <<'SQL'
CREATE TABLE models (name text PRIMARY KEY, model bytea);
INSERT INTO models VALUES
  ('forest', pml_train('forest', 'n_trees=20 seed=7', 'letter', 'letter')),
  ('boosting', pml_train('boosting', 'n_rounds=15 seed=3', 'letter', 'letter')),
  ('svm', pml_train('svm', 'seed=1 probability=true', 'letter_small', 'letter')),
  ('regression', pml_train('boosting', 'task=regression n_rounds=30 seed=3', 'letter', 'onpix')),
  ('forest_from_array', pml_train('forest', 'n_trees=20 seed=7', 'letter_array', 'letter', ARRAY['features'])),
  ('forest_one_thread', pml_train('forest', 'n_trees=20 seed=7 n_jobs=1', 'letter', 'letter'));
SQL
"$cli" train forest "$letter" n_trees=20 seed=7 -q -o "$work/forest.pml"
"$cli" train boosting "$letter" n_rounds=15 seed=3 -q -o "$work/boosting.pml"
"$cli" train svm "$work/letter_small.csv" seed=1 probability=true -q -o "$work/svm.pml"
"$cli" train boosting "$letter" task=regression n_rounds=30 seed=3 --label-column onpix -q \
  -o "$work/regression.pml"

model_bytes() { sql -c "SELECT encode(model, 'base64') FROM models WHERE name = '$1'" | base64 -d; }
for name in forest boosting svm regression; do
  model_bytes "$name" >"$work/$name-sql.pml"
  cmp -s "$work/$name-sql.pml" "$work/$name.pml" ||
    fail "$name: the model trained in SQL differs from the command line's"
done
echo "ok: forest, boosting, svm and regression models trained in SQL have the command line's bytes"
model_bytes forest_from_array | cmp -s - "$work/forest.pml" ||
  fail "a float8[] feature column gave a different model from separate columns"
model_bytes forest_one_thread | cmp -s - "$work/forest.pml" || fail "n_jobs=1 changed the model"
echo "ok: an array feature column and n_jobs=1 give the same bytes"

# --- scoring in SQL equals the command line's predictions, digit for digit
score() { # <model> <function> <table> <features>
  sql -c "SELECT $2((SELECT model FROM models WHERE name = '$1'), $4) FROM $3 ORDER BY ctid"
}
check_scores() { # <model> <table> <csv> [cli options]
  local name=$1 table=$2 csv=$3
  shift 3
  score "$name" pml_predict "$table" "ARRAY[$features]::float8[]" >"$work/$name-sql.txt"
  "$cli" predict "$work/$name.pml" "$csv" "$@" >"$work/$name-cli.txt"
  cmp -s "$work/$name-sql.txt" "$work/$name-cli.txt" ||
    fail "$name: pml_predict differs from the command line's predictions"
  echo "ok: $name: pml_predict on $(wc -l <"$work/$name-sql.txt") rows equals the C API's"
}
check_scores forest letter "$letter"
check_scores boosting letter "$letter"
check_scores svm letter_small "$work/letter_small.csv"
features_without_onpix=$(echo "$features" | tr ',' '\n' | grep -v '"onpix"' | paste -sd, -)
features="\"letter\",$features_without_onpix" check_scores regression letter "$letter" \
  --label-column onpix
for name in forest boosting svm; do
  table=letter
  csv=$letter
  if [[ $name == svm ]]; then table=letter_small csv=$work/letter_small.csv; fi
  score "$name" pml_predict_proba "$table" "ARRAY[$features]::float8[]" | tr -d '{}' | tr ',' ' ' \
    >"$work/$name-proba-sql.txt"
  "$cli" predict "$work/$name.pml" "$csv" --kind proba >"$work/$name-proba-cli.txt"
  cmp -s "$work/$name-proba-sql.txt" "$work/$name-proba-cli.txt" ||
    fail "$name: pml_predict_proba differs from the command line's probabilities"
done
echo "ok: pml_predict_proba equals the C API's probabilities for forest, boosting and svm"

# --- pml_info
info=$(sql -c "SELECT pml_info(model)->>'algorithm', pml_info(model)->>'n_features',
                      jsonb_array_length(pml_info(model)->'classes'), pml_info(model)#>>'{params,n_trees}'
               FROM models WHERE name = 'forest'")
[[ $info == "forest|16|26|20" ]] || fail "pml_info gave $info"
echo "ok: pml_info: $info"

# --- the cache: one backend scores 20,000 rows and parses the model once
cache=$(sql <<SQL
SELECT count(pml_predict(m.model, ARRAY[$features]::float8[])) FROM letter, models m WHERE m.name = 'boosting';
SELECT count(pml_predict((SELECT model FROM models WHERE name = 'boosting'), ARRAY[$features]::float8[])) FROM letter;
SELECT (c->>'models_loaded') || ' ' || (c#>>'{models,0,uses}') || ' ' || (c#>>'{models,0,byte_reads}')
FROM pml_cache_info() AS c;
SQL
)
[[ $(tail -n 1 <<<"$cache") == "1 40000 2" ]] ||
  fail "the cache should parse the model once and read it once per query, got: $cache"
echo "ok: 40,000 rows in two queries parsed the model once (models_loaded uses byte_reads: $(tail -n 1 <<<"$cache"))"

# A join scores each row with three models in turn: the call site recognises all three.
cache=$(sql -c "SELECT count(pml_predict(m.model, ARRAY[$features]::float8[])) FROM letter, models m
                WHERE m.name IN ('forest', 'boosting', 'regression')" \
            -c "SELECT string_agg(x->>'uses' || '/' || (x->>'byte_reads'), ' ')
                FROM pml_cache_info() AS c, jsonb_array_elements(c->'models') AS x")
[[ $(tail -n 1 <<<"$cache") == "20000/1 20000/1 20000/1" ]] ||
  fail "three models joined with 20,000 rows should each be read once, got: $cache"
echo "ok: 60,000 calls alternating between three models read each model once"

# --- a parallel scan scores in its workers, with the serial result
plan=$(sql <<SQL
SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (VERBOSE, COSTS OFF)
SELECT sum(pml_predict((SELECT model FROM models WHERE name = 'forest'), ARRAY[$features]::float8[])) FROM letter;
SQL
)
grep -q "Parallel Seq Scan" <<<"$plan" && grep -q "Partial Aggregate" <<<"$plan" ||
  fail "pml_predict did not get a parallel plan: $plan"
sums=$(sql <<SQL
SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SELECT sum(pml_predict((SELECT model FROM models WHERE name = 'forest'), ARRAY[$features]::float8[])) FROM letter;
SET max_parallel_workers_per_gather = 0;
SELECT sum(pml_predict((SELECT model FROM models WHERE name = 'forest'), ARRAY[$features]::float8[])) FROM letter;
SQL
)
[[ $(sed -n 1p <<<"$sums") == $(sed -n 2p <<<"$sums") ]] || fail "parallel and serial sums differ: $sums"
echo "ok: a parallel sequential scan scores in its workers (Partial Aggregate) with the serial sum"

# --- a statement timeout cancels long training, and the session goes on
cancel=$(sql 2>&1 <<'SQL' || true
SET statement_timeout = '1s';
SELECT length(pml_train('boosting', 'n_rounds=1000000 learning_rate=0.001', 'letter', 'letter'));
SQL
)
grep -q "canceling statement due to statement timeout" <<<"$cancel" ||
  fail "training was not cancelled by statement_timeout: $cancel"
after=$(sql 2>&1 <<'SQL'
SET statement_timeout = '1s';
DO $$ BEGIN
  PERFORM pml_train('forest', 'n_trees=100000', 'letter', 'letter');
EXCEPTION WHEN query_canceled THEN RAISE NOTICE 'cancelled';
END $$;
RESET statement_timeout;
SELECT length(pml_train('forest', 'n_trees=2 seed=1', 'letter_small', 'letter')) > 0;
SQL
)
grep -q "NOTICE:  cancelled" <<<"$after" && [[ $(tail -n 1 <<<"$after") == t ]] ||
  fail "the session could not train after a cancelled training: $after"
echo "ok: statement_timeout cancels training (57014) and the session trains again afterwards"

# --- pg_cancel_backend from another session stops training
(sql -c "SELECT length(pml_train('boosting', 'n_rounds=1000000 learning_rate=0.001', 'letter', 'letter'))" \
  >"$work/cancelled.out" 2>&1 || true) &
training=$!
sleep 1
for ((i = 0; i < 100; ++i)); do
  cancelled=$(sql -c "SELECT bool_or(pg_cancel_backend(pid)) FROM pg_stat_activity
                      WHERE query LIKE '%n_rounds=1000000 %' AND pid <> pg_backend_pid()")
  [[ $cancelled == t ]] && break
  sleep 0.1
done
wait "$training"
grep -q "canceling statement due to user request" "$work/cancelled.out" ||
  fail "pg_cancel_backend did not stop training: $(cat "$work/cancelled.out")"
echo "ok: pg_cancel_backend from another session stops training"

# --- bad input
sql -f "$here/bad_input.sql" 2>"$work/bad_input.log" >/dev/null ||
  { cat "$work/bad_input.log"; fail "bad input"; }
echo "ok: $(grep -c 'NOTICE:  ok' "$work/bad_input.log") bad inputs gave the expected SQLSTATE and message"
grep 'NOTICE:  ok' "$work/bad_input.log" | sed 's/^psql:[^ ]* NOTICE:  ok /  /'
# --- examples/postgresql/main.sql, in a database of its own: each learner above 90% on Letter
sql -c "CREATE DATABASE example"
accuracies=$(psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 -d example -v letter="$letter" \
  -f "$src/examples/postgresql/main.sql")
echo "$accuracies" | sed 's/^/  example: /'
[[ $(awk '$2 > 0.9' <<<"$accuracies" | wc -l) == 3 ]] ||
  fail "examples/postgresql/main.sql: every learner should pass 90% test accuracy"
echo "ok: examples/postgresql/main.sql trains and scores the three learners"
echo "test_extension: all checks passed"
