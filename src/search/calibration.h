// Putting the two signals on one scale, per embedding model.
//
// The full-text signal is already a fraction of what the query can attain
// (fts/fts_rank.h). A cosine's scale is the model's own: unrelated texts score
// about 0.05 with all-MiniLM-L6-v2 and about 0.75 with e5-small-v2, so one
// fixed mix of raw cosine and BM25 fits one model only. Each model's cosine is
// mapped by where unrelated texts land:
//
//   vector(d) = clip((cos(d) - floor_m) / (1 - floor_m), 0, 1)
//
// floor_m: the model's mean cosine between a question and memories that
// cannot answer it (questions of one development set against the memories of
// the other, no relevance label used; docs/evaluation.md). Then
//
//   relevance(d) = (w_v * vector(d) + w_t * min(1, match(d))) / (w_v + w_t)
//
// with the model's weights. Parameters are kept per model id
// (Embedder::model_id(): short name, Hugging Face id or "-int8" variant);
// an unknown model gets floor 0 and equal weights.
#ifndef STRATAMEM_SEARCH_CALIBRATION_H_
#define STRATAMEM_SEARCH_CALIBRATION_H_

#include <string_view>

namespace stratamem {

struct ModelCalibration {
  double cosine_floor = 0;    // the model's mean cosine between unrelated texts
  double vector_weight = 0.5;
  double text_weight = 0.5;
};

// The calibration measured for `model_id`, or the default for a model never measured.
ModelCalibration CalibrationFor(std::string_view model_id);

// A cosine on the model's calibrated scale, in [0, 1].
double CalibratedCosine(double cosine, double floor);

}  // namespace stratamem

#endif  // STRATAMEM_SEARCH_CALIBRATION_H_
