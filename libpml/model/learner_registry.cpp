#include "model/learner_registry.hpp"

namespace pml {

const Learner *LearnerRegistry::find(const std::string &name) const {
  for (const Learner *l : learners_) {
    if (name == l->name) return l;
  }
  return nullptr;
}

std::string LearnerRegistry::names() const {
  std::string names;
  for (const Learner *l : learners_) names += (names.empty() ? "" : ", ") + std::string(l->name);
  return names;
}

}  // namespace pml
