// Writing a .safetensors file (layout in safetensors.h) of float32 tensors.
#ifndef STRATAMEM_EMBED_SAFETENSORS_WRITER_H_
#define STRATAMEM_EMBED_SAFETENSORS_WRITER_H_

#include <map>
#include <string>

#include "embed/onnx_import.h"
#include "stratamem/status.h"

namespace stratamem::embed {

// Writes `tensors` (F32, in name order) to `path`, flushed to disk before it
// returns. IOError naming the path on failure.
Status WriteSafetensors(const std::string& path, const std::map<std::string, NamedTensor>& tensors);

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_SAFETENSORS_WRITER_H_
