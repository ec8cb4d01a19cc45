// The native encoder on the real all-MiniLM-L6-v2 weights: shape, norm,
// determinism, batching, semantics, truncation, threads and error cases.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "embed/safetensors.h"
#include "stratamem/embedder.h"
#include "test_util.h"

namespace stratamem {
namespace {

namespace fs = std::filesystem;

std::string ModelDirOrFail() {
  std::string dir = test::ModelDir();
  EXPECT_FALSE(dir.empty()) << "model weights not found: set STRATAMEM_MODEL_DIR or "
                               "pip install stratamem-model-minilm (scripts/build_model_wheel.py)";
  return dir;
}

std::unique_ptr<Embedder> Load(EmbedderOptions options = {}) {
  options.model_dir = options.model_dir.empty() ? ModelDirOrFail() : options.model_dir;
  auto e = NewEmbedder(options);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? std::move(e).value() : nullptr;
}

double Dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

double MaxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(static_cast<double>(a[i]) - b[i]));
  return m;
}

const std::vector<std::string> kTexts = {
    "The cat sits on the mat.",
    "",
    "   ",
    "Project uses uv, not pip",
    "Café crème 你好 🙂 [MASK]",
    "def add(a, b): return a + b",
    "https://example.com/a?b=c",
    "A much longer sentence that goes on for a while to make the batch ragged, "
    "with several clauses, numbers like 3.14 and 42, and punctuation!",
};

TEST(EncoderTest, DimensionModelIdAndUnitNorm) {
  auto e = Load();
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->dimension(), 384);
  EXPECT_EQ(e->model_id(), "all-MiniLM-L6-v2");
  std::vector<std::vector<float>> out;
  ASSERT_TRUE(e->EmbedBatch(kTexts, &out).ok());
  ASSERT_EQ(out.size(), kTexts.size());
  for (const auto& v : out) {
    ASSERT_EQ(v.size(), 384u);
    EXPECT_NEAR(Dot(v, v), 1.0, 1e-5);
    for (float x : v) ASSERT_TRUE(std::isfinite(x));
  }
}

TEST(EncoderTest, DeterministicAndBatchEqualsSingle) {
  auto e = Load();
  ASSERT_NE(e, nullptr);
  std::vector<std::vector<float>> batch, again;
  ASSERT_TRUE(e->EmbedBatch(kTexts, &batch).ok());
  ASSERT_TRUE(e->EmbedBatch(kTexts, &again).ok());
  EXPECT_EQ(batch, again);
  for (size_t i = 0; i < kTexts.size(); ++i) {
    std::vector<float> single;
    ASSERT_TRUE(e->Embed(kTexts[i], &single).ok());
    EXPECT_LT(MaxAbsDiff(single, batch[i]), 1e-6) << kTexts[i];
  }
}

TEST(EncoderTest, SmallBatchSizeSplitsCalls) {
  EmbedderOptions options;
  options.batch_size = 3;
  auto small = Load(options);
  auto big = Load();
  ASSERT_NE(small, nullptr);
  ASSERT_NE(big, nullptr);
  std::vector<std::vector<float>> a, b;
  ASSERT_TRUE(small->EmbedBatch(kTexts, &a).ok());
  ASSERT_TRUE(big->EmbedBatch(kTexts, &b).ok());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_LT(MaxAbsDiff(a[i], b[i]), 1e-6);
  std::vector<std::vector<float>> none;
  ASSERT_TRUE(small->EmbedBatch({}, &none).ok());
  EXPECT_TRUE(none.empty());
}

TEST(EncoderTest, SimilarSentencesAreCloser) {
  auto e = Load();
  ASSERT_NE(e, nullptr);
  std::vector<std::vector<float>> v;
  ASSERT_TRUE(e->EmbedBatch({"The project uses uv as its package manager.",
                             "Which package manager does the project use?",
                             "My grandmother bakes apple pie on Sundays.",
                             "A dog is running in the park.", "A puppy plays outside on the grass."},
                            &v)
                  .ok());
  EXPECT_GT(Dot(v[0], v[1]), Dot(v[0], v[2]) + 0.2);
  EXPECT_GT(Dot(v[3], v[4]), Dot(v[3], v[0]) + 0.2);
  EXPECT_GT(Dot(v[0], v[1]), 0.5);
}

TEST(EncoderTest, OverLongInputIsTruncated) {
  auto e = Load();
  ASSERT_NE(e, nullptr);
  std::string long_text, longer_text;
  for (int i = 0; i < 400; ++i) long_text += "memory ";
  longer_text = long_text;
  for (int i = 0; i < 5000; ++i) longer_text += "different words entirely ";
  std::vector<float> a, b;
  ASSERT_TRUE(e->Embed(long_text, &a).ok());
  ASSERT_TRUE(e->Embed(longer_text, &b).ok());
  // Both are cut at 256 tokens, which are the same 256 tokens.
  EXPECT_LT(MaxAbsDiff(a, b), 1e-6);
}

TEST(EncoderTest, ConcurrentCallsAgree) {
  auto e = Load();
  ASSERT_NE(e, nullptr);
  std::vector<std::vector<float>> expected;
  ASSERT_TRUE(e->EmbedBatch(kTexts, &expected).ok());
  std::vector<std::vector<std::vector<float>>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < 3; ++r) ASSERT_TRUE(e->EmbedBatch(kTexts, &got[t]).ok());
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& g : got) {
    ASSERT_EQ(g.size(), expected.size());
    for (size_t i = 0; i < g.size(); ++i) EXPECT_LT(MaxAbsDiff(g[i], expected[i]), 1e-6);
  }
}

