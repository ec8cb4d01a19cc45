// stratamem stats: counts for the whole store or one user.
#include <cstdio>

#include "cli/common.h"
#include "cli/errors.h"
#include "cli/record_json.h"

namespace stratamem::cli {
namespace {

int RunStats(const CommonOptions& common) {
  int rc = 0;
  auto store = OpenStore(common, CreateMode::kMustExist, &rc);
  if (!store) return rc;
  auto stats = store->Stats(common.context);
  if (!stats.ok()) return ReportError(stats.status(), common.json);
  if (common.json) {
    Json out = StatsToJson(*stats);
    out["db_path"] = common.db;
    out["user_id"] = common.context.user_id.empty() ? Json(nullptr) : Json(common.context.user_id);
    std::printf("%s\n", Dump(out).c_str());
    return kExitOk;
  }
  const StoreStats& s = *stats;
  std::printf("store:          %s (%lld bytes, schema version %d)\n", common.db.c_str(),
              static_cast<long long>(s.db_size_bytes), s.schema_version);
  std::printf("embedder:       %s (dimension %d)\n", s.embedder_model.empty() ? "-" : s.embedder_model.c_str(),
              s.dimension);
  if (!common.context.user_id.empty()) std::printf("visible to:     user '%s'\n", common.context.user_id.c_str());
  std::printf("memories:       %lld\n", static_cast<long long>(s.total));
  for (int i = 0; i < 4; ++i) {
    std::printf("  %-13s %lld\n", (std::string(ScopeName(static_cast<Scope>(i))) + ":").c_str(),
                static_cast<long long>(s.by_scope[i]));
  }
  std::printf("users:          %lld\n", static_cast<long long>(s.users));
  return kExitOk;
}

}  // namespace

CommandFn RegisterStats(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand(
      "stats", "Counts by scope for the whole store, or for what --user (and narrower ids) can see.");
  AddCommonOptions(sub, &common);
  sub->footer(
      "Examples:\n"
      "  stratamem stats\n"
      "  stratamem stats --user team --json");
  return [&common] { return RunStats(common); };
}

}  // namespace stratamem::cli
