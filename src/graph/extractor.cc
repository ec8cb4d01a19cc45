#include "graph/extractor.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>

#include "graph/dates.h"
#include "graph/fold.h"
#include "graph/lexicon.h"
#include "graph/token_kinds.h"
#include "graph/words.h"

namespace stratamem::graph {
namespace {

constexpr size_t kMaxLabelBytes = 48;
constexpr size_t kMaxTitleBytes = 100;
constexpr size_t kMaxNameWords = 6;

struct Range {
  size_t begin, end;
};

// Small words a title may have in lower case ("Salt and Iron", "Maps of the Unseen").
bool IsTitleSmallWord(std::string_view w) {
  return w == "a" || w == "an" || w == "the" || w == "and" || w == "or" || w == "of" || w == "in" || w == "on" ||
         w == "at" || w == "to" || w == "for" || w == "with" || w == "from" || w == "by" || w == "is" || w == "as";
}

std::string_view StripPossessive(std::string_view w) {
  if (w.size() > 2 && (w.substr(w.size() - 2) == "'s")) return w.substr(0, w.size() - 2);
  if (w.size() > 4 && w.substr(w.size() - 4) == "\xE2\x80\x99s") return w.substr(0, w.size() - 4);
  return w;
}

bool IsPossessive(std::string_view w) { return StripPossessive(w).size() != w.size(); }

bool IsOrdinalWord(std::string_view w) {
  size_t n = 0;
  while (n < w.size() && w[n] >= '0' && w[n] <= '9') ++n;
  std::string_view rest = w.substr(n);
  return n > 0 && n <= 3 && (rest == "st" || rest == "nd" || rest == "rd" || rest == "th");
}

class Extractor {
 public:
  explicit Extractor(std::string_view text) : text_(text) {}

  std::vector<Mention> Run() {
    size_t body = SpeakerLabel();
    QuotedTitles(body);
    BackTicks(body);
    words_ = SplitWords(text_, body);
    for (Word& w : words_) {
      for (const Range& r : consumed_) {
        if (w.begin >= r.begin && w.end <= r.end) w.consumed = true;
      }
    }
    ShapedTokens();
    DatesAndQuantities();
    Names();
    return Merge();
  }

 private:
  void Add(std::string surface, std::string key, std::string_view type, size_t begin, size_t end,
           MentionRole role = MentionRole::kMention, bool weak = false) {
    if (key.empty()) return;
    Mention m;
    m.surface = std::move(surface);
    m.key = std::move(key);
    m.type = std::string(type);
    m.role = role;
    m.weak = weak;
    m.begin = begin;
    m.end = end;
    found_.push_back(std::move(m));
  }

  void AddSpan(std::string_view type, size_t begin, size_t end, MentionRole role = MentionRole::kMention,
               bool weak = false) {
    std::string surface(text_.substr(begin, end - begin));
    std::string key = FoldEntityKey(surface, type);
    Add(std::move(surface), std::move(key), type, begin, end, role, weak);
  }

  // "Tom: ...", "[8 May, 2023] Caroline Smith: ...": one to three capitalised
  // words and a colon at the start. Returns where the body starts.
  size_t SpeakerLabel() {
    size_t i = 0;
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\n' || text_[i] == '\t')) ++i;
    size_t label_at = i;
    if (i < text_.size() && text_[i] == '[') {
      size_t close = text_.find(']', i);
      if (close != std::string_view::npos && close - i < 64) {
        label_at = close + 1;
        while (label_at < text_.size() && text_[label_at] == ' ') ++label_at;
      }
    }
    size_t colon = text_.find(':', label_at);
    if (colon == std::string_view::npos || colon == label_at || colon - label_at > kMaxLabelBytes) return 0;
    if (colon + 1 < text_.size() && text_[colon + 1] != ' ' && text_[colon + 1] != '\n') return 0;
    std::string_view label = text_.substr(label_at, colon - label_at);
    std::vector<std::string_view> parts = KeyWords(label);
    if (parts.empty() || parts.size() > 3) return 0;
    for (std::string_view p : parts) {
      if (!StartsUpper(p) || !HasLetter(p)) return 0;
      for (char c : p) {
        if (c == ',' || c == ';' || c == '(' || c == '"') return 0;
      }
    }
    if (parts.size() == 1 && IsCommonWord(AsciiLower(parts[0]))) return 0;
    AddSpan(kPerson, label_at, colon, MentionRole::kSubject);
    consumed_.push_back({label_at, colon + 1});
    labelled_ = true;
    return 0;  // a bracketed prefix ("[8 May, 2023]") is read like the body
  }

