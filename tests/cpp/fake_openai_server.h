// A real HTTP/1.1 server on 127.0.0.1 for tests: plain POSIX sockets, one
// background thread, one connection at a time, bodies by Content-Length,
// every reply with "Connection: close". Behaviour is scripted by a handler;
// every request is recorded. The destructor stops and joins the thread, so a
// server never outlives its test.
//
// Header-only so any *_test.cc can include it without a CMake change.
#ifndef STRATAMEM_TESTS_FAKE_OPENAI_SERVER_H_
#define STRATAMEM_TESTS_FAKE_OPENAI_SERVER_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace stratamem::test {

struct FakeRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

struct FakeReply {
  int status = 200;
  std::string body;
  int delay_ms = 0;  // wait this long (or until Stop) before answering
};

class FakeOpenAIServer {
 public:
  using Handler = std::function<FakeReply(const FakeRequest&)>;

  // Listens on 127.0.0.1:`port` (0: an ephemeral port). ok() is false when
  // the port cannot be bound.
  explicit FakeOpenAIServer(Handler handler, int port = 0) : handler_(std::move(handler)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        listen(listen_fd_, 16) != 0) {
      close(listen_fd_);
      listen_fd_ = -1;
      return;
    }
    socklen_t len = sizeof(addr);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }

  ~FakeOpenAIServer() { Stop(); }
  FakeOpenAIServer(const FakeOpenAIServer&) = delete;
  FakeOpenAIServer& operator=(const FakeOpenAIServer&) = delete;

  bool ok() const { return listen_fd_ >= 0; }
  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

  std::vector<FakeRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (listen_fd_ >= 0) close(listen_fd_);
    listen_fd_ = -1;
  }

 private:
  bool Stopping() {
    std::lock_guard<std::mutex> lock(mu_);
    return stop_;
  }

  void Serve() {
    while (!Stopping()) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      HandleConnection(fd);
      close(fd);
    }
  }

  // Reads until `pred` holds or 2 s pass without data (a stuck client cannot hang the test).
  bool ReadMore(int fd, std::string* buf) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 2000) <= 0) return false;
    char chunk[65536];
    ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buf->append(chunk, static_cast<size_t>(n));
    return true;
  }

  void HandleConnection(int fd) {
    std::string buf;
    size_t header_end;
    while ((header_end = buf.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(fd, &buf)) return;
    }
    FakeRequest req;
    size_t line_end = buf.find("\r\n");
    std::string request_line = buf.substr(0, line_end);
    size_t sp1 = request_line.find(' '), sp2 = request_line.rfind(' ');
    req.method = request_line.substr(0, sp1);
    req.path = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    size_t pos = line_end + 2;
    while (pos < header_end) {
      size_t eol = buf.find("\r\n", pos);
      std::string line = buf.substr(pos, eol - pos);
      pos = eol + 2;
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      req.headers[name] = value;
    }
    size_t content_length = std::stoul(req.Header("content-length").empty()
                                           ? "0" : req.Header("content-length"));
    while (buf.size() < header_end + 4 + content_length) {
      if (!ReadMore(fd, &buf)) return;
    }
    req.body = buf.substr(header_end + 4, content_length);
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(req);
    }
    FakeReply reply = handler_(req);
    if (reply.delay_ms > 0) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(reply.delay_ms), [this] { return stop_; });
    }
    std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " Scripted\r\n" +
                      "Content-Type: application/json\r\n" +
                      "Content-Length: " + std::to_string(reply.body.size()) + "\r\n" +
                      "Connection: close\r\n\r\n" + reply.body;
    // MSG_NOSIGNAL: a client that timed out and hung up must not SIGPIPE the test.
    for (size_t sent = 0; sent < out.size();) {
      ssize_t n = send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;                  // guarded by mu_
  std::vector<FakeRequest> requests_;  // guarded by mu_
};

// A deterministic, deliberately not unit-length vector for `text`
// (FNV-1a seeded xorshift), so tests can check both content and normalisation.
inline std::vector<float> FakeVector(const std::string& text, int dim) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  std::vector<float> v(static_cast<size_t>(dim));
  for (auto& x : v) {
    h ^= h << 13, h ^= h >> 7, h ^= h << 17;
    x = static_cast<float>(static_cast<int>(h % 2001) - 1000) / 100.0f;  // [-10, 10]
  }
  return v;
}

// An OpenAI-style embeddings reply for the request's "input", with FakeVector
// embeddings of length `dim`, listed in reverse order (index says where each
// belongs), as servers are allowed to do.
inline FakeReply OpenAIReply(const FakeRequest& req, int dim) {
  nlohmann::json in = nlohmann::json::parse(req.body, nullptr, false);
  if (in.is_discarded() || !in.contains("input") || !in["input"].is_array()) {
    return {400, R"({"error":{"message":"bad request body"}})"};
  }
  nlohmann::json data = nlohmann::json::array();
  for (size_t i = in["input"].size(); i-- > 0;) {
    data.push_back({{"object", "embedding"},
                    {"index", i},
                    {"embedding", FakeVector(in["input"][i].get<std::string>(), dim)}});
  }
  nlohmann::json out = {{"object", "list"}, {"data", data}, {"model", in.value("model", "")}};
  return {200, out.dump()};
}

}  // namespace stratamem::test

#endif  // STRATAMEM_TESTS_FAKE_OPENAI_SERVER_H_
