// pml_dataset_*: views over caller memory and datasets read from files.
#include <cstring>
#include <string>

#include "c_api/handles.hpp"
#include "data/dataset_loader.hpp"

using pml::guarded;
using pml::require;

namespace {

pml::DType dtype_of(const pml_dtype &dtype) {
  switch (pml::enum_bits(dtype)) {
    case PML_FLOAT32:
      return pml::DType::Float32;
    case PML_FLOAT64:
      return pml::DType::Float64;
  }
  pml::fail_argument("dtype must be PML_FLOAT32 or PML_FLOAT64, got ", pml::enum_bits(dtype));
}

pml::Layout layout_of(const pml_layout &layout) {
  switch (pml::enum_bits(layout)) {
    case PML_ROW_MAJOR:
      return pml::Layout::RowMajor;
    case PML_COL_MAJOR:
      return pml::Layout::ColMajor;
  }
  pml::fail_argument("layout must be PML_ROW_MAJOR or PML_COL_MAJOR, got ", pml::enum_bits(layout));
}

void check_out_len(int64_t out_len, int64_t needed) {
  if (out_len < needed) pml::fail_argument("out_len must be >= ", needed, ", got ", out_len);
}

}  // namespace

extern "C" {

pml_status pml_dataset_from_dense(const void *values, pml_dtype dtype, pml_layout layout,
                                  int64_t n_rows, int64_t n_cols, const double *labels,
                                  pml_dataset **out) {
  const char *fn = "pml_dataset_from_dense";
  return guarded(fn, [&] {
    require(out, "out");
    *out = nullptr;
    auto d =
        pml::Dataset::dense(fn, values, dtype_of(dtype), layout_of(layout), n_rows, n_cols, labels);
    *out = new pml_dataset{std::move(d)};
  });
}

pml_status pml_dataset_from_csr(const int64_t *indptr, const int32_t *indices, const void *values,
                                pml_dtype dtype, int64_t n_rows, int64_t n_cols,
                                const double *labels, pml_dataset **out) {
  const char *fn = "pml_dataset_from_csr";
  return guarded(fn, [&] {
    require(out, "out");
    *out = nullptr;
    auto d =
        pml::Dataset::csr(fn, indptr, indices, values, dtype_of(dtype), n_rows, n_cols, labels);
    *out = new pml_dataset{std::move(d)};
  });
}

pml_status pml_dataset_load(const char *path, const char *format, pml_dataset **out) {
  return guarded("pml_dataset_load", [&] {
    require(out, "out");
    *out = nullptr;
    require(path, "path");
    pml::Params options;
    if (format) options.set("format", format);
    *out = new pml_dataset{pml::load_dataset(path, &options)};
  });
}

pml_status pml_dataset_load_with(const char *path, const pml_params *options, pml_dataset **out) {
  return guarded("pml_dataset_load_with", [&] {
    require(out, "out");
    *out = nullptr;
    require(path, "path");
    *out = new pml_dataset{pml::load_dataset(path, options ? &options->params : nullptr)};
  });
}

pml_status pml_dataset_set_weights(pml_dataset *d, const double *weights) {
  return guarded("pml_dataset_set_weights", [&] {
    require(d, "dataset");
    d->dataset->set_weights("pml_dataset_set_weights", weights);
  });
}

pml_status pml_dataset_set_category_names(pml_dataset *d, int64_t column, const char *const *names,
                                          int64_t n_names) {
  return guarded("pml_dataset_set_category_names", [&] {
    require(d, "dataset");
    if (n_names < 0) pml::fail_argument("n_names must be >= 0, got ", n_names);
    if (n_names > 0) require(names, "names");
    if (n_names > pml::kMaxCategoryNames) {
      pml::fail_argument("n_names must be at most ", pml::kMaxCategoryNames, ", got ", n_names);
    }
    std::vector<std::string> copy;
    for (int64_t k = 0; k < n_names; ++k) {
      if (!names[k]) pml::fail_argument("names[", k, "] must not be NULL");
      copy.emplace_back(names[k]);
    }
    d->dataset->set_category_names("pml_dataset_set_category_names", column, std::move(copy));
  });
}

pml_status pml_dataset_shape(const pml_dataset *d, int64_t *n_rows, int64_t *n_cols) {
  return guarded("pml_dataset_shape", [&] {
    require(d, "dataset");
    if (n_rows) *n_rows = d->dataset->n_rows();
    if (n_cols) *n_cols = d->dataset->n_cols();
  });
}

pml_status pml_dataset_get_labels(const pml_dataset *d, double *out, int64_t out_len) {
  return guarded("pml_dataset_get_labels", [&] {
    require(d, "dataset");
    require(out, "out");
    const pml::Dataset &ds = *d->dataset;
    if (!ds.labels()) pml::fail_argument("the dataset has no labels");
    check_out_len(out_len, ds.n_rows());
    std::memcpy(out, ds.labels(), static_cast<size_t>(ds.n_rows()) * sizeof(double));
  });
}

pml_status pml_dataset_get_dense(const pml_dataset *d, double *out, int64_t out_len) {
  return guarded("pml_dataset_get_dense", [&] {
    require(d, "dataset");
    require(out, "out");
    const pml::Dataset &ds = *d->dataset;
    check_out_len(out_len, ds.n_rows() * ds.n_cols());
    for (int64_t r = 0; r < ds.n_rows(); ++r) ds.copy_row(r, out + r * ds.n_cols());
  });
}

void pml_dataset_free(pml_dataset *d) {
  delete d;
}

}  // extern "C"
