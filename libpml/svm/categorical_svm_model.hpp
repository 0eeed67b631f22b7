// An SVM trained on one-hot encoded categorical columns (one_hot_columns.hpp): the model callers
// see, with the data's own columns (header), wrapping the SVM of the encoded columns, to which
// every prediction passes its rows encoded.
#pragma once

#include <memory>
#include <string>

#include "model/model.hpp"
#include "svm/one_hot_columns.hpp"

namespace pml {

class CategoricalSvmModel : public Model {
 public:
  CategoricalSvmModel(ModelHeader header, OneHotColumns encoding, std::unique_ptr<Model> inner)
      : Model(std::move(header)), encoding_(std::move(encoding)), inner_(std::move(inner)) {}

  int64_t output_width(PredictKind kind) const override { return inner_->output_width(kind); }
  void predict(const Dataset &x, PredictKind kind, double *out,
               const Executor &executor) const override {
    inner_->predict(*encoding_.encode("svm", x), kind, out, executor);
  }
  // The encoding, then the SVM's own payload (svm_payload.cpp: version 2).
  void write_payload(ByteWriter &out) const override;
  std::string summary_json() const override { return inner_->summary_json(); }

 private:
  OneHotColumns encoding_;
  std::unique_ptr<Model> inner_;
};

// The header of the SVM inside: the encoded columns, no names (the outer model matches them).
ModelHeader encoded_header(const ModelHeader &outer, const OneHotColumns &encoding);

}  // namespace pml
