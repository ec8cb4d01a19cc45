#include "protocol/memory_block.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "graph/graph_json.h"
#include "util/utf8.h"

namespace stratamem::protocol {
namespace {

using Json = nlohmann::json;

constexpr int kMaxDepth = 8;  // nested wrappers we follow before giving up
constexpr size_t kMaxProblems = 32;

// A model-supplied value in a problem line: short strings and numbers as they
// are, anything else by its type (dump() recurses, and a value nested 100,000
// levels deep would overflow the stack).
std::string Describe(const nlohmann::json& v) {
  if (v.is_number() || v.is_boolean()) return v.dump();
  if (v.is_string() && v.get_ref<const std::string&>().size() <= 40) {
    return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return std::string("a ") + v.type_name();
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// ```json ... ``` around the JSON: models add fences out of habit.
std::string_view StripFence(std::string_view s) {
  s = Trim(s);
  if (s.substr(0, 3) == "```") {
    size_t nl = s.find('\n');
    s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
    s = Trim(s);
  }
  if (s.size() >= 3 && s.substr(s.size() - 3) == "```") s = Trim(s.substr(0, s.size() - 3));
  return s;
}

class Extractor {
 public:
  Extractor(const ParseOptions& options, BlockParse* out) : options_(options), out_(out) {}

  // A parsed JSON value: a wrapper object, a list, one fact, or a string.
  void Value(const Json& v, int depth) {
    if (depth > kMaxDepth) return Problem("nesting too deep");
    if (v.is_array()) {
      for (const Json& item : v) Item(item, depth + 1);
    } else if (v.is_object()) {
      for (const char* key : {"memories", "facts"}) {
        auto it = v.find(key);
        if (it == v.end()) continue;
        if (it->is_array() || it->is_object() || it->is_string()) return Value(*it, depth + 1);
        if (it->is_null()) return;
        return Problem(std::string("\"") + key + "\" is not a list");
      }
      Item(v, depth + 1);
    } else if (v.is_string()) {
      Item(v, depth + 1);
    } else if (!v.is_null()) {
      Problem("block holds a " + std::string(v.type_name()) + ", not facts");
    }
  }

  // One fact: an object with "content", or a plain string.
  void Item(const Json& item, int depth) {
    if (item.is_string()) {
      return Add(Fact{item.get<std::string>(), options_.default_scope, options_.default_importance, "", {}, {}});
    }
    if (item.is_array()) return Value(item, depth + 1);  // [[...]]: flatten
    if (!item.is_object()) {
      return Problem("fact is a " + std::string(item.type_name()) + ", not an object or string");
    }
    const Json* content = nullptr;
    for (const char* key : {"content", "fact", "memory", "text"}) {
      auto it = item.find(key);
      if (it != item.end()) {
        content = &*it;
        break;
      }
    }
    if (content == nullptr) {
      // {"memories": ...} nested inside a list item.
      if (item.contains("memories") || item.contains("facts")) return Value(item, depth + 1);
      return Problem("fact object has no \"content\"");
    }
    if (!content->is_string()) return Problem("\"content\" is not a string");
    Fact fact{content->get<std::string>(), ScopeOf(item), ImportanceOf(item), ReplacesOf(item), {}, {}};
    ReadGraph(item, &fact);
    Add(std::move(fact));
  }

  // Problems are for debug logs: the first kMaxProblems are kept, so a reply
  // of a million bad lines costs no more than its own size.
  void Problem(std::string what) {
    if (out_->problems.size() < kMaxProblems) {
      out_->problems.push_back(std::move(what));
    } else if (out_->problems.size() == kMaxProblems) {
      out_->problems.push_back("more problems not listed");
    }
  }

  void Add(Fact fact) {
    std::string_view content = Trim(fact.content);
    if (content.empty()) return Problem("empty fact");
    for (const Fact& f : out_->facts) {
      if (f.content == content) return;  // the model repeated itself
    }
    if (out_->facts.size() >= options_.max_facts) {
      return Problem("more than " + std::to_string(options_.max_facts) + " facts; rest dropped");
    }
    fact.content = std::string(content);
    out_->facts.push_back(std::move(fact));
  }

 private:
  Scope ScopeOf(const Json& item) {
    auto it = item.find("scope");
    if (it == item.end() || it->is_null()) return options_.default_scope;
    if (it->is_string()) {
      Result<Scope> s = ParseScope(Lower(Trim(it->get_ref<const std::string&>())));
      if (s.ok()) return *s;
    }
    Problem("unknown scope " + Describe(*it) + "; using the default");
    return options_.default_scope;
  }

  double ImportanceOf(const Json& item) {
    auto it = item.find("importance");
    if (it == item.end() || it->is_null()) return options_.default_importance;
    double x = NAN;
    if (it->is_number()) {
      x = it->get<double>();
    } else if (it->is_string()) {
      const std::string& s = it->get_ref<const std::string&>();
      char* end = nullptr;
      x = std::strtod(s.c_str(), &end);
      if (end == s.c_str()) x = NAN;
    }
    if (!std::isfinite(x)) {
      Problem("importance " + Describe(*it) + " is not a number; using the default");
      return options_.default_importance;
    }
    if (x > 1.0 && x <= 10.0) x /= 10.0;  // a 1-10 scale is a common model habit
    return std::clamp(x, 0.0, 1.0);
  }

  // The fact's inline graph: a malformed item is dropped, never the fact.
  void ReadGraph(const Json& item, Fact* fact) {
    auto at = [&](std::initializer_list<const char*> keys) -> const Json* {
      for (const char* key : keys) {
        if (auto it = item.find(key); it != item.end()) return &*it;
      }
      return nullptr;
    };
    graph::GraphItems items;
    graph::ReadGraphItemsLenient(at({"entities"}), at({"relations", "relationships"}), &items,
                                 [this](std::string what) { Problem(std::move(what)); });
    fact->entities = std::move(items.entities);
    fact->relations = std::move(items.relations);
  }

  std::string ReplacesOf(const Json& item) {
    for (const char* key : {"replaces", "supersedes"}) {
      auto it = item.find(key);
      if (it == item.end() || it->is_null()) continue;
      if (it->is_string()) return std::string(Trim(it->get_ref<const std::string&>()));
      Problem("\"replaces\" is not a string; ignored");
    }
    return "";
  }

  const ParseOptions& options_;
  BlockParse* out_;
};

// Index just past the string starting at s[i] == '"', or npos when unterminated.
size_t SkipString(std::string_view s, size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

size_t NextNonSpace(std::string_view s, size_t i) {
  while (i < s.size() && IsSpace(s[i])) ++i;
  return i;
}

// For every '{' and '[' outside strings, the index of its closing bracket
// (npos when unclosed or mismatched): one pass with a stack, so the salvage
// below never rescans the text to find where an object ends. 32-bit indexes:
// a block is part of one reply, far below 4 GiB.
constexpr uint32_t kUnmatched = UINT32_MAX;

std::vector<uint32_t> MatchBrackets(std::string_view s) {
  std::vector<uint32_t> match(s.size(), kUnmatched);
  std::vector<size_t> open;
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '"') {
      i = SkipString(s, i);
      if (i == std::string_view::npos) break;
      continue;
    }
    if (c == '{' || c == '[') open.push_back(i);
    if ((c == '}' || c == ']') && !open.empty()) {
      char want = c == '}' ? '{' : '[';
      if (s[open.back()] == want) match[open.back()] = static_cast<uint32_t>(i);
      open.pop_back();
    }
    ++i;
  }
  return match;
}

// Malformed or truncated JSON: keep every complete object that parses, and
// complete strings sitting directly in a list (a truncated list of strings).
// Objects nested deeper than kMaxSalvageDepth are not tried on their own:
// facts sit at most a few levels down, and the bound keeps the work linear
// (each byte is parsed at most once per enclosing level tried).
constexpr size_t kMaxSalvageDepth = 4;

void Salvage(std::string_view s, Extractor* ex) {
  if (s.size() >= kUnmatched) return ex->Problem("block too large to salvage");
  const std::vector<uint32_t> match = MatchBrackets(s);
  std::vector<char> open;  // brackets we are inside of (unclosed or unparseable)
  char prev = '\0';        // last structural character outside strings
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '"') {
      size_t end = SkipString(s, i);
      if (end == std::string_view::npos) return;  // cut inside a string: nothing more to read
      size_t next = NextNonSpace(s, end);
      bool in_list = !open.empty() && open.back() == '[' && (prev == '[' || prev == ',');
      if (in_list && (next == s.size() || s[next] == ',' || s[next] == ']')) {
        Json str = Json::parse(s.substr(i, end - i), nullptr, false);
        if (str.is_string()) ex->Item(str, 0);
      }
      prev = '"';
      i = end;
      continue;
    }
    if (c == '{' && open.size() <= kMaxSalvageDepth) {
      size_t end = match[i] == kUnmatched ? std::string_view::npos : match[i];
      if (end != std::string_view::npos) {
        Json obj = Json::parse(s.substr(i, end - i + 1), nullptr, false);
        if (!obj.is_discarded()) {
          ex->Value(obj, 0);
          prev = '}';
          i = end + 1;
          continue;
        }
      }
      ex->Problem(end == std::string_view::npos ? "unclosed object dropped"
                                                : "unparseable object skipped");
    }
    if (c == '{' || c == '[') open.push_back(c);
    if ((c == '}' || c == ']') && !open.empty()) open.pop_back();
    if (!IsSpace(c)) prev = c;
    ++i;
  }
}

bool IsNothingMarker(std::string_view line) {
  std::string l = Lower(line);
  while (!l.empty() && (l.back() == '.' || l.back() == '!')) l.pop_back();
  for (const char* m : {"none", "null", "n/a", "nothing", "nothing new", "nothing to remember",
                        "no new memories", "no memories", "no new facts", "no facts", "[]", "{}"}) {
    if (l == m) return true;
  }
  return false;
}

// A plain-text line worth keeping: valid UTF-8 with at least one letter or
// digit (any non-ASCII byte counts: most scripts are non-ASCII).
bool HasWords(std::string_view line) {
  if (!IsValidUtf8(line)) return false;
  for (char c : line) {
    if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) {
      return true;
    }
  }
  return false;
}

