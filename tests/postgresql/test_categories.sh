#!/usr/bin/env bash
# Categorical columns in pml's PostgreSQL extension, on a throw-away cluster (pg_cluster.sh):
# - a table with a float8, a text, a boolean and an enum column (NULLs in each category column)
#   trains forest and boosting; the three category columns become categorical features named by
#   their values sorted in byte order (pml_info's "categories"), whatever the order of the rows;
# - pml_predict and pml_predict_proba with the values as text (features float8[], categories
#   text[]) give exactly the predictions of the model's own codes (the positions among the sorted
#   values) through features alone, on every row; the label depends on a scattered set of cities,
#   which only a categorical split separates, and the models learn it;
# - a value the model never saw scores like NULL;
# - explicit feature_columns with a category first; the SVM one-hot encodes category columns in
#   its model and learns them too;
# - bad input: wrong categories or features lengths, a 2-D categories array, a column NULL in
#   every row, too many distinct values: each an ERROR with its SQLSTATE and words.
# Usage: test_categories.sh <build-dir> <source-dir>
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
here="$src/tests/postgresql"
# shellcheck source=pg_cluster.sh
source "$here/pg_cluster.sh"

pg_throwaway_cluster "$build" "$src" categories

# 3000 rows: x noise, city one of 12 (NULL every 17th row), flag (NULL every 23rd), a colour
# enum (NULL every 29th). The label is whether the city is in a scattered half, flipped when flag
# is false; a NULL city is class 1.
sql <<'SQL'
CREATE EXTENSION pml;
CREATE TYPE colour AS ENUM ('red', 'green', 'blue', 'Amber');
CREATE TABLE cities AS
WITH rows AS (
  SELECT i, (i * 7919 % 12) AS k, (i * 104729 % 1000) / 1000.0 AS x FROM generate_series(1, 3000) AS i
)
SELECT x::float8 AS x,
       CASE WHEN i % 17 = 0 THEN NULL
            ELSE (ARRAY['oslo', 'lima', 'kyiv', 'rome', 'baku', 'doha', 'suva', 'apia', 'male',
                        'riga', 'Bern', 'lomé'])[k + 1] END AS city,
       CASE WHEN i % 23 = 0 THEN NULL ELSE i % 3 <> 0 END AS flag,
       CASE WHEN i % 29 = 0 THEN NULL ELSE (enum_range(NULL::colour))[i % 4 + 1] END AS colour,
       CASE WHEN i % 17 = 0 THEN 1
            WHEN ((k * 5 + 1) % 7 < 3 OR k = 11) = (i % 3 <> 0 OR i % 23 = 0) THEN 1
            ELSE 0 END AS label
FROM rows;
ALTER TABLE cities ALTER COLUMN label TYPE float8;
-- The same rows in another order.
CREATE TABLE cities_reversed AS SELECT * FROM cities ORDER BY ctid DESC;
-- Each row with the model's codes: the value's position among the column's sorted values.
CREATE TABLE cities_coded AS
SELECT *,
       CASE WHEN city IS NULL THEN 'NaN'::float8
            ELSE dense_rank() OVER (ORDER BY city COLLATE "C") - 1 END::float8 AS city_code,
       CASE WHEN flag IS NULL THEN 'NaN'::float8
            ELSE dense_rank() OVER (ORDER BY flag::text COLLATE "C") - 1 END::float8 AS flag_code,
       CASE WHEN colour IS NULL THEN 'NaN'::float8
            ELSE dense_rank() OVER (ORDER BY colour::text COLLATE "C") - 1 END::float8 AS colour_code
FROM cities;
CREATE TABLE models (name text PRIMARY KEY, model bytea);
INSERT INTO models VALUES
  ('forest', pml_train('forest', 'n_trees=20 seed=7', 'cities', 'label')),
  ('boosting', pml_train('boosting', 'n_rounds=20 seed=3', 'cities', 'label')),
  ('forest_reversed', pml_train('forest', 'n_trees=20 seed=7', 'cities_reversed', 'label')),
  ('regression', pml_train('boosting', 'task=regression n_rounds=20 seed=3', 'cities', 'x')),
  ('city_first', pml_train('forest', 'n_trees=10 seed=1', 'cities', 'label', ARRAY['city', 'x']));
SQL

