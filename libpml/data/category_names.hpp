// Categorical columns whose codes have names (pml_dataset_set_category_names, text in CSV files):
// the dictionary a training agrees on, and data recoded into a model's dictionary, so that codes
// are matched by name and another order of the same names, or a name never seen, cannot be
// mistaken for a training category.
#pragma once

#include <memory>

#include "data/dataset.hpp"
#include "distributed/communicator.hpp"

namespace pml {

// Collective: the dictionary of a training: for each column some rank's shard names, the names
// every rank gives when all give the same list (so one process keeps its own codes), else their
// sorted union (so shards that each name their own categories, sorted, as a CSV file's text
// columns do, agree on what one process would name for all the rows). InvalidArgument on every
// rank when some ranks name a column and others do not.
CategoryNames agree_category_names(const char *context, const Dataset &train, Communicator &comm);

// x with the codes of each column it names translated by name into dictionary's codes, or null
// when x holds dictionary's codes already (the same names, or none: codes without names are
// taken as the dictionary's). A name the dictionary lacks becomes NaN, so it goes where missing
// values go. InvalidArgument for a column x names that the dictionary does not, and for a value
// of a named column that is neither NaN nor one of its codes (naming the row and the column).
// The copy is dense row-major float64 (CSR stays CSR) with x's labels and weights.
std::unique_ptr<Dataset> recode_categories(const char *context, const Dataset &x,
                                           const CategoryNames &dictionary);

}  // namespace pml
