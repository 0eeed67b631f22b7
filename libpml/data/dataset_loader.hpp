// Reading a dataset from a text file: the options and format dispatch behind pml_dataset_load.
#pragma once

#include <memory>
#include <string>

#include "core/params.hpp"
#include "data/dataset.hpp"

namespace pml {

// Reads the file at path as CSV or LIBSVM. Options (may be NULL): format (csv | libsvm | auto, by
// extension), label_column, header, delimiter (csv) and n_features (libsvm); an unknown key, or
// a key of the other format, is InvalidArgument.
std::unique_ptr<Dataset> load_dataset(const std::string &path, const Params *options);

}  // namespace pml
