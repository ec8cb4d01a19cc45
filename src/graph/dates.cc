#include "graph/dates.h"

#include <cstdio>
#include <string_view>
#include <utility>

#include "graph/lexicon.h"

namespace stratamem::graph {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::string Pad2(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

// "8", "08", "8th", "1st", "22nd": a day of the month.
int DayNumber(std::string_view w) {
  size_t n = 0;
  while (n < w.size() && IsDigit(w[n])) ++n;
  if (n == 0 || n > 2) return 0;
  std::string_view rest = w.substr(n);
  if (!rest.empty() && rest != "st" && rest != "nd" && rest != "rd" && rest != "th") return 0;
  int d = ToInt(w.substr(0, n));
  return d >= 1 && d <= 31 ? d : 0;
}

bool IsOrdinal(std::string_view w) { return DayNumber(w) != 0 && !AllDigits(w); }

int Year(std::string_view w) {
  if (w.size() != 4 || !AllDigits(w)) return 0;
  int y = ToInt(w);
  return y >= 1900 && y <= 2099 ? y : 0;
}

// A month name as a date: full names, or abbreviations written with a period
// or next to a day or year. "May" is also a verb: it needs a day, a year or a
// preposition ("in May").
int MonthAt(const std::vector<Word>& w, size_t i, bool near_number) {
  if (!w[i].capitalised) return 0;
  std::string lower = w[i].lower;
  bool period = !lower.empty() && lower.back() == '.';
  if (period) lower.pop_back();
  int m = MonthNumber(lower);
  if (m == 0) return 0;
  bool full = lower.size() > 4 || lower == "june" || lower == "july" || lower == "may";
  if (!full && !period && !near_number) return 0;
  if (lower == "may" && !near_number) {
    if (i == 0 || !IsDatePreposition(w[i - 1].lower)) return 0;
  }
  return m;
}

bool NextIs(const std::vector<Word>& w, size_t i) { return i + 1 < w.size() && !w[i].ends_sentence; }

// "6:45", "10:30", "02:00": hours and minutes.
bool ClockTime(std::string_view s, int* h, int* m) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || s.size() != colon + 3) return false;
  if (!AllDigits(s.substr(0, colon)) || !AllDigits(s.substr(colon + 1))) return false;
  *h = ToInt(s.substr(0, colon));
  *m = ToInt(s.substr(colon + 1));
  return *h <= 24 && *m <= 59;
}

bool IsMeridiem(std::string_view lower, bool* pm) {
  if (lower == "am" || lower == "a.m." || lower == "a.m") {
    *pm = false;
    return true;
  }
  if (lower == "pm" || lower == "p.m." || lower == "p.m") {
    *pm = true;
    return true;
  }
  return false;
}

// A time: "9pm", "9 pm", "6:45 pm", "10:30", "8:30 a.m.", "02:00 UTC".
size_t MatchTime(const std::vector<Word>& w, size_t i, std::string* key) {
  const std::string& t = w[i].lower;
  int h = -1, m = 0;
  bool pm = false, meridiem = false;
  size_t used = 1;
  size_t digits = 0;
  while (digits < t.size() && IsDigit(t[digits])) ++digits;
  if (digits > 0 && digits <= 2 && IsMeridiem(std::string_view(t).substr(digits), &pm)) {
    h = ToInt(std::string_view(t).substr(0, digits));
    meridiem = true;
  } else if (ClockTime(t, &h, &m)) {
    if (NextIs(w, i) && IsMeridiem(w[i + 1].lower, &pm)) {
      meridiem = true;
      used = 2;
    }
  } else if (digits == t.size() && digits > 0 && digits <= 2 && NextIs(w, i) && IsMeridiem(w[i + 1].lower, &pm)) {
    h = ToInt(t);
    meridiem = true;
    used = 2;
  } else {
    return 0;
  }
  if (meridiem) {
    if (h < 1 || h > 12) return 0;
    if (pm && h != 12) h += 12;
    if (!pm && h == 12) h = 0;
  }
  *key = Pad2(h) + ":" + Pad2(m);
  size_t last = i + used - 1;
  if (NextIs(w, last) && IsTimeZone(w[last + 1].lower) && w[last + 1].all_caps) {
    *key += " " + w[last + 1].lower;
    ++used;
  }
  return used;
}

