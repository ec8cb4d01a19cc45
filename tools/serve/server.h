// stratamem serve: one HTTP process holding one open store, answering the
// REST API (rest.h), the OpenAI-compatible proxy (proxy.h) and /openapi.json.
// See docs/serve.md.
//
// Thread-safety: requests run on a fixed pool of worker threads; they share
// the MemoryStore (thread-safe, see store.h) and read-only options.
#ifndef STRATAMEM_TOOLS_SERVE_SERVER_H_
#define STRATAMEM_TOOLS_SERVE_SERVER_H_

#include <cstddef>
#include <string>

#include <httplib.h>

#include "stratamem/stratamem.h"
#include "serve/upstream.h"

namespace stratamem::serve {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8787;                       // 0: any free port (printed at start)
  std::string upstream;                  // base URL ending in /v1; "" disables the proxy
  std::string token;                     // "" only on loopback (auth.h)
  size_t max_body_bytes = 1u << 20;      // larger request bodies get 413
  int threads = 8;                       // worker threads
  size_t max_queue = 16;                 // connections waiting for a worker (2 x threads); more get 503 (task_queue.h)
  double upstream_timeout_seconds = 600; // a whole upstream call
  ScopeContext defaults;                 // ids used when a request names none
  int top_k = 5;                         // proxy: memories recalled per call
  int max_memory_tokens = 400;           // proxy: budget of the injected block
  bool quiet = false;                    // no access log on stderr
};

// What every handler needs; built once, read-only while serving.
struct ServeContext {
  MemoryStore* store = nullptr;
  ServeOptions options;
  std::string upstream_key;  // $OPENAI_API_KEY at start; never logged
  std::string anthropic_key; // $ANTHROPIC_API_KEY at start (x-api-key of /v1/messages); never logged
  UpstreamUrl upstream;      // parsed options.upstream (empty origin: no proxy)
};

// Serves until SIGTERM or SIGINT, then stops accepting, lets in-flight
// requests finish and returns (the caller closes the store). Writes are
// durable when acknowledged, so nothing acknowledged is lost. Prints
// "stratamem serve: listening on http://HOST:PORT" to stderr once bound.
Status Serve(MemoryStore* store, const ServeOptions& options);

// Limits, auth, error shapes and logging of a server serving `ctx` (Serve()
// calls it; the HTTP fuzz target too). `ctx` must outlive the server.
void ConfigureServer(httplib::Server& server, const ServeContext& ctx);

// Registered after every route: a request with a body to any other path is
// read through WithBody too (bounded, chunked or not; httplib alone would read
// a chunked one unbounded), then answered 404.
void RegisterNoRouteFallback(httplib::Server& server, size_t max_body_bytes);

}  // namespace stratamem::serve

#endif  // STRATAMEM_TOOLS_SERVE_SERVER_H_
