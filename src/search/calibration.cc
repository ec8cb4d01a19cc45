#include "search/calibration.h"

#include <algorithm>
#include <string>

namespace stratamem {
namespace {

struct Entry {
  std::string_view model_id;
  ModelCalibration calibration;
};

// Measured by bench/recall (docs/evaluation.md, "Calibration"): the floor is
// the mean cosine of 120,000 unrelated (question, memory) pairs; the weights
// are the same for every model.
constexpr Entry kMeasured[] = {
    {"all-MiniLM-L6-v2", {0.0, 0.5, 0.5}},
};

}  // namespace

ModelCalibration CalibrationFor(std::string_view model_id) {
  for (const Entry& e : kMeasured) {
    if (e.model_id == model_id) return e.calibration;
  }
  return ModelCalibration{};
}

double CalibratedCosine(double cosine, double floor) {
  if (!(floor < 1)) return cosine > 0 ? cosine : 0;
  return std::clamp((cosine - floor) / (1 - floor), 0.0, 1.0);
}

}  // namespace stratamem
