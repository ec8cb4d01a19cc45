#include "serve/proxy.h"

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "serve/auth.h"
#include "serve/chat_memory.h"
#include "serve/chat_request.h"
#include "serve/http_json.h"
#include "serve/messages_memory.h"
#include "serve/sse.h"
#include "serve/upstream.h"

namespace stratamem::serve {
namespace {

// An upstream call running on its own thread, handing its status and body
// pieces to the request's thread: the status must be known before we answer
// (an upstream 401 is passed on as a 401, not as a 200 stream).
struct UpstreamCall {
  std::mutex mu;
  std::condition_variable cv;
  bool headers_ready = false;  // guarded by mu
  bool ended = false;          // guarded by mu
  bool cancelled = false;      // guarded by mu: the client went away
  int status = 0;
  std::string content_type;
  std::string error;           // transport failure ("" if none)
  std::deque<std::string> pieces;
  std::thread worker;

  ~UpstreamCall() {
    {
      std::lock_guard<std::mutex> lock(mu);
      cancelled = true;
    }
    if (worker.joinable()) worker.join();
  }

  void Start(const ServeContext& ctx, httplib::Request request) {
    worker = std::thread([this, &ctx, request = std::move(request)]() mutable {
      auto client = NewUpstreamClient(ctx.upstream, ctx.options.upstream_timeout_seconds);
      request.response_handler = [this](const httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mu);
        status = res.status;
        content_type = res.get_header_value("Content-Type");
        headers_ready = true;
        cv.notify_all();
        return true;
      };
      request.content_receiver = [this](const char* data, size_t size, uint64_t, uint64_t) {
        std::lock_guard<std::mutex> lock(mu);
        pieces.emplace_back(data, size);
        cv.notify_all();
        return !cancelled;
      };
      httplib::Result result = client->send(request);
      std::lock_guard<std::mutex> lock(mu);
      if (!result && !cancelled) error = DescribeError(result.error());
      ended = true;
      cv.notify_all();
    });
  }

  // Waits for the status (or the end); false on a transport failure before it.
  bool WaitHeaders() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return headers_ready || ended; });
    return headers_ready;
  }

  // The next pieces; empty with *done set once the call ended.
  std::deque<std::string> Next(bool* done) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return !pieces.empty() || ended; });
    std::deque<std::string> out;
    out.swap(pieces);
    *done = ended && out.empty();
    return out;
  }

  std::string WholeBody() {
    std::string body;
    for (bool done = false; !done;) {
      for (std::string& piece : Next(&done)) body += piece;
    }
    return body;
  }
};

void SendUpstreamError(httplib::Response& res, const std::string& error) {
  SendError(res, 502, "UpstreamUnavailable", error);
}

// `anthropic`: a Messages call, authenticated by x-api-key (the client's own,
// else $ANTHROPIC_API_KEY), never by the OpenAI key.
httplib::Request UpstreamRequest(const ServeContext& ctx, const httplib::Request& req, std::string body,
                                 bool anthropic = false) {
  httplib::Request out;
  out.method = req.method;
  out.path = UpstreamPath(ctx.upstream, req);
  std::string authorization = UpstreamAuthorization(req, ctx.options.token, anthropic ? "" : ctx.upstream_key);
  out.headers = ForwardHeaders(req, authorization);
  if (anthropic && authorization.empty() && !req.has_header("x-api-key") && !ctx.anthropic_key.empty()) {
    out.headers.emplace("x-api-key", ctx.anthropic_key);
  }
  if (!body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
    std::string type = req.get_header_value("Content-Type");
    out.headers.emplace("Content-Type", type.empty() ? "application/json" : type);
  }
  out.body = std::move(body);
  return out;
}

// The two stream formats behind one relay. OnMessage returns the SSE text
// to send for one upstream event and sets *ended on the format's end marker.
class ChatStream {
 public:
  explicit ChatStream(bool strip) : rewriter_(strip) {}
  std::string OnMessage(const SseMessage& m, bool* ended) {
    if (m.data != "[DONE]") return rewriter_.OnEvent(m.data);
    *ended = true;
    return rewriter_.Finish() + SseEvent("[DONE]");
  }
  std::string Finish() { return rewriter_.Finish(); }
  bool Whole() const { return true; }  // an end without [DONE] is still a whole reply
  protocol::ReplyParse Parse() const { return rewriter_.first(); }