// "2024-03-15", "2026-27", "2024-03", "15/03/2024", "Q3".
bool SingleTokenDate(std::string_view t, std::string* key) {
  if (t.size() == 10 && t[4] == '-' && t[7] == '-' && AllDigits(t.substr(0, 4)) && AllDigits(t.substr(5, 2)) &&
      AllDigits(t.substr(8, 2))) {
    int mo = ToInt(t.substr(5, 2)), d = ToInt(t.substr(8, 2));
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
    *key = std::string(t);
    return true;
  }
  if (t.size() == 7 && t[4] == '-' && Year(t.substr(0, 4)) && AllDigits(t.substr(5, 2))) {
    *key = std::string(t);  // a year and month, or an academic year ("2026-27")
    return true;
  }
  size_t s1 = t.find('/'), s2 = t.rfind('/');
  if (s1 != std::string_view::npos && s2 != s1 && s1 >= 1 && s1 <= 2 && s2 - s1 >= 2 && s2 - s1 <= 3 &&
      (t.size() - s2 - 1 == 2 || t.size() - s2 - 1 == 4) && AllDigits(t.substr(0, s1)) &&
      AllDigits(t.substr(s1 + 1, s2 - s1 - 1)) && AllDigits(t.substr(s2 + 1))) {
    *key = std::string(t);  // day and month order is not known: kept as written
    return true;
  }
  if (t.size() == 2 && (t[0] == 'Q' || t[0] == 'q') && t[1] >= '1' && t[1] <= '4') {
    *key = "q" + std::string(1, t[1]);
    return true;
  }
  return false;
}

}  // namespace

size_t MatchDate(const std::vector<Word>& w, size_t i, std::string* key) {
  const Word& cur = w[i];
  if (size_t n = MatchTime(w, i, key)) return n;
  if (SingleTokenDate(cur.text, key)) {
    if (key->size() == 2 && NextIs(w, i) && Year(w[i + 1].lower)) {  // "Q4 2026"
      *key = w[i + 1].lower + "-" + *key;
      return 2;
    }
    return 1;
  }
  // A weekday, alone or before a date: "Friday", "Friday, 7 June 2024".
  if (cur.capitalised && IsWeekday(cur.lower) && cur.lower.size() >= 6) {
    if (NextIs(w, i)) {
      std::string inner;
      if (size_t n = MatchDate(w, i + 1, &inner); n > 0 && inner.find('-') != std::string::npos) {
        *key = inner;
        return n + 1;
      }
    }
    *key = cur.lower;
    return 1;
  }
  // Day then month: "8 May", "30 September 2024", "7th of June"?
  if (int d = DayNumber(cur.lower); d && NextIs(w, i)) {
    if (int m = MonthAt(w, i + 1, true)) {
      size_t used = 2;
      int y = NextIs(w, i + 1) ? Year(w[i + 2].lower) : 0;
      if (y) ++used;
      *key = (y ? std::to_string(y) : std::string("-")) + "-" + Pad2(m) + "-" + Pad2(d);
      return used;
    }
  }
  // Month first: "May 8", "May 8, 2023", "March 2024", "September".
  bool number_next = NextIs(w, i) && (DayNumber(w[i + 1].lower) || Year(w[i + 1].lower));
  if (int m = MonthAt(w, i, number_next)) {
    if (NextIs(w, i)) {
      if (int y = Year(w[i + 1].lower)) {
        *key = std::to_string(y) + "-" + Pad2(m);
        return 2;
      }
      if (int d = DayNumber(w[i + 1].lower)) {
        size_t used = 2;
        int y = NextIs(w, i + 1) ? Year(w[i + 2].lower) : 0;
        if (y) ++used;
        *key = (y ? std::to_string(y) : std::string("-")) + "-" + Pad2(m) + "-" + Pad2(d);
        return used;
      }
    }
    *key = "--" + Pad2(m);
    return 1;
  }
  // A season with its year: "spring 2027".
  if (IsSeason(cur.lower) && NextIs(w, i) && Year(w[i + 1].lower)) {
    *key = w[i + 1].lower + "-" + cur.lower;
    return 2;
  }
  // "the 14th", "on the 22nd": a day of the month, unless a name follows ("5th Avenue").
  if (IsOrdinal(cur.lower) && i > 0 && (w[i - 1].lower == "the" || w[i - 1].lower == "on") &&
      !(NextIs(w, i) && w[i + 1].capitalised)) {
    *key = "day " + std::to_string(DayNumber(cur.lower));
    return 1;
  }
  // A year alone, unless a unit follows (then it is a quantity) or it numbers something.
  if (int y = Year(cur.lower); y && cur.lead != '#' && cur.lead != '$') {
    if (NextIs(w, i) && IsUnit(w[i + 1].lower)) return 0;
    if (i > 0) {
      const std::string& prev = w[i - 1].lower;
      if (prev == "port" || prev == "route" || prev == "room" || prev == "no." || prev == "number" ||
          prev == "flight" || prev == "model" || prev == "version" || prev == "#") {
        return 0;
      }
    }
    *key = std::to_string(y);
    return 1;
  }
  return 0;
}

