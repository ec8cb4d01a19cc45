// Input checks done before anything touches the store. Each failure is an
// InvalidArgument whose message names the field and the rule.
#ifndef STRATAMEM_STORE_VALIDATE_H_
#define STRATAMEM_STORE_VALIDATE_H_

#include <string>

#include "stratamem/options.h"
#include "stratamem/status.h"

namespace stratamem {

Status ValidateContent(const std::string& content, size_t max_bytes);
// An id given by a caller (user, session, agent, turn, source agent).
Status ValidateIdText(const char* field, const std::string& value);
// Returns the canonical compact JSON text of a JSON object ("{}" for "").
Result<std::string> CanonicalMetadata(const std::string& metadata_json);
// Content, scope ids, importance, metadata; fills *metadata with canonical JSON.
Status ValidateSave(const SaveRequest& request, size_t max_content_bytes, std::string* metadata);

}  // namespace stratamem

#endif  // STRATAMEM_STORE_VALIDATE_H_
