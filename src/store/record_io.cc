#include "store/record_io.h"

#include <bit>
#include <cstring>

#include <nlohmann/json.hpp>

namespace stratamem {

static_assert(std::endian::native == std::endian::little,
              "the vector encoding assumes a little-endian host; add byte swapping to port");

int64_t ReadRecord(const Stmt& s, MemoryRecord* r) {
  int64_t seq = s.Int(0);
  r->id = s.Text(1);
  r->content = s.Text(2);
  r->scope = static_cast<Scope>(s.Int(3));
  r->context.user_id = s.Text(4);
  r->context.session_id = s.Text(5);
  r->context.agent_id = s.Text(6);
  r->context.turn_id = s.Text(7);
  r->source_agent = s.Text(8);
  r->importance = s.Double(9);
  r->created_at = s.Int(10);
  r->updated_at = s.Int(11);
  r->content_hash = s.Text(12);
  r->metadata_json = s.Text(13);
  r->version = static_cast<int>(s.Int(14));
  r->valid_from = s.Int(15);
  r->valid_to = s.Int(16);
  r->superseded_by = s.Text(17);
  r->sources = ParseSources(s.Text(18));
  r->seen_count = static_cast<int>(s.Int(19));
  r->last_seen_at = s.Int(20);
  r->access_count = s.Int(21);
  r->last_accessed_at = s.Int(22);
  r->world_from = s.Int(23);
  r->world_to = s.Int(24);
  return seq;
}

Status ReadRecords(Stmt* stmt, std::vector<MemoryRecord>* out) {
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::OK();
    out->emplace_back();
    ReadRecord(*stmt, &out->back());
  }
}

std::vector<std::string> ParseSources(const std::string& text) {
  std::vector<std::string> out;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& x : j) {
    if (x.is_string()) out.push_back(x.get<std::string>());
  }
  return out;
}

std::string SourcesJson(const std::vector<std::string>& sources) { return nlohmann::json(sources).dump(); }

std::string EncodeVector(const std::vector<float>& v) {
  std::string out(v.size() * sizeof(float), '\0');
  std::memcpy(out.data(), v.data(), out.size());
  return out;
}

bool DecodeVector(std::string_view blob, int dimension, float* out) {
  if (blob.size() != static_cast<size_t>(dimension) * sizeof(float)) return false;
  std::memcpy(out, blob.data(), blob.size());
  return true;
}

}  // namespace stratamem
