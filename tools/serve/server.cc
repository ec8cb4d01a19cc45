#include "serve/server.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include <httplib.h>

#include "serve/auth.h"
#include "serve/http_json.h"
#include "serve/openapi.h"
#include "serve/proxy.h"
#include "serve/rest.h"
#include "serve/task_queue.h"

namespace stratamem::serve {
namespace {

int g_signal_pipe[2] = {-1, -1};

void OnSignal(int sig) {
  char byte = static_cast<char>(sig);
  (void)!write(g_signal_pipe[1], &byte, 1);
}

}  // namespace

void ConfigureServer(httplib::Server& server, const ServeContext& ctx) {
  const ServeOptions& options = ctx.options;
  size_t threads = static_cast<size_t>(std::max(1, options.threads));
  size_t max_queue = options.max_queue;
  server.new_task_queue = [threads, max_queue] { return new BoundedTaskQueue(threads, max_queue); };
  server.set_payload_max_length(options.max_body_bytes);  // larger bodies: 413
  // Idle keep-alive connections are dropped soon, so a shutdown never waits long.
  server.set_keep_alive_timeout(2);
  server.set_read_timeout(30);
  // Small header and body writes must not wait for delayed ACKs (Nagle).
  server.set_tcp_nodelay(true);

  const std::string* token = &ctx.options.token;
  size_t max_body = options.max_body_bytes;
  // A client that asks first (Expect: 100-continue) learns of a too large
  // body before sending it, and the connection stays usable.
  server.set_expect_100_continue_handler([max_body](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value<uint64_t>("Content-Length") <= max_body) return 100;
    SendError(res, 413, "PayloadTooLarge",
              "request body larger than " + std::to_string(max_body) + " bytes (--max-body-bytes)");
    return 413;
  });
  server.set_pre_routing_handler([token, max_body](const httplib::Request& req, httplib::Response& res) {
    using httplib::Server;
    if (ShedThisRequest()) {
      res.set_header("Retry-After", "1");
      SendErrorAndClose(res, 503, "Overloaded", "the server is busy; retry after 1 second");
      return Server::HandlerResponse::Handled;
    }
    // A declared length past the limit is refused before a byte is read (a
    // chunked body is cut off by WithBody as it crosses the limit).
    if (req.has_header("Content-Length") &&
        req.get_header_value<uint64_t>("Content-Length") > max_body) {
      SendErrorAndClose(res, 413, "PayloadTooLarge",
                        "request body larger than " + std::to_string(max_body) + " bytes (--max-body-bytes)");
      return Server::HandlerResponse::Handled;
    }
    // GET and HEAD bodies are never read: answer, then close, so their bytes
    // are not taken for the next request.
    bool has_body = req.has_header("Transfer-Encoding") ||
                    (req.has_header("Content-Length") && req.get_header_value<uint64_t>("Content-Length") > 0);
    if (has_body && (req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS")) {
      SendErrorAndClose(res, 400, "BadRequest", req.method + " requests take no body");
      return Server::HandlerResponse::Handled;
    }
    if (req.path == "/healthz" || Authorized(req, *token)) return httplib::Server::HandlerResponse::Unhandled;
    res.set_header("WWW-Authenticate", "Bearer");
    const char* why = "missing or invalid token (Authorization: Bearer or X-Stratamem-Token)";
    if (has_body) {
      SendErrorAndClose(res, 401, "Unauthorized", why);  // its body stays unread
    } else {
      SendError(res, 401, "Unauthorized", why);
    }
    return httplib::Server::HandlerResponse::Handled;
  });
  // Every error the library produces itself (404 route, 413 body, 400 bad
  // request line) gets the same JSON shape as ours.
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty() || res.content_length_ > 0) return;  // ours already
    const char* code = res.status == 404 ? "NotFound" : res.status == 413 ? "PayloadTooLarge" : "HttpError";
    std::string message = res.status == 413 ? "request body too large"
                          : res.status == 404 ? "no such route" : "HTTP error " + std::to_string(res.status);
    SendError(res, res.status, code, message);
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    SendError(res, 500, "Internal", "internal error");
  });
  if (!options.quiet) {
    // Method, path and status only: headers (credentials) and bodies are never logged.
    server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      std::fprintf(stderr, "stratamem serve: %s %s %d\n", req.method.c_str(), req.path.c_str(), res.status);
    });
  }
}

void RegisterNoRouteFallback(httplib::Server& server, size_t max_body_bytes) {
  auto no_route = WithBody(max_body_bytes, [](const httplib::Request&, httplib::Response& res) {
    SendError(res, 404, "NotFound", "no such route");
  });
  server.Post(".*", no_route);
  server.Put(".*", no_route);
  server.Patch(".*", no_route);
  server.Delete(".*", no_route);
}

Status Serve(MemoryStore* store, const ServeOptions& options) {
  STRATAMEM_RETURN_IF_ERROR(CheckBindPolicy(options.host, options.token));
  ServeContext ctx;
  ctx.store = store;
  ctx.options = options;
  if (const char* key = std::getenv("OPENAI_API_KEY")) ctx.upstream_key = key;
  if (const char* key = std::getenv("ANTHROPIC_API_KEY")) ctx.anthropic_key = key;
  if (!options.upstream.empty()) {
    auto upstream = ParseUpstreamUrl(options.upstream);
    if (!upstream.ok()) return upstream.status();
    ctx.upstream = *upstream;
  }

  // SIGTERM/SIGINT only write a byte to a pipe (async-signal-safe); a waiter
  // thread reads it and stops the server from an ordinary thread. A handler
  // rather than a blocked mask, because threads started before us (BLAS's
  // pool) would otherwise take the signal with its default action.
  if (pipe(g_signal_pipe) != 0) return Status::IOError("cannot create the signal pipe");
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  httplib::Server server;
  ConfigureServer(server, ctx);
  RegisterRestRoutes(server, ctx);
  RegisterOpenApiRoute(server);
  RegisterProxyRoutes(server, ctx);
  RegisterNoRouteFallback(server, options.max_body_bytes);

  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
  } else if (!server.bind_to_port(options.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return Status::IOError("cannot listen on " + options.host + ":" + std::to_string(options.port));
  }
  std::fprintf(stderr, "stratamem serve: listening on http://%s:%d\n", options.host.c_str(), port);
  std::fflush(stderr);

  std::thread waiter([&] {
    char sig = 0;
    while (read(g_signal_pipe[0], &sig, 1) < 0 && errno == EINTR) {
    }
    if (sig == 0) return;  // woken by ourselves below
    std::fprintf(stderr, "stratamem serve: %s received, finishing in-flight requests\n",
                 sig == SIGTERM ? "SIGTERM" : "SIGINT");
    server.stop();
  });
  // Returns after stop(): the listening socket is closed, then the worker pool
  // is drained (queued and running requests complete) before it returns.
  bool clean = server.listen_after_bind();
  char wake = 0;
  (void)!write(g_signal_pipe[1], &wake, 1);  // lets the waiter go when no signal came
  waiter.join();
  signal(SIGTERM, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  close(g_signal_pipe[0]);
  close(g_signal_pipe[1]);
  if (!clean && server.is_running()) return Status::IOError("the server stopped unexpectedly");
  std::fprintf(stderr, "stratamem serve: stopped\n");
  return Status::OK();
}

}  // namespace stratamem::serve
