#include "embed/wordpiece_tokenizer.h"

#include <algorithm>

#include "embed/bert_unicode.h"
#include "embed/model_files.h"

namespace stratamem::embed {
namespace {

using nlohmann::json;

// tokenizer.json: the normaliser, the WordPiece vocabulary and the added tokens.
Status ParseTokenizerJson(const std::string& path, const json& j, WordPieceConfig* config,
                          std::vector<std::string>* id_to_token,
                          std::vector<std::pair<std::string, int32_t>>* special,
                          std::string* unk_token) {
  const json& model = j.at("model");
  if (model.value("type", "") != "WordPiece") {
    return Status::NotSupported(path + ": tokenizer model type '" + model.value("type", "") +
                                "' is not WordPiece");
  }
  if (const json& norm = j.at("normalizer"); !norm.is_null()) {
    if (norm.value("type", "") != "BertNormalizer") {
      return Status::NotSupported(path + ": normalizer '" + norm.value("type", "") +
                                  "' is not BertNormalizer");
    }
    config->clean_text = norm.value("clean_text", true);
    config->handle_chinese_chars = norm.value("handle_chinese_chars", true);
    config->lowercase = norm.value("lowercase", true);
    const json& strip = norm.contains("strip_accents") ? norm["strip_accents"] : json();
    config->strip_accents = strip.is_boolean() ? strip.get<bool>() : config->lowercase;
  }
  *unk_token = model.value("unk_token", "[UNK]");
  config->continuing_prefix = model.value("continuing_subword_prefix", "##");
  config->max_input_chars_per_word = model.value("max_input_chars_per_word", 100);
  for (const auto& [token, id_json] : model.at("vocab").items()) {
    int64_t id = id_json.get<int64_t>();
    if (id < 0 || id > 10'000'000) return Status::Corruption(path + ": bad vocabulary id");
    if (static_cast<size_t>(id) >= id_to_token->size()) id_to_token->resize(id + 1);
    (*id_to_token)[id] = token;
  }
  if (j.contains("added_tokens")) {
    for (const json& t : j["added_tokens"]) {
      // Tokens marked normalized=false are matched in the raw text (as tokenizers does);
      // BERT's special tokens are all of that kind.
      if (t.value("normalized", true)) continue;
      std::string content = t.at("content").get<std::string>();
      if (!content.empty()) special->emplace_back(std::move(content), t.at("id").get<int32_t>());
    }
  }
  return Status::OK();
}

Status ParseVocabTxt(const std::string& text, std::vector<std::string>* id_to_token) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    id_to_token->push_back(line);
    pos = nl + 1;
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<WordPieceTokenizer>> WordPieceTokenizer::Load(const std::string& model_dir,
                                                                     int max_tokens) {
  std::unique_ptr<WordPieceTokenizer> tok(new WordPieceTokenizer());
  std::string unk_token = "[UNK]";
  const std::string json_path = ModelPath(model_dir, "tokenizer.json");
  const std::string vocab_path = ModelPath(model_dir, "vocab.txt");
  if (FileExists(json_path)) {
    json j;
    STRATAMEM_RETURN_IF_ERROR(ReadJsonFile(json_path, &j));
    try {
      STRATAMEM_RETURN_IF_ERROR(ParseTokenizerJson(json_path, j, &tok->config_, &tok->id_to_token_,
                                                   &tok->special_, &unk_token));
    } catch (const json::exception& e) {
      return Status::Corruption("model file " + json_path + ": " + e.what());
    }
  } else if (FileExists(vocab_path)) {
    std::string text;
    STRATAMEM_RETURN_IF_ERROR(ReadTextFile(vocab_path, &text));
    STRATAMEM_RETURN_IF_ERROR(ParseVocabTxt(text, &tok->id_to_token_));
    for (const char* s : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) {
      auto it = std::find(tok->id_to_token_.begin(), tok->id_to_token_.end(), s);
      if (it != tok->id_to_token_.end()) {
        tok->special_.emplace_back(s, static_cast<int32_t>(it - tok->id_to_token_.begin()));
      }
    }
  } else {
    return Status::EmbedderError("model directory " + model_dir +
                                 " has neither tokenizer.json nor vocab.txt");
  }
  for (size_t i = 0; i < tok->id_to_token_.size(); ++i) {
    // First occurrence wins, as in tokenizers' vocab.txt loading.
    tok->vocab_.emplace(tok->id_to_token_[i], static_cast<int32_t>(i));
  }
  auto find = [&](const std::string& s) {
    auto it = tok->vocab_.find(s);
    return it == tok->vocab_.end() ? -1 : it->second;
  };
  tok->unk_id_ = find(unk_token);
  tok->cls_id_ = find("[CLS]");
  tok->sep_id_ = find("[SEP]");
  if (tok->unk_id_ < 0 || tok->cls_id_ < 0 || tok->sep_id_ < 0) {
    return Status::Corruption("tokenizer in " + model_dir + " lacks [UNK], [CLS] or [SEP]");
  }
  if (max_tokens < 2) {
    return Status::InvalidArgument("max_tokens must be at least 2 ([CLS] and [SEP])");
  }
  tok->max_tokens_ = max_tokens;
  // Leftmost-longest matching: try longer special tokens first at each position.
  std::stable_sort(tok->special_.begin(), tok->special_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  return tok;
}

std::vector<char32_t> WordPieceTokenizer::NormalizeCodePoints(std::string_view text) const {
  std::vector<char32_t> cps;
  {
    std::vector<char32_t> in = DecodeUtf8(text);
    cps.reserve(in.size());
    for (char32_t c : in) {
      if (config_.clean_text) {
        if (IsBertControl(c)) continue;
        if (IsBertWhitespace(c)) c = U' ';
      }
      if (config_.handle_chinese_chars && IsBertCjk(c)) {
        cps.push_back(U' ');
        cps.push_back(c);
        cps.push_back(U' ');
      } else {
        cps.push_back(c);
      }
    }
  }
  // The order matters and follows tokenizers: strip accents (NFD, drop Mn), then
  // lowercase, so the mark that lowercasing U+0130 produces is kept.
  if (config_.strip_accents) {
    std::vector<char32_t> nfd = Nfd(cps);
    cps.clear();
    for (char32_t c : nfd) {
      if (!IsBertNonspacingMark(c)) cps.push_back(c);
    }
  }
  if (config_.lowercase) {
    std::vector<char32_t> lower;
    lower.reserve(cps.size() + 4);
    for (char32_t c : cps) AppendLowercase(c, &lower);
    cps.swap(lower);
  }
  return cps;
}

std::string WordPieceTokenizer::Normalize(std::string_view text) const {
  std::string out;
  for (char32_t c : NormalizeCodePoints(text)) AppendUtf8(c, &out);
  return out;
}

void WordPieceTokenizer::EncodeWord(const std::vector<char32_t>& word, std::vector<int32_t>* ids,
                                    std::vector<std::string>* pieces) const {
  auto emit = [&](int32_t id) {
    if (ids) ids->push_back(id);
    if (pieces) pieces->push_back(id_to_token_[id]);
  };
  if (static_cast<int>(word.size()) > config_.max_input_chars_per_word) {
    emit(unk_id_);
    return;
  }
  std::string utf8;
  std::vector<size_t> offset;  // byte offset of each code point, plus the end
  for (char32_t c : word) {
    offset.push_back(utf8.size());
    AppendUtf8(c, &utf8);
  }
  offset.push_back(utf8.size());

  std::vector<int32_t> found;
  std::string key;
  size_t start = 0;
  while (start < word.size()) {
    size_t end = word.size();
    int32_t match = -1;
    while (start < end) {
      std::string_view sub(utf8.data() + offset[start], offset[end] - offset[start]);
      auto it = vocab_.end();
      if (start > 0) {
        key.assign(config_.continuing_prefix).append(sub);
        it = vocab_.find(key);
      } else {
        it = vocab_.find(sub);
      }
      if (it != vocab_.end()) {
        match = it->second;
        break;
      }
      --end;
    }
    if (match < 0) {  // a word that cannot be fully covered is one [UNK]
      emit(unk_id_);
      return;
    }
    found.push_back(match);
    start = end;
  }
  for (int32_t id : found) emit(id);
}

void WordPieceTokenizer::EncodeSegment(std::string_view text, size_t limit,
                                       std::vector<int32_t>* ids,
                                       std::vector<std::string>* pieces) const {
  std::vector<char32_t> cps = NormalizeCodePoints(text);
  std::vector<char32_t> word;
  auto flush = [&] {
    if (!word.empty()) EncodeWord(word, ids, pieces);
    word.clear();
  };
  for (char32_t c : cps) {
    if (ids && ids->size() >= limit) return;
    if (IsBertWhitespace(c)) {
      flush();
    } else if (IsBertPunctuation(c)) {
      flush();
      word.push_back(c);
      flush();
    } else {
      word.push_back(c);
    }
  }
  flush();
}

std::vector<int32_t> WordPieceTokenizer::Encode(std::string_view text) const {
  const size_t limit = static_cast<size_t>(max_tokens_) - 2;
  std::vector<int32_t> ids;
  ids.push_back(cls_id_);
  std::vector<int32_t> body;
  size_t pos = 0, seg_start = 0;
  while (pos < text.size() && body.size() < limit) {
    bool matched = false;
    for (const auto& [token, id] : special_) {
      if (text[pos] != token[0] || text.compare(pos, token.size(), token) != 0) continue;
      EncodeSegment(text.substr(seg_start, pos - seg_start), limit, &body, nullptr);
      if (body.size() < limit) body.push_back(id);
      pos += token.size();
      seg_start = pos;
      matched = true;
      break;
    }
    if (!matched) ++pos;
  }
  if (body.size() < limit) EncodeSegment(text.substr(seg_start), limit, &body, nullptr);
  if (body.size() > limit) body.resize(limit);
  ids.insert(ids.end(), body.begin(), body.end());
  ids.push_back(sep_id_);
  return ids;
}

std::vector<std::string> WordPieceTokenizer::Tokenize(std::string_view text) const {
  std::vector<std::string> pieces;
  EncodeSegment(text, SIZE_MAX, nullptr, &pieces);
  return pieces;
}

}  // namespace stratamem::embed
