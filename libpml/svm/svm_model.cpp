#include "svm/svm_model.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "core/error.hpp"
#include "data/dense_row_reader.hpp"
#include "io/json_writer.hpp"
#include "svm/platt.hpp"

namespace pml {

SvmModel::SvmModel(ModelHeader header, SvmState state)
    : Model(std::move(header)),
      state_(std::move(state)),
      support_by_column_(state_.support.transposed()) {}

int64_t SvmModel::output_width(PredictKind kind) const {
  if (kind == PredictKind::Proba && !state_.probability) {
    fail_argument(
        "PML_PREDICT_PROBA needs an SVM trained with probability=true; PML_PREDICT_RAW "
        "gives decision values");
  }
  if (kind == PredictKind::Raw) {
    return n_classes() > 2 ? static_cast<int64_t>(state_.machines.size()) : 1;
  }
  return Model::output_width(kind);
}

void SvmModel::predict(const Dataset &x, PredictKind kind, double *out,
                       const Executor &executor) const {
  const int64_t width = output_width(kind);
  const int64_t d = header().n_features;
  const int64_t n_sv = state_.support.n_rows();
  const size_t n_machines = state_.machines.size();
  const int64_t chunk =
      std::max<int64_t>(1, std::min<int64_t>(1024, x.n_rows() / (4 * executor.n_threads()) + 1));
  executor.parallel_for(0, x.n_rows(), chunk, [&](int64_t begin, int64_t end, int) {
    // Each row as its non-zero entries in column order: sparse input is read as stored, never
    // widened to n_features values.
    std::unique_ptr<DenseRowReader> reader;
    if (!x.is_sparse()) {
      reader = std::make_unique<DenseRowReader>(x, end - begin);
      reader->load(begin, end);
    }
    std::vector<int64_t> cols;
    std::vector<double> vals;
    std::vector<std::pair<int64_t, double>> unsorted;
    std::vector<double> kv(static_cast<size_t>(n_sv));
    std::vector<double> dec(n_machines);
    std::vector<int> votes(static_cast<size_t>(std::max<int64_t>(1, n_classes())));
    std::vector<double> pairwise(static_cast<size_t>(n_classes() * n_classes()));
    int64_t r = begin;  // the row being read
    auto take = [&](int64_t c, double v) {
      if (!std::isfinite(v)) {
        fail_argument("svm: row ", r, " column ", c,
                      " is missing or infinite; SVMs need complete data");
      }
      if (v != 0.0) cols.push_back(c), vals.push_back(v);
    };
    for (int64_t i = 0; i < end - begin; ++i) {
      r = begin + i;
      cols.clear();
      vals.clear();
      if (x.is_sparse()) {
        x.for_each_in_row(r, take);
        if (!std::is_sorted(cols.begin(), cols.end())) {
          // CSR may list a row's entries in any order; the sums are defined in column order.
          unsorted.clear();
          for (size_t k = 0; k < cols.size(); ++k) unsorted.emplace_back(cols[k], vals[k]);
          std::sort(unsorted.begin(), unsorted.end());
          for (size_t k = 0; k < cols.size(); ++k) {
            cols[k] = unsorted[k].first;
            vals[k] = unsorted[k].second;
          }
        }
      } else if (reader->single_precision()) {
        const float *row = reader->row<float>(i);
        for (int64_t c = 0; c < d; ++c) take(c, row[c]);
      } else {
        const double *row = reader->row<double>(i);
        for (int64_t c = 0; c < d; ++c) take(c, row[c]);
      }
      double norm = 0.0;
      for (double v : vals) norm += v * v;
      kernel_values_sparse(state_.kernel, cols.data(), vals.data(),
                           static_cast<int64_t>(cols.size()), norm, support_by_column_.data(), n_sv,
                           state_.support.norms(), n_sv, kv.data());
      for (size_t m = 0; m < n_machines; ++m) {
        const SvmMachine &mc = state_.machines[m];
        double v = -mc.rho;
        for (size_t k = 0; k < mc.sv.size(); ++k) v += mc.coef[k] * kv[mc.sv[k]];
        dec[m] = v;
      }
      double *o = out + (begin + i) * width;
      if (!is_classifier()) {
        o[0] = dec[0];
      } else if (kind == PredictKind::Proba) {
        probabilities(dec, pairwise, o);
      } else if (kind == PredictKind::Raw) {
        // Two classes: positive means the second class, as scikit-learn's decision_function.
        if (n_classes() == 2) {
          o[0] = -dec[0];
        } else {
          std::copy(dec.begin(), dec.end(), o);
        }
      } else {
        std::fill(votes.begin(), votes.end(), 0);
        for (size_t m = 0; m < n_machines; ++m) {
          ++votes[dec[m] > 0.0 ? state_.machines[m].first : state_.machines[m].second];
        }
        // Ties go to the lower class, as libsvm.
        const auto best = std::max_element(votes.begin(), votes.end()) - votes.begin();
        o[0] = header().classes[static_cast<size_t>(best)];
      }
    }
  });
}

void SvmModel::probabilities(const std::vector<double> &decision, std::vector<double> &pairwise,
                             double *out) const {
  const int k = static_cast<int>(n_classes());
  for (size_t m = 0; m < state_.machines.size(); ++m) {
    const SvmMachine &mc = state_.machines[m];
    // Clipped as libsvm does, so the coupling never sees a certainty.
    const double r = std::min(
        std::max(platt_probability({mc.prob_a, mc.prob_b}, decision[m]), 1e-7), 1.0 - 1e-7);
    pairwise[mc.first * k + mc.second] = r;
    pairwise[mc.second * k + mc.first] = 1.0 - r;
  }
  if (k == 2) {
    out[0] = pairwise[1];
    out[1] = 1.0 - pairwise[1];
    return;
  }
  couple_pairwise(pairwise, k, out);
}

std::string SvmModel::summary_json() const {
  std::string j = "{\"kernel\": " + json_quote(kernel_name(state_.kernel.type));
  j += std::string(", \"probability\": ") + (state_.probability ? "true" : "false");
  j += ", \"gamma\": " + json_number(state_.kernel.gamma);
  j += ", \"n_support_vectors\": " + std::to_string(state_.support.n_rows());
  j += ", \"machines\": [";
  for (size_t m = 0; m < state_.machines.size(); ++m) {
    const SvmMachine &mc = state_.machines[m];
    j += (m ? ", " : "") + std::string("{\"classes\": [") + std::to_string(mc.first) + ", " +
         std::to_string(mc.second) + "], \"n_sv\": " + std::to_string(mc.sv.size()) +
         ", \"rho\": " + json_number(mc.rho) + ", \"objective\": " + json_number(mc.objective) +
         ", \"iterations\": " + std::to_string(mc.iterations) + "}";
  }
  return j + "]}";
}

}  // namespace pml