# --- the categories, by name and in byte order, whatever the order of the rows
expected='{"1": ["Bern", "apia", "baku", "doha", "kyiv", "lima", "lomé", "male", "oslo", "riga", "rome", "suva"], "2": ["false", "true"], "3": ["Amber", "blue", "green", "red"]}'
for name in forest boosting forest_reversed; do
  got=$(sql -c "SELECT pml_info(model)->'categories' FROM models WHERE name = '$name'")
  [[ $got == "$expected" ]] || fail "$name: pml_info's categories are $got, expected $expected"
done
got=$(sql -c "SELECT pml_info(model)->'categories' FROM models WHERE name = 'regression'")
[[ $got == '{"0": ["Bern", "apia", "baku", "doha", "kyiv", "lima", "lomé", "male", "oslo", "riga", "rome", "suva"], "1": ["false", "true"], "2": ["Amber", "blue", "green", "red"]}' ]] ||
  fail "regression: pml_info's categories are $got"
got=$(sql -c "SELECT pml_info(model)->'categories' ? '0', pml_info(model)->>'n_features' FROM models WHERE name = 'city_first'")
[[ $got == "t|2" ]] || fail "city_first: categories and n_features are $got"
echo "ok: text, boolean and enum columns are categorical features named in byte order (pml_info)"

# --- scoring by name equals scoring by the model's codes, on every row
differences=$(sql <<'SQL'
SELECT m.name, count(*) FILTER (WHERE
         pml_predict(m.model, ARRAY[x], ARRAY[city, flag::text, colour::text])
           IS DISTINCT FROM pml_predict(m.model, ARRAY[x, city_code, flag_code, colour_code])
         OR pml_predict_proba(m.model, ARRAY[x], ARRAY[city, flag::text, colour::text])
           IS DISTINCT FROM pml_predict_proba(m.model, ARRAY[x, city_code, flag_code, colour_code]))
FROM cities_coded, models m WHERE m.name IN ('forest', 'boosting', 'forest_reversed')
GROUP BY m.name ORDER BY m.name;
SELECT 'regression', count(*) FILTER (WHERE
         pml_predict(m.model, ARRAY[label], ARRAY[city, flag::text, colour::text])
           IS DISTINCT FROM pml_predict(m.model, ARRAY[city_code, flag_code, colour_code, label]))
FROM cities_coded, models m WHERE m.name = 'regression';
SELECT 'city_first', count(*) FILTER (WHERE
         pml_predict(m.model, ARRAY[x], ARRAY[city])
           IS DISTINCT FROM pml_predict(m.model, ARRAY[city_code, x]))
FROM cities_coded, models m WHERE m.name = 'city_first';
SQL
)
[[ $(echo $differences) == "boosting|0 forest|0 forest_reversed|0 regression|0 city_first|0" ]] ||
  fail "scoring by name differs from scoring by code: $differences"
echo "ok: pml_predict and pml_predict_proba by name equal the model's codes on 3000 rows (5 models)"

accuracy=$(sql -c "SELECT string_agg(name || ' ' || accuracy, ', ' ORDER BY name) FROM (
                     SELECT m.name, round(avg((pml_predict(m.model, ARRAY[x],
                       ARRAY[city, flag::text, colour::text]) = label)::int), 3) AS accuracy
                     FROM cities, models m WHERE m.name IN ('forest', 'boosting') GROUP BY m.name) a")
awk -F', ' '{ for (i = 1; i <= NF; ++i) { split($i, a, " "); if (a[2] < 0.99) exit 1 } }' \
  <<<"$accuracy" || fail "the models did not learn the cities: $accuracy"
echo "ok: training accuracy $accuracy"

# --- a value never seen scores like NULL
unseen=$(sql <<'SQL'
SELECT count(*) FILTER (WHERE
         pml_predict_proba(m.model, ARRAY[x], ARRAY['atlantis', flag::text, colour::text])
           IS DISTINCT FROM pml_predict_proba(m.model, ARRAY[x], ARRAY[NULL, flag::text, colour::text])
         OR pml_predict_proba(m.model, ARRAY[x], ARRAY[city, 'maybe', 'Violet'])
           IS DISTINCT FROM pml_predict_proba(m.model, ARRAY[x], ARRAY[city, NULL, NULL])
         OR pml_predict_proba(m.model, ARRAY[x], ARRAY[NULL, flag::text, colour::text])
           IS DISTINCT FROM pml_predict_proba(m.model, ARRAY[x, 'NaN', flag_code, colour_code])),
       count(*)
FROM cities_coded, models m WHERE m.name IN ('forest', 'boosting');
SQL
)
[[ $unseen == "0|6000" ]] || fail "unseen values should score like NULL: $unseen"
echo "ok: a value never seen scores like NULL (and like NaN among the codes)"