namespace {

struct Number {
  bool ok = false;
  bool currency = false;   // $ € £ ¥ ₹ before it
  bool separators = false; // "65,000"
  double value = 0;
  std::string suffix;      // what follows the digits in the same token, lower case
};

Number ParseNumber(std::string_view t) {
  Number n;
  size_t i = 0;
  for (std::string_view sym : {"US$", "$", "\xE2\x82\xAC", "\xC2\xA3", "\xC2\xA5", "\xE2\x82\xB9"}) {
    if (t.substr(0, sym.size()) == sym) {
      n.currency = true;
      i = sym.size();
      break;
    }
  }
  size_t start = i;
  double v = 0;
  while (i < t.size() && (IsDigit(t[i]) || (t[i] == ',' && i + 3 < t.size() + 0 && i > start &&
                                            i + 3 <= t.size() && AllDigits(t.substr(i + 1, 3))))) {
    if (t[i] == ',') {
      n.separators = true;
    } else {
      v = v * 10 + (t[i] - '0');
    }
    ++i;
  }
  if (i == start) return n;
  if (i + 1 < t.size() && t[i] == '.' && IsDigit(t[i + 1])) {
    double scale = 0.1;
    for (++i; i < t.size() && IsDigit(t[i]); ++i, scale /= 10) v += (t[i] - '0') * scale;
  }
  // A range: "5-7", "10–12".
  if (i + 1 < t.size() && (t[i] == '-') && IsDigit(t[i + 1])) {
    for (++i; i < t.size() && (IsDigit(t[i]) || t[i] == '.'); ++i) {
    }
  }
  n.ok = true;
  n.value = v;
  n.suffix = AsciiLower(t.substr(i));
  return n;
}

// Lower-case words after a count that name what was counted ("visitors",
// "electric scooters"): at most two, none a function word.
size_t CountedNoun(const std::vector<Word>& w, size_t after) {
  size_t n = 0;
  for (size_t k = after; k < w.size() && n < 2; ++k) {
    if (k > after && w[k - 1].ends_sentence) break;
    if (w[k - 1].trail == ',' && k > after) break;
    if (!StartsLower(w[k].text) || IsCommonWord(w[k].lower) || w[k].consumed) break;
    bool letters = true;
    for (char c : w[k].text) letters &= (c >= 'a' && c <= 'z') || c == '-';
    if (!letters) break;
    ++n;
    if (w[k].trail) break;
  }
  return n;
}

std::string Surface(const std::vector<Word>& w, size_t i, size_t n) {
  std::string s;
  for (size_t k = i; k < i + n; ++k) s += (k > i ? " " : "") + w[k].lower;
  return s;
}

// Time units from the largest down, so "3 hours 40 minutes" is one duration
// and "3 hours 40 minutes two years" is two. -1: not a time unit.
int TimeUnitRank(std::string_view u) {
  if (u.empty() || !IsTimeUnit(u)) return -1;
  if (u.substr(0, 5) == "centu") return 9;
  if (u.substr(0, 6) == "decade") return 8;
  if (u[0] == 'y') return 7;
  if (u.substr(0, 2) == "mo") return 6;
  if (u[0] == 'w') return 5;
  if (u[0] == 'd' || u[0] == 'n') return 4;  // days, nights
  if (u[0] == 'h') return 3;
  if (u.substr(0, 2) == "mi") return 2;
  if (u[0] == 's') return 1;
  return 0;  // ms, us, ns
}

// One number and its unit at words[i]; *unit is the unit word ("" for money
// and counts).
size_t MatchOneQuantity(const std::vector<Word>& w, size_t i, std::string* unit) {
  unit->clear();
  const Word& cur = w[i];
  Number n = ParseNumber(cur.text);
  if (!n.ok) {
    // "two weeks", "ten days": spelled numbers count before time units only.
    if (NumberWord(cur.lower) && NextIs(w, i) && IsTimeUnit(w[i + 1].lower)) {
      *unit = w[i + 1].lower;
      return 2;
    }
    return 0;
  }
  std::string_view suffix = n.suffix;
  if (!suffix.empty()) {
    if (suffix[0] == '-' && suffix.size() > 1) suffix.remove_prefix(1);  // "27-inch", "10-minute"
    if (suffix == "k" || suffix == "m" || suffix == "bn" || IsUnit(suffix)) {
      *unit = std::string(suffix);
      return 1;
    }
    if (suffix == "%") return 1;
    return 0;
  }
  size_t used = 1;
  if (NextIs(w, i) && IsScaleWord(w[i + 1].lower)) {  // "$340 million", "1.1 million subscribers"
    ++used;
    if (NextIs(w, i + 1) && IsUnit(w[i + 2].lower)) return used + 1;
    return used + CountedNoun(w, i + 2);
  }
  if (NextIs(w, i) && !w[i + 1].consumed) {
    const std::string& next = w[i + 1].lower;
    if (IsUnit(next) || next == "\xC2\xB0" "c" || next == "\xC2\xB0" "f") {
      *unit = next;
      return 2;
    }
  }
  if (n.currency) return 1;
  if (n.separators || n.value >= 10000) {  // "65,000 visitors"; not "port 50051"
    size_t noun = CountedNoun(w, i + 1);
    if (noun > 0 || n.separators) return 1 + noun;
  }
  return 0;
}

}  // namespace

size_t MatchQuantity(const std::vector<Word>& w, size_t i, std::string* key) {
  std::string unit;
  size_t used = MatchOneQuantity(w, i, &unit);
  if (used == 0) return 0;
  // "3 hours 40 minutes", "2 hours and 30 minutes": one duration.
  int rank = TimeUnitRank(unit);
  while (rank > 0 && NextIs(w, i + used - 1)) {
    size_t at = i + used;
    size_t skip = w[at].lower == "and" ? 1 : 0;
    if (at + skip >= w.size()) break;
    std::string next_unit;
    size_t more = MatchOneQuantity(w, at + skip, &next_unit);
    int next_rank = TimeUnitRank(next_unit);
    if (!more || next_rank < 0 || next_rank >= rank) break;
    used += skip + more;
    rank = next_rank;
  }
  *key = Surface(w, i, used);
  return used;
}

}  // namespace stratamem::graph
