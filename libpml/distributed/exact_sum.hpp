// An exact accumulator of doubles: a fixed-point integer wide enough for every finite double
// (a Kulisch accumulator in 32-bit limbs). Adding is exact and merging is integer addition, so
// the rounded result is the correctly rounded sum of all values added, whatever their order,
// however they are split among threads or ranks. This is how cluster mode keeps the rule that a
// reduction whose order could vary is done in integer arithmetic.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace pml {

class ExactSum {
 public:
  // Limbs of 32 bits from 2^-1074 (the smallest subnormal) up past 2^1024 times 2^63 terms.
  static constexpr int kLimbs = 68;
  // The words a sum travels as: the limbs, then counts of +inf, -inf and NaN terms.
  static constexpr int kWords = kLimbs + 3;

  void add(double x);
  void merge(const ExactSum &other);
  // The correctly rounded (to nearest, ties to even) sum. NaN if any term was NaN or both
  // infinities were added; +-inf if one infinity was; an exact zero is +0.
  double value() const;

  // Appends this sum's kWords words (normalised, so the limbs of up to 2^31 ranks can be added
  // as plain int64) to out; from_words reads them back.
  void to_words(std::vector<int64_t> &out) const;
  static ExactSum from_words(const int64_t *words);

 private:
  void normalize();

  std::array<int64_t, kLimbs> limbs_{};
  int64_t pos_inf_ = 0, neg_inf_ = 0, nan_ = 0;
  // Terms added since the last normalisation; bounds how far a limb can drift from 32 bits.
  int64_t pending_ = 0;
};

}  // namespace pml
