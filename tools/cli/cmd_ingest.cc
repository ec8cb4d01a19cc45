// stratamem ingest: store each turn of a past conversation as a memory.
#include <cstdio>
#include <set>

#include "cli/common.h"
#include "cli/conversation.h"
#include "cli/errors.h"
#include "cli/progress.h"

namespace stratamem::cli {
namespace {

constexpr int kMaxWarnings = 5;

struct IngestArgs {
  std::string file;
  std::string format = "auto";
  std::string scope = "user";
  int batch_size = 64;
  double importance = 0.5;
  std::vector<std::string> conversations;
  bool dedup = false;
};

SaveRequest ToRequest(const Turn& turn, Scope scope, const CommonOptions& common, const IngestArgs& args) {
  SaveRequest request;
  request.content = turn.content;
  request.scope = scope;
  request.context = common.context;
  request.context.user_id = turn.user_id;
  request.context.session_id = turn.session_id;
  request.importance = args.importance;
  request.metadata_json = Dump(turn.metadata);
  // Each turn is its own event (its dia_id, its date): by default two turns
  // saying "Thanks!" stay two memories.
  request.dedup = args.dedup;
  // A transcript turn is evidence of what was said when, not a fact to merge:
  // two identical turns stay two memories.
  request.dedup = false;
  return request;
}

// Identifies a turn: who, where, what and its metadata (dia_id or index keep
// two identical lines of one session apart).
std::string TurnKey(const std::string& user, const std::string& session, const std::string& content,
                    const std::string& metadata_json) {
  Json metadata = Json::parse(metadata_json, nullptr, false);
  return user + '\x1f' + session + '\x1f' + content + '\x1f' + (metadata.is_discarded() ? metadata_json : Dump(metadata));
}

// Keys of the turns already in the store for these users, so running ingest
// twice on the same file stores nothing new.
Status StoredTurns(MemoryStore* store, const std::set<std::string>& users, std::set<std::string>* keys) {
  for (const std::string& user : users) {
    ListRequest request;
    request.context.user_id = user;
    request.visible_only = false;
    auto records = store->List(request);
    if (!records.ok()) return records.status();
    for (const MemoryRecord& r : *records) {
      keys->insert(TurnKey(r.context.user_id, r.context.session_id, r.content, r.metadata_json));
    }
  }
  return Status::OK();
}

// Counts of one ingest run.
struct Tally {
  int64_t stored = 0;
  int64_t merged = 0;  // with --dedup: turns merged into an equal memory
  int64_t rejected = 0;
  int warnings = 0;
};

// One batch in one transaction; when the engine rejects it for a bad turn
// (invalid UTF-8, over the size limit), saves the turns one by one so only
// the bad ones are left out. Any other error stops the run.
Status SaveChunk(MemoryStore* store, const std::vector<SaveRequest>& chunk, Tally* tally) {
  auto count = [tally](const std::vector<SaveOutcome>& outcomes) {
    for (const SaveOutcome& outcome : outcomes) ++(outcome.merged ? tally->merged : tally->stored);
  };
  auto outcomes = store->SaveDetailed(chunk);
  if (outcomes.ok()) {
    count(*outcomes);
    return Status::OK();
  }
  if (outcomes.status().code() != Status::Code::kInvalidArgument) return outcomes.status();
  for (const SaveRequest& request : chunk) {
    auto one = store->SaveDetailed({request});
    if (one.ok()) {
      count(*one);
      continue;
    }
    if (one.status().code() != Status::Code::kInvalidArgument) return one.status();
    ++tally->rejected;
    if (tally->warnings++ < kMaxWarnings) {
      Warn("skipped a turn (" + request.metadata_json + "): " + one.status().message());
    }
  }
  return Status::OK();
}

int RunIngest(const IngestArgs& args, const CommonOptions& common) {
  ConversationOptions options;
  options.format = args.format == "messages" ? ConversationFormat::kMessages
                   : args.format == "locomo" ? ConversationFormat::kLocomo
                                             : ConversationFormat::kAuto;
  options.user_id = common.context.user_id;
  options.session_id = common.context.session_id;
  options.conversations = args.conversations;
  Conversation conversation;
  if (Status st = LoadConversation(args.file, options, &conversation); !st.ok()) {
    return ReportError(st, common.json);
  }
  if (conversation.format == ConversationFormat::kMessages && common.context.user_id.empty()) {
    return ReportUsageError("ingest of a messages file needs --user ID", common.json);
  }
  Scope scope = ParseScope(args.scope).value();  // validated by the option's check
  std::vector<SaveRequest> requests;
  std::set<std::string> users, sessions;
  for (const Turn& turn : conversation.turns) {
    requests.push_back(ToRequest(turn, scope, common, args));
    if (Status st = ValidateContextFor(scope, requests.back().context); !st.ok()) {
      return ReportUsageError(st.message() + " (see stratamem ingest --help)", common.json);
    }
    users.insert(turn.user_id);
    sessions.insert(turn.user_id + "\n" + turn.session_id);
  }
  int rc = 0;
  auto store = OpenStore(common, CreateMode::kCreate, &rc);
  if (!store) return rc;

  std::set<std::string> stored_keys;
  if (Status st = StoredTurns(store.get(), users, &stored_keys); !st.ok()) return ReportError(st, common.json);
  int64_t already = 0;
  if (!stored_keys.empty()) {
    std::vector<SaveRequest> fresh;
    for (SaveRequest& request : requests) {
      bool seen = stored_keys.count(TurnKey(request.context.user_id, request.context.session_id, request.content,
                                            request.metadata_json)) > 0;
      if (seen) {
        ++already;
      } else {
        fresh.push_back(std::move(request));
      }
    }
    requests = std::move(fresh);
  }

  Tally tally;
  Progress progress("ingest", static_cast<int64_t>(requests.size()));
  for (size_t begin = 0; begin < requests.size(); begin += args.batch_size) {
    size_t end = std::min(requests.size(), begin + static_cast<size_t>(args.batch_size));
    std::vector<SaveRequest> chunk(requests.begin() + begin, requests.begin() + end);
    if (Status st = SaveChunk(store.get(), chunk, &tally); !st.ok()) {
      progress.Finish();
      return ReportError(st.code(),
                         st.message() + " (after storing " + std::to_string(tally.stored) + " of " +
                             std::to_string(requests.size()) + " turns; those are kept)",
                         common.json);
    }
    progress.Update(static_cast<int64_t>(end));
  }
  progress.Finish();
  double seconds = progress.ElapsedSeconds();
  double rate = seconds > 0 ? tally.stored / seconds : 0;
  if (common.json) {
    Json out = {{"stored", tally.stored},
                {"rejected", tally.rejected},
                {"skipped", conversation.skipped},
                {"already_stored", already},
                {"merged", tally.merged},
                {"users", users.size()},
                {"sessions", sessions.size()},
                {"format", FormatName(conversation.format)},
                {"seconds", seconds},
                {"turns_per_second", rate}};
    std::printf("%s\n", Dump(out).c_str());
  } else {
    std::printf("stored %lld turns (%zu users, %zu sessions, format %s) in %.2f s (%.1f turns/s)",
                static_cast<long long>(tally.stored), users.size(), sessions.size(),
                FormatName(conversation.format), seconds, rate);
    if (conversation.skipped > 0) std::printf("; skipped %d system or empty messages", conversation.skipped);
    if (tally.merged > 0) std::printf("; merged %lld duplicates", static_cast<long long>(tally.merged));
    if (already > 0) std::printf("; %lld turns were already stored", static_cast<long long>(already));
    if (tally.rejected > 0) std::printf("; rejected %lld invalid turns", static_cast<long long>(tally.rejected));
    std::printf("\n");
  }
  return kExitOk;
}

}  // namespace

CommandFn RegisterIngest(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand(
      "ingest",
      "Store each turn of a past conversation as a memory, with speaker and date metadata.");
  auto args = std::make_shared<IngestArgs>();
  sub->add_option("file", args->file, "Conversation file; - for stdin")->required();
  sub->add_option("--format", args->format, "File format; auto tells LoCoMo from messages")
      ->check(CLI::IsMember({"auto", "messages", "locomo"}))
      ->capture_default_str();
  AddScopeOption(sub, "--scope", &args->scope,
                 "Level to save the turns at (session: visible only from that session)")
      ->capture_default_str();
  sub->add_option("--conversation", args->conversations,
                  "LoCoMo: only the conversations with these sample_ids (repeatable)");
  sub->add_option("--importance", args->importance, "Importance of every turn, 0 to 1")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  sub->add_flag("--dedup", args->dedup,
                "Merge a turn into an equal or near-identical memory already stored at the same scope "
                "(off by default: every turn is kept with its own metadata)");
  sub->add_option("--batch-size", args->batch_size, "Turns per transaction")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  AddCommonOptions(sub, &common);
  sub->footer(
      "Each turn becomes \"<speaker>: <text>\". Formats:\n"
      "  messages  {\"messages\": [{\"role\", \"content\"}, ...]}, a JSON list of messages, or JSON\n"
      "            Lines (one message per line). content is a string or a list of parts\n"
      "            [{\"type\": \"text\", \"text\": ...}]; system messages and messages without text\n"
      "            (tool calls) are skipped. Needs --user; --session is recorded when given.\n"
      "            Metadata: {speaker (name or role), role, index, date (from date/timestamp/\n"
      "            created_at when present), session}.\n"
      "  locomo    The LoCoMo benchmark file: user = --user or each sample_id, session = session_N,\n"
      "            image captions appended; metadata {speaker, dia_id, session, date, sample_id}.\n"
      "Turns already in the store (same user, session, content and metadata) are skipped, so\n"
      "ingesting a file twice stores nothing new.\n"
      "Turns are saved in transactions of --batch-size. A progress bar is drawn on stderr when it\n"
      "is a terminal; a summary line (turns stored, rate) is always printed.\n"
      "\n"
      "Examples:\n"
      "  stratamem ingest chat.json --user bob --session 2024-05-01\n"
      "  stratamem ingest locomo10.json --format locomo --conversation conv-26 --db locomo.db");
  return [args, &common] { return RunIngest(*args, common); };
}

}  // namespace stratamem::cli
