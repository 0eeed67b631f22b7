// The samples of a forest's tree being grown, as three parallel arrays ordered so that each node
// owns one contiguous range. Targets and weights travel with the rows when a node is split, so
// histogram loops read them sequentially and only the bin of each row is a gather.
#pragma once

#include <cstdint>
#include <vector>

namespace pml {

template <typename Target>
class NodeSamples {
 public:
  std::vector<uint32_t> rows;  // row of the training matrix
  std::vector<Target> targets;
  std::vector<double> weights;  // sample weight x bootstrap multiplicity x class weight

  // Grows (never shrinks) the arrays to hold n samples; the spare arrays serve partition().
  void reserve(size_t n) {
    if (rows.size() >= n) return;
    rows.resize(n);
    targets.resize(n);
    weights.resize(n);
    spare_rows.resize(n);
    spare_targets.resize(n);
    spare_weights.resize(n);
  }

  // Stable partition of [begin, end): samples for which goes_left(i) holds come first, in their
  // order, then the others in theirs. Keeping rows ascending keeps the gathers cache-friendly.
  // on_left(i) / on_right(i) see each sample once before it moves. Returns the first right one.
  template <typename GoesLeft, typename OnLeft, typename OnRight>
  int64_t partition(int64_t begin, int64_t end, GoesLeft goes_left, OnLeft on_left,
                    OnRight on_right) {
    int64_t out = begin, spare = 0;
    for (int64_t i = begin; i < end; ++i) {
      if (goes_left(i)) {
        on_left(i);
        rows[out] = rows[i];
        targets[out] = targets[i];
        weights[out] = weights[i];
        ++out;
      } else {
        on_right(i);
        spare_rows[spare] = rows[i];
        spare_targets[spare] = targets[i];
        spare_weights[spare] = weights[i];
        ++spare;
      }
    }
    for (int64_t k = 0; k < spare; ++k) {
      rows[out + k] = spare_rows[k];
      targets[out + k] = spare_targets[k];
      weights[out + k] = spare_weights[k];
    }
    return out;
  }

 private:
  std::vector<uint32_t> spare_rows;
  std::vector<Target> spare_targets;
  std::vector<double> spare_weights;
};

}  // namespace pml