 private:
  StreamRewriter rewriter_;
};

class MessagesStream {
 public:
  explicit MessagesStream(bool strip) : rewriter_(strip) {}
  std::string OnMessage(const SseMessage& m, bool* ended) {
    std::string out = rewriter_.OnEvent(m);
    *ended = rewriter_.complete();
    return out;
  }
  std::string Finish() { return ""; }
  bool Whole() const { return rewriter_.complete(); }  // no message_stop: cut
  protocol::ReplyParse Parse() const { return rewriter_.Parse(); }

 private:
  MessagesStreamRewriter rewriter_;
};

// The SSE relay of StreamReply: false when the client went away.
template <typename Format>
bool Relay(const ServeContext& ctx, UpstreamCall* call, const std::shared_ptr<ChatPlan>& plan,
           httplib::DataSink& sink) {
  SseReader reader;
  Format format(plan->instruct);
  bool stored = false;
  auto store = [&] {
    if (stored) return;
    stored = true;
    StoreFacts(ctx, *plan, OwnFacts(format.Parse(), *plan));
  };
  for (bool done = false; !done;) {
    for (const std::string& piece : call->Next(&done)) {
      for (const SseMessage& message : reader.FeedMessages(piece)) {
        bool ended = false;
        std::string out = format.OnMessage(message, &ended);
        if (ended) store();
        if (!out.empty() && !sink.write(out.data(), out.size())) return false;  // client gone
      }
    }
  }
  bool failed;
  {
    std::lock_guard<std::mutex> lock(call->mu);
    failed = !call->error.empty();
  }
  if (!failed) {
    std::string rest = format.Finish();
    if (format.Whole()) store();
    if (!rest.empty() && !sink.write(rest.data(), rest.size())) return false;
  }
  sink.done();
  return true;
}

// Streams the upstream's SSE to the client through the rewriter; stores the
// first choice's facts when the stream completed (a cut stream stores nothing).
template <typename Format>
void StreamReply(const ServeContext& ctx, std::shared_ptr<UpstreamCall> call, std::shared_ptr<ChatPlan> plan,
                 httplib::Response& res) {
  res.set_header("Cache-Control", "no-cache");
  res.set_chunked_content_provider(
      "text/event-stream",
      [&ctx, call, plan](size_t, httplib::DataSink& sink) {
        // Runs after the handler returned, outside httplib's exception guard:
        // anything thrown here would end the process, so it ends the stream.
        try {
          return Relay<Format>(ctx, call.get(), plan, sink);
        } catch (...) {
          std::fprintf(stderr, "stratamem serve: warning: a streamed reply failed; stream closed\n");
          return false;
        }
      },
      [call](bool) {
        std::lock_guard<std::mutex> lock(call->mu);
        call->cancelled = true;
      });
}

// What differs between the two memory routes: the request check, where a
// body names its user, the plan, the strip of a whole reply, the stream format.
struct ChatApi {  // POST /v1/chat/completions (chat_memory.h)
  using Stream = ChatStream;
  static constexpr bool kAnthropic = false;
  static std::string Check(const Json& body) { return CheckChatRequest(body); }
  static const Json* BodyUser(const Json& body) {
    auto it = body.find("user");
    return it == body.end() ? nullptr : &*it;
  }
  static ChatPlan Plan(Json body, const ScopeContext& who, const ServeContext& ctx) {
    return PlanChat(std::move(body), who, ctx);
  }
  static protocol::ReplyParse Strip(Json* response, const ChatPlan& plan) { return StripCompletion(response, plan); }
};

struct MessagesApi {  // POST /v1/messages: Anthropic's Messages API (messages_memory.h)
  using Stream = MessagesStream;
  static constexpr bool kAnthropic = true;
  static std::string Check(const Json& body) { return CheckMessagesRequest(body); }
  static const Json* BodyUser(const Json& body) {  // the counterpart of OpenAI's `user`
    auto metadata = body.find("metadata");
    if (metadata == body.end() || !metadata->is_object()) return nullptr;
    auto it = metadata->find("user_id");
    return it == metadata->end() ? nullptr : &*it;
  }
  static ChatPlan Plan(Json body, const ScopeContext& who, const ServeContext& ctx) {
    return PlanMessages(std::move(body), who, ctx);
  }
  static protocol::ReplyParse Strip(Json* response, const ChatPlan& plan) { return StripMessage(response, plan); }
};

