// A BERT encoder (config.json + model.safetensors) and its forward pass (own kernels, no BLAS).
//
// Sequences in a batch are packed back to back, not padded: every linear layer
// runs on all real tokens at once and attention runs per sequence over exactly
// its own tokens. That is what an attention mask over padding computes, without
// spending work on pad positions. Immutable after Load: Encode is thread-safe as
// long as each thread passes its own Workspace.
#ifndef STRATAMEM_EMBED_BERT_MODEL_H_
#define STRATAMEM_EMBED_BERT_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "embed/int8_gemm.h"
#include "embed/packed_gemm.h"
#include "embed/safetensors.h"
#include "stratamem/status.h"

namespace stratamem::embed {

struct BertConfig {
  int vocab_size = 0;
  int hidden_size = 0;
  int num_layers = 0;
  int num_heads = 0;
  int intermediate_size = 0;
  int max_position_embeddings = 0;
  int type_vocab_size = 0;
  float layer_norm_eps = 1e-12f;
  bool gelu_tanh = false;  // hidden_act "gelu_new"/"gelu_pytorch_tanh" instead of "gelu"
};

enum class Pooling { kMean, kCls };

// Scratch buffers for one forward pass; they grow to the largest batch seen and
// are reused, so steady-state calls do not allocate.
struct BertWorkspace {
  std::vector<float> hidden, qkv, context, attn_out, inter, scores;
  std::vector<float> panels;  // one head's K^T or V, packed for MultiplyPacked
  Int8Scratch int8;
};

// A Linear layer's weight, kept in one of two forms: float32 panels, or int8
// panels with per-channel scales (src/embed/int8_gemm.h).
class LinearWeight {
 public:
  LinearWeight() = default;
  LinearWeight(const float* w, int n, int k, bool int8);
  // y[m, n] += x[m, k] * W^T.
  void Apply(const float* x, int m, float* y, BertWorkspace* ws) const;

 private:
  bool int8_ = false;
  PackedMatrix f32_;
  Int8Matrix i8_;
};

class BertModel {
 public:
  // Reads model_dir/config.json and model_dir/model.safetensors (mmapped).
  // Missing files: EmbedderError naming the file; wrong tensor shapes: Corruption.
  // int8: the four Linear layers of each block in 8-bit integers (about a
  // quarter of the memory, faster; vectors within ~0.99 cosine of float32);
  // embeddings, LayerNorm and attention stay float32.
  static Result<std::unique_ptr<BertModel>> Load(const std::string& model_dir, bool int8 = false);

  const BertConfig& config() const { return config_; }

  // Embeds each sequence of token ids (ids < vocab_size, 1..max_position_embeddings
  // long) into out[i * hidden_size ...]: pooled, then L2-normalised.
  void Encode(const std::vector<std::vector<int32_t>>& batch, Pooling pooling,
              BertWorkspace* ws, float* out) const;

 private:
  struct Layer {
    LinearWeight qkv;          // Q, K and V fused: [3H, H], one product instead of three
    std::vector<float> qkv_b;  // [3H]
    LinearWeight out, inter, out2;
    TensorF32 out_b, ln1_g, ln1_b, inter_b, out2_b, ln2_g, ln2_b;
  };
  BertModel() = default;
  Status LoadWeights(const std::string& prefix, bool int8);
  void Attention(const std::vector<std::vector<int32_t>>& batch, BertWorkspace* ws) const;

  BertConfig config_;
  std::unique_ptr<SafetensorsFile> file_;
  TensorF32 word_emb_, pos_emb_, type_emb_, emb_ln_g_, emb_ln_b_;
  std::vector<Layer> layers_;
};

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_BERT_MODEL_H_
