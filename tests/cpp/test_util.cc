#include "test_util.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

namespace stratamem::test {

std::string ModelDir() {
  if (const char* env = std::getenv("STRATAMEM_MODEL_DIR"); env && *env) return env;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(
      popen("python3 -c \"import importlib.util as u, pathlib as p; s = u.find_spec('stratamem_models'); "
            "print(next((str(d) for r in (s.submodule_search_locations if s else []) "
            "for d in [p.Path(r) / 'all-MiniLM-L6-v2'] if (d / 'stratamem_model.json').is_file()), ''))\" "
            "2>/dev/null",
            "r"),
      pclose);
  if (!pipe) return "";
  char buf[4096];
  std::string out;
  while (fgets(buf, sizeof(buf), pipe.get())) out += buf;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

namespace {
std::mutex g_mu;
std::vector<std::filesystem::path>* g_dirs = nullptr;
void RemoveDirs() {
  if (!g_dirs) return;
  for (auto& d : *g_dirs) {
    std::error_code ec;
    std::filesystem::remove_all(d, ec);
  }
}
}  // namespace

std::string TempDir() {
  std::lock_guard<std::mutex> lock(g_mu);
  if (!g_dirs) {
    g_dirs = new std::vector<std::filesystem::path>();
    std::atexit(RemoveDirs);
  }
  std::string tmpl = (std::filesystem::temp_directory_path() / "stratamem-test-XXXXXX").string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) return "";
  g_dirs->emplace_back(buf.data());
  return buf.data();
}

std::unique_ptr<Embedder> HashEmbedder(int dimension) {
  EmbedderOptions eo;
  eo.backend = EmbedderBackend::kHash;
  eo.dimension = dimension;
  return std::move(NewEmbedder(eo)).value();
}

}  // namespace stratamem::test
