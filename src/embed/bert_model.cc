#include "embed/bert_model.h"

#include <cmath>
#include <cstring>

#include "embed/bert_ops.h"
#include "embed/model_files.h"

namespace stratamem::embed {
namespace {

Status ParseConfig(const std::string& path, const nlohmann::json& j, BertConfig* c) {
  try {
    const std::string type = j.value("model_type", "bert");
    if (type != "bert") {
      return Status::NotSupported(path + ": model_type '" + type + "' is not a BERT model");
    }
    if (j.value("position_embedding_type", "absolute") != "absolute") {
      return Status::NotSupported(path + ": only absolute position embeddings are supported");
    }
    const std::string act = j.value("hidden_act", "gelu");
    if (act == "gelu") {
      c->gelu_tanh = false;
    } else if (act == "gelu_new" || act == "gelu_pytorch_tanh") {
      c->gelu_tanh = true;
    } else {
      return Status::NotSupported(path + ": hidden_act '" + act + "' is not supported");
    }
    c->vocab_size = j.at("vocab_size").get<int>();
    c->hidden_size = j.at("hidden_size").get<int>();
    c->num_layers = j.at("num_hidden_layers").get<int>();
    c->num_heads = j.at("num_attention_heads").get<int>();
    c->intermediate_size = j.at("intermediate_size").get<int>();
    c->max_position_embeddings = j.value("max_position_embeddings", 512);
    c->type_vocab_size = j.value("type_vocab_size", 2);
    c->layer_norm_eps = j.value("layer_norm_eps", 1e-12f);
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(path + ": " + e.what());
  }
  if (c->vocab_size <= 0 || c->hidden_size <= 0 || c->num_layers <= 0 || c->num_heads <= 0 ||
      c->intermediate_size <= 0 || c->max_position_embeddings <= 0 ||
      c->type_vocab_size <= 0 || c->hidden_size % c->num_heads != 0) {
    return Status::Corruption(path + ": inconsistent model dimensions");
  }
  return Status::OK();
}

}  // namespace

LinearWeight::LinearWeight(const float* w, int n, int k, bool int8) : int8_(int8) {
  if (int8) {
    i8_ = Int8Matrix(w, n, k);
  } else {
    f32_ = PackedMatrix(w, n, k);
  }
}

void LinearWeight::Apply(const float* x, int m, float* y, BertWorkspace* ws) const {
  if (int8_) {
    i8_.MultiplyAccumulate(x, m, y, &ws->int8);
  } else {
    f32_.MultiplyAccumulate(x, m, y);
  }
}

Result<std::unique_ptr<BertModel>> BertModel::Load(const std::string& model_dir, bool int8) {
  std::unique_ptr<BertModel> model(new BertModel());
  const std::string config_path = ModelPath(model_dir, "config.json");
  nlohmann::json j;
  STRATAMEM_RETURN_IF_ERROR(ReadJsonFile(config_path, &j));
  STRATAMEM_RETURN_IF_ERROR(ParseConfig(config_path, j, &model->config_));

  auto file = SafetensorsFile::Open(ModelPath(model_dir, "model.safetensors"));
  if (!file.ok()) return file.status();
  model->file_ = std::move(file).value();
  // Checkpoints saved from BertFor* heads prefix every name with "bert.".
  std::string prefix;
  if (!model->file_->Has("embeddings.word_embeddings.weight") &&
      model->file_->Has("bert.embeddings.word_embeddings.weight")) {
    prefix = "bert.";
  }
  STRATAMEM_RETURN_IF_ERROR(model->LoadWeights(prefix, int8));
  return model;
}

Status BertModel::LoadWeights(const std::string& prefix, bool int8) {
  const BertConfig& c = config_;
  auto get = [&](const std::string& name, std::vector<int64_t> shape, TensorF32* out) -> Status {
    auto t = file_->GetF32(prefix + name);
    if (!t.ok()) {
      if (t.status().code() == Status::Code::kNotFound) {
        return Status::Corruption(file_->path() + ": missing tensor " + prefix + name);
      }
      return t.status();
    }
    if (t->shape != shape) {
      TensorF32 want;
      want.shape = shape;
      return Status::Corruption(file_->path() + ": tensor " + prefix + name + " has shape " +
                                t->ShapeString() + ", expected " + want.ShapeString());
    }
    *out = std::move(t).value();
    return Status::OK();
  };
  const int64_t h = c.hidden_size, in = c.intermediate_size;
  STRATAMEM_RETURN_IF_ERROR(get("embeddings.word_embeddings.weight", {c.vocab_size, h}, &word_emb_));
  STRATAMEM_RETURN_IF_ERROR(
      get("embeddings.position_embeddings.weight", {c.max_position_embeddings, h}, &pos_emb_));
  STRATAMEM_RETURN_IF_ERROR(
      get("embeddings.token_type_embeddings.weight", {c.type_vocab_size, h}, &type_emb_));
  STRATAMEM_RETURN_IF_ERROR(get("embeddings.LayerNorm.weight", {h}, &emb_ln_g_));
  STRATAMEM_RETURN_IF_ERROR(get("embeddings.LayerNorm.bias", {h}, &emb_ln_b_));

  layers_.resize(c.num_layers);
  for (int i = 0; i < c.num_layers; ++i) {
    const std::string p = "encoder.layer." + std::to_string(i) + ".";
    Layer& l = layers_[i];
    std::vector<float> qkv_w(3 * h * h);
    l.qkv_b.resize(3 * h);
    const char* names[3] = {"query", "key", "value"};
    for (int k = 0; k < 3; ++k) {
      TensorF32 w, b;
      STRATAMEM_RETURN_IF_ERROR(get(p + "attention.self." + names[k] + ".weight", {h, h}, &w));
      STRATAMEM_RETURN_IF_ERROR(get(p + "attention.self." + names[k] + ".bias", {h}, &b));
      std::memcpy(qkv_w.data() + k * h * h, w.data, sizeof(float) * h * h);
      std::memcpy(l.qkv_b.data() + k * h, b.data, sizeof(float) * h);
    }
    l.qkv = LinearWeight(qkv_w.data(), 3 * h, h, int8);
    TensorF32 w;
    STRATAMEM_RETURN_IF_ERROR(get(p + "attention.output.dense.weight", {h, h}, &w));
    l.out = LinearWeight(w.data, h, h, int8);
    STRATAMEM_RETURN_IF_ERROR(get(p + "attention.output.dense.bias", {h}, &l.out_b));
    STRATAMEM_RETURN_IF_ERROR(get(p + "attention.output.LayerNorm.weight", {h}, &l.ln1_g));
    STRATAMEM_RETURN_IF_ERROR(get(p + "attention.output.LayerNorm.bias", {h}, &l.ln1_b));
    STRATAMEM_RETURN_IF_ERROR(get(p + "intermediate.dense.weight", {in, h}, &w));
    l.inter = LinearWeight(w.data, in, h, int8);
    STRATAMEM_RETURN_IF_ERROR(get(p + "intermediate.dense.bias", {in}, &l.inter_b));
    STRATAMEM_RETURN_IF_ERROR(get(p + "output.dense.weight", {h, in}, &w));
    l.out2 = LinearWeight(w.data, h, in, int8);
    STRATAMEM_RETURN_IF_ERROR(get(p + "output.dense.bias", {h}, &l.out2_b));
    STRATAMEM_RETURN_IF_ERROR(get(p + "output.LayerNorm.weight", {h}, &l.ln2_g));
    STRATAMEM_RETURN_IF_ERROR(get(p + "output.LayerNorm.bias", {h}, &l.ln2_b));
  }
  return Status::OK();
}

// ws->qkv holds [T, 3H] (Q | K | V per token; Q is scaled in place); writes ws->context [T, H].
void BertModel::Attention(const std::vector<std::vector<int32_t>>& batch,
                          BertWorkspace* ws) const {
  const int h = config_.hidden_size, heads = config_.num_heads, d = h / heads;
  const int ld = 3 * h;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  size_t row0 = 0;
  for (const auto& seq : batch) {
    const int s = static_cast<int>(seq.size());
    ws->scores.resize(static_cast<size_t>(s) * s);
    float* base = ws->qkv.data() + row0 * ld;
    for (int hd = 0; hd < heads; ++hd) {
      float* q = base + hd * d;
      const float* k = base + h + hd * d;
      const float* v = base + 2 * h + hd * d;
      // scores[s, s] = (scale Q) K^T, row-wise softmax, then context = scores V.
      // Q is scaled in place: it is not read again.
      for (int r = 0; r < s; ++r) {
        for (int i = 0; i < d; ++i) q[static_cast<size_t>(r) * ld + i] *= scale;
      }
      PackTransposed(k, s, d, ld, &ws->panels);
      MultiplyPackedInto(q, ld, s, d, ws->panels.data(), s, ws->scores.data(), s);
      SoftmaxRows(ws->scores.data(), s, s);
      PackRows(v, s, d, ld, &ws->panels);
      MultiplyPackedInto(ws->scores.data(), s, s, s, ws->panels.data(), d,
                         ws->context.data() + row0 * h + hd * d, h);
    }
    row0 += s;
  }
}

void BertModel::Encode(const std::vector<std::vector<int32_t>>& batch, Pooling pooling,
                       BertWorkspace* ws, float* out) const {
  const int h = config_.hidden_size, in = config_.intermediate_size;
  size_t total = 0;
  for (const auto& seq : batch) total += seq.size();
  const int t = static_cast<int>(total);
  ws->hidden.resize(total * h);
  ws->qkv.resize(total * 3 * h);
  ws->context.resize(total * h);
  ws->attn_out.resize(total * h);
  ws->inter.resize(total * in);

  // Embeddings: word + position + token type 0, then LayerNorm.
  float* x = ws->hidden.data();
  size_t row = 0;
  for (const auto& seq : batch) {
    for (size_t p = 0; p < seq.size(); ++p, ++row) {
      const float* w = word_emb_.data + static_cast<size_t>(seq[p]) * h;
      const float* pe = pos_emb_.data + p * h;
      float* dst = x + row * h;
      for (int i = 0; i < h; ++i) dst[i] = w[i] + pe[i] + type_emb_.data[i];
    }
  }
  LayerNorm(x, emb_ln_g_.data, emb_ln_b_.data, t, h, config_.layer_norm_eps);

  for (const Layer& l : layers_) {
    FillRows(ws->qkv.data(), l.qkv_b.data(), nullptr, t, 3 * h);
    l.qkv.Apply(x, t, ws->qkv.data(), ws);
    Attention(batch, ws);
    // attn_out = LayerNorm(x + context W_o^T + b_o)
    FillRows(ws->attn_out.data(), l.out_b.data, x, t, h);
    l.out.Apply(ws->context.data(), t, ws->attn_out.data(), ws);
    LayerNorm(ws->attn_out.data(), l.ln1_g.data, l.ln1_b.data, t, h, config_.layer_norm_eps);
    // x = LayerNorm(attn_out + GELU(attn_out W_i^T + b_i) W_o2^T + b_o2)
    FillRows(ws->inter.data(), l.inter_b.data, nullptr, t, in);
    l.inter.Apply(ws->attn_out.data(), t, ws->inter.data(), ws);
    if (config_.gelu_tanh) {
      GeluTanh(ws->inter.data(), total * in);
    } else {
      GeluErf(ws->inter.data(), total * in);
    }
    FillRows(x, l.out2_b.data, ws->attn_out.data(), t, h);
    l.out2.Apply(ws->inter.data(), t, x, ws);
    LayerNorm(x, l.ln2_g.data, l.ln2_b.data, t, h, config_.layer_norm_eps);
  }

  row = 0;
  for (size_t b = 0; b < batch.size(); ++b) {
    float* dst = out + b * h;
    const size_t n = batch[b].size();
    if (pooling == Pooling::kCls) {
      std::memcpy(dst, x + row * h, sizeof(float) * h);
    } else {
      std::fill(dst, dst + h, 0.0f);
      for (size_t p = 0; p < n; ++p) {
        const float* src = x + (row + p) * h;
        for (int i = 0; i < h; ++i) dst[i] += src[i];
      }
      for (int i = 0; i < h; ++i) dst[i] /= static_cast<float>(n);
    }
    L2Normalize(dst, h);
    row += n;
  }
}

}  // namespace stratamem::embed