  // "The Overstory", “Spirited Away”: a quoted run of 1..10 words, mostly capitalised.
  void QuotedTitles(size_t from) {
    static constexpr std::pair<std::string_view, std::string_view> kQuotes[] = {
        {"\"", "\""}, {"\xE2\x80\x9C", "\xE2\x80\x9D"}};
    for (const auto& [open, close] : kQuotes) {
      size_t at = from;
      while ((at = text_.find(open, at)) != std::string_view::npos) {
        size_t inner = at + open.size();
        size_t end = text_.find(close, inner);
        if (end == std::string_view::npos) break;
        std::string_view body = text_.substr(inner, end - inner);
        if (IsTitle(body)) {
          AddSpan(kTitle, inner, end);
          consumed_.push_back({inner, end});
        }
        at = end + close.size();
      }
    }
  }

  static bool IsTitle(std::string_view body) {
    if (body.empty() || body.size() > kMaxTitleBytes || body.find('\n') != std::string_view::npos) return false;
    if (body.front() == ' ' || body.back() == ' ') return false;
    std::vector<std::string_view> parts = KeyWords(body);
    if (parts.empty() || parts.size() > 10 || !StartsUpper(parts[0])) return false;
    int content = 0, capitalised = 0;
    for (std::string_view p : parts) {
      std::string lower = AsciiLower(p);
      if (IsTitleSmallWord(lower)) continue;
      ++content;
      if (StartsUpper(p) || (!p.empty() && p[0] >= '0' && p[0] <= '9')) ++capitalised;
    }
    char last = body.back();
    if (last == '?' || last == '!' || last == ',') return false;  // a quoted question or shout
    return content > 0 && capitalised * 2 >= content * 2 - (content > 3 ? 1 : 0);
  }

  void BackTicks(size_t from) {
    size_t at = from;
    while ((at = text_.find('`', at)) != std::string_view::npos) {
      size_t end = text_.find('`', at + 1);
      if (end == std::string_view::npos) break;
      if (end > at + 1 && end - at < 200) {
        AddSpan(kCode, at + 1, end);
        consumed_.push_back({at, end + 1});
      }
      at = end + 1;
    }
  }

  void ShapedTokens() {
    for (size_t i = 0; i < words_.size(); ++i) {
      Word& w = words_[i];
      if (w.consumed) continue;
      // A generic type split by a space: "HashMap<String, Vec<u8>>".
      size_t lt = w.text.find('<');
      if (lt != std::string_view::npos && lt > 0 && IsIdentChar(w.text[0])) {
        // Count brackets over the raw text: peeling took a '>' off "Vec<u8>>".
        int depth = 0;
        size_t end = w.begin;
        for (; end < text_.size() && end < w.begin + 200; ++end) {
          depth += text_[end] == '<' ? 1 : text_[end] == '>' ? -1 : 0;
          if (depth == 0 && text_[end] == '>') break;
          if (depth < 0) break;
        }
        if (depth == 0 && end < text_.size()) {
          AddSpan(kCode, w.begin, end + 1);
          for (size_t k = i; k < words_.size() && words_[k].begin <= end; ++k) words_[k].consumed = true;
          continue;
        }
      }
      std::string_view kind = TokenKind(w.text);
      if (kind.empty()) continue;
      AddSpan(kind, w.begin, w.end);
      w.consumed = true;
    }
  }

