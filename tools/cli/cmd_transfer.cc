// stratamem export and stratamem import: JSON Lines, one memory per line, with
// every field; import keeps ids and timestamps so the round trip is lossless.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <tuple>
#include <unordered_set>

#include "cli/common.h"
#include "cli/errors.h"
#include "cli/progress.h"
#include "cli/record_json.h"

namespace stratamem::cli {
namespace {

constexpr int kExportPage = 1000;
constexpr size_t kImportChunk = 32;

struct ExportArgs {
  std::string out = "-";
  bool with_vectors = false;
};

int RunExport(const ExportArgs& args, const CommonOptions& common) {
  int rc = 0;
  auto store = OpenStore(common, CreateMode::kMustExist, &rc);
  if (!store) return rc;
  std::ofstream file;
  if (args.out != "-") {
    file.open(args.out, std::ios::binary | std::ios::trunc);
    if (!file) return ReportError(Status::IOError("cannot write '" + args.out + "'"), common.json);
  }
  std::ostream& out = args.out == "-" ? std::cout : file;
  // Without --user this asks for every user's memories (an empty user id with
  // visible_only=false); with --user, that user's, narrowed by the other ids.
  ListRequest request;
  request.context = common.context;
  request.visible_only = false;
  request.include_history = true;  // every version: the export is the whole history
  request.limit = kExportPage;
  int64_t count = 0;                    // lines (versions)
  std::unordered_set<std::string> ids;  // memories
  for (;;) {
    auto page = store->List(request);
    if (!page.ok()) return ReportError(page.status(), common.json);
    for (const MemoryRecord& record : *page) {
      Json line = RecordToJson(record);
      if (args.with_vectors) {
        auto vector = store->GetVector(record.id);
        if (!vector.ok()) return ReportError(vector.status(), common.json);
        line["vector"] = EncodeVector(*vector);
      }
      out << Dump(line) << '\n';
      ++count;
      ids.insert(record.id);
    }
    if (static_cast<int>(page->size()) < kExportPage) break;
    request.offset += kExportPage;
  }
  out.flush();
  if (!out) return ReportError(Status::IOError("writing '" + args.out + "' failed"), common.json);
  long long memories = static_cast<long long>(ids.size());
  std::string versions = count == memories ? "" : " (" + std::to_string(count) + " versions)";
  std::fprintf(stderr, "stratamem: exported %lld %s%s to %s\n", memories, memories == 1 ? "memory" : "memories",
               versions.c_str(), args.out == "-" ? "stdout" : args.out.c_str());
  return kExitOk;
}

struct ImportLine {
  MemoryRecord record;
  std::vector<float> vector;  // empty: re-embed
};

// Parses the whole input before touching the store, so a bad line 500 does
// not leave half a file imported.
Status ReadImportFile(const std::string& path, std::vector<ImportLine>* lines) {
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return Status::IOError("cannot read '" + path + "'");
  }
  std::istream& in = path == "-" ? std::cin : file;
  std::string text;
  for (int number = 1; std::getline(in, text); ++number) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto where = [&](const std::string& why) { return "line " + std::to_string(number) + ": " + why; };
    Json json = Json::parse(text, nullptr, false);
    if (json.is_discarded()) return Status::InvalidArgument(where("not valid JSON"));
    auto record = RecordFromJson(json);
    if (!record.ok()) return Status::InvalidArgument(where(record.status().message()));
    ImportLine line{std::move(record).value(), {}};
    if (auto it = json.find("vector"); it != json.end() && !it->is_null()) {
      if (!it->is_string()) return Status::InvalidArgument(where("field 'vector' must be a base64 string"));
      auto vector = DecodeVector(it->get<std::string>());
      if (!vector.ok()) return Status::InvalidArgument(where(vector.status().message()));
      line.vector = std::move(vector).value();
    }
    lines->push_back(std::move(line));
  }
  if (in.bad()) return Status::IOError("reading '" + path + "' failed");
  return Status::OK();
}