template <typename Api>
void WithMemory(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (ctx.upstream.origin.empty()) {
    return SendError(res, 503, "NoUpstream", "this server was started without --upstream");
  }
  Json body;
  if (!ParseJsonObject(req, res, &body)) return;
  if (std::string error = Api::Check(body); !error.empty()) {
    return SendError(res, 400, "InvalidArgument", error);
  }
  ScopeContext who = ContextFromHeaders(req, ScopeContext{});
  if (who.user_id.empty()) {
    if (const Json* user = Api::BodyUser(body); user != nullptr && user->is_string()) who.user_id = *user;
  }
  if (who.user_id.empty()) who.user_id = ctx.options.defaults.user_id;
  if (who.session_id.empty()) who.session_id = ctx.options.defaults.session_id;
  if (who.agent_id.empty()) who.agent_id = ctx.options.defaults.agent_id;
  who.turn_id.clear();

  auto plan = std::make_shared<ChatPlan>(Api::Plan(std::move(body), who, ctx));
  auto call = std::make_shared<UpstreamCall>();
  call->Start(ctx, UpstreamRequest(ctx, req, plan->body.dump(-1, ' ', false, Json::error_handler_t::replace),
                                   Api::kAnthropic));
  if (!call->WaitHeaders()) return SendUpstreamError(res, call->error);

  bool is_sse = call->content_type.find("text/event-stream") != std::string::npos;
  if (call->status == 200 && is_sse) return StreamReply<typename Api::Stream>(ctx, call, plan, res);

  std::string reply = call->WholeBody();
  if (!call->error.empty()) return SendUpstreamError(res, call->error);
  Json response = call->status == 200 ? Json::parse(reply, nullptr, false) : Json();
  if (call->status != 200 || !response.is_object()) {
    // Errors and anything unexpected go back as the upstream sent them.
    res.status = call->status;
    res.set_content(reply, call->content_type.empty() ? "application/json" : call->content_type);
    return;
  }
  protocol::ReplyParse parse = Api::Strip(&response, *plan);
  StoreFacts(ctx, *plan, OwnFacts(parse, *plan));
  SendJson(res, 200, response);
}

void PassThrough(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (ctx.upstream.origin.empty()) {
    return SendError(res, 404, "NotFound", "no such route (and no --upstream to pass it to)");
  }
  if (req.path.rfind("/v1/memories", 0) == 0 || req.path == "/v1/graph" ||
      req.path.rfind("/v1/graph/", 0) == 0) {  // ours: never sent upstream
    return SendError(res, 404, "NotFound", "no such route: " + req.method + " " + req.path);
  }
  UpstreamCall call;
  call.Start(ctx, UpstreamRequest(ctx, req, req.body));
  if (!call.WaitHeaders()) return SendUpstreamError(res, call.error);
  std::string reply = call.WholeBody();
  if (!call.error.empty()) return SendUpstreamError(res, call.error);
  res.status = call.status;
  res.set_content(reply, call.content_type.empty() ? "application/octet-stream" : call.content_type);
}

}  // namespace

void RegisterProxyRoutes(httplib::Server& server, const ServeContext& ctx) {
  const ServeContext* c = &ctx;
  const size_t max = ctx.options.max_body_bytes;
  server.Post("/v1/chat/completions",
              WithBody(max, [c](const auto& req, auto& res) { WithMemory<ChatApi>(*c, req, res); }));
  server.Post("/v1/messages", WithBody(max, [c](const auto& req, auto& res) { WithMemory<MessagesApi>(*c, req, res); }));
  auto pass = [c](const httplib::Request& req, httplib::Response& res) { PassThrough(*c, req, res); };
  constexpr const char* kAnyV1 = "/v1/.+";
  server.Get(kAnyV1, pass);
  server.Post(kAnyV1, WithBody(max, pass));
  server.Put(kAnyV1, WithBody(max, pass));
  server.Patch(kAnyV1, WithBody(max, pass));
  server.Delete(kAnyV1, WithBody(max, pass));
}

}  // namespace stratamem::serve
