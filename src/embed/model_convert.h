// A registry artifact (a .jar with an fp32 ONNX BERT and its tokenizer.json)
// converted into a model directory the native encoder loads.
#ifndef STRATAMEM_EMBED_MODEL_CONVERT_H_
#define STRATAMEM_EMBED_MODEL_CONVERT_H_

#include <string>
#include <string_view>

#include "embed/model_registry.h"
#include "stratamem/status.h"

namespace stratamem::embed {

// Writes into `out_dir` (which must exist and be empty): model.safetensors,
// config.json (derived from the tensors' shapes and the registry's head count),
// tokenizer.json, and stratamem_model.json (name, pooling, prefixes, max
// tokens, source, sha256, licence). Every file is synced to disk. The result
// is loaded once before returning, so a conversion that the encoder cannot
// read is an error here and not at the user's first save.
Status ConvertJar(std::string_view jar, const KnownModel& model, const std::string& source,
                  const std::string& jar_sha256, const std::string& out_dir);

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_MODEL_CONVERT_H_
