-- Every bad input gives an ERROR with pml's message and a proper SQLSTATE, and the backend lives
-- on. expect_error runs a statement and checks the SQLSTATE and words of the error it raises.
-- (Its parameter is not named sqlstate: inside an exception handler SQLSTATE is the caught
-- error's code and would hide the parameter.)
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

CREATE TABLE letter_text AS SELECT letter::text AS letter, "x.box" FROM letter LIMIT 50;
CREATE TABLE letter_null_label AS SELECT * FROM letter LIMIT 50;
UPDATE letter_null_label SET letter = NULL WHERE ctid = (SELECT max(ctid) FROM letter_null_label);
CREATE TABLE empty_table (y float8, x float8);
CREATE TABLE ragged (y float8, features float8[]);
INSERT INTO ragged VALUES (0, '{1,2}'), (1, '{3,4}'), (1, '{5}');
CREATE TABLE null_array (y float8, features float8[]);
INSERT INTO null_array VALUES (0, '{1,2}'), (1, NULL);
CREATE TABLE matrix (y float8, features float8[]);
INSERT INTO matrix VALUES (0, '{{1,2},{3,4}}');
CREATE TABLE only_label (y float8, name bytea);
INSERT INTO only_label VALUES (1, 'a');
CREATE SEQUENCE not_a_table;

-- pml_train: its arguments
SELECT pg_temp.expect_error($$SELECT pml_train('tree', '', 'letter', 'letter')$$, '22023', 'tree');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', 'n_treez=3', 'letter', 'letter')$$, '22023', 'n_treez');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', 'n_trees=-3', 'letter', 'letter')$$, '22023', 'n_trees');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', 'n_trees', 'letter', 'letter')$$, '22023', 'n_trees');
SELECT pg_temp.expect_error($$SELECT pml_train(NULL, '', 'letter', 'letter')$$, '22004', 'algorithm');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', NULL, 'letter')$$, '22004', 'relation');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'letter', NULL)$$, '22004', 'label_column');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'no_such_table', 'letter')$$, '42P01', 'no_such_table');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'not_a_table', 'letter')$$, '42809', 'not_a_table');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', 'distributed=mpi', 'letter', 'letter')$$, '0A000', 'mpi');
SELECT pg_temp.expect_error($$SELECT pml_train('boosting', 'max_memory_mb=1', 'letter', 'letter')$$, '53200', 'max_memory_mb');
-- pml_train: the table's columns and rows
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'letter', 'nope')$$, '42703', '"nope"');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'letter', 'letter', ARRAY['x.box', 'nope'])$$, '42703', '"nope"');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'letter', 'letter', ARRAY['x.box', 'x.box'])$$, '42701', 'twice');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'letter', 'letter', ARRAY['letter'])$$, '22023', 'label');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'letter', 'letter', ARRAY[]::text[])$$, '22023', 'empty');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'letter', 'letter', ARRAY['x.box', NULL])$$, '22004', 'feature_columns[2]');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'letter_text', 'letter')$$, '42804', 'text');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'only_label', 'y')$$, '22023', 'no numeric or category column');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'only_label', 'y', ARRAY['name'])$$, '42804', '"name"');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'letter_null_label', 'letter')$$, '22004', 'row 50');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'empty_table', 'y')$$, '22023', 'no rows');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'ragged', 'y')$$, '22023', 'row 3');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'null_array', 'y')$$, '22004', 'row 2');
SELECT pg_temp.expect_error($$SELECT pml_train('forest', '', 'matrix', 'y')$$, '2202E', '2-dimensional');

-- pml_predict, pml_predict_proba and pml_info: features
SELECT pg_temp.expect_error($$SELECT pml_predict(model, ARRAY[1, 2, 3]::float8[]) FROM models WHERE name = 'forest'$$, '22023', 'columns');
SELECT pg_temp.expect_error($$SELECT pml_predict(model, '{}'::float8[]) FROM models WHERE name = 'forest'$$, '22023', '');
SELECT pg_temp.expect_error($$SELECT pml_predict(model, array_fill(1.0::float8, ARRAY[4, 4])) FROM models WHERE name = 'forest'$$, '2202E', 'one-dimensional');
SELECT pg_temp.expect_error($$SELECT pml_predict(model, array_fill(NULL::float8, ARRAY[16])) FROM models WHERE name = 'svm'$$, '22023', 'missing');
SELECT pg_temp.expect_error($$SELECT pml_predict_proba(model, array_fill(1.0::float8, ARRAY[16])) FROM models WHERE name = 'regression'$$, '22023', 'classification');
-- ... and models that are not models: empty, text, truncated, one byte changed, the checksum cut
SELECT pg_temp.expect_error($$SELECT pml_predict('\x'::bytea, ARRAY[1.0]::float8[])$$, '22023', 'len');
SELECT pg_temp.expect_error($$SELECT pml_predict('not a model'::bytea, ARRAY[1.0]::float8[])$$, '22P03', '');
SELECT pg_temp.expect_error($$SELECT pml_predict(substring(model FROM 1 FOR length(model) / 2), array_fill(1.0::float8, ARRAY[16])) FROM models WHERE name = 'forest'$$, '22P03', '');
SELECT pg_temp.expect_error($$SELECT pml_predict(set_byte(model, 100, (get_byte(model, 100) + 1) % 256), array_fill(1.0::float8, ARRAY[16])) FROM models WHERE name = 'boosting'$$, '22P03', '');
SELECT pg_temp.expect_error($$SELECT pml_predict_proba(substring(model FROM 1 FOR length(model) - 4), array_fill(1.0::float8, ARRAY[16])) FROM models WHERE name = 'svm'$$, '22P03', '');
SELECT pg_temp.expect_error($$SELECT pml_info(substring(model FROM 5)) FROM models WHERE name = 'svm'$$, '22P03', '');

-- 300 models with one byte changed at random, each learner: every one is an ERROR, none a crash.
DO $$
DECLARE
  m record;
  damaged bytea;
  position int;
  failures int := 0;
BEGIN
  PERFORM setseed(0.25);
  FOR m IN SELECT name, model FROM models WHERE name IN ('forest', 'boosting', 'svm') LOOP
    FOR i IN 1..100 LOOP
      position := floor(random() * length(m.model))::int;
      damaged := set_byte(m.model, position, (get_byte(m.model, position) + 1 + floor(random() * 255)::int) % 256);
      BEGIN
        PERFORM pml_predict(damaged, array_fill(1.0::float8, ARRAY[16]));
      EXCEPTION WHEN invalid_binary_representation THEN
        failures := failures + 1;
      END;
    END LOOP;
  END LOOP;
  IF failures <> 300 THEN
    RAISE EXCEPTION 'expected 300 damaged models to be refused, % were', failures;
  END IF;
  RAISE NOTICE 'ok: 300 damaged models refused';
END $$;

-- The backend still scores with the intact models.
SELECT pml_predict(model, array_fill(1.0::float8, ARRAY[16])) IS NOT NULL AS still_scoring
FROM models WHERE name = 'forest';
