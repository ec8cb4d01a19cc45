// _core.Embedder (any backend, via NewEmbedder) and _core.NativeTokenizer (the
// native WordPiece tokenizer, exposed so tests can compare it with `tokenizers`).
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/unique_ptr.h>
#include <nanobind/stl/vector.h>

#include <memory>
#include <string>
#include <vector>

#include "embed/wordpiece_tokenizer.h"
#include "embed_holder.h"
#include "errors.h"
#include "stratamem/embedder.h"

namespace nb = nanobind;
using namespace nb::literals;

namespace stratamem::python {
namespace {

struct TokenizerHolder {
  std::unique_ptr<embed::WordPieceTokenizer> tokenizer;
};

Embedder& Get(EmbedderHolder& h) {
  if (!h.embedder) {
    ThrowStatus(Status::InvalidArgument(
        "this Embedder now belongs to a store and cannot be used directly"));
  }
  return *h.embedder;
}

// A Python callable kept by an engine embedder. Its last reference may be
// dropped on any thread (a store closed from a worker), so it is released
// with the GIL held.
struct PyCallable {
  nb::object fn;
  ~PyCallable() {
    if (!Py_IsInitialized()) {
      fn.release();  // the interpreter is gone: leak rather than touch it
      return;
    }
    nb::gil_scoped_acquire gil;
    fn.reset();
  }
};

// The engine's EmbedBatchFn over a Python `fn(texts, kind) -> vectors`: a
// 2-D float32 array or a sequence of sequences of floats. A Python exception
// becomes EmbedderError carrying its message.
EmbedBatchFn WrapCallback(nb::object fn) {
  auto holder = std::make_shared<PyCallable>();
  holder->fn = std::move(fn);
  return [holder](const std::vector<std::string>& texts, EmbedKind kind,
                  std::vector<std::vector<float>>* out) -> Status {
    nb::gil_scoped_acquire gil;
    try {
      nb::object result = holder->fn(texts, kind);
      nb::ndarray<const float, nb::ndim<2>, nb::c_contig, nb::device::cpu> array;
      if (nb::try_cast(result, array)) {
        out->assign(array.shape(0), std::vector<float>(array.shape(1)));
        for (size_t i = 0; i < array.shape(0); ++i) {
          const float* row = array.data() + i * array.shape(1);
          std::copy(row, row + array.shape(1), (*out)[i].begin());
        }
      } else {
        *out = nb::cast<std::vector<std::vector<float>>>(result);
      }
    } catch (nb::python_error& e) {
      return Status::EmbedderError(std::string("the embedder raised ") + e.what());
    } catch (const nb::cast_error&) {
      return Status::EmbedderError(
          "the embedder returned something other than a 2-D float32 array or a list of float lists");
    }
    return Status::OK();
  };
}

void InitEmbedder(EmbedderHolder* self, int backend, const std::string& model_dir,
                  const std::string& model, const std::string& base_url,
                  const std::string& api_key, int dimension, int max_tokens, int batch_size,
                  int num_threads, double timeout_seconds, std::optional<std::string> query_prefix,
                  std::optional<std::string> passage_prefix, nb::object callback,
                  const std::string& precision) {
  EmbedderOptions options;
  options.backend = static_cast<EmbedderBackend>(backend);
  options.model_dir = model_dir;
  options.model = model;
  options.base_url = base_url;
  options.api_key = api_key;
  options.dimension = dimension;
  options.max_tokens = max_tokens;
  options.batch_size = batch_size;
  options.num_threads = num_threads;
  options.timeout_seconds = timeout_seconds;
  if (precision == "int8") {
    options.precision = EmbedPrecision::kInt8;
  } else if (precision != "float32") {
    ThrowStatus(Status::InvalidArgument("precision must be 'float32' or 'int8', not '" + precision + "'"));
  }
  options.query_prefix = std::move(query_prefix);
  options.passage_prefix = std::move(passage_prefix);
  if (!callback.is_none()) options.callback = WrapCallback(std::move(callback));
  Result<std::unique_ptr<Embedder>> made = Status::Internal("not run");
  {
    nb::gil_scoped_release release;  // loading the model reads ~90 MB
    made = NewEmbedder(options);
  }
  if (!made.ok()) ThrowStatus(made.status());
  new (self) EmbedderHolder{std::move(made).value()};
}

std::vector<std::vector<float>> Embed(EmbedderHolder& h, const std::vector<std::string>& texts,
                                      EmbedKind kind) {
  Embedder& e = Get(h);
  std::vector<std::vector<float>> out;
  Status st;
  {
    nb::gil_scoped_release release;
    st = e.EmbedBatch(texts, &out, kind);
  }
  if (!st.ok()) ThrowStatus(st);
  return out;
}

const embed::WordPieceTokenizer& Tok(const TokenizerHolder& h) { return *h.tokenizer; }

}  // namespace

void BindEmbed(nb::module_& m) {
  nb::enum_<EmbedKind>(m, "EmbedKind",
                       "What a text is: a memory being saved (PASSAGE) or a search (QUERY).")
      .value("PASSAGE", EmbedKind::kPassage)
      .value("QUERY", EmbedKind::kQuery);

  nb::class_<EmbedderHolder>(m, "Embedder",
                             "A text embedder (options mirror stratamem::EmbedderOptions). "
                             "Giving it to Store.open transfers it to the store.")
      .def("__init__", &InitEmbedder, nb::kw_only(), "backend"_a = 0, "model_dir"_a = "",
           "model"_a = "", "base_url"_a = "", "api_key"_a = "", "dimension"_a = 0,
           "max_tokens"_a = 0, "batch_size"_a = 32, "num_threads"_a = 1,
           "timeout_seconds"_a = 30.0, "query_prefix"_a = nb::none(),
           "passage_prefix"_a = nb::none(), "callback"_a = nb::none(),
           "precision"_a = "float32")
      .def("embed", &Embed, "texts"_a, "kind"_a = EmbedKind::kPassage,
           "Unit-length vectors, one per text, embedded as `kind` (the GIL is released "
           "meanwhile).")
      .def_prop_ro("dimension", [](EmbedderHolder& h) { return Get(h).dimension(); })
      .def_prop_ro("model_id", [](EmbedderHolder& h) { return Get(h).model_id(); })
      .def_prop_ro("usable", [](const EmbedderHolder& h) { return h.embedder != nullptr; },
                   "False once a store has taken this embedder.");

  nb::class_<TokenizerHolder>(m, "NativeTokenizer",
                              "The engine's BERT WordPiece tokenizer (for tests and tools).")
      .def(
          "__init__",
          [](TokenizerHolder* self, const std::string& model_dir, int max_tokens) {
            auto tok = embed::WordPieceTokenizer::Load(model_dir, max_tokens);
            if (!tok.ok()) ThrowStatus(tok.status());
            new (self) TokenizerHolder{std::move(tok).value()};
          },
          "model_dir"_a, "max_tokens"_a = 256)
      .def(
          "encode", [](const TokenizerHolder& h, const std::string& text) { return Tok(h).Encode(text); },
          "text"_a, "Token ids: [CLS] ... [SEP], truncated to max_tokens.")
      .def(
          "encode_batch",
          [](const TokenizerHolder& h, const std::vector<std::string>& texts) {
            std::vector<std::vector<int32_t>> out;
            out.reserve(texts.size());
            nb::gil_scoped_release release;
            for (const auto& t : texts) out.push_back(Tok(h).Encode(t));
            return out;
          },
          "texts"_a)
      .def(
          "normalize", [](const TokenizerHolder& h, const std::string& text) { return Tok(h).Normalize(text); },
          "text"_a, "The text after BertNormalizer (clean, CJK spacing, accents, lowercase).")
      .def(
          "tokenize", [](const TokenizerHolder& h, const std::string& text) { return Tok(h).Tokenize(text); },
          "text"_a, "Word pieces as strings, without special tokens or truncation.")
      .def_prop_ro("max_tokens", [](const TokenizerHolder& h) { return Tok(h).max_tokens(); });
}

}  // namespace stratamem::python
