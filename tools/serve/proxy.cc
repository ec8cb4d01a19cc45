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

httplib::Request UpstreamRequest(const ServeContext& ctx, const httplib::Request& req, std::string body) {
  httplib::Request out;
  out.method = req.method;
  out.path = UpstreamPath(ctx.upstream, req);
  out.headers = ForwardHeaders(req, UpstreamAuthorization(req, ctx.options.token, ctx.upstream_key));
  if (!body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
    std::string type = req.get_header_value("Content-Type");
    out.headers.emplace("Content-Type", type.empty() ? "application/json" : type);
  }
  out.body = std::move(body);
  return out;
}

// The SSE relay of StreamReply: false when the client went away.
bool Relay(const ServeContext& ctx, UpstreamCall* call, const std::shared_ptr<ChatPlan>& plan,
           httplib::DataSink& sink) {
  SseReader reader;
  StreamRewriter rewriter(plan->instruct);
  bool completed = false;
  auto finish = [&] {
    if (completed) return true;
    completed = true;
    std::string rest = rewriter.Finish();
    StoreFacts(ctx, *plan, OwnFacts(rewriter.first(), *plan));
    return rest.empty() || sink.write(rest.data(), rest.size());
  };
  for (bool done = false; !done;) {
    for (const std::string& piece : call->Next(&done)) {
      for (const std::string& data : reader.Feed(piece)) {
        std::string out;
        if (data == "[DONE]") {
          if (!finish()) return false;
          out = SseEvent("[DONE]");
        } else {
          out = rewriter.OnEvent(data);
        }
        if (!out.empty() && !sink.write(out.data(), out.size())) return false;  // client gone
      }
    }
  }
  bool failed;
  {
    std::lock_guard<std::mutex> lock(call->mu);
    failed = !call->error.empty();
  }
  if (!failed && !finish()) return false;  // ended without [DONE]: still a whole reply
  sink.done();
  return true;
}

// Streams the upstream's SSE to the client through the rewriter; stores the
// first choice's facts when the stream completed (a cut stream stores nothing).
void StreamReply(const ServeContext& ctx, std::shared_ptr<UpstreamCall> call, std::shared_ptr<ChatPlan> plan,
                 httplib::Response& res) {
  res.set_header("Cache-Control", "no-cache");
  res.set_chunked_content_provider(
      "text/event-stream",
      [&ctx, call, plan](size_t, httplib::DataSink& sink) {
        // Runs after the handler returned, outside httplib's exception guard:
        // anything thrown here would end the process, so it ends the stream.
        try {
          return Relay(ctx, call.get(), plan, sink);
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

void ChatCompletions(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (ctx.upstream.origin.empty()) {
    return SendError(res, 503, "NoUpstream", "this server was started without --upstream");
  }
  Json body;
  if (!ParseJsonObject(req, res, &body)) return;
  if (std::string error = CheckChatRequest(body); !error.empty()) {
    return SendError(res, 400, "InvalidArgument", error);
  }
  ScopeContext who = ContextFromHeaders(req, ScopeContext{});
  if (who.user_id.empty()) {
    if (auto it = body.find("user"); it != body.end() && it->is_string()) who.user_id = *it;
  }
  if (who.user_id.empty()) who.user_id = ctx.options.defaults.user_id;
  if (who.session_id.empty()) who.session_id = ctx.options.defaults.session_id;
  if (who.agent_id.empty()) who.agent_id = ctx.options.defaults.agent_id;
  who.turn_id.clear();

  auto plan = std::make_shared<ChatPlan>(PlanChat(std::move(body), who, ctx));
  auto call = std::make_shared<UpstreamCall>();
  call->Start(ctx, UpstreamRequest(ctx, req, plan->body.dump(-1, ' ', false, Json::error_handler_t::replace)));
  if (!call->WaitHeaders()) return SendUpstreamError(res, call->error);

  bool is_sse = call->content_type.find("text/event-stream") != std::string::npos;
  if (call->status == 200 && is_sse) return StreamReply(ctx, call, plan, res);

  std::string reply = call->WholeBody();
  if (!call->error.empty()) return SendUpstreamError(res, call->error);
  Json response = call->status == 200 ? Json::parse(reply, nullptr, false) : Json();
  if (call->status != 200 || !response.is_object()) {
    // Errors and anything unexpected go back as the upstream sent them.
    res.status = call->status;
    res.set_content(reply, call->content_type.empty() ? "application/json" : call->content_type);
    return;
  }
  protocol::ReplyParse first = StripCompletion(&response, *plan);
  StoreFacts(ctx, *plan, OwnFacts(first, *plan));
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
              WithBody(max, [c](const auto& req, auto& res) { ChatCompletions(*c, req, res); }));
  auto pass = [c](const httplib::Request& req, httplib::Response& res) { PassThrough(*c, req, res); };
  constexpr const char* kAnyV1 = "/v1/.+";
  server.Get(kAnyV1, pass);
  server.Post(kAnyV1, WithBody(max, pass));
  server.Put(kAnyV1, WithBody(max, pass));
  server.Patch(kAnyV1, WithBody(max, pass));
  server.Delete(kAnyV1, WithBody(max, pass));
}

}  // namespace stratamem::serve
