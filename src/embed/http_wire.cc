#include "embed/http_wire.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace stratamem {
namespace {

using json = nlohmann::json;

// Length of the longest prefix of s[0, limit) that does not split a UTF-8
// sequence, so an excerpt is always valid for Python to decode.
size_t Utf8Prefix(const std::string& s, size_t limit) {
  if (s.size() <= limit) return s.size();
  size_t end = limit;
  // Step back over continuation bytes (10xxxxxx) to the start of a sequence.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return end;
}

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

std::string Item(size_t i) { return "data[" + std::to_string(i) + "]"; }

}  // namespace

std::string BuildEmbeddingsRequest(const std::string& model, const std::vector<std::string>& texts) {
  json request = {{"model", model}, {"input", texts}, {"encoding_format", "float"}};
  // replace: a stray invalid byte must not throw out of the engine.
  return request.dump(-1, ' ', false, json::error_handler_t::replace);
}

Status ParseEmbeddingsResponse(const std::string& body, size_t expected_count,
                               std::vector<std::vector<float>>* out) {
  const json reply = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (reply.is_discarded()) {
    return Status::EmbedderError("reply is not valid JSON: " + ErrorExcerpt(body, "", 120));
  }
  if (!reply.is_object() || !reply.contains("data") || !reply["data"].is_array()) {
    return Status::EmbedderError("reply has no \"data\" array: " + ErrorExcerpt(body, "", 120));
  }
  const json& data = reply["data"];
  if (data.size() != expected_count) {
    return Status::EmbedderError("reply has " + std::to_string(data.size()) + " embeddings for " +
                                 std::to_string(expected_count) + " inputs");
  }

  std::vector<std::vector<float>> vectors(expected_count);
  std::vector<bool> filled(expected_count, false);
  for (size_t i = 0; i < data.size(); ++i) {
    const json& item = data[i];
    if (!item.is_object()) return Status::EmbedderError(Item(i) + " is not an object");
    size_t slot = i;
    if (item.contains("index")) {
      const json& index = item["index"];
      if (!index.is_number_integer() || index.get<int64_t>() < 0 ||
          static_cast<uint64_t>(index.get<int64_t>()) >= expected_count) {
        return Status::EmbedderError(Item(i) + " has an invalid \"index\": " + index.dump());
      }
      slot = static_cast<size_t>(index.get<int64_t>());
    }
    if (filled[slot]) {
      return Status::EmbedderError("reply repeats index " + std::to_string(slot));
    }
    if (!item.contains("embedding")) {
      return Status::EmbedderError(Item(i) + " has no \"embedding\"");
    }
    const json& embedding = item["embedding"];
    if (!embedding.is_array()) {
      // A base64 string means the server ignored encoding_format=float.
      return Status::EmbedderError(Item(i) + ".embedding is " + embedding.type_name() +
                                   ", expected an array of numbers");
    }
    if (embedding.empty()) return Status::EmbedderError(Item(i) + ".embedding is empty");
    std::vector<float>& v = vectors[slot];
    v.reserve(embedding.size());
    for (const json& x : embedding) {
      if (!x.is_number()) {
        return Status::EmbedderError(Item(i) + ".embedding holds a " + x.type_name() +
                                     ", expected numbers");
      }
      const float f = x.get<float>();
      if (!std::isfinite(f)) {
        return Status::EmbedderError(Item(i) + ".embedding holds a non-finite value");
      }
      v.push_back(f);
    }
    filled[slot] = true;
  }
  // All indexes were distinct and in range and there are expected_count of
  // them, so every slot is filled; lengths must agree within one reply.
  for (size_t i = 1; i < vectors.size(); ++i) {
    if (vectors[i].size() != vectors[0].size()) {
      return Status::DimensionMismatch(
          "reply mixes vector lengths: input 0 has " + std::to_string(vectors[0].size()) +
          ", input " + std::to_string(i) + " has " + std::to_string(vectors[i].size()));
    }
  }
  *out = std::move(vectors);
  return Status::OK();
}

std::string ErrorExcerpt(const std::string& body, const std::string& secret, size_t max_bytes) {
  std::string text = body;
  const json reply = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!reply.is_discarded() && reply.is_object() && reply.contains("error")) {
    const json& error = reply["error"];
    if (error.is_string()) {
      text = error.get<std::string>();  // Ollama's native {"error": "..."}
    } else if (error.is_object() && error.contains("message") && error["message"].is_string()) {
      text = error["message"].get<std::string>();  // OpenAI's {"error": {"message": ...}}
    }
  }
  // Redact before cutting, so a cut cannot leave a recognisable piece of the key.
  if (!secret.empty()) text = ReplaceAll(std::move(text), secret, "[redacted]");
  const bool cut = text.size() > max_bytes;
  text.resize(Utf8Prefix(text, max_bytes));
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  if (text.empty()) return "(empty body)";
  return cut ? text + "..." : text;
}

}  // namespace stratamem
