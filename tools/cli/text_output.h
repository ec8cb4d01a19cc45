// Human-readable output: aligned tables and record details.
#ifndef STRATAMEM_TOOLS_CLI_TEXT_OUTPUT_H_
#define STRATAMEM_TOOLS_CLI_TEXT_OUTPUT_H_

#include <string>
#include <vector>

#include "stratamem/stratamem.h"

namespace stratamem::cli {

// `text` on one line (newlines and tabs become spaces), cut to at most
// `max_chars` code points with "..." when longer. Never splits a UTF-8 sequence.
std::string Excerpt(const std::string& text, size_t max_chars);

// Prints rows under a header, columns padded to the widest cell; the last
// column is not padded.
void PrintTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// "field: value" lines for one record.
void PrintRecord(const MemoryRecord& record);

}  // namespace stratamem::cli

#endif  // STRATAMEM_TOOLS_CLI_TEXT_OUTPUT_H_
