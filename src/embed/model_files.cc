#include "embed/model_files.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace stratamem::embed {

std::string ModelPath(const std::string& model_dir, const std::string& name) {
  if (model_dir.empty() || model_dir.back() == '/') return model_dir + name;
  return model_dir + "/" + name;
}

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Status ReadTextFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::EmbedderError("cannot read model file " + path + ": " + std::strerror(errno));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::EmbedderError("error reading model file " + path);
  *out = ss.str();
  return Status::OK();
}

Status ReadJsonFile(const std::string& path, nlohmann::json* out) {
  std::string text;
  STRATAMEM_RETURN_IF_ERROR(ReadTextFile(path, &text));
  *out = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (out->is_discarded() || !out->is_object()) {
    return Status::Corruption("model file " + path + " is not a JSON object");
  }
  return Status::OK();
}

}  // namespace stratamem::embed
