#include "cli/record_json.h"

#include <cstdio>
#include <cstring>

namespace stratamem::cli {
namespace {

// Howard Hinnant's civil-calendar algorithms: exact for every date, no
// dependence on the process's time zone (unlike mktime).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool ReadDigits(std::string_view text, size_t* pos, int count, int* out) {
  int value = 0;
  for (int i = 0; i < count; ++i) {
    if (*pos >= text.size() || text[*pos] < '0' || text[*pos] > '9') return false;
    value = value * 10 + (text[(*pos)++] - '0');
  }
  *out = value;
  return true;
}

bool Expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

const char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

Json IdOrNull(const std::string& id) { return id.empty() ? Json(nullptr) : Json(id); }

// Reads an optional string field: absent and null both mean "".
Status ReadString(const Json& json, const char* key, std::string* out) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return Status::OK();
  if (!it->is_string()) return Status::InvalidArgument(std::string("field '") + key + "' must be a string");
  *out = it->get<std::string>();
  return Status::OK();
}

Status ReadInt(const Json& json, const char* key, int* out) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return Status::OK();
  if (!it->is_number_integer()) return Status::InvalidArgument(std::string("field '") + key + "' must be an integer");
  *out = it->get<int>();
  return Status::OK();
}

Status ReadTime(const Json& json, const char* key, int64_t* out) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return Status::OK();
  if (it->is_number_integer()) {  // unix microseconds, for hand-written files
    *out = it->get<int64_t>();
    return Status::OK();
  }
  if (!it->is_string()) return Status::InvalidArgument(std::string("field '") + key + "' must be an ISO 8601 time");
  auto parsed = ParseTime(it->get<std::string>());
  if (!parsed.ok()) return Status::InvalidArgument(std::string("field '") + key + "': " + parsed.status().message());
  *out = *parsed;
  return Status::OK();
}

}  // namespace

std::string FormatTime(int64_t unix_micros, bool with_micros) {
  int64_t seconds = FloorDiv(unix_micros, 1000000);
  int64_t micros = unix_micros - seconds * 1000000;
  int64_t days = FloorDiv(seconds, 86400);
  int64_t secs_of_day = seconds - days * 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[64];
  int hh = static_cast<int>(secs_of_day / 3600), mm = static_cast<int>(secs_of_day / 60 % 60),
      ss = static_cast<int>(secs_of_day % 60);
  if (with_micros) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%06lldZ", static_cast<long long>(y), m, d,
                  hh, mm, ss, static_cast<long long>(micros));
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m, d, hh,
                  mm, ss);
  }
  return buf;
}

Result<int64_t> ParseTime(std::string_view text) {
  size_t pos = 0;
  int y, mo, d, h, mi, s;
  bool ok = ReadDigits(text, &pos, 4, &y) && Expect(text, &pos, '-') && ReadDigits(text, &pos, 2, &mo) &&
            Expect(text, &pos, '-') && ReadDigits(text, &pos, 2, &d) &&
            (Expect(text, &pos, 'T') || Expect(text, &pos, ' ')) && ReadDigits(text, &pos, 2, &h) &&
            Expect(text, &pos, ':') && ReadDigits(text, &pos, 2, &mi) && Expect(text, &pos, ':') &&
            ReadDigits(text, &pos, 2, &s);
  int64_t micros = 0;
  if (ok && pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) ok = false;
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  std::string_view zone = ok ? text.substr(pos) : std::string_view();
  if (!ok || !(zone == "Z" || zone == "+00:00") || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
      mi > 59 || s > 60) {
    return Status::InvalidArgument("expected an ISO 8601 UTC time like 2026-01-31T12:00:00.000000Z, got '" +
                                   std::string(text) + "'");
  }
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 86400 + h * 3600 + mi * 60 + s) * 1000000) + micros;
}

std::string EncodeVector(const std::vector<float>& vector) {
  std::string bytes;
  bytes.reserve(vector.size() * 4);
  for (float f : vector) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kBase64[(n >> 18) & 63]);
    out.push_back(kBase64[(n >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kBase64[(n >> 6) & 63] : '=');
    out.push_back(i + 2 < bytes.size() ? kBase64[n & 63] : '=');
  }
  return out;
}

