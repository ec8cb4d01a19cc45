// Reading memory rows and encoding vectors as stored (docs/format.md).
#ifndef STRATAMEM_STORE_RECORD_IO_H_
#define STRATAMEM_STORE_RECORD_IO_H_

#include <string>
#include <string_view>
#include <vector>

#include "stratamem/record.h"
#include "store/sqlite_db.h"

namespace stratamem {

// The columns ReadRecord expects, in order, for a query over `memories m`.
inline constexpr const char* kRecordColumns =
    "m.seq, m.id, m.content, m.scope, m.user_id, m.session_id, m.agent_id, m.turn_id, "
    "m.source_agent, m.importance, m.created_at, m.updated_at, m.content_hash, m.metadata, "
    "m.version, m.valid_from, coalesce(m.valid_to, 0), m.superseded_by, m.sources, m.seen_count, "
    "m.last_seen_at, m.access_count, m.last_accessed_at, coalesce(m.world_from, 0), coalesce(m.world_to, 0)";

// Only current versions.
inline constexpr const char* kCurrentSql = "m.valid_to IS NULL";

// Reads kRecordColumns starting at column 0; returns the row's seq.
int64_t ReadRecord(const Stmt& stmt, MemoryRecord* out);
// Steps `stmt` to the end, appending every row (kRecordColumns) to *out.
Status ReadRecords(Stmt* stmt, std::vector<MemoryRecord>* out);

// Vectors are stored as little-endian IEEE-754 float32 (the host order on every
// platform stratamem builds for; a static_assert guards it).
// JSON array text of agent names <-> vector.
std::vector<std::string> ParseSources(const std::string& json);
std::string SourcesJson(const std::vector<std::string>& sources);

std::string EncodeVector(const std::vector<float>& v);
bool DecodeVector(std::string_view blob, int dimension, float* out);

}  // namespace stratamem

#endif  // STRATAMEM_STORE_RECORD_IO_H_
