#include "embed/hash_embedder.h"

#include <cstdint>
#include <string>

#include "vector/dot.h"

namespace stratamem {
namespace {

uint64_t Fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

class HashEmbedder final : public Embedder {
 public:
  explicit HashEmbedder(int dim) : dim_(dim) {}
  int dimension() const override { return dim_; }
  std::string model_id() const override { return "hash-" + std::to_string(dim_); }

  // Queries and passages hash alike: the double has no model to tell them apart.
  Status EmbedBatch(const std::vector<std::string>& texts, std::vector<std::vector<float>>* out,
                    EmbedKind /*kind*/ = EmbedKind::kPassage) override {
    out->clear();
    out->reserve(texts.size());
    for (const auto& text : texts) out->push_back(EmbedOne(text));
    return Status::OK();
  }

 private:
  std::vector<float> EmbedOne(const std::string& text) const {
    std::vector<float> v(static_cast<size_t>(dim_), 0.0f);
    std::string word;
    auto flush = [&] {
      if (word.empty()) return;
      uint64_t h = Fnv1a(word);
      v[h % static_cast<uint64_t>(dim_)] += (h >> 63) ? 1.0f : -1.0f;
      word.clear();
    };
    for (unsigned char c : text) {
      if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) {
        word.push_back(static_cast<char>(c));
      } else if (c >= 'A' && c <= 'Z') {
        word.push_back(static_cast<char>(c - 'A' + 'a'));
      } else {
        flush();
      }
    }
    flush();
    if (!L2Normalize(&v)) v[0] = 1.0f;  // no word: a fixed unit vector
    return v;
  }

  int dim_;
};

}  // namespace

Result<std::unique_ptr<Embedder>> NewHashEmbedder(const EmbedderOptions& options) {
  int dim = options.dimension > 0 ? options.dimension : 256;
  if (dim > 8192) return Status::InvalidArgument("hash embedder dimension must be <= 8192");
  return std::unique_ptr<Embedder>(new HashEmbedder(dim));
}

}  // namespace stratamem
