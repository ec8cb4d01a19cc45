#include "embed/zip_reader.h"

#include <zlib.h>

#include <cstdint>
#include <cstring>

namespace stratamem::embed {
namespace {

constexpr uint32_t kEndSig = 0x06054b50;      // end of central directory
constexpr uint32_t kCentralSig = 0x02014b50;  // central directory file header
constexpr uint32_t kLocalSig = 0x04034b50;    // local file header

uint16_t U16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) | static_cast<uint8_t>(b[at + 1]) << 8);
}
uint32_t U32(std::string_view b, size_t at) {
  return static_cast<uint32_t>(U16(b, at)) | static_cast<uint32_t>(U16(b, at + 2)) << 16;
}

struct Entry {
  std::string name;
  uint16_t flags = 0, method = 0;
  uint32_t crc = 0, compressed = 0, size = 0, local_offset = 0;
};

Status ReadCentral(std::string_view zip, std::vector<Entry>* entries) {
  if (zip.size() < 22) return Status::Corruption("not a zip archive (too short)");
  // The end record is in the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
  size_t end = std::string_view::npos;
  const size_t lowest = zip.size() > 65557 ? zip.size() - 65557 : 0;
  for (size_t at = zip.size() - 22 + 1; at-- > lowest;) {
    if (U32(zip, at) == kEndSig) {
      end = at;
      break;
    }
  }
  if (end == std::string_view::npos) return Status::Corruption("not a zip archive (no end record)");
  const uint16_t count = U16(zip, end + 10);
  const uint32_t dir_size = U32(zip, end + 12), dir_offset = U32(zip, end + 16);
  if (count == 0xffff || dir_offset == 0xffffffff) {
    return Status::NotSupported("zip64 archives are not supported");
  }
  if (static_cast<uint64_t>(dir_offset) + dir_size > end) {
    return Status::Corruption("zip central directory lies outside the archive");
  }
  size_t at = dir_offset;
  for (uint16_t i = 0; i < count; ++i) {
    if (at + 46 > end || U32(zip, at) != kCentralSig) {
      return Status::Corruption("damaged zip central directory");
    }
    Entry e;
    e.flags = U16(zip, at + 8);
    e.method = U16(zip, at + 10);
    e.crc = U32(zip, at + 16);
    e.compressed = U32(zip, at + 20);
    e.size = U32(zip, at + 24);
    const uint16_t name_len = U16(zip, at + 28), extra_len = U16(zip, at + 30),
                   comment_len = U16(zip, at + 32);
    e.local_offset = U32(zip, at + 42);
    if (at + 46 + name_len > end) return Status::Corruption("damaged zip central directory");
    e.name.assign(zip.substr(at + 46, name_len));
    entries->push_back(std::move(e));
    at += 46 + static_cast<size_t>(name_len) + extra_len + comment_len;
  }
  return Status::OK();
}

Status Inflate(std::string_view in, std::string* out) {
  z_stream z;
  std::memset(&z, 0, sizeof(z));
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return Status::Internal("zlib inflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out->data());
  z.avail_out = static_cast<uInt>(out->size());
  const int rc = inflate(&z, Z_FINISH);
  const bool complete = rc == Z_STREAM_END && z.avail_out == 0;
  inflateEnd(&z);
  if (!complete) return Status::Corruption("zip entry does not inflate to its recorded size");
  return Status::OK();
}

}  // namespace

Result<std::vector<std::string>> ZipEntryNames(std::string_view zip) {
  std::vector<Entry> entries;
  STRATAMEM_RETURN_IF_ERROR(ReadCentral(zip, &entries));
  std::vector<std::string> names;
  for (auto& e : entries) names.push_back(std::move(e.name));
  return names;
}

Result<std::string> ZipExtract(std::string_view zip, const std::string& name) {
  std::vector<Entry> entries;
  STRATAMEM_RETURN_IF_ERROR(ReadCentral(zip, &entries));
  for (const Entry& e : entries) {
    if (e.name != name) continue;
    if (e.flags & 1) return Status::NotSupported("zip entry " + name + " is encrypted");
    if (e.compressed == 0xffffffff || e.size == 0xffffffff) {
      return Status::NotSupported("zip64 entries are not supported");
    }
    const size_t at = e.local_offset;
    if (at + 30 > zip.size() || U32(zip, at) != kLocalSig) {
      return Status::Corruption("zip entry " + name + ": bad local header");
    }
    const size_t data = at + 30 + U16(zip, at + 26) + U16(zip, at + 28);
    if (data + e.compressed > zip.size()) {
      return Status::Corruption("zip entry " + name + " runs past the end of the archive");
    }
    std::string out(e.size, '\0');
    const std::string_view body = zip.substr(data, e.compressed);
    if (e.method == 0) {
      if (e.compressed != e.size) return Status::Corruption("zip entry " + name + ": bad sizes");
      std::memcpy(out.data(), body.data(), body.size());
    } else if (e.method == 8) {
      Status st = Inflate(body, &out);
      if (!st.ok()) return Status::Corruption("zip entry " + name + ": " + st.message());
    } else {
      return Status::NotSupported("zip entry " + name + ": compression method " +
                                  std::to_string(e.method) + " is not supported");
    }
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(out.data()),
                            static_cast<uInt>(out.size()));
    if (crc != e.crc) return Status::Corruption("zip entry " + name + ": CRC-32 mismatch");
    return out;
  }
  return Status::NotFound("the archive has no entry " + name);
}

}  // namespace stratamem::embed
