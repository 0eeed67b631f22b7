// core/number_text, which replaced strtod and printf("%.17g") so that numbers read and write the
// same under any LC_NUMERIC (issue 21), against the C library in the "C" locale: for every text
// strtod reads whole and without a range error, parse_finite_double gives the same bits, and it
// refuses the rest; format_shortest reads back as the same bits; decimal_is_too_large tells
// strtod's infinities from its zeros.
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/number_text.hpp"

namespace {

int g_failures = 0;

// strtod's verdict in the "C" locale, as params.cpp used it before.
bool strtod_accepts(const std::string &text, double *out) {
  if (text.empty()) return false;
  errno = 0;
  char *end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return errno != ERANGE && end == text.c_str() + text.size() && std::isfinite(*out);
}

void check_parse(const std::string &text) {
  double want = 0;
  const bool accepted = strtod_accepts(text, &want);
  const std::optional<double> got =
      pml::parse_finite_double(text.data(), text.data() + text.size());
  if (accepted != got.has_value() || (accepted && std::memcmp(&want, &*got, sizeof want) != 0)) {
    std::fprintf(stderr, "FAILED: '%s': strtod %s %.17g, parse_finite_double %s %.17g\n",
                 text.c_str(), accepted ? "reads" : "refuses", want, got ? "reads" : "refuses",
                 got ? *got : 0.0);
    ++g_failures;
  }
}

void check_format(double v) {
  const std::string text = pml::format_shortest(v);
  const double back = std::strtod(text.c_str(), nullptr);
  if (std::memcmp(&v, &back, sizeof v) != 0 || text.find(',') != std::string::npos) {
    std::fprintf(stderr, "FAILED: format_shortest(%a) = '%s' reads back as %a\n", v, text.c_str(),
                 back);
    ++g_failures;
  }
}

void check_range(const std::string &text) {
  const double v = std::strtod(text.c_str(), nullptr);
  if (pml::decimal_is_too_large(text.data(), text.data() + text.size()) != std::isinf(v)) {
    std::fprintf(stderr, "FAILED: decimal_is_too_large('%s') but strtod gives %g\n", text.c_str(),
                 v);
    ++g_failures;
  }
}

}  // namespace

int main() {
  const char *const spelled[] = {"0.25",
                                 "+0.25",
                                 "-0.25",
                                 " 0.25",
                                 "\t1",
                                 "1e3",
                                 "1E-3",
                                 ".5",
                                 "5.",
                                 "1e",
                                 "e1",
                                 "--1",
                                 "+-1",
                                 "-+1",
                                 "++1",
                                 "0x1p-3",
                                 "-0x1.8p1",
                                 "0X10",
                                 "0x",
                                 "0xg",
                                 "inf",
                                 "-infinity",
                                 "nan",
                                 "1e308",
                                 "1e309",
                                 "1e-307",
                                 "1e-310",
                                 "4.9e-324",
                                 "2e-324",
                                 "1e-400",
                                 "-0",
                                 "0e-999",
                                 "00012.5000",
                                 "1.7976931348623157e308",
                                 "1.7976931348623159e308",
                                 "2.2250738585072014e-308",
                                 "2.2250738585072011e-308",
                                 "0.1 ",
                                 "1,5",
                                 "1_000",
                                 "",
                                 " ",
                                 "0.30000000000000004",
                                 "123456789012345678901234567890",
                                 "9007199254740993"};
  for (const char *text : spelled) check_parse(text);

  std::mt19937_64 rng(21);
  for (int i = 0; i < 200000; ++i) {
    uint64_t bits = rng();
    double v = 0;
    std::memcpy(&v, &bits, sizeof v);
    if (!std::isfinite(v)) continue;
    check_format(v);
    char text[64];
    const char *formats[] = {"%.17g", "%.3g", "%a", "%.20e"};
    std::snprintf(text, sizeof text, formats[i % 4], v);
    check_parse(text);
  }
  for (const char *text :
       {"1e309", "-1e309", "1e-400", "-1e-400", "0.0000001e-320", "123e-330", "1000e306",
        "0.001e312", "99999999999999999999e300", "1e99999999999",
        // Exponents longer than any int64_t (once an overflow, found by fuzz_csv).
        "22e5007777777777777777777777777777777777", "1e-77777777777777777777777"}) {
    check_range(text);
  }
  if (g_failures == 0) std::printf("number_text: all checks passed\n");
  return g_failures == 0 ? 0 : 1;
}
