// Reading the small text files of a model directory (JSON configs, vocab.txt),
// with errors that name the file.
#ifndef STRATAMEM_EMBED_MODEL_FILES_H_
#define STRATAMEM_EMBED_MODEL_FILES_H_

#include <nlohmann/json.hpp>
#include <string>

#include "stratamem/status.h"

namespace stratamem::embed {

// model_dir + "/" + name.
std::string ModelPath(const std::string& model_dir, const std::string& name);
bool FileExists(const std::string& path);
// Whole file; EmbedderError naming the path if it is missing or unreadable.
Status ReadTextFile(const std::string& path, std::string* out);
// Parsed JSON object; Corruption naming the path when it does not parse.
Status ReadJsonFile(const std::string& path, nlohmann::json* out);

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_MODEL_FILES_H_
