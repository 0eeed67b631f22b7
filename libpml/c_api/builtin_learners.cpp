#include "c_api/builtin_learners.hpp"

#include "boosting/boosting.hpp"
#include "forest/forest.hpp"
#include "svm/svm.hpp"

namespace pml {

const LearnerRegistry &builtin_learners() {
  static const LearnerRegistry learners{&kForestLearner, &kBoostingLearner, &kSvmLearner};
  return learners;
}

}  // namespace pml
