// Turns a BERT encoder exported to ONNX (PyTorch's exporter, as in the Maven
// artifacts of the model registry) back into named weights: the initializers
// keep their PyTorch names, except the Linear weights, which the exporter
// stores transposed under anonymous names ("onnx::MatMul_1525") and which are
// named here after the MatMul node that reads them
// ("/encoder/layer.0/attention/self/query/MatMul" ->
// "encoder.layer.0.attention.self.query.weight", transposed back to [out, in]).
//
// The protobuf is decoded by hand: only ModelProto.graph, GraphProto.node /
// .initializer and the TensorProto fields of float tensors are read.
#ifndef STRATAMEM_EMBED_ONNX_IMPORT_H_
#define STRATAMEM_EMBED_ONNX_IMPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stratamem/status.h"

namespace stratamem::embed {

struct NamedTensor {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

// The BERT weights of an ONNX graph by PyTorch name. Corruption for a damaged
// protobuf; NotSupported for weights kept outside the file or not float32.
Result<std::map<std::string, NamedTensor>> ImportOnnxBert(std::string_view onnx);

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_ONNX_IMPORT_H_
