#include "c_api/algorithms.hpp"

#include <iterator>

#include "boosting/boosting.hpp"
#include "forest/forest.hpp"
#include "svm/svm.hpp"

namespace pml {

namespace {
// One entry per learner; a learner is listed only once it is complete.
const Algorithm kAlgorithms[] = {
    {"forest", &train_forest, &load_forest_payload, true},
    {"boosting", &train_boosting, &load_boosting_payload, true},
    {"svm", &train_svm, &load_svm_payload, true},
    {nullptr, nullptr, nullptr, false},  // sentinel so the table is never empty
};
}  // namespace

const Algorithm *find_algorithm(const std::string &name) {
  for (const Algorithm &a : kAlgorithms) {
    if (a.name && name == a.name) return &a;
  }
  return nullptr;
}

std::string algorithm_names() {
  std::string names;
  for (const Algorithm &a : kAlgorithms) {
    if (a.name) names += (names.empty() ? "" : ", ") + std::string(a.name);
  }
  return names.empty() ? "(none built yet)" : names;
}

PayloadLoader payload_loader_for(const std::string &name) {
  const Algorithm *a = find_algorithm(name);
  return a ? a->load : nullptr;
}

}  // namespace pml
