// Model settings come from the manifest, then the sentence-transformers files,
// then the registry by name; names are read from the directory layouts; the
// zip reader refuses damaged archives.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "embed/model_settings.h"
#include "embed/zip_reader.h"
#include "test_util.h"

namespace stratamem::embed {
namespace {

void Write(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

TEST(ModelSettingsTest, NamesFromDirectoryLayouts) {
  EXPECT_EQ(ModelNameFromDir("/c/hub/models--intfloat--e5-small-v2/snapshots/ab12/"), "intfloat/e5-small-v2");
  EXPECT_EQ(ModelNameFromDir("/s/models/BAAI__bge-small-en-v1.5"), "BAAI/bge-small-en-v1.5");
  EXPECT_EQ(ModelNameFromDir("/x/all-MiniLM-L6-v2"), "all-MiniLM-L6-v2");
  EXPECT_EQ(ShortModelName("intfloat/e5-small-v2"), "e5-small-v2");
}

TEST(ModelSettingsTest, RegistryFillsWhatNoFileSays) {
  const std::string dir = test::TempDir() + "/models--intfloat--e5-small-v2/snapshots/h";
  std::filesystem::create_directories(dir);
  ModelSettings s;
  ASSERT_TRUE(ReadModelSettings(dir, "", &s).ok());
  EXPECT_EQ(s.name, "intfloat/e5-small-v2");
  EXPECT_EQ(s.query_prefix, "query: ");
  EXPECT_EQ(s.passage_prefix, "passage: ");
  EXPECT_EQ(s.Prefix(EmbedKind::kQuery), "query: ");
  EXPECT_EQ(s.max_tokens, 512);
  EXPECT_EQ(s.pooling, Pooling::kMean);
}

TEST(ModelSettingsTest, ManifestWinsOverSentenceTransformersFiles) {
  const std::string dir = test::TempDir() + "/intfloat__e5-small-v2";
  Write(dir + "/1_Pooling/config.json", R"({"pooling_mode_mean_tokens": true})");
  Write(dir + "/config_sentence_transformers.json", R"({"prompts": {"query": "q: ", "document": "d: "}})");
  Write(dir + "/sentence_bert_config.json", R"({"max_seq_length": 128})");
  ModelSettings s;
  ASSERT_TRUE(ReadModelSettings(dir, "", &s).ok());
  EXPECT_EQ(s.query_prefix, "q: ");  // the files beat the registry
  EXPECT_EQ(s.passage_prefix, "d: ");
  EXPECT_EQ(s.max_tokens, 128);
  Write(dir + "/" + kManifestFile, R"({"pooling": "cls", "query_prefix": "", "max_tokens": 64})");
  ASSERT_TRUE(ReadModelSettings(dir, "", &s).ok());
  EXPECT_EQ(s.pooling, Pooling::kCls);
  EXPECT_EQ(s.query_prefix, "");  // the manifest's "" means none
  EXPECT_EQ(s.passage_prefix, "d: ");
  EXPECT_EQ(s.max_tokens, 64);

  EmbedderOptions o;
  o.passage_prefix = "p: ";
  ApplyPrefixOverrides(o, &s);
  EXPECT_EQ(s.passage_prefix, "p: ");
  EXPECT_EQ(s.query_prefix, "");
}

TEST(ModelSettingsTest, BadManifestsAreTypedErrors) {
  const std::string dir = test::TempDir() + "/m";
  ModelSettings s;
  Write(dir + "/" + kManifestFile, R"({"pooling": "max"})");
  EXPECT_EQ(ReadModelSettings(dir, "", &s).code(), Status::Code::kNotSupported);
  Write(dir + "/" + kManifestFile, R"({"max_tokens": "many"})");
  EXPECT_EQ(ReadModelSettings(dir, "", &s).code(), Status::Code::kCorruption);
  Write(dir + "/" + kManifestFile, "not json");
  EXPECT_EQ(ReadModelSettings(dir, "", &s).code(), Status::Code::kCorruption);
}

TEST(ZipReaderTest, RefusesWhatIsNotAZip) {
  EXPECT_EQ(ZipEntryNames("").status().code(), Status::Code::kCorruption);
  EXPECT_EQ(ZipEntryNames(std::string(100, 'x')).status().code(), Status::Code::kCorruption);
  // An end record pointing past itself.
  std::string end("PK\x05\x06", 4);
  end += std::string("\0\0\0\0\x01\0\x01\0", 8) + std::string("\xff\0\0\0", 4) + std::string("\0\0\0\0", 4) +
         std::string("\0\0", 2);
  EXPECT_EQ(ZipExtract(end, "a").status().code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace stratamem::embed
