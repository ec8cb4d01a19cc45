// BERT tokenisation: BertNormalizer + BertPreTokenizer + WordPiece, giving the same
// ids as the `tokenizers` package for a BERT tokenizer.json. Immutable after Load,
// so one instance is safe to use from many threads.
#ifndef STRATAMEM_EMBED_WORDPIECE_TOKENIZER_H_
#define STRATAMEM_EMBED_WORDPIECE_TOKENIZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "stratamem/status.h"

namespace stratamem::embed {

struct WordPieceConfig {
  bool clean_text = true;
  bool handle_chinese_chars = true;
  bool lowercase = true;
  bool strip_accents = true;  // tokenizer.json's null means "same as lowercase"
  std::string continuing_prefix = "##";
  int max_input_chars_per_word = 100;
};

class WordPieceTokenizer {
 public:
  // Reads model_dir/tokenizer.json, or else model_dir/vocab.txt with BERT-uncased
  // defaults. max_tokens counts [CLS] and [SEP] and must be >= 2.
  static Result<std::unique_ptr<WordPieceTokenizer>> Load(const std::string& model_dir,
                                                          int max_tokens);

  // [CLS] ids... [SEP], truncated to max_tokens(). Any bytes are accepted: invalid
  // UTF-8 is replaced by U+FFFD, which normalisation drops.
  std::vector<int32_t> Encode(std::string_view text) const;
  // The normalised text (BertNormalizer) of a piece without special tokens.
  std::string Normalize(std::string_view text) const;
  // Word pieces of `text` as strings (no special tokens, no truncation).
  std::vector<std::string> Tokenize(std::string_view text) const;

  int max_tokens() const { return max_tokens_; }
  int vocab_size() const { return static_cast<int>(vocab_.size()); }
  int32_t cls_id() const { return cls_id_; }
  int32_t sep_id() const { return sep_id_; }

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Vocab = std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>>;

  WordPieceTokenizer() = default;
  Status Finish(int max_tokens);
  std::vector<char32_t> NormalizeCodePoints(std::string_view text) const;
  // Appends the ids of one plain (non-special) segment; stops at `limit` ids.
  void EncodeSegment(std::string_view text, size_t limit, std::vector<int32_t>* ids,
                     std::vector<std::string>* pieces) const;
  void EncodeWord(const std::vector<char32_t>& word, std::vector<int32_t>* ids,
                  std::vector<std::string>* pieces) const;

  WordPieceConfig config_;
  Vocab vocab_;
  std::vector<std::string> id_to_token_;
  // Added tokens matched verbatim in the raw text before normalisation
  // ("[CLS]", "[MASK]" ...), longest first.
  std::vector<std::pair<std::string, int32_t>> special_;
  int32_t unk_id_ = -1, cls_id_ = -1, sep_id_ = -1;
  int max_tokens_ = 256;
};

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_WORDPIECE_TOKENIZER_H_
