#include "graph/words.h"

#include <utf8proc.h>

#include "graph/lexicon.h"
#include "util/utf8.h"

namespace stratamem::graph {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool IsLeadPunct(char c) {
  return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == '*' || c == '<' || c == '_';
}

bool IsTrailPunct(char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']' ||
         c == '}' || c == '"' || c == '\'' || c == '*' || c == '>' || c == '_';
}

// Multi-byte punctuation peeled like its ASCII cousin: curly quotes, ellipsis,
// dashes, inverted marks. Returns its length at s[i] (or at the end), 0 if none.
size_t CurlyAt(std::string_view s, size_t i) {
  static constexpr std::string_view kMarks[] = {"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98",
                                                "\xE2\x80\x99", "\xE2\x80\xA6", "\xE2\x80\x94",
                                                "\xE2\x80\x93", "\xC2\xBF", "\xC2\xA1"};
  for (std::string_view m : kMarks) {
    if (s.size() - i >= m.size() && s.compare(i, m.size(), m) == 0) return m.size();
  }
  return 0;
}
size_t CurlyBefore(std::string_view s, size_t end) {
  static constexpr std::string_view kMarks[] = {"\xE2\x80\x9D", "\xE2\x80\x99", "\xE2\x80\xA6",
                                                "\xE2\x80\x94", "\xE2\x80\x93"};
  for (std::string_view m : kMarks) {
    if (end >= m.size() && s.compare(end - m.size(), m.size(), m) == 0) return m.size();
  }
  return 0;
}

int32_t FirstCodepoint(std::string_view s) {
  size_t i = 0;
  int32_t cp = -1;
  return NextCodepoint(s, &i, &cp) ? cp : -1;
}

bool IsLetter(int32_t cp) {
  auto cat = utf8proc_category(cp);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

// A closing bracket stays when its opener is inside the token: "f()", "{id}".
bool ClosesInside(std::string_view tok, char close) {
  char open = close == ')' ? '(' : close == ']' ? '[' : close == '}' ? '{' : '<';
  int depth = 0;
  for (char c : tok) {
    if (c == open) ++depth;
    if (c == close) --depth;
  }
  return depth >= 0 && tok.find(open) != std::string_view::npos;
}

}  // namespace

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool StartsUpper(std::string_view s) {
  int32_t cp = FirstCodepoint(s);
  if (cp < 0) return false;
  auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

bool StartsLower(std::string_view s) {
  int32_t cp = FirstCodepoint(s);
  return cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

bool HasLetter(std::string_view s) {
  size_t i = 0;
  int32_t cp;
  while (NextCodepoint(s, &i, &cp)) {
    if (IsLetter(cp)) return true;
  }
  return false;
}

namespace {

void SetCase(Word* w) {
  w->capitalised = StartsUpper(w->text);
  int letters = 0;
  bool lower = false;
  size_t i = 0;
  int32_t cp;
  while (NextCodepoint(w->text, &i, &cp)) {
    lower |= utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
    letters += IsLetter(cp);
  }
  w->all_caps = letters >= 2 && !lower;
}

}  // namespace

std::vector<Word> SplitWords(std::string_view text, size_t start) {
  std::vector<Word> out;
  bool next_starts = true;
  size_t i = start;
  while (i < text.size()) {
    bool newline = false;
    while (i < text.size() && IsSpace(text[i])) newline |= text[i++] == '\n';
    if (i >= text.size()) break;
    size_t j = i;
    while (j < text.size() && !IsSpace(text[j])) ++j;
    size_t b = i, e = j;
    i = j;
    if (newline) next_starts = true;
    Word w;
    // Peel opening punctuation.
    while (b < e) {
      size_t curly = CurlyAt(text, b);
      if (curly) {
        if (!w.lead) w.lead = '"';
        b += curly;
      } else if (IsLeadPunct(text[b]) && !(text[b] == '<' || text[b] == '_')) {
        if (!w.lead) w.lead = text[b];
        ++b;
      } else {
        break;
      }
    }
    // Peel closing punctuation, keeping what belongs to the token.
    bool period = false, stop = false;
    while (e > b) {
      std::string_view tok = text.substr(b, e - b);
      size_t curly = CurlyBefore(text, e);
      if (curly && e - curly >= b) {  // a closing curly quote or an ellipsis
        if (text.compare(e - curly, curly, "\xE2\x80\xA6") == 0) period = true;
        e -= curly;
        continue;
      }
      char c = text[e - 1];
      if (!IsTrailPunct(c)) break;
      if ((c == ')' || c == ']' || c == '}' || c == '>') && ClosesInside(tok, c)) break;
      // "Dr." keeps its period; "800 ms." does not ("ms" is a unit there, not "Ms.").
      if (c == '.' && IsAbbreviation(AsciiLower(tok)) &&
          !(StartsLower(tok) && IsUnit(AsciiLower(tok.substr(0, tok.size() - 1))))) {
        break;
      }
      if (c == '_' || c == '*') {
        e -= 1;
        continue;
      }
      // Peeling goes outside in, so the last stop noted is the one next to the word.
      if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?') w.trail = c;
      if (c == '.') period = true;
      if (c == '!' || c == '?') stop = true;
      e -= 1;
    }
    if (b >= e) {
      // Punctuation alone ("-", "•", "!!"): a bullet or a dash; a stop ends the sentence.
      if (period || stop) next_starts = true;
      continue;
    }
    w.begin = b;
    w.end = e;
    w.text = text.substr(b, e - b);
    w.lower = AsciiLower(w.text);
    SetCase(&w);
    w.sentence_start = next_starts || (w.lead == '"' && w.capitalised);
    w.ends_sentence = period || stop;
    next_starts = w.ends_sentence || w.trail == ':';
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace stratamem::graph
