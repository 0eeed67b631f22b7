/* Which columns pml_train reads, and the query that reads them. */
#include "training.h"

#include "access/relation.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

static bool is_number_type(Oid type) {
  switch (type) {
    case INT2OID:
    case INT4OID:
    case INT8OID:
    case FLOAT4OID:
    case FLOAT8OID:
    case NUMERICOID:
      return true;
    default:
      return false;
  }
}

static bool is_number_array_type(Oid type) {
  switch (type) {
    case INT2ARRAYOID:
    case INT4ARRAYOID:
    case INT8ARRAYOID:
    case FLOAT4ARRAYOID:
    case FLOAT8ARRAYOID:
    case NUMERICARRAYOID:
      return true;
    default:
      return false;
  }
}

/* Values that pml learns from as categories: their text is the category's name. */
static bool is_category_type(Oid type) {
  switch (type) {
    case TEXTOID:
    case VARCHAROID:
    case BPCHAROID:
    case BOOLOID:
      return true;
    default:
      return type_is_enum(type);
  }
}

static Form_pg_attribute find_column(TupleDesc desc, const char *name) {
  int i;

  for (i = 0; i < desc->natts; ++i) {
    Form_pg_attribute column = TupleDescAttr(desc, i);

    if (!column->attisdropped && strcmp(NameStr(column->attname), name) == 0) return column;
  }
  return NULL;
}

static Form_pg_attribute require_column(Relation rel, const char *name) {
  Form_pg_attribute column = find_column(RelationGetDescr(rel), name);

  if (column == NULL) {
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                    errmsg("pml: column \"%s\" of relation \"%s\" does not exist", name,
                           RelationGetRelationName(rel))));
  }
  return column;
}

/* A feature column's value as float8, float8[] or, for a category, text (booleans 'false' and
 * 'true', enums their labels). */
static void append_feature_expression(StringInfo query, const char *name, Oid base_type) {
  const char *quoted = quote_identifier(name);

  if (is_category_type(base_type)) {
    appendStringInfo(query, ", %s::text", quoted);
  } else if (is_number_array_type(base_type)) {
    appendStringInfo(query, ", %s::float8[]", quoted);
  } else {
    appendStringInfo(query, ", %s::float8", quoted);
  }
}

static void check_relation_kind(Relation rel) {
  switch (rel->rd_rel->relkind) {
    case RELKIND_RELATION:
    case RELKIND_VIEW:
    case RELKIND_MATVIEW:
    case RELKIND_PARTITIONED_TABLE:
    case RELKIND_FOREIGN_TABLE:
      return;
    default:
      ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                      errmsg("pml: \"%s\" is not a table, view or materialized view",
                             RelationGetRelationName(rel))));
  }
}

TrainingColumns resolve_training_columns(Oid relation, const char *label,
                                         ArrayType *feature_names) {
  TrainingColumns columns;
  Relation rel = relation_open(relation, AccessShareLock);
  TupleDesc desc = RelationGetDescr(rel);
  Form_pg_attribute label_column;
  Oid label_type;
  StringInfoData query;
  Oid *types;
  int i, j;

  check_relation_kind(rel);
  memset(&columns, 0, sizeof(columns));
  columns.relation_name = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
                                                     RelationGetRelationName(rel));
  columns.label = pstrdup(label);
  label_column = require_column(rel, label);
  label_type = getBaseType(label_column->atttypid);
  if (!is_number_type(label_type) && label_type != BOOLOID) {
    ereport(ERROR,
            (errcode(ERRCODE_DATATYPE_MISMATCH),
             errmsg("pml: the label column \"%s\" has type %s; pml needs numbers (class labels "
                    "or regression targets)",
                    label, format_type_be(label_column->atttypid)),
             errhint("Give each class a number, for example with a CASE expression in a view.")));
  }

  types = palloc(sizeof(Oid) * (desc->natts + 1));
  if (feature_names != NULL) {
    Datum *names;
    bool *nulls;
    int n_names;

    deconstruct_array(feature_names, TEXTOID, -1, false, TYPALIGN_INT, &names, &nulls, &n_names);
    if (n_names == 0) {
      ereport(ERROR,
              (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("pml: feature_columns is empty"),
               errhint("Pass NULL to use every numeric column but the label.")));
    }
    columns.names = palloc(sizeof(char *) * n_names);
    columns.is_array = palloc(sizeof(bool) * n_names);
    columns.is_category = palloc(sizeof(bool) * n_names);
    types = repalloc(types, sizeof(Oid) * n_names);
    for (i = 0; i < n_names; ++i) {
      char *name;
      Form_pg_attribute column;
      Oid type;

      if (nulls[i]) {
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("pml: feature_columns[%d] is NULL", i + 1)));
      }
      name = TextDatumGetCString(names[i]);
      column = require_column(rel, name);
      if (strcmp(name, label) == 0) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("pml: \"%s\" is the label column and cannot be a feature", name)));
      }
      for (j = 0; j < i; ++j) {
        if (strcmp(columns.names[j], name) == 0) {
          ereport(ERROR, (errcode(ERRCODE_DUPLICATE_COLUMN),
                          errmsg("pml: feature column \"%s\" is listed twice", name)));
        }
      }
      type = getBaseType(column->atttypid);
      if (!is_number_type(type) && !is_number_array_type(type) && !is_category_type(type)) {
        ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                        errmsg("pml: feature column \"%s\" has type %s; pml needs numbers, "
                               "arrays of numbers or categories (text, varchar, char, boolean "
                               "or an enum)",
                               name, format_type_be(column->atttypid))));
      }
      columns.names[columns.n_columns] = name;
      columns.is_array[columns.n_columns] = is_number_array_type(type);
      columns.is_category[columns.n_columns] = is_category_type(type);
      types[columns.n_columns++] = type;
    }
  } else {
    columns.names = palloc(sizeof(char *) * (desc->natts + 1));
    columns.is_array = palloc(sizeof(bool) * (desc->natts + 1));
    columns.is_category = palloc(sizeof(bool) * (desc->natts + 1));
    for (i = 0; i < desc->natts; ++i) {
      Form_pg_attribute column = TupleDescAttr(desc, i);
      Oid type = getBaseType(column->atttypid);

      if (column->attisdropped || column == label_column) continue;
      if (!is_number_type(type) && !is_number_array_type(type) && !is_category_type(type)) {
        continue;
      }
      columns.names[columns.n_columns] = pstrdup(NameStr(column->attname));
      columns.is_array[columns.n_columns] = is_number_array_type(type);
      columns.is_category[columns.n_columns] = is_category_type(type);
      types[columns.n_columns++] = type;
    }
    if (columns.n_columns == 0) {
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("pml: relation \"%s\" has no numeric or category column besides the "
                             "label \"%s\"",
                             RelationGetRelationName(rel), label)));
    }
  }

  initStringInfo(&query);
  appendStringInfo(&query, "SELECT %s::%s", quote_identifier(label),
                   label_type == BOOLOID ? "int4::float8" : "float8");
  for (i = 0; i < columns.n_columns; ++i) {
    append_feature_expression(&query, columns.names[i], types[i]);
  }
  appendStringInfo(&query, " FROM %s", columns.relation_name);
  columns.query = query.data;
  /* The lock is kept until the transaction ends, so the columns cannot change under the read. */
  relation_close(rel, NoLock);
  return columns;
}
