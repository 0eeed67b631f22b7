#include "model/model_description.hpp"

#include "io/json_writer.hpp"

namespace pml {

std::string describe_model(const Model &model, const std::string &library_version) {
  const ModelHeader &h = model.header();
  std::string j = "{\"algorithm\": " + json_quote(h.algorithm);
  j += ", \"format_version\": " + std::to_string(model_format_version(h));
  j += ", \"pml_version\": " + json_quote(library_version);
  j += ", \"task\": " + json_quote(model.is_classifier() ? "classification" : "regression");
  j += ", \"n_features\": " + std::to_string(h.n_features);
  j += ", \"classes\": [";
  for (size_t i = 0; i < h.classes.size(); ++i) {
    j += (i ? ", " : "") + json_number(h.classes[i]);
  }
  j += "], \"params\": {";
  bool first = true;
  for (const auto &kv : h.params) {
    j += (first ? "" : ", ") + json_quote(kv.first) + ": " + json_quote(kv.second);
    first = false;
  }
  // Per column trained with category names: its names, code by code.
  j += "}, \"categories\": {";
  first = true;
  for (const auto &[column, names] : h.category_names) {
    j += (first ? "" : ", ") + json_quote(std::to_string(column)) + ": [";
    for (size_t k = 0; k < names.size(); ++k) j += (k ? ", " : "") + json_quote(names[k]);
    j += "]";
    first = false;
  }
  j += "}, \"summary\": " + model.summary_json() + "}";
  return j;
}

}  // namespace pml