  void DatesAndQuantities() {
    for (size_t i = 0; i < words_.size(); ++i) {
      if (words_[i].consumed) continue;
      std::string key;
      size_t n = MatchDate(words_, i, &key);
      std::string_view type = kDate;
      if (n == 0) {
        n = MatchQuantity(words_, i, &key);
        type = kQuantity;
      }
      if (n == 0) continue;
      bool free = true;
      for (size_t k = i; k < i + n; ++k) free &= !words_[k].consumed;
      if (!free) continue;
      size_t begin = words_[i].begin, end = words_[i + n - 1].end;
      Add(std::string(text_.substr(begin, end - begin)), key, type, begin, end);
      for (size_t k = i; k < i + n; ++k) words_[k].consumed = true;
      i += n - 1;
    }
  }

  // Capitalised words, brands written "iCloud"/"macOS", acronyms ("NASA", "M2").
  bool NameLike(const Word& w) const {
    if (w.consumed || !HasLetter(w.text)) return false;
    std::string lower = AsciiLower(StripPossessive(w.text));
    if (IsNeverAName(lower)) return false;
    if (w.capitalised) return true;
    size_t prefix = 0;
    while (prefix < w.text.size() && w.text[prefix] >= 'a' && w.text[prefix] <= 'z') ++prefix;
    return prefix > 0 && prefix < w.text.size() && w.text[prefix] >= 'A' && w.text[prefix] <= 'Z' &&
           (prefix <= 2 || lower.substr(0, 3) == "mac");
  }

  static bool HasInnerCapital(std::string_view t) {
    for (size_t i = 1; i < t.size(); ++i) {
      if (t[i] >= 'A' && t[i] <= 'Z') return true;
    }
    return false;
  }

  bool Stops(const Word& w) const {
    return w.ends_sentence || w.trail == ',' || w.trail == ';' || w.trail == ':' || w.trail == '!' || w.trail == '?';
  }

  // Most of the sentence in capitals: shouting, not acronyms.
  bool Shouting(size_t i) const {
    size_t b = i, e = i;
    while (b > 0 && !words_[b - 1].ends_sentence) --b;
    while (e + 1 < words_.size() && !words_[e].ends_sentence) ++e;
    int caps = 0, letters = 0;
    for (size_t k = b; k <= e; ++k) {
      if (!HasLetter(words_[k].text)) continue;
      ++letters;
      caps += words_[k].all_caps;
    }
    return letters >= 3 && caps * 2 > letters;
  }

  void Names() {
    for (size_t i = 0; i < words_.size(); ++i) {
      if (!NameLike(words_[i])) continue;
      size_t j = i;
      while (j + 1 < words_.size() && j - i + 1 < kMaxNameWords && !Stops(words_[j])) {
        const Word& next = words_[j + 1];
        if (IsPossessive(words_[j].text) && !IsPlaceOrOrgHead(AsciiLower(next.text))) break;
        if (NameLike(next)) {
          ++j;
          continue;
        }
        // "University of Tromso", "Bank of the West", "Ember & Oak"; not after
        // a sentence's first word ("Shares of X") unless it heads a name, nor
        // after a titled person ("Senator X of Ohio").
        std::string first_word = AsciiLower(words_[i].text);
        bool bare_start = j == i && words_[i].sentence_start && !IsPlaceOrOrgHead(first_word);
        bool titled = IsPersonTitle(first_word.back() == '.' ? first_word.substr(0, first_word.size() - 1)
                                                             : first_word);
        if (IsNameConnector(next.lower) && !next.capitalised && !Stops(next) && !bare_start && !titled) {
          size_t k = j + 2;
          if (k < words_.size() && words_[k].lower == "the" && !Stops(words_[k])) ++k;
          if (k < words_.size() && NameLike(words_[k])) {
            j = k;
            continue;
          }
        }
        break;
      }
      size_t first = i, last = j;
      // Leading greetings and sentence words ("Thanks Tom", "Dear Professor X");
      // "The" stays before a name ("The Blue Note"), the key drops it.
      bool greeted = i > 0 && IsGreeting(AsciiLower(StripPossessive(words_[i - 1].text)));
      while (first <= last) {
        std::string lower = AsciiLower(StripPossessive(words_[first].text));
        bool opens = words_[first].sentence_start || words_[first].lead || IsGreeting(lower);
        if (!opens || !IsCommonWord(lower) || (lower == "the" && first < last)) break;
        greeted |= IsGreeting(lower);
        ++first;
      }
      // "5th Avenue", "42nd Street": an ordinal before a street's name.
      if (first > 0 && first == i && IsPlaceOrOrgHead(AsciiLower(words_[last].text)) &&
          IsOrdinalWord(words_[first - 1].lower) && !words_[first - 1].consumed) {
        --first;
      }
      i = j;
      if (first > last) continue;
      if (Shouting(first) && words_[first].all_caps) continue;
      Classify(first, last, greeted);
    }
  }

