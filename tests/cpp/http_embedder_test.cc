// The HTTP embedder against a real HTTP server on 127.0.0.1 (fake_openai_server.h).
#include "embed/http_embedder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <thread>

#include <nlohmann/json.hpp>

#include "embed/http_wire.h"
#include "fake_openai_server.h"
#include "stratamem/embedder.h"

namespace stratamem {
namespace {

using test::FakeOpenAIServer;
using test::FakeReply;
using test::FakeRequest;
using json = nlohmann::json;

constexpr int kDim = 8;

std::vector<float> Unit(std::vector<float> v) {
  double s = 0;
  for (float x : v) s += double(x) * x;
  for (float& x : v) x = float(x / std::sqrt(s));
  return v;
}

void ExpectVectorsFor(const std::vector<std::string>& texts,
                      const std::vector<std::vector<float>>& got, int dim) {
  ASSERT_EQ(got.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    std::vector<float> want = Unit(test::FakeVector(texts[i], dim));
    ASSERT_EQ(got[i].size(), want.size()) << "input " << i;
    double norm = 0;
    for (size_t j = 0; j < want.size(); ++j) {
      EXPECT_NEAR(got[i][j], want[j], 1e-6) << "input " << i << " component " << j;
      norm += double(got[i][j]) * got[i][j];
    }
    EXPECT_NEAR(norm, 1.0, 1e-5) << "input " << i;
  }
}

class HttpEmbedderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A proxy in the environment would swallow requests to 127.0.0.1.
    for (const char* v : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                          "ALL_PROXY"}) {
      unsetenv(v);
    }
    unsetenv("OPENAI_API_KEY");
  }

  EmbedderOptions Options(const FakeOpenAIServer& server,
                          EmbedderBackend backend = EmbedderBackend::kOpenAI) {
    EmbedderOptions o;
    o.backend = backend;
    o.model = "test-model";
    o.base_url = server.base_url();
    o.timeout_seconds = 5;
    return o;
  }

  std::unique_ptr<Embedder> Make(const EmbedderOptions& o) {
    auto r = NewHttpEmbedder(o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : nullptr;
  }
};

FakeReply Echo(const FakeRequest& req) { return test::OpenAIReply(req, kDim); }

std::vector<std::string> Texts(int n) {
  std::vector<std::string> t;
  for (int i = 0; i < n; ++i) t.push_back("text number " + std::to_string(i) + " é 日本");
  return t;
}

TEST_F(HttpEmbedderTest, OrdersByIndexNormalisesAndLearnsDimension) {
  FakeOpenAIServer server(Echo);
  ASSERT_TRUE(server.ok());
  auto e = Make(Options(server));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->dimension(), 0);  // unknown until the first reply
  EXPECT_EQ(e->model_id(), "openai:test-model");
  std::vector<std::string> texts = Texts(5);
  std::vector<std::vector<float>> out;
  ASSERT_TRUE(e->EmbedBatch(texts, &out).ok());
  ExpectVectorsFor(texts, out, kDim);  // the server replied in reverse order
  EXPECT_EQ(e->dimension(), kDim);

  std::vector<float> one;
  ASSERT_TRUE(e->Embed("solo", &one).ok());
  ExpectVectorsFor({"solo"}, {one}, kDim);
}

TEST_F(HttpEmbedderTest, BatchesRequestsAndSendsOpenAIJson) {
  FakeOpenAIServer server(Echo);
  EmbedderOptions o = Options(server);
  o.batch_size = 32;
  auto e = Make(o);
  std::vector<std::string> texts = Texts(70);
  std::vector<std::vector<float>> out;
  ASSERT_TRUE(e->EmbedBatch(texts, &out).ok());
  ExpectVectorsFor(texts, out, kDim);

  std::vector<FakeRequest> reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  const size_t sizes[] = {32, 32, 6};
  size_t next = 0;
  for (size_t r = 0; r < reqs.size(); ++r) {
    EXPECT_EQ(reqs[r].method, "POST");
    EXPECT_EQ(reqs[r].path, "/v1/embeddings");
    EXPECT_EQ(reqs[r].Header("content-type"), "application/json");
    EXPECT_EQ(reqs[r].Header("authorization"), "");  // no key configured: no header
    json body = json::parse(reqs[r].body);
    EXPECT_EQ(body["model"], "test-model");
    EXPECT_EQ(body["encoding_format"], "float");
    ASSERT_EQ(body["input"].size(), sizes[r]);
    for (const auto& t : body["input"]) EXPECT_EQ(t.get<std::string>(), texts[next++]);
  }
  EXPECT_EQ(next, texts.size());
}

