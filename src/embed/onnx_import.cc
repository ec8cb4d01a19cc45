#include "embed/onnx_import.h"

#include <cstring>
#include <regex>

namespace stratamem::embed {
namespace {

// A protobuf message's fields, one at a time.
class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  bool done() const { return pos_ >= b_.size(); }

  // Next field: its number and wire type; false at the end or on damage.
  bool Next(uint32_t* field, uint32_t* wire) {
    uint64_t key;
    if (done() || !Varint(&key)) return false;
    *field = static_cast<uint32_t>(key >> 3);
    *wire = static_cast<uint32_t>(key & 7);
    return true;
  }
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= b_.size()) return Fail();
      const uint8_t byte = static_cast<uint8_t>(b_[pos_++]);
      *v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return true;
    }
    return Fail();
  }
  bool Bytes(std::string_view* out) {
    uint64_t n;
    if (!Varint(&n) || n > b_.size() - pos_) return Fail();
    *out = b_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  // Skips a field of wire type `wire` we do not read.
  bool Skip(uint32_t wire) {
    uint64_t v;
    std::string_view s;
    switch (wire) {
      case 0: return Varint(&v);
      case 1: return Advance(8);
      case 2: return Bytes(&s);
      case 5: return Advance(4);
      default: return Fail();  // groups (3, 4) are not used by ONNX
    }
  }
  bool failed() const { return failed_; }

 private:
  bool Advance(size_t n) {
    if (n > b_.size() - pos_) return Fail();
    pos_ += n;
    return true;
  }
  bool Fail() {
    failed_ = true;
    return false;
  }
  std::string_view b_;
  size_t pos_ = 0;
  bool failed_ = false;
};

constexpr int kFloat = 1;  // TensorProto.DataType.FLOAT

struct RawTensor {
  std::string name;
  std::vector<int64_t> dims;
  int data_type = 0;
  std::string_view raw;
  std::string_view packed_floats;
  bool external = false;
};

Status ParseTensor(std::string_view msg, RawTensor* t) {
  Reader r(msg);
  uint32_t field, wire;
  while (r.Next(&field, &wire)) {
    uint64_t v;
    std::string_view s;
    if (field == 1 && wire == 0) {  // dims, unpacked
      if (!r.Varint(&v)) break;
      t->dims.push_back(static_cast<int64_t>(v));
    } else if (field == 1 && wire == 2) {  // dims, packed
      if (!r.Bytes(&s)) break;
      Reader p(s);
      while (!p.done() && p.Varint(&v)) t->dims.push_back(static_cast<int64_t>(v));
      if (p.failed()) return Status::Corruption("ONNX tensor: damaged dims");
    } else if (field == 2 && wire == 0) {
      if (!r.Varint(&v)) break;
      t->data_type = static_cast<int>(v);
    } else if (field == 4 && wire == 2) {  // float_data, packed
      if (!r.Bytes(&t->packed_floats)) break;
    } else if (field == 8 && wire == 2) {
      if (!r.Bytes(&s)) break;
      t->name.assign(s);
    } else if (field == 9 && wire == 2) {
      if (!r.Bytes(&t->raw)) break;
    } else if (field == 14 && wire == 0) {  // data_location: 1 = EXTERNAL
      if (!r.Varint(&v)) break;
      t->external = v == 1;
    } else if (!r.Skip(wire)) {
      break;
    }
  }
  if (r.failed()) return Status::Corruption("ONNX tensor: damaged protobuf");
  return Status::OK();
}

struct Node {
  std::vector<std::string> inputs;
  std::string name, op_type;
};

Status ParseNode(std::string_view msg, Node* n) {
  Reader r(msg);
  uint32_t field, wire;
  while (r.Next(&field, &wire)) {
    std::string_view s;
    if (wire == 2 && (field == 1 || field == 3 || field == 4)) {
      if (!r.Bytes(&s)) break;
      if (field == 1) n->inputs.emplace_back(s);
      if (field == 3) n->name.assign(s);
      if (field == 4) n->op_type.assign(s);
    } else if (!r.Skip(wire)) {
      break;
    }
  }
  if (r.failed()) return Status::Corruption("ONNX node: damaged protobuf");
  return Status::OK();
}

