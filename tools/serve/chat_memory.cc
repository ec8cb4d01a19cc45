#include "serve/chat_memory.h"

#include <cctype>
#include <cstdio>
#include <optional>

#include "protocol/instruction.h"
#include "protocol/memory_block.h"

namespace stratamem::serve {
namespace {

using Json = nlohmann::json;

constexpr int kCharsPerToken = 4;             // the budget is an estimate, as in Python
constexpr double kReplaceMinCosine = 0.85;    // a `replaces` text found by search

std::string Norm(std::string_view text) {
  std::string out;
  bool space = false;
  for (unsigned char c : text) {
    if (std::isspace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

bool IsPlaceholder(const std::string& content) {
  std::string n = Norm(content);
  return n == "..." || n == "<fact>" || n == "fact" || n == "content";
}

bool JsonFormat(const Json& body) {
  auto it = body.find("response_format");
  if (it == body.end() || !it->is_object()) return false;
  std::string type = it->value("type", "");
  return type == "json_object" || type == "json_schema";
}

bool Visible(const MemoryRecord& record, const ScopeContext& viewer) {
  return record.valid_to == 0 && IsVisible(record.scope, record.context, viewer);
}

// The memory a fact's `replaces` names: a recalled memory's text or id, an
// id of a memory this tenant can see, or a close search hit.
std::optional<MemoryRecord> Replaced(const ServeContext& ctx, const ChatPlan& plan, const std::string& target) {
  std::string wanted = Norm(target);
  for (const MemoryRecord& m : plan.recalled) {
    if (target == m.id || wanted == Norm(m.content) || wanted == Norm(protocol::NeutraliseMemoryText(m.content))) {
      return m;
    }
  }
  if (auto record = ctx.store->Get(target); record.ok() && Visible(*record, plan.context)) return *record;
  SearchRequest search;
  search.query = target;
  search.context = plan.context;
  search.top_k = 3;
  auto hits = ctx.store->Search(search);
  if (!hits.ok()) return std::nullopt;
  for (const SearchResult& hit : *hits) {
    if (Norm(hit.record.content) == wanted || hit.vector_score >= kReplaceMinCosine) return hit.record;
  }
  return std::nullopt;
}

void Warn(const std::string& what, const Status& status) {
  std::fprintf(stderr, "stratamem serve: warning: %s: %s\n", what.c_str(), status.ToString().c_str());
}

}  // namespace

std::vector<std::string> TextParts(const Json& content) {
  std::vector<std::string> parts;
  if (content.is_string()) parts.push_back(content.get<std::string>());
  if (!content.is_array()) return parts;
  for (const Json& part : content) {
    if (part.is_string()) {
      parts.push_back(part.get<std::string>());
    } else if (part.is_object()) {
      auto text = part.find("text");
      auto type = part.find("type");
      if (type != part.end() && *type == "text" && text != part.end() && text->is_string()) {
        parts.push_back(text->get<std::string>());
      }
    }
  }
  return parts;
}

std::string TextOf(const Json& content) {
  std::string out;
  for (const std::string& part : TextParts(content)) {
    if (!out.empty()) out += '\n';
    out += part;
  }
  return out;
}

bool AddText(Json* content_ptr, const std::string& text, bool before) {
  Json& content = *content_ptr;
  if (content.is_string()) {
    content = before ? text + "\n\n" + content.get<std::string>() : content.get<std::string>() + "\n\n" + text;
  } else if (content.is_array()) {
    Json part{{"type", "text"}, {"text", text}};
    if (before) {
      content.insert(content.begin(), part);
    } else {
      content.push_back(part);
    }
  } else if (content.is_null() && !before) {
    content = text;
  } else {
    return false;
  }
  return true;
}

RecallBlock RecallFor(const ServeContext& ctx, const ScopeContext& context, const std::string& query) {
  RecallBlock out;
  if (Norm(query).empty() || ctx.options.top_k <= 0) return out;
  SearchRequest search;
  search.query = query;
  search.context = context;
  search.top_k = ctx.options.top_k;
  auto hits = ctx.store->Search(search);
  if (!hits.ok()) {
    Warn("recall failed; calling without memories", hits.status());
    return out;
  }
  std::vector<std::string> texts;
  for (const SearchResult& hit : *hits) texts.push_back(hit.record.content);
  auto block = protocol::FormatMemoryContext(texts, static_cast<size_t>(ctx.options.max_memory_tokens) * kCharsPerToken);
  out.text = block.text;
  for (size_t i = 0; i < block.included; ++i) out.included.push_back((*hits)[i].record);
  return out;
}

ChatPlan BeginPlan(Json* request, const ScopeContext& context) {
  ChatPlan plan;
  plan.context = context;
  plan.stream = request->value("stream", false);
  if (auto it = request->find("model"); it != request->end() && it->is_string()) plan.model = *it;
  auto messages = request->find("messages");
  plan.memory = !context.user_id.empty() && messages != request->end() && messages->is_array();
  if (!plan.memory) plan.body = std::move(*request);
  return plan;
}

ChatPlan PlanChat(Json request, const ScopeContext& context, const ServeContext& ctx) {
  ChatPlan plan = BeginPlan(&request, context);
  if (!plan.memory) return plan;
  auto messages = request.find("messages");
  plan.instruct = !JsonFormat(request);

  // Echo check input: everything the model was given that it did not write,
  // as the client sent it (before recalled memories are injected, as in Python).
  plan.given.AddText(protocol::MemoryInstruction());
  for (const Json& message : *messages) {
    if (!message.is_object()) continue;
    auto role = message.find("role");
    if (role != message.end() && *role == "assistant") continue;
    auto content = message.find("content");
    if (content != message.end()) plan.given.AddMessage(TextParts(*content));
  }

  // 1. Inject: the latest user message's text is the query.
  Json* user_message = nullptr;
  for (auto it = messages->rbegin(); it != messages->rend(); ++it) {
    if (it->is_object() && it->value("role", "") == "user") {
      user_message = &*it;
      break;
    }
  }
  std::string query = user_message != nullptr ? TextOf(user_message->value("content", Json())) : "";
  RecallBlock block = RecallFor(ctx, context, query);
  if (!block.text.empty() && AddText(&(*user_message)["content"], block.text, /*before=*/true)) {
    plan.recalled = std::move(block.included);
  }

  // 2. Instruct: appended to the first system/developer message, else a new one.
  if (plan.instruct) {
    std::string instruction(protocol::MemoryInstruction());
    bool added = false;
    for (Json& message : *messages) {
      std::string role = message.is_object() ? message.value("role", "") : "";
      if (role == "system" || role == "developer") {
        added = AddText(&message["content"], instruction, /*before=*/false);
        break;
      }
    }
    if (!added) messages->insert(messages->begin(), Json{{"role", "system"}, {"content", instruction}});
  }
  plan.body = std::move(request);
  return plan;
}

std::vector<protocol::Fact> OwnFacts(const protocol::ReplyParse& parse, const ChatPlan& plan) {
  std::vector<protocol::Fact> kept;
  for (protocol::Fact& fact : plan.given.OwnFacts(parse.facts)) {
    if (!IsPlaceholder(fact.content)) kept.push_back(std::move(fact));
  }
  return kept;
}

protocol::ReplyParse StripCompletion(Json* response, const ChatPlan& plan) {
  protocol::ReplyParse first;
  auto choices = response->find("choices");
  if (!plan.instruct || choices == response->end() || !choices->is_array()) return first;
  for (size_t i = 0; i < choices->size(); ++i) {
    Json& choice = (*choices)[i];
    if (!choice.is_object() || !choice.contains("message") || !choice["message"].is_object()) continue;
    Json& content = choice["message"]["content"];
    if (!content.is_string()) continue;  // tool calls: nothing to parse
    protocol::ReplyParse parse = protocol::ParseReply(content.get<std::string>());
    content = parse.visible;
    if (i == 0) first = std::move(parse);
  }
  return first;
}

void StoreFacts(const ServeContext& ctx, const ChatPlan& plan, const std::vector<protocol::Fact>& facts) {
  if (!plan.memory || !plan.instruct || facts.empty()) return;
  Json metadata{{"session_id", plan.context.session_id}, {"model", plan.model}, {"via", "serve"}};
  std::vector<SaveRequest> plain;
  for (const protocol::Fact& fact : facts) {
    Scope scope = fact.scope;
    // Turn facts: the turn is over, no later search could see them. Session
    // and agent facts need the ids that define them.
    if (scope == Scope::kTurn) continue;
    if (scope == Scope::kAgent && plan.context.agent_id.empty()) scope = Scope::kSession;
    if (scope == Scope::kSession && plan.context.session_id.empty()) continue;
    SaveRequest request;
    request.content = fact.content;
    request.scope = scope;
    request.context = plan.context;
    request.context.turn_id.clear();
    request.importance = fact.importance;
    request.source_agent = plan.context.agent_id;
    request.metadata_json = metadata.dump();
    request.entities = fact.entities;  // checked by the parser: saving them cannot fail
    request.relations = fact.relations;
    if (!fact.replaces.empty()) {
      if (auto old = Replaced(ctx, plan, fact.replaces)) {
        auto saved = ctx.store->Supersede(old->id, request);
        if (saved.ok()) continue;
      }
    }
    plain.push_back(std::move(request));
  }
  if (plain.empty()) return;
  if (ctx.store->SaveBatch(plain).ok()) return;
  for (const SaveRequest& request : plain) {  // one bad fact must not lose the others
    auto saved = ctx.store->Save(request);
    if (!saved.ok() && saved.status().code() != Status::Code::kInvalidArgument) {
      Warn("storing a fact failed", saved.status());
    }
  }
}

}  // namespace stratamem::serve