# --- the SVM one-hot encodes the category columns inside its model
svm=$(sql -c "WITH m AS (SELECT pml_train('svm', 'C=10', 'cities', 'label',
                                         ARRAY['x', 'city', 'flag']) AS model)
              SELECT pml_info(model)->'categories' ? '1',
                     round(avg((pml_predict(model, ARRAY[x], ARRAY[city, flag::text]) = label)::int), 3)
              FROM cities, m GROUP BY model")
[[ ${svm%%|*} == t ]] || fail "the SVM's model does not name the city column: $svm"
awk -F'|' '$2 < 0.95 { exit 1 }' <<<"$svm" || fail "the SVM did not learn the cities: $svm"
echo "ok: the SVM one-hot encodes the category columns (training accuracy ${svm##*|})"

# --- bad input
sql <<'SQL' 2>"$work/bad.log" >/dev/null || { cat "$work/bad.log"; fail "bad input"; }
\set ON_ERROR_STOP on
CREATE FUNCTION pg_temp.expect_error(statement text, expected_state text, words text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  got_state text;
  got_message text;
BEGIN
  BEGIN
    EXECUTE statement;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS got_state = RETURNED_SQLSTATE, got_message = MESSAGE_TEXT;
    IF got_state <> expected_state OR position(words IN got_message) = 0 THEN
      RAISE EXCEPTION 'expected % "%" from: %; got % "%"', expected_state, words, statement, got_state,
        got_message;
    END IF;
    RAISE NOTICE 'ok % %', got_state, got_message;
    RETURN;
  END;
  RAISE EXCEPTION 'expected % "%" from: %; it succeeded', expected_state, words, statement;
END $$;
CREATE TABLE all_null (y float8, x float8, name text);
INSERT INTO all_null VALUES (0, 1, NULL), (1, 2, NULL);
CREATE TABLE many (y float8, name text);
INSERT INTO many SELECT i % 2, 'v' || i FROM generate_series(1, 65536) AS i;
SELECT pg_temp.expect_error($$SELECT pml_predict(model, ARRAY[0.5]::float8[], ARRAY['oslo', 'true']) FROM models WHERE name = 'forest'$$, '22023', 'categories has 2 elements but the model has 3 categorical columns');
SELECT pg_temp.expect_error($$SELECT pml_predict(model, ARRAY[0.5]::float8[], ARRAY['oslo', 'true', 'red', 'red']) FROM models WHERE name = 'forest'$$, '22023', 'categories has 4 elements');
SELECT pg_temp.expect_error($$SELECT pml_predict_proba(model, ARRAY[0.5]::float8[], ARRAY[]::text[]) FROM models WHERE name = 'boosting'$$, '22023', 'categories has 0 elements');
SELECT pg_temp.expect_error($$SELECT pml_predict(model, ARRAY[0.5, 1]::float8[], ARRAY['oslo', 'true', 'red']) FROM models WHERE name = 'forest'$$, '22023', 'features has 2 elements but the model has 1 numeric columns');
SELECT pg_temp.expect_error($$SELECT pml_predict(model, ARRAY[0.5]::float8[], ARRAY[['oslo', 'true', 'red']]) FROM models WHERE name = 'forest'$$, '2202E', 'one-dimensional');
SELECT pg_temp.expect_error($$SELECT pml_predict(model, array_fill(1.0::float8, ARRAY[15]), ARRAY['oslo']) FROM models WHERE name = 'forest'$$, '22023', 'categories has 1 elements but the model has 3');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'all_null', 'y')$$, '22023', '"name" is NULL in every row');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'many', 'y')$$, '54000', 'more than 65535 distinct values');
SQL
echo "ok: $(grep -c 'NOTICE:  ok' "$work/bad.log") bad inputs gave the expected SQLSTATE and message"
grep 'NOTICE:  ok' "$work/bad.log" | sed 's/^psql:[^ ]* NOTICE:  ok /  /'
echo "test_categories: all checks passed"