Result<std::vector<float>> DecodeVector(std::string_view base64) {
  if (base64.size() % 4 != 0) return Status::InvalidArgument("vector: base64 length is not a multiple of 4");
  std::string bytes;
  for (size_t i = 0; i < base64.size(); i += 4) {
    uint32_t n = 0;
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = base64[i + k];
      int v = 0;
      if (c == '=' && i + 4 == base64.size() && k >= 2) {
        ++pad;
      } else if (pad > 0 || (v = Base64Value(c)) < 0) {
        return Status::InvalidArgument("vector: invalid base64");
      }
      n = (n << 6) | static_cast<uint32_t>(v);
    }
    bytes.push_back(static_cast<char>((n >> 16) & 0xff));
    if (pad < 2) bytes.push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) bytes.push_back(static_cast<char>(n & 0xff));
  }
  if (bytes.size() % 4 != 0) return Status::InvalidArgument("vector: byte length is not a multiple of 4");
  std::vector<float> vector(bytes.size() / 4);
  for (size_t i = 0; i < vector.size(); ++i) {
    uint32_t bits = 0;
    for (int k = 0; k < 4; ++k) bits |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i * 4 + k])) << (8 * k);
    std::memcpy(&vector[i], &bits, 4);
  }
  return vector;
}

Json RecordToJson(const MemoryRecord& record) {
  Json metadata = Json::parse(record.metadata_json, nullptr, false);
  if (metadata.is_discarded()) metadata = Json::object();
  return Json{{"id", record.id},
              {"content", record.content},
              {"scope", ScopeName(record.scope)},
              {"user_id", IdOrNull(record.context.user_id)},
              {"session_id", IdOrNull(record.context.session_id)},
              {"agent_id", IdOrNull(record.context.agent_id)},
              {"turn_id", IdOrNull(record.context.turn_id)},
              {"source_agent", IdOrNull(record.source_agent)},
              {"importance", record.importance},
              {"created_at", FormatTime(record.created_at)},
              {"updated_at", FormatTime(record.updated_at)},
              {"content_hash", record.content_hash},
              {"metadata", metadata},
              {"version", record.version},
              {"valid_from", record.valid_from == 0 ? Json(nullptr) : Json(FormatTime(record.valid_from))},
              {"valid_to", record.valid_to == 0 ? Json(nullptr) : Json(FormatTime(record.valid_to))},
              {"superseded_by", IdOrNull(record.superseded_by)},
              {"sources", record.sources},
              {"seen_count", record.seen_count},
              {"last_seen_at", record.last_seen_at == 0 ? Json(nullptr) : Json(FormatTime(record.last_seen_at))},
              {"access_count", record.access_count},
              {"last_accessed_at",
               record.last_accessed_at == 0 ? Json(nullptr) : Json(FormatTime(record.last_accessed_at))},
              {"world_from", record.world_from == 0 ? Json(nullptr) : Json(FormatTime(record.world_from))},
              {"world_to", record.world_to == 0 ? Json(nullptr) : Json(FormatTime(record.world_to))}};
}

Result<MemoryRecord> RecordFromJson(const Json& json) {
  if (!json.is_object()) return Status::InvalidArgument("expected a JSON object");
  MemoryRecord record;
  STRATAMEM_RETURN_IF_ERROR(ReadString(json, "id", &record.id));
  if (record.id.empty()) return Status::InvalidArgument("field 'id' is required");
  auto content = json.find("content");
  if (content == json.end() || !content->is_string()) {
    return Status::InvalidArgument("field 'content' must be a string");
  }
  record.content = content->get<std::string>();
  std::string scope = "user";
  STRATAMEM_RETURN_IF_ERROR(ReadString(json, "scope", &scope));
  auto parsed_scope = ParseScope(scope);
  if (!parsed_scope.ok()) return parsed_scope.status();
  record.scope = *parsed_scope;
  STRATAMEM_RETURN_IF_ERROR(ReadString(json, "user_id", &record.context.user_id));
  STRATAMEM_RETURN_IF_ERROR(ReadString(json, "session_id", &record.context.session_id));
  STRATAMEM_RETURN_IF_ERROR(ReadString(json, "agent_id", &record.context.agent_id));
  STRATAMEM_RETURN_IF_ERROR(ReadString(json, "turn_id", &record.context.turn_id));
  STRATAMEM_RETURN_IF_ERROR(ReadString(json, "source_agent", &record.source_agent));
  STRATAMEM_RETURN_IF_ERROR(ReadString(json, "content_hash", &record.content_hash));
  if (auto it = json.find("importance"); it != json.end() && !it->is_null()) {
    if (!it->is_number()) return Status::InvalidArgument("field 'importance' must be a number");
    record.importance = it->get<double>();
  }
  STRATAMEM_RETURN_IF_ERROR(ReadTime(json, "created_at", &record.created_at));
  STRATAMEM_RETURN_IF_ERROR(ReadTime(json, "updated_at", &record.updated_at));
  if (record.updated_at == 0) record.updated_at = record.created_at;
  STRATAMEM_RETURN_IF_ERROR(ReadInt(json, "version", &record.version));
  STRATAMEM_RETURN_IF_ERROR(ReadTime(json, "valid_from", &record.valid_from));
  STRATAMEM_RETURN_IF_ERROR(ReadTime(json, "valid_to", &record.valid_to));
  STRATAMEM_RETURN_IF_ERROR(ReadString(json, "superseded_by", &record.superseded_by));
  STRATAMEM_RETURN_IF_ERROR(ReadInt(json, "seen_count", &record.seen_count));
  STRATAMEM_RETURN_IF_ERROR(ReadTime(json, "last_seen_at", &record.last_seen_at));
  if (auto it = json.find("access_count"); it != json.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0) {
      return Status::InvalidArgument("field 'access_count' must be a non-negative integer");
    }
    record.access_count = it->get<int64_t>();
  }
  STRATAMEM_RETURN_IF_ERROR(ReadTime(json, "last_accessed_at", &record.last_accessed_at));
  STRATAMEM_RETURN_IF_ERROR(ReadTime(json, "world_from", &record.world_from));
  STRATAMEM_RETURN_IF_ERROR(ReadTime(json, "world_to", &record.world_to));
  if (auto it = json.find("sources"); it != json.end() && !it->is_null()) {
    if (!it->is_array()) return Status::InvalidArgument("field 'sources' must be a list of strings");
    for (const Json& source : *it) {
      if (!source.is_string()) return Status::InvalidArgument("field 'sources' must be a list of strings");
      record.sources.push_back(source.get<std::string>());
    }
  }
  if (auto it = json.find("metadata"); it != json.end() && !it->is_null()) {
    if (!it->is_object()) return Status::InvalidArgument("field 'metadata' must be a JSON object");
    record.metadata_json = Dump(*it);
  }
  return record;
}