int RunImport(const std::string& path, const CommonOptions& common) {
  std::vector<ImportLine> lines;
  if (Status st = ReadImportFile(path, &lines); !st.ok()) return ReportError(st, common.json);
  // Oldest first, each memory's versions in order, so a later version never
  // arrives before the one it follows.
  std::stable_sort(lines.begin(), lines.end(), [](const ImportLine& a, const ImportLine& b) {
    const MemoryRecord& x = a.record;
    const MemoryRecord& y = b.record;
    return std::tie(x.created_at, x.id, x.version) < std::tie(y.created_at, y.id, y.version);
  });
  int rc = 0;
  auto store = OpenStore(common, CreateMode::kCreate, &rc);
  if (!store) return rc;
  int64_t imported = 0, existing = 0, embedded = 0;
  Progress progress("import", static_cast<int64_t>(lines.size()));
  progress.Update(0);
  for (size_t begin = 0; begin < lines.size(); begin += kImportChunk) {
    size_t end = std::min(lines.size(), begin + kImportChunk);
    // Records without a usable vector (none, or another model's dimension) are
    // embedded from their content, a chunk at a time: batching is several
    // times faster than one text per forward pass.
    std::vector<std::string> texts;
    for (size_t i = begin; i < end; ++i) {
      if (static_cast<int>(lines[i].vector.size()) != store->dimension()) texts.push_back(lines[i].record.content);
    }
    std::vector<std::vector<float>> vectors;
    if (!texts.empty()) {
      if (Status st = store->embedder()->EmbedBatch(texts, &vectors); !st.ok()) {
        progress.Finish();
        return ReportError(st.code(),
                           st.message() + "; the " + std::to_string(imported) + " new records before were imported",
                           common.json);
      }
    }
    size_t next_vector = 0;
    for (size_t i = begin; i < end; ++i) {
      const ImportLine& line = lines[i];
      bool usable = static_cast<int>(line.vector.size()) == store->dimension();
      const std::vector<float>* vector = usable ? &line.vector : &vectors[next_vector++];
      auto added = store->Import(line.record, vector);
      if (!added.ok()) {
        progress.Finish();
        return ReportError(added.status().code(),
                           "memory " + line.record.id + ": " + added.status().message() + "; the " +
                               std::to_string(imported) + " new records before it were imported",
                           common.json);
      }
      if (*added) {
        ++imported;
        embedded += !usable;
      } else {
        ++existing;
      }
    }
    progress.Update(static_cast<int64_t>(end));
  }
  progress.Finish();
  if (common.json) {
    std::printf("%s\n", Dump(Json{{"imported", imported}, {"skipped_existing", existing}, {"embedded", embedded}})
                            .c_str());
  } else {
    std::printf("imported %lld memories (%lld embedded from their text), skipped %lld already present\n",
                static_cast<long long>(imported), static_cast<long long>(embedded),
                static_cast<long long>(existing));
  }
  return kExitOk;
}

}  // namespace

CommandFn RegisterExport(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand(
      "export",
      "Write memories as JSON Lines, one memory per line with every field.");
  auto args = std::make_shared<ExportArgs>();
  sub->add_option("-o,--out", args->out, "Output file; - for stdout")->capture_default_str();
  sub->add_flag("--with-vectors", args->with_vectors,
                "Include each stored vector as base64 of little-endian float32 (import then skips embedding)");
  AddCommonOptions(sub, &common);
  sub->footer(
      "Exports the whole store, or with --user that user's memories saved with the ids given,\n"
      "every version of each. Fields: id, content, scope, user_id, session_id, agent_id,\n"
      "turn_id, source_agent, importance, created_at, updated_at, content_hash, metadata,\n"
      "version, valid_from, valid_to, superseded_by, sources, seen_count, last_seen_at (times in\n"
      "ISO 8601 UTC with microseconds), and vector with --with-vectors.\n"
      "\n"
      "Examples:\n"
      "  stratamem export --out backup.jsonl\n"
      "  stratamem export --user team --with-vectors > team.jsonl");
  return [args, &common] { return RunExport(*args, common); };
}

CommandFn RegisterImport(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand(
      "import",
      "Read JSON Lines written by export, keeping ids and timestamps.");
  auto path = std::make_shared<std::string>();
  sub->add_option("file", *path, "JSON Lines file; - for stdin")->required();
  AddCommonOptions(sub, &common);
  sub->footer(
      "A memory whose id already exists is left unchanged. Vectors are used when present and of\n"
      "the store's dimension, otherwise embedded from the content. The whole file is checked\n"
      "before anything is stored.\n"
      "\n"
      "Example:\n"
      "  stratamem import backup.jsonl --db restored.db");
  return [path, &common] { return RunImport(*path, common); };
}

}  // namespace stratamem::cli
