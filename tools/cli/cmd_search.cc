// stratamem search: hybrid (vector + full-text) search from a scope context.
#include <cstdio>

#include "cli/common.h"
#include "cli/errors.h"
#include "cli/record_json.h"
#include "cli/text_output.h"

namespace stratamem::cli {
namespace {

struct SearchArgs {
  std::string query;
  int top_k = 10;
  double min_score = 0;
  std::string mode = "hybrid";
  std::vector<std::string> filters;
  std::vector<std::string> scopes;
  double diversity = 0;
  bool explain = false;
};

// key=value -> (key, JSON text). A value that is valid JSON (3, true, "x") is
// used as is; anything else is taken as a string.
bool ParseFilter(const std::string& filter, std::pair<std::string, std::string>* out) {
  size_t eq = filter.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  std::string value = filter.substr(eq + 1);
  Json parsed = Json::parse(value, nullptr, false);
  out->first = filter.substr(0, eq);
  out->second = parsed.is_discarded() || parsed.is_structured() ? Dump(Json(value)) : Dump(parsed);
  return true;
}

int RunSearch(const SearchArgs& args, const CommonOptions& common) {
  if (int rc = RequireUser(common, "search")) return rc;
  SearchRequest request;
  request.query = args.query;
  request.context = common.context;
  request.top_k = args.top_k;
  request.min_score = args.min_score;
  request.mode = args.mode == "vector" ? SearchMode::kVector
                 : args.mode == "text" ? SearchMode::kText
                                       : SearchMode::kHybrid;
  request.scopes = ToScopes(args.scopes);
  request.diversity = args.diversity;
  for (const std::string& filter : args.filters) {
    std::pair<std::string, std::string> parsed;
    if (!ParseFilter(filter, &parsed)) {
      return ReportUsageError("--filter expects key=value, got '" + filter + "'", common.json);
    }
    request.metadata_equals.push_back(std::move(parsed));
  }
  int rc = 0;
  auto store = OpenStore(common, CreateMode::kMustExist, &rc);
  if (!store) return rc;
  auto results = store->Search(request);
  if (!results.ok()) return ReportError(results.status(), common.json);
  if (common.json) {
    Json out = Json::array();
    for (const SearchResult& result : *results) out.push_back(ResultToJson(result));
    std::printf("%s\n", Dump(out).c_str());
    return kExitOk;
  }
  if (results->empty()) {
    std::printf("no matching memories\n");
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const SearchResult& result : *results) {
    char score[16];
    std::snprintf(score, sizeof score, "%.3f", result.score);
    const MemoryRecord& r = result.record;
    rows.push_back({score, ScopeName(r.scope), r.source_agent.empty() ? "-" : r.source_agent, r.id,
                    Excerpt(r.content, 80)});
  }
  PrintTable({"SCORE", "SCOPE", "AGENT", "ID", "CONTENT"}, rows);
  if (args.explain) {
    std::printf("\n");
    for (const SearchResult& result : *results) {
      std::printf("%s  %s\n", result.record.id.c_str(), result.explanation.c_str());
    }
  }
  return kExitOk;
}

}  // namespace

CommandFn RegisterSearch(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand(
      "search", "Search the memories visible from --user/--session/--agent/--turn (hybrid by default).");
  auto args = std::make_shared<SearchArgs>();
  sub->add_option("query", args->query, "What to look for")->required();
  sub->add_option("-k,--top-k", args->top_k, "Number of results")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  sub->add_option("--min-score", args->min_score,
                  "Drop results whose relevance (fused vector + BM25 score) is lower")
      ->capture_default_str();
  sub->add_option("--diversity", args->diversity,
                  "MMR diversity in [0, 1): 0 ranks by score alone; higher prefers results unlike "
                  "those already listed")
      ->capture_default_str();
  sub->add_flag("--explain", args->explain,
                "After the table, each result's score as the sum of its weighted signals "
                "(relevance, recency, importance, access)");
  sub->add_option("--mode", args->mode, "hybrid (vector + BM25 fused), vector or text (BM25 only)")
      ->check(CLI::IsMember({"hybrid", "vector", "text"}))
      ->capture_default_str();
  sub->add_option("--filter", args->filters,
                  "Metadata equality key=value, repeatable (all must match); a value that is valid "
                  "JSON (3, true, \"3\") is compared as JSON, anything else as a string");
  AddScopeListOption(sub, &args->scopes, "Only these levels (repeatable or comma-separated)");
  AddCommonOptions(sub, &common);
  sub->footer(
      "Examples:\n"
      "  stratamem search \"package manager\" --user team\n"
      "  stratamem search \"deadline\" --user bob --session afternoon-session --top-k 3 --json\n"
      "  stratamem search \"trip\" --user conv-26 --filter speaker=Caroline\n"
      "  stratamem search \"trip\" --user conv-26 --diversity 0.3 --explain");
  return [args, &common] { return RunSearch(*args, common); };
}

}  // namespace stratamem::cli