// Not JSON at all: one fact per non-empty line, list bullets removed.
void PlainLines(std::string_view s, Extractor* ex) {
  while (!s.empty()) {
    size_t nl = s.find('\n');
    std::string_view line = Trim(s.substr(0, nl));
    s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
    for (std::string_view bullet : {"- ", "* ", "\u2022 "}) {
      if (line.substr(0, bullet.size()) == bullet) line = Trim(line.substr(bullet.size()));
    }
    if (line.empty() || IsNothingMarker(line)) continue;
    if (!HasWords(line)) {
      ex->Problem("plain-text line without words dropped");
      continue;
    }
    ex->Item(Json(std::string(line)), 0);
  }
}

}  // namespace

void ParseBlockBody(std::string_view body, bool closed, const ParseOptions& options,
                    BlockParse* out) {
  // Never throws: nlohmann is called in its non-throwing modes, and anything
  // unexpected (e.g. bad_alloc) drops this block instead of escaping.
  try {
    Extractor ex(options, out);
    std::string_view text = StripFence(body);
    if (text.empty()) return;
    Json v = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!v.is_discarded()) return ex.Value(v, 0);
    if (text.front() == '{' || text.front() == '[' || text.find('{') != std::string_view::npos) {
      ex.Problem(closed ? "malformed JSON; salvaging complete facts"
                        : "block cut short; salvaging complete facts");
      return Salvage(text, &ex);
    }
    if (!closed) {
      // A plain-text block cut short: its last line may be half a fact.
      size_t nl = text.rfind('\n');
      ex.Problem("block cut short; last line dropped");
      text = nl == std::string_view::npos ? std::string_view() : text.substr(0, nl);
    }
    PlainLines(text, &ex);
  } catch (...) {
    out->problems.push_back("block dropped: unexpected error while parsing");
  }
}

}  // namespace stratamem::protocol
