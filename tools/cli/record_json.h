// Memory records as JSON: the --json output of every command and the JSON Lines
// of export/import. Timestamps are ISO 8601 UTC with microseconds, so a record
// survives export -> import -> export unchanged.
#ifndef STRATAMEM_TOOLS_CLI_RECORD_JSON_H_
#define STRATAMEM_TOOLS_CLI_RECORD_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "stratamem/stratamem.h"

namespace stratamem::cli {

using Json = nlohmann::json;

// "2026-11-25T23:08:01.123456Z" (with_micros) or "2026-11-25T23:08:01Z".
std::string FormatTime(int64_t unix_micros, bool with_micros = true);
// Accepts the form above, fractions of 0-9 digits, and a "+00:00" suffix.
Result<int64_t> ParseTime(std::string_view text);

// Base64 (RFC 4648, padded) of little-endian float32s, and back.
std::string EncodeVector(const std::vector<float>& vector);
Result<std::vector<float>> DecodeVector(std::string_view base64);

// Every field of a record; absent ids and times are null, metadata is an object.
Json RecordToJson(const MemoryRecord& record);
// The inverse, with a message naming the bad field.
Result<MemoryRecord> RecordFromJson(const Json& json);

Json ResultToJson(const SearchResult& result);
// The graph as `stratamem graph --json`, MCP memory_related and the REST
// graph routes show it (world times ISO 8601 or null).
Json EntityJson(const Entity& entity);
Json RelationJson(const Relation& relation);
Json NeighborJson(const Neighbor& neighbor);
Json StatsToJson(const StoreStats& stats);

// Compact one-line JSON; invalid UTF-8 is replaced rather than throwing.
std::string Dump(const Json& json);

}  // namespace stratamem::cli

#endif  // STRATAMEM_TOOLS_CLI_RECORD_JSON_H_
