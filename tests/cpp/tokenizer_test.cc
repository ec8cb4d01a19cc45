// The native WordPiece tokenizer against ids from the `tokenizers` package
// (fixtures/tokenizer_cases.txt, made by fixtures/make_tokenizer_fixture.py),
// plus truncation, the vocab.txt fallback and error cases.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "embed/wordpiece_tokenizer.h"
#include "test_util.h"

namespace stratamem {
namespace {

namespace fs = std::filesystem;
using embed::WordPieceTokenizer;

struct Case {
  int line = 0;
  std::string text;
  std::vector<int32_t> ids;
};

std::vector<Case> ReadCases() {
  std::ifstream in(fs::path(__FILE__).parent_path() / "fixtures" / "tokenizer_cases.txt");
  std::vector<Case> cases;
  std::string line;
  int lineno = 0;
  Case cur;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.rfind("text: ", 0) == 0) {
      cur = Case();
      cur.line = lineno;
      cur.text = nlohmann::json::parse(line.substr(6)).get<std::string>();
    } else if (line.rfind("ids: ", 0) == 0) {
      std::istringstream ss(line.substr(5));
      int32_t id;
      while (ss >> id) cur.ids.push_back(id);
      cases.push_back(cur);
    }
  }
  return cases;
}

std::unique_ptr<WordPieceTokenizer> LoadModelTokenizer(int max_tokens = 256) {
  const std::string dir = test::ModelDir();
  EXPECT_FALSE(dir.empty()) << "model weights not found: set STRATAMEM_MODEL_DIR or "
                               "pip install stratamem-model-minilm (scripts/build_model_wheel.py)";
  auto tok = WordPieceTokenizer::Load(dir, max_tokens);
  EXPECT_TRUE(tok.ok()) << tok.status().ToString();
  return tok.ok() ? std::move(tok).value() : nullptr;
}

TEST(TokenizerTest, MatchesTokenizersFixture) {
  auto tok = LoadModelTokenizer();
  ASSERT_NE(tok, nullptr);
  std::vector<Case> cases = ReadCases();
  ASSERT_GE(cases.size(), 50u) << "fixture missing or unreadable";
  for (const Case& c : cases) {
    EXPECT_EQ(tok->Encode(c.text), c.ids) << "fixture line " << c.line << ": " << c.text;
  }
}

TEST(TokenizerTest, TruncatesToMaxTokensKeepingSep) {
  auto full = LoadModelTokenizer(256);
  auto small = LoadModelTokenizer(8);
  ASSERT_NE(full, nullptr);
  ASSERT_NE(small, nullptr);
  std::string text;
  for (int i = 0; i < 50; ++i) text += "memory ";
  std::vector<int32_t> a = full->Encode(text), b = small->Encode(text);
  ASSERT_EQ(a.size(), 52u);
  ASSERT_EQ(b.size(), 8u);
  EXPECT_EQ(b.front(), 101);
  EXPECT_EQ(b.back(), 102);
  EXPECT_TRUE(std::equal(b.begin(), b.end() - 1, a.begin()));
  EXPECT_EQ(LoadModelTokenizer(2)->Encode(text), (std::vector<int32_t>{101, 102}));
}

TEST(TokenizerTest, InvalidUtf8BecomesNothing) {
  auto tok = LoadModelTokenizer();
  ASSERT_NE(tok, nullptr);
  EXPECT_EQ(tok->Encode("\xff\xfe" "abc\xc3"), tok->Encode("abc"));
}

TEST(TokenizerTest, NormalizesLikeBert) {
  auto tok = LoadModelTokenizer();
  ASSERT_NE(tok, nullptr);
  EXPECT_EQ(tok->Normalize("Café\tCRÈME"), "cafe creme");
  // U+0130: NFD gives I + U+0307, the mark is stripped, then lowercased.
  EXPECT_EQ(tok->Normalize("\xC4\xB0"), "i");
  EXPECT_EQ(tok->Normalize("你好"), " 你  好 ");
  EXPECT_EQ(tok->Normalize(std::string("a\0b", 3)), "ab");
  EXPECT_EQ(tok->Tokenize("unaffable!"), (std::vector<std::string>{"una", "##ffa", "##ble", "!"}));
}

// A directory with only vocab.txt: BERT-uncased defaults and greedy longest match.
TEST(TokenizerTest, VocabTxtFallback) {
  const std::string dir = test::TempDir();
  std::ofstream(dir + "/vocab.txt") << "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nun\n##aff\n##able\n"
                                       "aff\n##a\n!\nhello\n";
  auto tok = WordPieceTokenizer::Load(dir, 16);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->Encode("UnAffable! hello xyz [MASK]"),
            (std::vector<int32_t>{2, 5, 6, 7, 10, 11, 1, 4, 3}));
}

TEST(TokenizerTest, Errors) {
  auto missing = WordPieceTokenizer::Load("/nonexistent/model", 256);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kEmbedderError);
  EXPECT_NE(missing.status().message().find("tokenizer.json"), std::string::npos);

  const std::string dir = test::TempDir();
  std::ofstream(dir + "/tokenizer.json") << "{\"model\": {\"type\": \"WordPiece\", \"vocab\": ";
  auto corrupt = WordPieceTokenizer::Load(dir, 256);
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.status().code(), Status::Code::kCorruption);
  EXPECT_NE(corrupt.status().message().find("tokenizer.json"), std::string::npos);

  const std::string model = test::ModelDir();
  ASSERT_FALSE(model.empty());
  auto too_small = WordPieceTokenizer::Load(model, 1);
  ASSERT_FALSE(too_small.ok());
  EXPECT_EQ(too_small.status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace stratamem