TEST_F(HttpEmbedderTest, EmptyBatchSendsNothing) {
  FakeOpenAIServer server(Echo);
  auto e = Make(Options(server));
  std::vector<std::vector<float>> out = {{1.0f}};
  ASSERT_TRUE(e->EmbedBatch({}, &out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(HttpEmbedderTest, SendsBearerKeyAndTrimsTrailingSlash) {
  FakeOpenAIServer server([](const FakeRequest& req) {
    if (req.Header("authorization") != "Bearer sk-test-123") {
      return FakeReply{401, R"({"error":{"message":"bad key"}})"};
    }
    return Echo(req);
  });
  EmbedderOptions o = Options(server);
  o.api_key = "sk-test-123";
  o.base_url += "/";
  auto e = Make(o);
  std::vector<std::vector<float>> out;
  Status st = e->EmbedBatch({"a", "b"}, &out);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(server.requests().at(0).path, "/v1/embeddings");
}

TEST_F(HttpEmbedderTest, OpenAIKeyComesFromEnvironmentOllamaIgnoresIt) {
  FakeOpenAIServer server(Echo);
  setenv("OPENAI_API_KEY", "sk-from-env", 1);
  std::vector<std::vector<float>> out;
  ASSERT_TRUE(Make(Options(server))->EmbedBatch({"x"}, &out).ok());
  auto ollama = Make(Options(server, EmbedderBackend::kOllama));
  EXPECT_EQ(ollama->model_id(), "ollama:test-model");
  ASSERT_TRUE(ollama->EmbedBatch({"x"}, &out).ok());
  unsetenv("OPENAI_API_KEY");
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].Header("authorization"), "Bearer sk-from-env");
  EXPECT_EQ(reqs[1].Header("authorization"), "");
}

TEST_F(HttpEmbedderTest, HttpErrorsNameStatusAndNeverLeakTheKey) {
  const std::string key = "sk-secret-abcdef123456";
  struct Case {
    int status;
    std::string body;
    std::string expect;  // a piece of the message
  };
  std::vector<Case> cases = {
      // OpenAI echoes the key it was given in its 401 message.
      {401, R"({"error":{"message":"Incorrect API key provided: )" + key + R"("}})",
       "Incorrect API key provided: [redacted]"},
      {429, R"({"error":{"message":"Rate limit reached"}})", "Rate limit reached"},
      {500, std::string(10000, 'x') + key, "xxxx"},
      {404, R"({"error":"model \"nope\" not found, try pulling it first"})", "not found"},
  };
  for (const Case& c : cases) {
    FakeOpenAIServer server([&](const FakeRequest&) { return FakeReply{c.status, c.body}; });
    EmbedderOptions o = Options(server);
    o.api_key = key;
    auto e = Make(o);
    std::vector<std::vector<float>> out = {{7.0f}};
    Status st = e->EmbedBatch({"q"}, &out);
    ASSERT_EQ(st.code(), Status::Code::kEmbedderError) << st.ToString();
    EXPECT_NE(st.message().find("HTTP " + std::to_string(c.status)), std::string::npos)
        << st.message();
    EXPECT_NE(st.message().find(c.expect), std::string::npos) << st.message();
    EXPECT_EQ(st.message().find(key), std::string::npos) << st.message();
    EXPECT_EQ(st.message().find("sk-secret"), std::string::npos) << st.message();
    EXPECT_LT(st.message().size(), 600u);  // the 10 KB body is cut
    EXPECT_EQ(out, (std::vector<std::vector<float>>{{7.0f}}));  // untouched on failure
  }
}

TEST_F(HttpEmbedderTest, MalformedRepliesAreEmbedderErrors) {
  struct Case {
    std::string body;
    std::string expect;
  };
  std::vector<Case> cases = {
      {"{not json", "not valid JSON"},
      {R"({"object":"list"})", "no \"data\""},
      {R"({"data":[{"index":0,"embedding":[1,2]}]})", "1 embeddings for 2 inputs"},
      {R"({"data":[{"index":0,"embedding":[1,2]},{"index":0,"embedding":[3,4]}]})",
       "repeats index 0"},
      {R"({"data":[{"index":0,"embedding":[1,2]},{"index":5,"embedding":[3,4]}]})",
       "invalid \"index\""},
      {R"({"data":[{"index":0,"embedding":[1,2]},{"index":1}]})", "no \"embedding\""},
      {R"({"data":[{"index":0,"embedding":[1,2]},{"index":1,"embedding":"AAAA"}]})",
       "expected an array"},
      {R"({"data":[{"index":0,"embedding":[1,2]},{"index":1,"embedding":[1,"2"]}]})",
       "expected numbers"},
      {R"({"data":[{"index":0,"embedding":[1,2]},{"index":1,"embedding":[0,0]}]})",
       "zero vector for input 1"},
      {R"({"data":[{"index":0,"embedding":[1,2]},{"index":1,"embedding":[1e300,1]}]})",
       "non-finite"},
  };
  for (const Case& c : cases) {
    FakeOpenAIServer server([&](const FakeRequest&) { return FakeReply{200, c.body}; });
    auto e = Make(Options(server));
    std::vector<std::vector<float>> out;
    Status st = e->EmbedBatch({"a", "b"}, &out);
    EXPECT_EQ(st.code(), Status::Code::kEmbedderError) << c.body << " -> " << st.ToString();
    EXPECT_NE(st.message().find(c.expect), std::string::npos) << st.message();
    EXPECT_TRUE(out.empty());
  }
}