TEST(EncoderTest, OptionErrors) {
  EmbedderOptions options;
  options.model_dir = ModelDirOrFail();
  options.max_tokens = 513;
  EXPECT_EQ(NewEmbedder(options).status().code(), Status::Code::kInvalidArgument);
  options.max_tokens = 256;
  options.dimension = 768;
  EXPECT_EQ(NewEmbedder(options).status().code(), Status::Code::kDimensionMismatch);
  options.dimension = 0;
  options.batch_size = 0;
  EXPECT_EQ(NewEmbedder(options).status().code(), Status::Code::kInvalidArgument);
}

TEST(EncoderTest, MissingFilesAreNamed) {
  EmbedderOptions options;
  options.model_dir = "/nonexistent/model-dir";
  auto e = NewEmbedder(options);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), Status::Code::kEmbedderError);
  EXPECT_NE(e.status().message().find("/nonexistent/model-dir/config.json"), std::string::npos)
      << e.status().ToString();

  // config.json present, weights missing.
  const std::string dir = test::TempDir();
  fs::copy_file(fs::path(ModelDirOrFail()) / "config.json", fs::path(dir) / "config.json");
  e = NewEmbedder(EmbedderOptions{.model_dir = dir});
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("model.safetensors"), std::string::npos)
      << e.status().ToString();
}

// A model directory whose files are the real ones except model.safetensors.
std::string DirWithWeights(const std::string& weights_bytes) {
  const std::string dir = test::TempDir();
  const fs::path src = ModelDirOrFail();
  for (const char* name : {"config.json", "tokenizer.json", "vocab.txt"}) {
    fs::copy_file(src / name, fs::path(dir) / name);
  }
  std::ofstream(dir + "/model.safetensors", std::ios::binary) << weights_bytes;
  return dir;
}

std::string SafetensorsBytes(const std::string& header_json, size_t data_bytes) {
  std::string out(8, '\0');
  uint64_t n = header_json.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xFF);
  return out + header_json + std::string(data_bytes, '\0');
}

TEST(EncoderTest, CorruptWeightsAreCorruption) {
  std::string real;
  {
    std::ifstream in(fs::path(ModelDirOrFail()) / "model.safetensors", std::ios::binary);
    real.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(real.size(), 1000000u);
  // A truncated download.
  auto e = NewEmbedder(EmbedderOptions{.model_dir = DirWithWeights(real.substr(0, 1000000))});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), Status::Code::kCorruption) << e.status().ToString();
  EXPECT_NE(e.status().message().find("truncated"), std::string::npos) << e.status().ToString();
  // Too short for a header; a header longer than the file; a header that is not JSON.
  for (const std::string& bytes : {std::string("abc"), std::string("\xff\xff\xff\xff\0\0\0\0{}", 10),
                                   SafetensorsBytes("not json", 0)}) {
    e = NewEmbedder(EmbedderOptions{.model_dir = DirWithWeights(bytes)});
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.status().code(), Status::Code::kCorruption) << e.status().ToString();
  }
  // Well-formed file, wrong shape: the message names the tensor and both shapes.
  e = NewEmbedder(EmbedderOptions{.model_dir = DirWithWeights(SafetensorsBytes(
      R"({"embeddings.word_embeddings.weight":{"dtype":"F32","shape":[10,384],"data_offsets":[0,15360]}})",
      15360))});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), Status::Code::kCorruption);
  EXPECT_NE(e.status().message().find("[10, 384], expected [30522, 384]"), std::string::npos)
      << e.status().ToString();
}

TEST(SafetensorsTest, ConvertsHalfPrecision) {
  const std::string dir = test::TempDir();
  // F16 1.0, -2.0, 0.5 and a subnormal; BF16 1.0, -3.0.
  std::string f16 = {'\x00', '\x3c', '\x00', '\xc0', '\x00', '\x38', '\x01', '\x00'};
  std::string bf16 = {'\x80', '\x3f', '\x40', '\xc0'};
  std::string header =
      R"({"__metadata__":{"k":"v"},"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},)"
      R"("b":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]},)"
      R"("c":{"dtype":"I64","shape":[1],"data_offsets":[16,24]}})";
  std::string bytes = SafetensorsBytes(header, 0) + f16 + bf16 + std::string(12, '\0');
  std::ofstream(dir + "/t.safetensors", std::ios::binary) << bytes;
  auto file = embed::SafetensorsFile::Open(dir + "/t.safetensors");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  auto a = (*file)->GetF32("a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->data[0], 1.0f);
  EXPECT_EQ(a->data[1], -2.0f);
  EXPECT_EQ(a->data[2], 0.5f);
  EXPECT_FLOAT_EQ(a->data[3], 5.9604645e-08f);
  auto b = (*file)->GetF32("b");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->data[0], 1.0f);
  EXPECT_EQ(b->data[1], -3.0f);
  EXPECT_EQ((*file)->GetF32("c").status().code(), Status::Code::kNotSupported);
  EXPECT_EQ((*file)->GetF32("zzz").status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace stratamem
