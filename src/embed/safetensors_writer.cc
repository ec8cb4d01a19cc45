#include "embed/safetensors_writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace stratamem::embed {

Status WriteSafetensors(const std::string& path, const std::map<std::string, NamedTensor>& tensors) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    const uint64_t bytes = t.data.size() * sizeof(float);
    header[name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  header["__metadata__"] = {{"format", "pt"}};
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // keeps the data 8-byte aligned
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "wb"), std::fclose);
  auto fail = [&](const char* what) {
    return Status::IOError(std::string(what) + " " + path + ": " + std::strerror(errno));
  };
  if (!f) return fail("cannot create");
  const uint64_t n = text.size();
  unsigned char len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(n >> (8 * i));
  bool ok = std::fwrite(len, 1, 8, f.get()) == 8 && std::fwrite(text.data(), 1, n, f.get()) == n;
  for (auto it = tensors.begin(); ok && it != tensors.end(); ++it) {
    const auto& d = it->second.data;
    ok = std::fwrite(d.data(), sizeof(float), d.size(), f.get()) == d.size();
  }
  if (!ok || std::fflush(f.get()) != 0) return fail("cannot write");
  if (::fsync(fileno(f.get())) != 0) return fail("cannot sync");
  if (std::fclose(f.release()) != 0) return fail("cannot close");
  return Status::OK();
}

}  // namespace stratamem::embed
