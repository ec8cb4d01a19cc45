// Reading past conversations for `stratamem ingest`: OpenAI-style messages
// (a {"messages": [...]} object, a JSON list, or JSON Lines) and LoCoMo.
#ifndef STRATAMEM_TOOLS_CLI_CONVERSATION_H_
#define STRATAMEM_TOOLS_CLI_CONVERSATION_H_

#include <string>
#include <vector>

#include "cli/record_json.h"
#include "stratamem/status.h"

namespace stratamem::cli {

enum class ConversationFormat { kAuto, kMessages, kLocomo };

struct ConversationOptions {
  ConversationFormat format = ConversationFormat::kAuto;
  std::string user_id;     // messages: the user (checked by the caller); LoCoMo: replaces each sample_id
  std::string session_id;  // messages only (LoCoMo turns carry session_N)
  std::vector<std::string> conversations;  // LoCoMo: only these sample_ids (empty: all)
};

// One turn to store: content is "<speaker>: <text>", metadata holds the
// speaker, date and where the turn came from.
struct Turn {
  std::string user_id;
  std::string session_id;
  std::string content;
  Json metadata;
};

struct Conversation {
  ConversationFormat format = ConversationFormat::kAuto;  // the one detected
  std::vector<Turn> turns;
  int skipped = 0;  // messages without text (tool calls) and system prompts
};

// Reads and parses `path` ("-" for stdin). Errors name the format and position.
Status LoadConversation(const std::string& path, const ConversationOptions& options, Conversation* out);

const char* FormatName(ConversationFormat format);

}  // namespace stratamem::cli

#endif  // STRATAMEM_TOOLS_CLI_CONVERSATION_H_
