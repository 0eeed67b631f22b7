#include "distributed/exact_sum.hpp"

#include <cmath>
#include <cstring>
#include <limits>

namespace pml {

namespace {
constexpr int64_t kLimbMask = 0xffffffff;
// Each add puts < 2^34 into a limb; after this many a limb is still far from 2^63.
constexpr int64_t kAddsBeforeNormalize = int64_t(1) << 28;
}  // namespace

void ExactSum::add(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const bool negative = bits >> 63;
  const int exponent = static_cast<int>((bits >> 52) & 0x7ff);
  uint64_t mantissa = bits & ((uint64_t(1) << 52) - 1);
  if (exponent == 0x7ff) {
    if (mantissa != 0) {
      ++nan_;
    } else {
      ++(negative ? neg_inf_ : pos_inf_);
    }
    return;
  }
  if (mantissa == 0 && exponent == 0) return;
  // x = mantissa * 2^(position - 1074): subnormals sit at position 0.
  int position = 0;
  if (exponent != 0) {
    mantissa |= uint64_t(1) << 52;
    position = exponent - 1;
  }
  const int limb = position / 32, shift = position % 32;
  const uint64_t low = (mantissa & kLimbMask) << shift;  // < 2^64
  const uint64_t high = (mantissa >> 32) << shift;       // < 2^53
  const int64_t parts[3] = {static_cast<int64_t>(low & kLimbMask),
                            static_cast<int64_t>((low >> 32) + (high & kLimbMask)),
                            static_cast<int64_t>(high >> 32)};
  for (int i = 0; i < 3; ++i) limbs_[limb + i] += negative ? -parts[i] : parts[i];
  if (++pending_ >= kAddsBeforeNormalize) normalize();
}

void ExactSum::normalize() {
  // Carry so every limb but the top one is in [0, 2^32); the top one keeps the sign.
  for (int i = 0; i + 1 < kLimbs; ++i) {
    const int64_t carry = limbs_[i] >> 32;  // arithmetic shift: floor division
    limbs_[i] -= carry * (int64_t(1) << 32);
    limbs_[i + 1] += carry;
  }
  pending_ = 0;
}

void ExactSum::merge(const ExactSum &other) {
  ExactSum b = other;
  b.normalize();
  normalize();
  for (int i = 0; i < kLimbs; ++i) limbs_[i] += b.limbs_[i];
  pos_inf_ += b.pos_inf_;
  neg_inf_ += b.neg_inf_;
  nan_ += b.nan_;
  pending_ = 1;  // two normalised limbs added: < 2^33, well within one add's budget
}

double ExactSum::value() const {
  if (nan_ > 0 || (pos_inf_ > 0 && neg_inf_ > 0)) return std::numeric_limits<double>::quiet_NaN();
  if (pos_inf_ > 0) return std::numeric_limits<double>::infinity();
  if (neg_inf_ > 0) return -std::numeric_limits<double>::infinity();

  ExactSum m = *this;
  m.normalize();
  const bool negative = m.limbs_[kLimbs - 1] < 0;
  if (negative) {
    for (auto &l : m.limbs_) l = -l;
    m.normalize();
  }
  int top = kLimbs - 1;
  while (top >= 0 && m.limbs_[top] == 0) --top;
  if (top < 0) return 0.0;
  // The highest set bit of the magnitude, counted from 2^-1074.
  int highest = top * 32;
  for (uint64_t v = static_cast<uint64_t>(m.limbs_[top]); v > 1; v >>= 1) ++highest;

  auto limb = [&](int i) -> uint64_t {
    return i >= 0 && i < kLimbs ? static_cast<uint64_t>(m.limbs_[i]) : 0;
  };
  double magnitude;
  if (highest <= 52) {
    // At most 53 significant bits above 2^-1074: exactly representable (maybe subnormal).
    magnitude = std::ldexp(static_cast<double>(limb(0) | (limb(1) << 32)), -1074);
  } else {
    // Take the 64 bits below and including the highest, then round them to 53.
    const int lowest = highest - 63;
    uint64_t window;
    bool sticky = false;
    if (lowest < 0) {
      window = (limb(0) | (limb(1) << 32)) << -lowest;
    } else {
      const int w = lowest / 32, s = lowest % 32;
      const uint64_t lo = limb(w) | (limb(w + 1) << 32);
      window = s == 0 ? lo : (lo >> s) | (limb(w + 2) << (64 - s));
      sticky = s != 0 && (limb(w) & ((uint64_t(1) << s) - 1)) != 0;
      for (int i = 0; i < w && !sticky; ++i) sticky = limb(i) != 0;
    }
    uint64_t mantissa = window >> 11;
    const uint64_t rest = window & 0x7ff, half = 0x400;
    if (rest > half || (rest == half && (sticky || (mantissa & 1)))) ++mantissa;
    magnitude = std::ldexp(static_cast<double>(mantissa), highest - 52 - 1074);
  }
  return negative ? -magnitude : magnitude;
}

void ExactSum::to_words(std::vector<int64_t> &out) const {
  ExactSum m = *this;
  m.normalize();
  out.insert(out.end(), m.limbs_.begin(), m.limbs_.end());
  out.push_back(pos_inf_);
  out.push_back(neg_inf_);
  out.push_back(nan_);
}

ExactSum ExactSum::from_words(const int64_t *words) {
  ExactSum s;
  std::memcpy(s.limbs_.data(), words, sizeof(int64_t) * kLimbs);
  s.pos_inf_ = words[kLimbs];
  s.neg_inf_ = words[kLimbs + 1];
  s.nan_ = words[kLimbs + 2];
  s.normalize();  // the limbs may be the sum of many ranks' limbs
  return s;
}

}  // namespace pml