Json ResultToJson(const SearchResult& result) {
  Json json = RecordToJson(result.record);
  json["score"] = result.score;
  json["relevance"] = result.relevance;
  json["recency"] = result.recency;
  json["access"] = result.access;
  json["explanation"] = result.explanation;
  json["vector_score"] = result.vector_score;
  json["text_score"] = result.text_score;
  json["vector_rank"] = result.vector_rank;
  json["text_rank"] = result.text_rank;
  json["graph_score"] = result.graph_score;
  json["graph_path"] = result.graph_path.empty() ? Json(nullptr) : Json(result.graph_path);
  return json;
}

// hits / (hits + misses), null before the first lookup.
Json CacheJson(int64_t hits, int64_t misses, int64_t entries) {
  int64_t lookups = hits + misses;
  return Json{{"hits", hits},
              {"misses", misses},
              {"entries", entries},
              {"hit_rate", lookups ? Json(static_cast<double>(hits) / static_cast<double>(lookups)) : Json(nullptr)}};
}

Json StatsToJson(const StoreStats& stats) {
  Json by_scope = Json::object();
  for (int i = 0; i < 4; ++i) by_scope[ScopeName(static_cast<Scope>(i))] = stats.by_scope[i];
  return Json{{"total", stats.total},
              {"by_scope", by_scope},
              {"users", stats.users},
              {"db_size_bytes", stats.db_size_bytes},
              {"dimension", stats.dimension},
              {"embedder_model", stats.embedder_model},
              {"schema_version", stats.schema_version},
              {"ann", {{"rows", stats.ann_rows},
                       {"source", stats.ann_source.empty() ? Json(nullptr) : Json(stats.ann_source)},
                       {"repaired_rows", stats.ann_repaired_rows}}},
              {"cache", {{"query", CacheJson(stats.query_cache_hits, stats.query_cache_misses,
                                             stats.query_cache_entries)},
                         {"embedding", CacheJson(stats.embed_cache_hits, stats.embed_cache_misses,
                                                 stats.embed_cache_entries)}}}};
}

std::string Dump(const Json& json) { return json.dump(-1, ' ', false, Json::error_handler_t::replace); }

Json EntityJson(const Entity& e) {
  return {{"id", e.id}, {"key", e.key}, {"name", e.name}, {"type", e.type}, {"aliases", e.aliases},
          {"memories", e.memories}};
}

Json RelationJson(const Relation& r) {
  return {{"subject", r.subject},
          {"predicate", r.predicate},
          {"object", r.object},
          {"memory_id", r.memory_id},
          {"world_from", r.world_from ? Json(FormatTime(r.world_from)) : Json(nullptr)},
          {"world_to", r.world_to ? Json(FormatTime(r.world_to)) : Json(nullptr)},
          {"superseded", r.superseded}};
}

Json NeighborJson(const Neighbor& n) {
  return {{"entity", EntityJson(n.entity)}, {"hops", n.hops}, {"score", n.score}, {"path", n.path},
          {"memory_ids", n.memory_ids}};
}

}  // namespace stratamem::cli
