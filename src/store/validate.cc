#include "store/validate.h"

#include <cmath>
#include <cstring>

#include <nlohmann/json.hpp>

#include "stratamem/limits.h"
#include "util/utf8.h"

namespace stratamem {

Status ValidateContent(const std::string& content, size_t max_bytes) {
  if (content.size() > max_bytes) {
    return Status::InvalidArgument("content is " + std::to_string(content.size()) +
                                   " bytes; the limit is " + std::to_string(max_bytes) +
                                   " (max_content_bytes)");
  }
  size_t bad = 0;
  if (!IsValidUtf8(content, &bad)) {
    return Status::InvalidArgument("content is not valid UTF-8 (at byte " + std::to_string(bad) + ")");
  }
  if (std::memchr(content.data(), '\0', content.size()) != nullptr) {
    return Status::InvalidArgument("content contains a NUL character");
  }
  if (IsBlank(content)) return Status::InvalidArgument("content is empty or only white space");
  return Status::OK();
}

Status ValidateIdText(const char* field, const std::string& value) {
  if (value.size() > 256) return Status::InvalidArgument(std::string(field) + " is longer than 256 bytes");
  if (!IsValidUtf8(value)) return Status::InvalidArgument(std::string(field) + " is not valid UTF-8");
  if (std::memchr(value.data(), '\0', value.size()) != nullptr) {
    return Status::InvalidArgument(std::string(field) + " contains a NUL character");
  }
  if (!value.empty() && IsBlank(value)) {
    return Status::InvalidArgument(std::string(field) + " is only white space");
  }
  return Status::OK();
}

Result<std::string> CanonicalMetadata(const std::string& metadata_json) {
  if (metadata_json.empty()) return std::string("{}");
  if (metadata_json.size() > kMaxMetadataBytes) {
    return Status::InvalidArgument("metadata is " + std::to_string(metadata_json.size()) +
                                   " bytes of JSON; the limit is " + std::to_string(kMaxMetadataBytes));
  }
  if (JsonNestingDepth(metadata_json) > kMaxJsonDepth) {
    return Status::InvalidArgument("metadata is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  if (!IsValidUtf8(metadata_json)) return Status::InvalidArgument("metadata is not valid UTF-8");
  nlohmann::json j = nlohmann::json::parse(metadata_json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("metadata is not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("metadata must be a JSON object");
  return j.dump();
}

Status ValidateSave(const SaveRequest& r, size_t max_content_bytes, std::string* metadata) {
  STRATAMEM_RETURN_IF_ERROR(ValidateContent(r.content, max_content_bytes));
  STRATAMEM_RETURN_IF_ERROR(ValidateIdText("user_id", r.context.user_id));
  STRATAMEM_RETURN_IF_ERROR(ValidateIdText("session_id", r.context.session_id));
  STRATAMEM_RETURN_IF_ERROR(ValidateIdText("agent_id", r.context.agent_id));
  STRATAMEM_RETURN_IF_ERROR(ValidateIdText("turn_id", r.context.turn_id));
  STRATAMEM_RETURN_IF_ERROR(ValidateIdText("source_agent", r.source_agent));
  STRATAMEM_RETURN_IF_ERROR(ValidateContextFor(r.scope, r.context));
  if (!(r.importance >= 0.0 && r.importance <= 1.0)) {
    return Status::InvalidArgument("importance must be between 0 and 1");
  }
  if (r.world_from < 0 || r.world_to < 0 || (r.world_from != 0 && r.world_to != 0 && r.world_to < r.world_from)) {
    return Status::InvalidArgument("world_to must not be before world_from (and neither negative)");
  }
  auto meta = CanonicalMetadata(r.metadata_json);
  if (!meta.ok()) return meta.status();
  *metadata = std::move(meta).value();
  return Status::OK();
}

}  // namespace stratamem