TEST_F(HttpEmbedderTest, ConfiguredDimensionIsEnforced) {
  FakeOpenAIServer server(Echo);
  EmbedderOptions o = Options(server);
  o.dimension = 16;
  auto e = Make(o);
  EXPECT_EQ(e->dimension(), 16);
  std::vector<std::vector<float>> out;
  Status st = e->EmbedBatch({"a"}, &out);
  EXPECT_EQ(st.code(), Status::Code::kDimensionMismatch) << st.ToString();
  EXPECT_NE(st.message().find("dimension 8, expected 16"), std::string::npos) << st.message();
  EXPECT_EQ(e->dimension(), 16);
}

TEST_F(HttpEmbedderTest, LearnedDimensionStaysConsistent) {
  std::atomic<int> dim{kDim};
  FakeOpenAIServer server([&](const FakeRequest& req) { return test::OpenAIReply(req, dim); });
  auto e = Make(Options(server));
  std::vector<std::vector<float>> out;
  ASSERT_TRUE(e->EmbedBatch({"a"}, &out).ok());
  dim = 12;
  Status st = e->EmbedBatch({"b"}, &out);
  EXPECT_EQ(st.code(), Status::Code::kDimensionMismatch) << st.ToString();
  EXPECT_EQ(e->dimension(), kDim);
  // Mixed lengths inside one reply are caught too.
  FakeOpenAIServer mixed([](const FakeRequest&) {
    return FakeReply{200, R"({"data":[{"index":0,"embedding":[1,2]},{"index":1,"embedding":[1,2,3]}]})"};
  });
  st = Make(Options(mixed))->EmbedBatch({"a", "b"}, &out);
  EXPECT_EQ(st.code(), Status::Code::kDimensionMismatch) << st.ToString();
}

TEST_F(HttpEmbedderTest, SlowServerTimesOut) {
  FakeOpenAIServer server([](const FakeRequest& req) {
    FakeReply r = Echo(req);
    r.delay_ms = 3000;
    return r;
  });
  EmbedderOptions o = Options(server);
  o.timeout_seconds = 0.3;
  auto e = Make(o);
  std::vector<std::vector<float>> out;
  auto t0 = std::chrono::steady_clock::now();
  Status st = e->EmbedBatch({"a"}, &out);
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(st.code(), Status::Code::kEmbedderError) << st.ToString();
  EXPECT_NE(st.message().find("timed out after 0.3 s"), std::string::npos) << st.message();
  EXPECT_LT(elapsed, 2.0);
  EXPECT_GE(elapsed, 0.25);
}

TEST_F(HttpEmbedderTest, ConnectionRefusedSaysSo) {
  int port;
  {
    FakeOpenAIServer gone(Echo);  // bound, then closed: nothing listens there now
    port = gone.port();
  }
  EmbedderOptions o;
  o.backend = EmbedderBackend::kOllama;
  o.model = "nomic-embed-text";
  o.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  auto e = Make(o);
  std::vector<std::vector<float>> out;
  Status st = e->EmbedBatch({"a"}, &out);
  EXPECT_EQ(st.code(), Status::Code::kEmbedderError) << st.ToString();
  EXPECT_NE(st.message().find("connection refused"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("127.0.0.1:" + std::to_string(port)), std::string::npos);
}

TEST_F(HttpEmbedderTest, ConcurrentCallsAreSafe) {
  FakeOpenAIServer server(Echo);
  EmbedderOptions o = Options(server);
  o.batch_size = 3;
  auto e = Make(o);
  constexpr int kThreads = 4;
  std::vector<std::vector<std::string>> inputs(kThreads);
  std::vector<std::vector<std::vector<float>>> outputs(kThreads);
  std::vector<Status> statuses(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < 10; ++i) inputs[t].push_back("t" + std::to_string(t) + " #" + std::to_string(i));
    threads.emplace_back([&, t] { statuses[t] = e->EmbedBatch(inputs[t], &outputs[t]); });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_TRUE(statuses[t].ok()) << statuses[t].ToString();
    ExpectVectorsFor(inputs[t], outputs[t], kDim);
  }
  EXPECT_EQ(server.requests().size(), size_t{kThreads * 4});  // ceil(10 / 3) each
}

