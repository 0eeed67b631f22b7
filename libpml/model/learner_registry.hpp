// The learners one build of pml knows, found by name: pml_train runs them and pml_model_load
// reads their models. The list itself is chosen where the learners are assembled (c_api), so this
// folder depends on no learner.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "model/learner.hpp"

namespace pml {

class LearnerRegistry {
 public:
  LearnerRegistry(std::initializer_list<const Learner *> learners) : learners_(learners) {}

  // nullptr if no learner has that name.
  const Learner *find(const std::string &name) const;
  // "forest, boosting, svm": for error messages.
  std::string names() const;

 private:
  std::vector<const Learner *> learners_;
};

}  // namespace pml
