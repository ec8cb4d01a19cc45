#include "search/calibration.h"

#include <algorithm>
#include <string>

namespace stratamem {
namespace {

struct Entry {
  std::string_view model_id;
  ModelCalibration calibration;
};

// Measured by bench/recall/study.py (docs/evaluation.md, "Calibration").
// floor: the mean cosine of 1.15M unrelated (question, memory) pairs, the
// questions of one development set against the memories of the other.
// weights: one vector weight per model, chosen on half of LoCoMo's
// conversations and half of PrefEval's topics at once, scored on the other
// halves, both ways; the mean of the two choices is kept.
constexpr Entry kMeasured[] = {
    {"all-MiniLM-L6-v2", {0.050, 0.55, 0.45}},
    {"bge-small-en-v1.5", {0.385, 0.70, 0.30}},
    {"e5-small-v2", {0.728, 0.625, 0.375}},
};

// "intfloat/e5-small-v2" and "e5-small-v2-int8" are measured as "e5-small-v2":
// the int8 weights move cosines by far less than the floor's spread.
std::string_view BaseModel(std::string_view id) {
  size_t slash = id.rfind('/');
  if (slash != std::string_view::npos) id.remove_prefix(slash + 1);
  constexpr std::string_view kInt8 = "-int8";
  if (id.size() > kInt8.size() && id.substr(id.size() - kInt8.size()) == kInt8) {
    id.remove_suffix(kInt8.size());
  }
  return id;
}

}  // namespace

ModelCalibration CalibrationFor(std::string_view model_id) {
  std::string_view base = BaseModel(model_id);
  for (const Entry& e : kMeasured) {
    if (e.model_id == base) return e.calibration;
  }
  return ModelCalibration{};
}

double CalibratedCosine(double cosine, double floor) {
  if (!(floor < 1)) return cosine > 0 ? cosine : 0;
  return std::clamp((cosine - floor) / (1 - floor), 0.0, 1.0);
}

}  // namespace stratamem