TEST_F(HttpEmbedderTest, InvalidOptionsAreRejected) {
  EmbedderOptions o;
  o.backend = EmbedderBackend::kOllama;
  EXPECT_EQ(NewHttpEmbedder(o).status().code(), Status::Code::kInvalidArgument);  // no model
  EXPECT_NE(NewHttpEmbedder(o).status().message().find("model"), std::string::npos);
  o.model = "m";
  o.base_url = "file:///etc/passwd";
  EXPECT_EQ(NewHttpEmbedder(o).status().code(), Status::Code::kInvalidArgument);
  o.base_url = "";
  o.batch_size = 0;
  EXPECT_EQ(NewHttpEmbedder(o).status().code(), Status::Code::kInvalidArgument);
  o.batch_size = 8;
  o.timeout_seconds = 0;
  EXPECT_EQ(NewHttpEmbedder(o).status().code(), Status::Code::kInvalidArgument);
  o.timeout_seconds = 1;
  o.dimension = -1;
  EXPECT_EQ(NewHttpEmbedder(o).status().code(), Status::Code::kInvalidArgument);
  o.dimension = 0;
  EXPECT_TRUE(NewHttpEmbedder(o).ok());
}

TEST_F(HttpEmbedderTest, DefaultOpenAIUrlNeedsAKey) {
  EmbedderOptions o;
  o.backend = EmbedderBackend::kOpenAI;
  o.model = "text-embedding-3-small";
  auto r = NewHttpEmbedder(o);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("OPENAI_API_KEY"), std::string::npos);
  EXPECT_NE(r.status().message().find("api.openai.com"), std::string::npos);
  setenv("OPENAI_API_KEY", "sk-env", 1);
  EXPECT_TRUE(NewHttpEmbedder(o).ok());
  unsetenv("OPENAI_API_KEY");
}

TEST_F(HttpEmbedderTest, OllamaDefaultsToLocalPort11434) {
  FakeOpenAIServer server(Echo, 11434);
  if (!server.ok()) GTEST_SKIP() << "port 11434 is taken (a real Ollama?)";
  EmbedderOptions o;
  o.backend = EmbedderBackend::kOllama;
  o.model = "nomic-embed-text";
  std::vector<std::vector<float>> out;
  Status st = Make(o)->EmbedBatch({"hello"}, &out);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].path, "/v1/embeddings");
}

TEST_F(HttpEmbedderTest, FactoryRoutesHttpBackendsAndHostBackendsNeedTheirCallback) {
  FakeOpenAIServer server(Echo);
  for (auto [backend, id] : {std::pair{EmbedderBackend::kOpenAI, "openai:test-model"},
                             std::pair{EmbedderBackend::kOllama, "ollama:test-model"}}) {
    auto r = NewEmbedder(Options(server, backend));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ((*r)->model_id(), id);
    std::vector<float> v;
    ASSERT_TRUE((*r)->Embed("routed", &v).ok());
    ExpectVectorsFor({"routed"}, {v}, kDim);
  }
  EXPECT_EQ(server.requests().size(), 2u);
  for (auto [backend, name] : {std::pair{EmbedderBackend::kOnnx, "ONNX"},
                               std::pair{EmbedderBackend::kLocal, "LOCAL"}}) {
    EmbedderOptions o = Options(server, backend);
    auto r = NewEmbedder(o);  // ONNX and LOCAL run in the Python package, through a callback
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("callback"), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find(name), std::string::npos) << r.status().message();
  }
}

TEST(HttpWireTest, ExcerptIsValidUtf8AndRedacted) {
  // "é" is two bytes; a cut at an odd byte must not split it.
  std::string body(9, 'a');
  for (int i = 0; i < 20; ++i) body += "é";
  std::string ex = ErrorExcerpt(body, "", 10);
  EXPECT_EQ(ex, "aaaaaaaaa...");
  EXPECT_EQ(ErrorExcerpt("line1\nKEY line2", "KEY"), "line1 [redacted] line2");
  EXPECT_EQ(ErrorExcerpt("", "k"), "(empty body)");
}

TEST(HttpWireTest, RequestReplacesInvalidUtf8) {
  std::string req = BuildEmbeddingsRequest("m", {"ok", std::string("bad\xff")});
  json j = json::parse(req);
  EXPECT_EQ(j["input"][1], "bad\xEF\xBF\xBD");
  EXPECT_EQ(j["model"], "m");
}

}  // namespace
}  // namespace stratamem
