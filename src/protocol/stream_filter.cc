#include "protocol/stream_filter.h"

#include <utility>

namespace stratamem::protocol {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

char Fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsFolded(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Fold(a[i]) != lower[i]) return false;
  }
  return true;
}

// First case-insensitive occurrence of `lower` (a lowercase tag) at or after `from`.
size_t FindFolded(std::string_view s, std::string_view lower, size_t from) {
  for (size_t i = s.find('<', from); i != std::string_view::npos; i = s.find('<', i + 1)) {
    if (i + lower.size() > s.size()) return std::string_view::npos;
    if (EqualsFolded(s.substr(i, lower.size()), lower)) return i;
  }
  return std::string_view::npos;
}

// Start of the longest suffix of s[from:] that is a proper prefix of the tag
// (so could become the tag with more bytes), or s.size().
size_t PartialTagStart(std::string_view s, size_t from, std::string_view lower) {
  size_t longest = std::min(lower.size() - 1, s.size() - from);
  for (size_t k = longest; k > 0; --k) {
    if (EqualsFolded(s.substr(s.size() - k), lower.substr(0, k))) return s.size() - k;
  }
  return s.size();
}

size_t TrailingSpaceStart(std::string_view s, size_t from, size_t end) {
  while (end > from && IsSpace(s[end - 1])) --end;
  return end;
}

}  // namespace

StreamFilter::StreamFilter(ParseOptions options) : options_(options) {}

void StreamFilter::Emit(std::string_view text, std::string* out) {
  if (text.empty()) return;
  if (after_block_) {
    size_t k = 0;
    while (k < text.size() && IsSpace(text[k])) ++k;
    if (k == text.size()) {
      gap_after_.append(text);
      return;
    }
    gap_after_.append(text.substr(0, k));
    text.remove_prefix(k);
    // Text resumes after a block: keep one separator, none at the very start.
    if (shown_any_) out->append(gap_before_.empty() ? gap_after_ : gap_before_);
    after_block_ = false;
    gap_before_.clear();
    gap_after_.clear();
  }
  out->append(text);
  for (char c : text) {
    if (!IsSpace(c)) {
      shown_any_ = true;
      break;
    }
  }
}

// `before` is the text between the last emitted byte and the tag.
void StreamFilter::OpenBlock(std::string_view before, std::string* out) {
  size_t ws = TrailingSpaceStart(before, 0, before.size());
  bool had_text = ws > 0;
  Emit(before.substr(0, ws), out);
  if (had_text || !after_block_) {
    gap_before_ = std::string(before.substr(ws));
    gap_after_.clear();
  }  // else two blocks in a row: keep the gap from before the first
  after_block_ = true;
  in_block_ = true;
  body_.clear();
}

void StreamFilter::CloseBlock(bool closed) {
  ParseBlockBody(body_, closed, options_, &parsed_);
  result_.blocks.push_back(std::move(body_));
  body_.clear();
  in_block_ = false;
}

// One pass over held-back bytes + the chunk, never copying what follows a tag
// (a reply of many blocks stays linear in its size). At most a partial tag
// (< 9 bytes) is carried over in held_; in text mode a trailing whitespace run
// waits in space_, appended to but never scanned again.
std::string StreamFilter::Feed(std::string_view chunk) {
  std::string out;
  if (finished_ || chunk.empty()) return out;
  std::string buf = std::move(held_);
  held_.clear();
  buf.append(chunk);
  std::string_view s = buf;
  size_t i = 0;
  while (i < s.size()) {
    if (in_block_) {
      size_t at = FindFolded(s, kCloseTag, i);
      if (at == std::string_view::npos) {
        // The close tag may straddle into the next piece: hold its possible start.
        size_t hold = PartialTagStart(s, i, kCloseTag);
        body_.append(s.substr(i, hold - i));
        held_ = std::string(s.substr(hold));
        break;
      }
      body_.append(s.substr(i, at - i));
      CloseBlock(/*closed=*/true);
      i = at + kCloseTag.size();
      continue;
    }
    size_t at = FindFolded(s, kOpenTag, i);
    if (at != std::string_view::npos) {
      std::string before = std::move(space_);
      space_.clear();
      before.append(s.substr(i, at - i));
      OpenBlock(before, &out);
      i = at + kOpenTag.size();
      continue;
    }
    size_t hold = PartialTagStart(s, i, kOpenTag);
    size_t ws = TrailingSpaceStart(s, i, hold);
    if (ws > i) {
      std::string text = std::move(space_);
      text.append(s.substr(i, ws - i));
      Emit(text, &out);
      space_ = std::string(s.substr(ws, hold - ws));
    } else {
      space_.append(s.substr(i, hold - i));  // only whitespace so far: never re-scanned
    }
    held_ = std::string(s.substr(hold));
    break;
  }
  result_.visible.append(out);
  return out;
}

std::string StreamFilter::Finish() {
  std::string out;
  if (finished_) return out;
  if (in_block_) {
    body_.append(held_);  // a partial close tag that never completed is block text
    held_.clear();
    CloseBlock(/*closed=*/false);
    result_.unclosed = true;
  } else {
    // No block followed: the held bytes are the reply's own (whitespace right
    // after a block stays in the gap and is dropped).
    Emit(space_ + held_, &out);
    space_.clear();
    held_.clear();
  }
  finished_ = true;
  result_.visible.append(out);
  result_.facts = std::move(parsed_.facts);
  result_.problems = std::move(parsed_.problems);
  if (result_.unclosed) result_.problems.push_back("reply ended inside a <memory> block");
  return out;
}

ReplyParse ParseReply(std::string_view reply, const ParseOptions& options) {
  StreamFilter filter(options);
  filter.Feed(reply);
  filter.Finish();
  return filter.result();
}

}  // namespace stratamem::protocol
