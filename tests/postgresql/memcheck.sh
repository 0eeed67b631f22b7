#!/usr/bin/env bash
# pml's PostgreSQL extension under Valgrind's memcheck (run by scripts/memcheck). A backend in
# single-user mode (postgres --single, so Valgrind sees the very process that runs the extension)
# trains the three learners on Letter, scores 1,500 rows with each through the model cache,
# describes them, trains forest and boosting on text and boolean columns and scores them by name,
# and is given 180 damaged models and three bad calls. Any invalid read or write or
# use of uninitialised memory, in pml's frames or PostgreSQL's, or a definite leak fails;
# postgres.supp names the two reports PostgreSQL makes on its own.
# Usage: memcheck.sh <build-dir> <source-dir>
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
here="$src/tests/postgresql"
# shellcheck source=pg_cluster.sh
source "$here/pg_cluster.sh"
pg_throwaway_cluster "$build" "$src" memcheck
letter="$src/data/letter.csv"
pg_csv_columns "$letter"
psql -X -q -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION pml;
CREATE TABLE letter ($columns);
\copy letter FROM '$letter' CSV HEADER
CREATE TABLE letter_small AS SELECT * FROM letter LIMIT 1500;
CREATE TABLE named AS SELECT "x.box"::float8 AS x, CASE WHEN onpix = 0 THEN NULL ELSE 'p' || onpix END AS pix, width > 5 AS wide, letter FROM letter_small;
SQL
pg_cluster_stop "$work"

# Single-user mode reads one statement per line.
cat >"$work/memcheck.sql" <<SQL
CREATE TABLE models AS SELECT 'forest' AS name, pml_train('forest', 'n_trees=5 seed=1 n_jobs=2', 'letter_small', 'letter') AS model UNION ALL SELECT 'boosting', pml_train('boosting', 'n_rounds=3 seed=1', 'letter_small', 'letter') UNION ALL SELECT 'svm', pml_train('svm', 'seed=1 probability=true', 'letter_small', 'letter')
SELECT m.name, sum(pml_predict(m.model, ARRAY[$features]::float8[])), sum((pml_predict_proba(m.model, ARRAY[$features]::float8[]))[1]) FROM letter_small, models m GROUP BY m.name
SELECT bool_and(pml_info(model) IS NOT NULL) AS described FROM models
SELECT pml_cache_info()
CREATE TABLE named_models AS SELECT 'forest' AS name, pml_train('forest', 'n_trees=5 seed=1 n_jobs=2', 'named', 'letter') AS model UNION ALL SELECT 'boosting', pml_train('boosting', 'n_rounds=3 seed=1', 'named', 'letter')
SELECT m.name, sum(pml_predict(m.model, ARRAY[x], ARRAY[pix, wide::text])), sum((pml_predict_proba(m.model, ARRAY[x], ARRAY[pix || 'z', NULL]))[1]), bool_and(pml_info(m.model) ? 'categories') AS named FROM named, named_models m GROUP BY m.name
SELECT pml_predict(model, ARRAY[1]::float8[], ARRAY['p1']) FROM named_models WHERE name = 'forest'
DO \$\$ DECLARE m record; d bytea; p int; n int := 0; BEGIN PERFORM setseed(0.5); FOR m IN SELECT model FROM models LOOP FOR i IN 1..30 LOOP p := floor(random() * length(m.model))::int; d := set_byte(m.model, p, (get_byte(m.model, p) + 1) % 256); BEGIN PERFORM pml_predict(d, array_fill(1.0::float8, ARRAY[16])); EXCEPTION WHEN invalid_binary_representation THEN n := n + 1; END; BEGIN PERFORM pml_info(substring(m.model FROM 1 FOR p)); EXCEPTION WHEN invalid_binary_representation OR invalid_parameter_value THEN n := n + 1; END; END LOOP; END LOOP; IF n <> 180 THEN RAISE EXCEPTION 'only % of 180 damaged models were refused', n; END IF; END \$\$
SELECT pml_predict(model, ARRAY[1,2,3]::float8[]) FROM models WHERE name = 'forest'
SELECT pml_train('forest', 'n_trees=2', 'letter_small', 'nope')
SQL
chmod 644 "$work/memcheck.sql"
status=0
pg_as_server valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
  --show-leak-kinds=definite --num-callers=40 --suppressions="$here/postgres.supp" \
  --log-file="$work/valgrind.log" "$(pg_private_bindir "$work")/postgres" --single -D "$work/data" -c jit=off \
  postgres <"$work/memcheck.sql" >"$work/single.out" 2>&1 || status=$?
if [[ $status -ne 0 ]]; then
  cat "$work/valgrind.log"
  echo "memcheck.sh: Valgrind found errors (status $status)" >&2
  exit 1
fi
errors=$(grep -c " ERROR: " "$work/single.out" || true)
if [[ $errors -ne 3 ]] || ! grep -q 'described = "t"' "$work/single.out" ||
  [[ $(grep -c 'named = "t"' "$work/single.out") -ne 2 ]]; then
  cat "$work/single.out"
  echo "memcheck.sh: expected the three bad calls to fail and everything else to succeed" >&2
  exit 1
fi
grep -o '"models_loaded": [0-9]*' "$work/single.out"
grep -o "ERROR SUMMARY: [0-9]* errors" "$work/valgrind.log"
echo "memcheck.sh: the extension is clean under memcheck"