  void Classify(size_t first, size_t last, bool greeted) {
    const Word& a = words_[first];
    const Word& z = words_[last];
    std::string head = AsciiLower(StripPossessive(z.text));
    std::string lead = AsciiLower(a.text);
    if (!lead.empty() && lead.back() == '.') lead.pop_back();
    bool single = first == last;
    bool weak = single && a.sentence_start && !a.all_caps && !HasInnerCapital(a.text);
    bool person = false, addressed = false;
    if (!single && IsPersonTitle(lead)) person = true;
    if (greeted) person = addressed = true;
    if (first > 0) {
      const Word& prev = words_[first - 1];
      std::string p = AsciiLower(StripPossessive(prev.text));
      if (IsPersonRoleNoun(p) && !prev.ends_sentence) person = true;
      // Addressed: ", Sofia!" / "that, Aisha?" at the end of a sentence.
      if (prev.trail == ',' && (z.ends_sentence || last + 1 == words_.size() || z.trail == '!' || z.trail == '?')) {
        person = addressed = true;
      }
      // "... by Madeline Miller" after a title.
      if (p == "by" && first >= 2 && words_[first - 2].consumed) person = true;
    }
    if (last + 1 < words_.size() && !z.ends_sentence) {
      const Word& next = words_[last + 1];
      if (IsSpeechVerb(next.lower)) person = true;
      if (next.lower == "and" && last + 2 < words_.size() && words_[last + 2].lower == "i") person = true;
    }
    if (IsPlaceOrOrgHead(head) && !single) person = addressed = false;
    if (person) weak = false;
    AddSpan(person ? kPerson : kName, a.begin, z.end, addressed ? MentionRole::kAddressee : MentionRole::kMention,
            weak);
  }

  // One mention per key, in order of first occurrence; the most specific type
  // and the strongest role win; weak only if every occurrence was.
  std::vector<Mention> Merge() {
    std::stable_sort(found_.begin(), found_.end(),
                     [](const Mention& x, const Mention& y) { return x.begin < y.begin; });
    std::vector<Mention> out;
    std::unordered_map<std::string, size_t> at;
    for (Mention& m : found_) {
      auto [it, fresh] = at.try_emplace(m.key, out.size());
      if (fresh) {
        out.push_back(std::move(m));
        continue;
      }
      Mention& kept = out[it->second];
      ++kept.count;
      if (TypeRank(m.type) > TypeRank(kept.type)) kept.type = m.type;
      if (Stronger(m.role, kept.role)) kept.role = m.role;
      kept.weak = kept.weak && m.weak;
    }
    // Without a speaker label, a note is about the name it starts with.
    if (!labelled_ && !out.empty() && !words_.empty() && out.front().begin == words_.front().begin &&
        (out.front().type == kPerson || out.front().type == kName) && !out.front().weak) {
      out.front().role = MentionRole::kSubject;
    }
    return out;
  }

  std::string_view text_;
  std::vector<Word> words_;
  std::vector<Range> consumed_;
  std::vector<Mention> found_;
  bool labelled_ = false;
};

}  // namespace

std::vector<Mention> ExtractEntities(std::string_view text) { return Extractor(text).Run(); }

}  // namespace stratamem::graph
