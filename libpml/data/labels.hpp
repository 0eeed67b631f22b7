// Class labels: the sorted distinct label values of a classification problem and each row's
// index into them. Labels may be any finite doubles (0/1, -1/+1, 1..26).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.hpp"

namespace pml {

struct ClassEncoding {
  std::vector<double> classes;  // ascending
  std::vector<int32_t> codes;   // per row, index into classes
};

// Throws InvalidArgument (naming context) if there are fewer than 2 classes or more than
// max_classes.
ClassEncoding encode_classes(const char *context, const double *labels, int64_t n_rows,
                             int64_t max_classes);

// Index of label in classes, or -1.
int32_t class_index(const std::vector<double> &classes, double label);

// The task when the caller did not set one: classification if every label is a whole number and
// there are at most 256 distinct values, regression otherwise.
std::string infer_task(const double *labels, int64_t n_rows);

}  // namespace pml
