// stratamem serve: the REST API and the OpenAI-compatible memory proxy over
// HTTP, in one process (tools/serve/, docs/serve.md).
#include <cstdio>
#include <cstdlib>

#include "cli/common.h"
#include "cli/errors.h"
#include "serve/server.h"

namespace stratamem::cli {
namespace {

int RunServe(serve::ServeOptions options, const CommonOptions& common) {
  if (options.token.empty()) {
    if (const char* token = std::getenv("STRATAMEM_TOKEN")) options.token = token;
  }
  options.defaults = common.context;
  int rc = 0;
  auto store = OpenStore(common, CreateMode::kCreate, &rc, ModelLoad::kNow);
  if (!store) return rc;
  Status served = serve::Serve(store.get(), options);
  // Every acknowledged write has committed already; closing checkpoints the WAL.
  Status closed = store->Close();
  if (!served.ok()) return ReportError(served, common.json);
  if (!closed.ok()) return ReportError(closed, common.json);
  return kExitOk;
}

}  // namespace

CommandFn RegisterServe(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand(
      "serve", "Serve the REST API and an OpenAI-compatible memory proxy over HTTP (docs/serve.md).");
  auto options = std::make_shared<serve::ServeOptions>();
  sub->add_option("--host", options->host, "Address to bind; anything but loopback needs --token")
      ->capture_default_str();
  sub->add_option("--port", options->port, "Port (0: any free port, printed at start)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  sub->add_option("--upstream", options->upstream,
                  "OpenAI-compatible base URL ending in /v1 for /v1/chat/completions and other /v1/* "
                  "routes (the API key comes from the client's Authorization header or OPENAI_API_KEY), "
                  "or Anthropic's for /v1/messages (x-api-key or ANTHROPIC_API_KEY)");
  sub->add_option("--token", options->token,
                  "Bearer token every request must carry (or env STRATAMEM_TOKEN); required off loopback");
  sub->add_option("--max-body-bytes", options->max_body_bytes, "Larger request bodies are refused (413)")
      ->check(CLI::Range(size_t{1024}, size_t{64} << 20))
      ->capture_default_str();
  sub->add_option("--threads", options->threads, "Worker threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  sub->add_option("--max-queue", options->max_queue,
                  "Connections that may wait for a worker; past it a request gets 503 with Retry-After")
      ->check(CLI::Range(size_t{1}, size_t{100000}))
      ->capture_default_str();
  sub->add_option("--upstream-timeout", options->upstream_timeout_seconds, "Seconds for one upstream call")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  sub->add_option("--top-k", options->top_k, "Proxy: memories recalled per call (0: none)")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  sub->add_option("--max-memory-tokens", options->max_memory_tokens,
                  "Proxy: budget of the injected memory block (about 4 characters per token)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  sub->add_flag("--quiet", options->quiet, "No access log on stderr");
  AddCommonOptions(sub, &common);
  sub->footer(
      "--user/--session/--agent are the defaults for requests that name no user (headers\n"
      "X-Stratamem-User/-Session/-Agent, a body's user_id or a chat request's `user`).\n"
      "\n"
      "Examples:\n"
      "  stratamem serve --db team.db --upstream https://api.openai.com/v1\n"
      "  STRATAMEM_TOKEN=s3cret stratamem serve --host 0.0.0.0 --port 8787");
  return [options, &common] { return RunServe(*options, common); };
}

}  // namespace stratamem::cli
