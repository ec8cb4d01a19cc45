#include "embed/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace stratamem::embed {
namespace {

float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1F;
  uint32_t mant = h & 0x3FF;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      exp = 127 - 15 + 1;
      while ((mant & 0x400) == 0) {
        mant <<= 1;
        --exp;
      }
      bits = sign | (exp << 23) | ((mant & 0x3FF) << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7F800000 | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

size_t DtypeSize(const std::string& dtype) {
  if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
  if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
  if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
  if (dtype == "I8" || dtype == "U8" || dtype == "BOOL" || dtype == "F8_E4M3" ||
      dtype == "F8_E5M2")
    return 1;
  return 0;
}

}  // namespace

int64_t TensorF32::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string TensorF32::ShapeString() const {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

SafetensorsFile::~SafetensorsFile() {
  if (base_) ::munmap(const_cast<uint8_t*>(base_), size_);
}

Result<std::unique_ptr<SafetensorsFile>> SafetensorsFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::EmbedderError("cannot open model file " + path + ": " + std::strerror(errno));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Status::EmbedderError("cannot stat model file " + path + ": " + std::strerror(err));
  }
  std::unique_ptr<SafetensorsFile> file(new SafetensorsFile());
  file->path_ = path;
  file->size_ = static_cast<size_t>(st.st_size);
  if (file->size_ < 8) {
    ::close(fd);
    return Status::Corruption(path + ": file too short for a safetensors header (" +
                              std::to_string(file->size_) + " bytes)");
  }
  void* p = ::mmap(nullptr, file->size_, PROT_READ, MAP_SHARED, fd, 0);
  int err = errno;
  ::close(fd);  // the mapping keeps the file alive
  if (p == MAP_FAILED) {
    return Status::EmbedderError("cannot mmap model file " + path + ": " + std::strerror(err));
  }
  file->base_ = static_cast<const uint8_t*>(p);

  uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | file->base_[i];
  if (header_len > file->size_ - 8) {
    return Status::Corruption(path + ": header length " + std::to_string(header_len) +
                              " exceeds the file size " + std::to_string(file->size_) +
                              " (truncated or not a safetensors file)");
  }
  const uint64_t data_start = 8 + header_len;
  auto header = nlohmann::json::parse(file->base_ + 8, file->base_ + data_start, nullptr,
                                      /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_object()) {
    return Status::Corruption(path + ": the safetensors header is not a JSON object");
  }
  try {
    for (const auto& [name, info] : header.items()) {
      if (name == "__metadata__") continue;
      Entry e;
      e.dtype = info.at("dtype").get<std::string>();
      e.shape = info.at("shape").get<std::vector<int64_t>>();
      auto offsets = info.at("data_offsets").get<std::vector<uint64_t>>();
      if (offsets.size() != 2 || offsets[0] > offsets[1]) {
        return Status::Corruption(path + ": tensor " + name + " has bad data_offsets");
      }
      e.begin = data_start + offsets[0];
      e.end = data_start + offsets[1];
      if (e.end > file->size_) {
        return Status::Corruption(path + ": tensor " + name + " ends at byte " +
                                  std::to_string(e.end) + " past the end of the file (" +
                                  std::to_string(file->size_) + " bytes): truncated?");
      }
      uint64_t numel = 1;
      for (int64_t d : e.shape) {
        if (d < 0) return Status::Corruption(path + ": tensor " + name + " has a negative dim");
        numel *= static_cast<uint64_t>(d);
      }
      size_t esize = DtypeSize(e.dtype);
      if (esize == 0) {
        return Status::Corruption(path + ": tensor " + name + " has unknown dtype " + e.dtype);
      }
      if (numel * esize != e.end - e.begin) {
        return Status::Corruption(path + ": tensor " + name + " byte size does not match its shape");
      }
      file->entries_.emplace(name, std::move(e));
    }
  } catch (const nlohmann::json::exception& ex) {
    return Status::Corruption(path + ": malformed safetensors header: " + ex.what());
  }
  return file;
}

std::vector<std::string> SafetensorsFile::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, e] : entries_) names.push_back(name);
  return names;
}

Result<TensorF32> SafetensorsFile::GetF32(const std::string& name) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) return Status::NotFound(path_ + ": no tensor named " + name);
  const Entry& e = it->second;
  TensorF32 t;
  t.shape = e.shape;
  const uint8_t* src = base_ + e.begin;
  const size_t n = static_cast<size_t>(t.numel());
  if (e.dtype == "F32") {
    if (reinterpret_cast<uintptr_t>(src) % alignof(float) == 0) {
      t.data = reinterpret_cast<const float*>(src);
      return t;
    }
    t.owned.resize(n);
    std::memcpy(t.owned.data(), src, n * sizeof(float));
  } else if (e.dtype == "F16" || e.dtype == "BF16") {
    t.owned.resize(n);
    for (size_t i = 0; i < n; ++i) {
      uint16_t h = static_cast<uint16_t>(src[2 * i] | (src[2 * i + 1] << 8));
      if (e.dtype == "F16") {
        t.owned[i] = HalfToFloat(h);
      } else {
        uint32_t bits = static_cast<uint32_t>(h) << 16;
        std::memcpy(&t.owned[i], &bits, 4);
      }
    }
  } else {
    return Status::NotSupported(path_ + ": tensor " + name + " has dtype " + e.dtype +
                                ", expected F32, F16 or BF16");
  }
  t.data = t.owned.data();
  return t;
}

}  // namespace stratamem::embed
