// libFuzzer target: raw bytes sent over loopback to an in-process server
// configured exactly as `stratamem serve` (limits, auth hook, error shapes,
// WithBody readers, the REST routes) on an in-memory store. cpp-httplib
// parses the request (Debian's build, not instrumented); our pre-routing
// policy, body readers, header/query handling and handlers are. Properties:
// the server never crashes or throws out of a handler, and every answer it
// sends is an HTTP/1.1 status line.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include <httplib.h>

#include "serve/rest.h"
#include "serve/server.h"
#include "stratamem/stratamem.h"

namespace {

struct Fixture {
  std::unique_ptr<stratamem::MemoryStore> store;
  stratamem::serve::ServeContext ctx;
  httplib::Server server;
  int port = 0;
  std::thread thread;

  Fixture() {
    stratamem::OpenOptions o;
    o.db_path = ":memory:";
    o.vector_backend = stratamem::VectorBackend::kExact;
    stratamem::EmbedderOptions e;
    e.backend = stratamem::EmbedderBackend::kHash;
    e.dimension = 32;
    auto opened = stratamem::MemoryStore::Open(o, std::move(stratamem::NewEmbedder(e)).value());
    if (!opened.ok()) std::abort();
    store = std::move(opened).value();
    ctx.store = store.get();
    ctx.options.quiet = true;
    ctx.options.threads = 2;
    ctx.options.max_body_bytes = 4096;
    ctx.options.defaults.user_id = "default";
    stratamem::serve::ConfigureServer(server, ctx);
    server.set_read_timeout(0, 50000);  // an unfinished request costs 50 ms, not 30 s
    server.set_keep_alive_timeout(0);
    stratamem::serve::RegisterRestRoutes(server, ctx);
    stratamem::serve::RegisterNoRouteFallback(server, ctx.options.max_body_bytes);
    port = server.bind_to_any_port("127.0.0.1");
    if (port <= 0) std::abort();
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::yield();  // bound already; accepting shortly
  }
};

Fixture& F() {
  static Fixture* f = new Fixture();  // lives for the process: the server thread keeps running
  return *f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fixture& f = F();
  int sock = socket(AF_INET, SOCK_STREAM, 0);
  if (sock < 0) std::abort();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(f.port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) std::abort();
  timeval tv{2, 0};
  setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  size_t sent = 0;
  while (sent < size) {
    ssize_t n = send(sock, data + sent, size - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server closed early (a 413 or 400 before the body): fine
    sent += static_cast<size_t>(n);
  }
  shutdown(sock, SHUT_WR);
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = recv(sock, buf, sizeof(buf), 0)) > 0;) reply.append(buf, static_cast<size_t>(n));
  close(sock);
  if (!reply.empty() && reply.rfind("HTTP/1.1 ", 0) != 0) std::abort();
  if (!f.server.is_running()) std::abort();
  return 0;
}
