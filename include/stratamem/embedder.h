// Embedder: text in, unit-length float vectors out.
//
// One abstract batch method; single calls are built on it. Backends are chosen
// by EmbedderOptions::backend and resolved in exactly one place (NewEmbedder);
// the store never branches on a backend's name.
#ifndef STRATAMEM_EMBEDDER_H_
#define STRATAMEM_EMBEDDER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stratamem/export.h"
#include "stratamem/status.h"

namespace stratamem {

enum class EmbedderBackend : int {
  kNative = 0,  // the engine's own BERT encoder over safetensors weights (default)
  kOnnx = 1,    // any BERT-family ONNX model via onnxruntime (Python; through `callback`)
  kLocal = 2,   // sentence-transformers (Python; through `callback`)
  kOpenAI = 3,  // HTTP POST {base_url}/embeddings, OpenAI wire format
  kOllama = 4,  // the same wire format at Ollama's OpenAI-compatible /v1 endpoint
  kHash = 5,    // deterministic word-hashing vectors, no model: a test double for
                // users' own tests (lexical overlap only, not semantic)
};

// What a text is, for models that embed the two sides of a search differently
// (e5: "query: " / "passage: " prefixes; bge: an instruction before queries).
// A memory being saved is a passage; a search's text is a query. Backends whose
// model makes no distinction ignore it.
enum class EmbedKind : int {
  kPassage = 0,
  kQuery = 1,
};

// The batch function of a backend that runs outside the engine (kOnnx, kLocal:
// the Python layer supplies it). It receives the texts with the model's prefix
// for `kind` already applied and fills one vector per text; the engine checks
// the count and dimension and L2-normalises. It may be called from several
// threads at once.
using EmbedBatchFn = std::function<Status(const std::vector<std::string>& texts, EmbedKind kind,
                                          std::vector<std::vector<float>>* out)>;

// Arithmetic of the native encoder's matrix products.
enum class EmbedPrecision : int {
  kFloat32 = 0,
  // 8-bit integer weights (per output channel) and activations (per token):
  // faster and a quarter of the weight memory; vectors differ slightly from
  // float32, so the model id gets a "-int8" suffix and a store built with one
  // refuses the other (docs/embeddings.md, "int8").
  kInt8 = 1,
};

struct EmbedderOptions {
  EmbedderBackend backend = EmbedderBackend::kNative;
  // kNative: a directory holding config.json, vocab.txt (or tokenizer.json),
  // model.safetensors and optionally 1_Pooling/config.json (sentence-transformers layout)
  // and stratamem_model.json (docs/embeddings.md). kOnnx / kLocal: the model
  // directory whose settings (prefixes) the engine applies.
  std::string model_dir;
  // kOpenAI / kOllama: the model name sent in the request, e.g. "text-embedding-3-small".
  // kNative: a label recorded in the store (default: the directory's model name).
  std::string model;
  // kOpenAI / kOllama: base URL ending in /v1 ("http://127.0.0.1:11434/v1" for Ollama).
  std::string base_url;
  std::string api_key;         // sent as "Authorization: Bearer ..." when not empty
  int dimension = 0;           // 0: ask the model (kHash: 256) (HTTP backends learn it from the first reply)
  // kNative: truncation length including [CLS] and [SEP]; 0: the model's own
  // (its files or the registry, docs/embeddings.md), else 256.
  int max_tokens = 0;
  // Prepended to every query / passage before it is embedded. Unset: the
  // model's own (e5: "query: " / "passage: "); "" embeds texts as they are.
  std::optional<std::string> query_prefix;
  std::optional<std::string> passage_prefix;
  // kOnnx / kLocal: the function that embeds (required), its vector length
  // (required) and the label stored with the vectors (`model`, required).
  EmbedBatchFn callback;
  int batch_size = 32;         // texts per forward pass / per HTTP request
  EmbedPrecision precision = EmbedPrecision::kFloat32;  // kNative
  // kNative: must be >= 1. The forward pass runs on the calling thread (its own
  // kernels, no BLAS), so one call uses one core; concurrent calls run in parallel.
  int num_threads = 1;
  double timeout_seconds = 30; // HTTP backends
  // kNative: read only config.json now (dimension and model id) and load the
  // weights on the first EmbedBatch, so a program that never embeds (listing,
  // exporting) does not pay for the load. Load errors then surface there.
  bool load_on_first_use = false;
};

class STRATAMEM_EXPORT Embedder {
 public:
  virtual ~Embedder();
  Embedder() = default;
  Embedder(const Embedder&) = delete;
  Embedder& operator=(const Embedder&) = delete;

  // Vector length. For HTTP backends with options.dimension == 0 this is 0 until
  // the first successful call.
  virtual int dimension() const = 0;
  // A stable name for what produced the vectors; stored in the db so a store
  // is never silently searched with another model's vectors.
  virtual std::string model_id() const = 0;
  // Embeds every text as `kind`; out->size() == texts.size(), each of
  // dimension() floats, L2-normalised. Thread-safe. The default is kPassage
  // (what a store saves); searches pass kQuery.
  virtual Status EmbedBatch(const std::vector<std::string>& texts,
                            std::vector<std::vector<float>>* out,
                            EmbedKind kind = EmbedKind::kPassage) = 0;

  Status Embed(const std::string& text, std::vector<float>* out,
               EmbedKind kind = EmbedKind::kPassage);
};

// The one place a backend is chosen.
STRATAMEM_EXPORT Result<std::unique_ptr<Embedder>> NewEmbedder(const EmbedderOptions& options);

}  // namespace stratamem

#endif  // STRATAMEM_EMBEDDER_H_
