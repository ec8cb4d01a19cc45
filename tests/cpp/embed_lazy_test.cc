// EmbedderOptions::load_on_first_use: the store-facing answers (dimension,
// model id) come from config.json alone, the weights load on the first embed,
// and the vectors are the eager embedder's.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "stratamem/embedder.h"
#include "test_util.h"

namespace stratamem {
namespace {

namespace fs = std::filesystem;

EmbedderOptions Options(const std::string& dir, bool lazy) {
  EmbedderOptions options;
  options.model_dir = dir;
  options.load_on_first_use = lazy;
  return options;
}

std::string ModelDirOrFail() {
  std::string dir = test::ModelDir();
  EXPECT_FALSE(dir.empty()) << "model weights not found: set STRATAMEM_MODEL_DIR";
  return dir;
}

TEST(EmbedLazyTest, AnswersFromConfigWithoutTheWeights) {
  // A directory with the real config.json and nothing else: the lazy embedder
  // opens (a store would open with it), the eager one cannot.
  const std::string dir = test::TempDir() + "/all-MiniLM-L6-v2";
  fs::create_directories(dir);
  fs::copy_file(ModelDirOrFail() + "/config.json", dir + "/config.json");
  auto lazy = NewEmbedder(Options(dir, true));
  ASSERT_TRUE(lazy.ok()) << lazy.status().ToString();
  EXPECT_EQ((*lazy)->dimension(), 384);
  EXPECT_EQ((*lazy)->model_id(), "all-MiniLM-L6-v2");
  EXPECT_FALSE(NewEmbedder(Options(dir, false)).ok());

  // The first embed loads, and its error names the missing file; so does the next.
  std::vector<float> v;
  for (int i = 0; i < 2; ++i) {
    Status s = (*lazy)->Embed("hello", &v);
    EXPECT_EQ(s.code(), Status::Code::kEmbedderError) << s.ToString();
    EXPECT_NE(s.message().find("model.safetensors"), std::string::npos) << s.ToString();
  }
}

TEST(EmbedLazyTest, SameVectorsAsEager) {
  const std::string dir = ModelDirOrFail();
  auto eager = NewEmbedder(Options(dir, false));
  auto lazy = NewEmbedder(Options(dir, true));
  ASSERT_TRUE(eager.ok() && lazy.ok());
  EXPECT_EQ((*lazy)->model_id(), (*eager)->model_id());
  EXPECT_EQ((*lazy)->dimension(), (*eager)->dimension());
  const std::vector<std::string> texts = {"Project uses uv, not pip", "", "Café 你好"};
  std::vector<std::vector<float>> a, b;
  ASSERT_TRUE((*eager)->EmbedBatch(texts, &a).ok());
  ASSERT_TRUE((*lazy)->EmbedBatch(texts, &b).ok());
  EXPECT_EQ(a, b);
}

TEST(EmbedLazyTest, ConcurrentFirstCallsLoadOnce) {
  auto lazy = NewEmbedder(Options(ModelDirOrFail(), true));
  ASSERT_TRUE(lazy.ok());
  std::vector<std::vector<float>> out(4);
  std::vector<Status> status(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] { status[i] = (*lazy)->Embed("the same sentence", &out[i]); });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(status[i].ok()) << status[i].ToString();
    EXPECT_EQ(out[i], out[0]);
  }
}

TEST(EmbedLazyTest, BadOptionsFailAtOnce) {
  const std::string dir = ModelDirOrFail();
  EmbedderOptions wrong_dim = Options(dir, true);
  wrong_dim.dimension = 768;
  EXPECT_EQ(NewEmbedder(wrong_dim).status().code(), Status::Code::kDimensionMismatch);
  EmbedderOptions long_tokens = Options(dir, true);
  long_tokens.max_tokens = 10000;
  EXPECT_EQ(NewEmbedder(long_tokens).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(NewEmbedder(Options(test::TempDir(), true)).status().code(), Status::Code::kEmbedderError);
}

}  // namespace
}  // namespace stratamem
