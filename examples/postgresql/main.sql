-- pml inside PostgreSQL: train the three learners on Letter and score the held-out rows in SQL.
-- Run with psql in a database where the extension is installed:
--   psql -v letter=/path/to/pml/data/letter.csv -f examples/postgresql/main.sql
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pml;

-- Letter: the class (1..26) and 16 integer features per row, in a float8[] column.
DROP TABLE IF EXISTS letter_csv, letter, letter_models;
CREATE TEMP TABLE letter_csv (letter int, x_box int, y_box int, width int, high int, onpix int,
  x_bar int, y_bar int, x2bar int, y2bar int, xybar int, x2ybr int, xy2br int, x_ege int,
  xegvy int, y_ege int, yegvx int);
\set copy_letter '\\copy letter_csv FROM ' :'letter' ' CSV HEADER'
:copy_letter
CREATE TABLE letter AS
  SELECT row_number() OVER () AS id, letter,
         ARRAY[x_box, y_box, width, high, onpix, x_bar, y_bar, x2bar, y2bar, xybar, x2ybr,
               xy2br, x_ege, xegvy, y_ege, yegvx]::float8[] AS features
  FROM letter_csv;
-- The first 16,000 rows train, the last 4,000 test (as scripts/main-job splits them).
CREATE VIEW letter_train AS SELECT letter, features FROM letter WHERE id <= 16000;

CREATE TABLE letter_models (name text PRIMARY KEY, model bytea);
INSERT INTO letter_models VALUES
  ('forest', pml_train('forest', 'n_trees=100 seed=1', 'letter_train', 'letter')),
  ('boosting', pml_train('boosting', 'n_rounds=100 seed=1', 'letter_train', 'letter')),
  ('svm', pml_train('svm', 'gamma=0.02 C=10 seed=1', 'letter_train', 'letter'));

SELECT m.name AS model,
       round(avg((pml_predict(m.model, t.features) = t.letter)::int), 4) AS test_accuracy,
       pg_size_pretty(length(m.model)::bigint) AS model_size
FROM letter t, letter_models m
WHERE t.id > 16000
GROUP BY m.name, m.model
ORDER BY m.name;