Status FloatData(const RawTensor& t, NamedTensor* out) {
  int64_t n = 1;
  for (int64_t d : t.dims) {
    if (d < 0 || d > (int64_t{1} << 32)) return Status::Corruption("ONNX tensor " + t.name + ": bad dims");
    n *= d;
  }
  const std::string_view bytes = t.raw.empty() ? t.packed_floats : t.raw;
  if (bytes.size() != static_cast<size_t>(n) * sizeof(float)) {
    return Status::Corruption("ONNX tensor " + t.name + " holds " + std::to_string(bytes.size()) +
                              " bytes for " + std::to_string(n) + " floats");
  }
  out->shape = t.dims;
  out->data.resize(static_cast<size_t>(n));
  std::memcpy(out->data.data(), bytes.data(), bytes.size());  // little-endian, as on x86-64
  return Status::OK();
}

}  // namespace

Result<std::map<std::string, NamedTensor>> ImportOnnxBert(std::string_view onnx) {
  std::string_view graph;
  {
    Reader r(onnx);
    uint32_t field, wire;
    while (r.Next(&field, &wire)) {
      if (field == 7 && wire == 2) {
        if (!r.Bytes(&graph)) break;
      } else if (!r.Skip(wire)) {
        break;
      }
    }
    if (r.failed() || graph.empty()) return Status::Corruption("not an ONNX model (no graph)");
  }
  std::map<std::string, RawTensor> initializers;
  std::vector<Node> nodes;
  Reader r(graph);
  uint32_t field, wire;
  while (r.Next(&field, &wire)) {
    std::string_view s;
    if (field == 1 && wire == 2) {
      if (!r.Bytes(&s)) break;
      Node n;
      STRATAMEM_RETURN_IF_ERROR(ParseNode(s, &n));
      if (n.op_type == "MatMul") nodes.push_back(std::move(n));
    } else if (field == 5 && wire == 2) {
      if (!r.Bytes(&s)) break;
      RawTensor t;
      STRATAMEM_RETURN_IF_ERROR(ParseTensor(s, &t));
      std::string name = t.name;
      initializers.emplace(std::move(name), t);
    } else if (!r.Skip(wire)) {
      break;
    }
  }
  if (r.failed()) return Status::Corruption("ONNX graph: damaged protobuf");

  std::map<std::string, NamedTensor> out;
  // Named initializers: embeddings, biases, LayerNorms.
  for (const auto& [name, t] : initializers) {
    if (name.rfind("embeddings.", 0) != 0 && name.rfind("encoder.", 0) != 0) continue;
    if (t.data_type != kFloat) continue;  // embeddings.position_ids (int64) is not a weight
    if (t.external) return Status::NotSupported("ONNX tensor " + name + " is stored outside the file");
    STRATAMEM_RETURN_IF_ERROR(FloatData(t, &out[name]));
  }
  // Linear weights: named after the MatMul that reads them, transposed back.
  static const std::regex kLinear(R"(^/(encoder/layer\.\d+/[a-z_/]+)/MatMul$)");
  for (const Node& n : nodes) {
    std::smatch m;
    if (n.inputs.size() != 2 || !std::regex_match(n.name, m, kLinear)) continue;
    auto it = initializers.find(n.inputs[1]);
    if (it == initializers.end()) continue;  // attention's activation products
    const RawTensor& t = it->second;
    if (t.data_type != kFloat || t.dims.size() != 2) {
      return Status::NotSupported("ONNX MatMul " + n.name + ": weight is not a float matrix "
                                  "(a quantised model? use the fp32 export)");
    }
    NamedTensor w;
    STRATAMEM_RETURN_IF_ERROR(FloatData(t, &w));
    const int64_t in = t.dims[0], outdim = t.dims[1];
    NamedTensor transposed;
    transposed.shape = {outdim, in};
    transposed.data.resize(w.data.size());
    for (int64_t i = 0; i < in; ++i) {
      for (int64_t o = 0; o < outdim; ++o) transposed.data[o * in + i] = w.data[i * outdim + o];
    }
    std::string name = m[1].str();
    for (char& c : name) {
      if (c == '/') c = '.';
    }
    out[name + ".weight"] = std::move(transposed);
  }
  if (!out.count("embeddings.word_embeddings.weight")) {
    return Status::Corruption("the ONNX graph has no embeddings.word_embeddings.weight: not a BERT export");
  }
  return out;
}

}  // namespace stratamem::embed
