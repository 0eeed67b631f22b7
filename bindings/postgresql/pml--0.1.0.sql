-- pml's SQL functions. Loaded by CREATE EXTENSION pml.
\echo Use "CREATE EXTENSION pml" to load this file. \quit

-- Trains a model on a table, view or materialized view and returns its bytes. params are
-- key=value pairs as the pml command line takes them ('n_trees=200 seed=1'); feature_columns
-- default to every numeric, numeric-array and category (text, varchar, char, boolean, enum)
-- column but the label, in table order. A category column's distinct values, sorted in byte
-- order, are its categories, recorded in the model by name. The rows are
-- read in one pass in the table's physical order (synchronized scans are off so that a table
-- gives the same model every time).
CREATE FUNCTION pml_train(algorithm text, params text, relation regclass, label_column text,
                          feature_columns text[] DEFAULT NULL)
RETURNS bytea
AS 'MODULE_PATHNAME', 'pml_pg_train'
LANGUAGE C VOLATILE PARALLEL UNSAFE
SET synchronize_seqscans = off;

-- The predicted class label (as in the training labels) or regression value of one row.
-- features are in the order the model was trained with; NULL elements are missing values.
CREATE FUNCTION pml_predict(model bytea, features float8[])
RETURNS float8
AS 'MODULE_PATHNAME', 'pml_pg_predict'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
COST 1000;

-- Class probabilities of one row, one per class in ascending label order (pml_info's classes).
CREATE FUNCTION pml_predict_proba(model bytea, features float8[])
RETURNS float8[]
AS 'MODULE_PATHNAME', 'pml_pg_predict_proba'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
COST 1000;

-- The same for a model with categorical columns (trained on text, varchar, char, boolean or enum
-- columns): features holds the model's numeric columns in order, categories the values of its
-- categorical columns (the keys of pml_info(model)->'categories') in order, as text; a NULL
-- element is a missing value, and a value the model never saw scores like NULL.
CREATE FUNCTION pml_predict(model bytea, features float8[], categories text[])
RETURNS float8
AS 'MODULE_PATHNAME', 'pml_pg_predict_categories'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
COST 1000;

CREATE FUNCTION pml_predict_proba(model bytea, features float8[], categories text[])
RETURNS float8[]
AS 'MODULE_PATHNAME', 'pml_pg_predict_proba_categories'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
COST 1000;

-- The model described: algorithm, task, classes, n_features, training parameters, summary.
CREATE FUNCTION pml_info(model bytea)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pml_pg_info'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The version of libpml the extension runs.
CREATE FUNCTION pml_version()
RETURNS text
AS 'MODULE_PATHNAME', 'pml_pg_version'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- What this backend's model cache holds: its capacity, how many models it has parsed, and for
-- each cached model its algorithm, size, hash, the calls it served and the times an argument
-- was read to find it.
CREATE FUNCTION pml_cache_info()
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pml_pg_cache_info'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;
