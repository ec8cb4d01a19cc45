// Read-only access to a .safetensors file: memory-mapped, header parsed once,
// tensors exposed as float views. Immutable after Open; safe to share across threads.
//
// Layout: u64 little-endian header length N, N bytes of JSON
// {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...},
// then the data; offsets are relative to the first byte after the header.
#ifndef STRATAMEM_EMBED_SAFETENSORS_H_
#define STRATAMEM_EMBED_SAFETENSORS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "stratamem/status.h"

namespace stratamem::embed {

// A float tensor: either points into the mapping (F32, aligned) or owns a
// converted copy (F16, BF16, unaligned F32).
struct TensorF32 {
  TensorF32() = default;
  TensorF32(TensorF32&&) = default;  // moving keeps `owned`'s buffer, so `data` stays valid
  TensorF32& operator=(TensorF32&&) = default;
  TensorF32(const TensorF32&) = delete;
  TensorF32& operator=(const TensorF32&) = delete;

  std::vector<int64_t> shape;
  const float* data = nullptr;
  std::vector<float> owned;  // non-empty when `data` points here

  int64_t numel() const;
  std::string ShapeString() const;  // "[384, 1536]"
};

class SafetensorsFile {
 public:
  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  // EmbedderError when the file is missing/unreadable; Corruption when the header
  // or the offsets are inconsistent with the file (e.g. a truncated download).
  static Result<std::unique_ptr<SafetensorsFile>> Open(const std::string& path);

  bool Has(const std::string& name) const { return entries_.count(name) != 0; }
  // NotFound naming the tensor; NotSupported for dtypes other than F32/F16/BF16.
  Result<TensorF32> GetF32(const std::string& name) const;
  std::vector<std::string> Names() const;
  const std::string& path() const { return path_; }

 private:
  struct Entry {
    std::string dtype;
    std::vector<int64_t> shape;
    uint64_t begin = 0, end = 0;  // absolute file offsets
  };
  SafetensorsFile() = default;

  std::string path_;
  const uint8_t* base_ = nullptr;
  size_t size_ = 0;
  std::map<std::string, Entry> entries_;
};

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_SAFETENSORS_H_
