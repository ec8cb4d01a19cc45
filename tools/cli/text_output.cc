#include "cli/text_output.h"

#include <algorithm>
#include <cstdio>

#include "cli/record_json.h"

namespace stratamem::cli {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Display width approximated by code points: good enough to align ASCII ids,
// scopes and scores, which is what the padded columns hold.
size_t CodePoints(const std::string& text) {
  size_t n = 0;
  for (unsigned char c : text) n += !IsContinuation(c);
  return n;
}

}  // namespace

std::string Excerpt(const std::string& text, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (!IsContinuation(c)) {
      if (chars == max_chars) {
        // Trim back to leave room for the ellipsis.
        size_t cut = out.size();
        for (int k = 0; k < 3 && cut > 0; ++k) {
          do --cut; while (cut > 0 && IsContinuation(static_cast<unsigned char>(out[cut])));
        }
        out.resize(cut);
        return out + "...";
      }
      ++chars;
    }
    out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : static_cast<char>(c));
  }
  return out;
}

void PrintTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) width[i] = std::max(width[i], CodePoints(row[i]));
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - CodePoints(row[i]) + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  };
  print(header);
  for (const auto& row : rows) print(row);
}

void PrintRecord(const MemoryRecord& record) {
  auto line = [](const char* key, const std::string& value) {
    if (!value.empty()) std::printf("%-13s %s\n", key, value.c_str());
  };
  line("id:", record.id);
  line("scope:", ScopeName(record.scope));
  line("user:", record.context.user_id);
  line("session:", record.context.session_id);
  line("agent:", record.context.agent_id);
  line("turn:", record.context.turn_id);
  line("source agent:", record.source_agent);
  char importance[32];
  std::snprintf(importance, sizeof importance, "%.2f", record.importance);
  line("importance:", importance);
  line("created:", FormatTime(record.created_at, false));
  line("updated:", FormatTime(record.updated_at, false));
  line("hash:", record.content_hash);
  if (record.metadata_json != "{}" && !record.metadata_json.empty()) line("metadata:", record.metadata_json);
  line("content:", record.content);
}

}  // namespace stratamem::cli
