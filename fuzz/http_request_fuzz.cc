// libFuzzer target: raw bytes sent over loopback to an in-process server
// configured exactly as `stratamem serve` (limits, auth hook, error shapes,
// WithBody readers, the REST routes) on an in-memory store. cpp-httplib
// parses the request (Debian's build, not instrumented); our pre-routing
// policy, body readers, header/query handling and handlers are. Properties:
// the server never crashes or throws out of a handler, and every answer it
// sends is an HTTP/1.1 status line, and connections are not leaked (a
// leak shows as a growing number of open descriptors). Each failed property
// prints what failed before aborting, so a crash that does not reproduce from
// its single input (a cumulative one) still says what it was.
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
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

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "http_request_fuzz: %s (errno %d: %s)\n", what, errno, std::strerror(errno));
  std::abort();
}

int OpenDescriptors() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (readdir(d) != nullptr) ++n;
    closedir(d);
  }
  return n;
}

// Connects to the fixture, retrying what a loaded machine causes now and then
// (no free ephemeral port yet, an interrupted call): those are not findings.
int Connect(int port) {
  for (int attempt = 0;; ++attempt) {
    int sock = socket(AF_INET, SOCK_STREAM, 0);
    if (sock < 0) Fail("socket() failed: descriptors exhausted?");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) return sock;
    const bool transient = errno == EADDRNOTAVAIL || errno == EINTR || errno == EAGAIN;
    close(sock);
    if (!transient || attempt == 50) Fail("connect() to the server failed");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fixture& f = F();
  static int baseline = OpenDescriptors();
  static unsigned runs = 0;
  int sock = Connect(f.port);
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
  if (!reply.empty() && reply.rfind("HTTP/1.1 ", 0) != 0) Fail("the answer is not an HTTP/1.1 status line");
  if (!f.server.is_running()) Fail("the server stopped");
  // Workers may still be closing the last few connections; a leak grows past that.
  if (++runs % 1000 == 0 && OpenDescriptors() > baseline + 64) Fail("open descriptors keep growing");
  return 0;
}
