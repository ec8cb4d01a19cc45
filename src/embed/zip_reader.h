// Reading one entry of a zip archive (a Maven .jar): the central directory is
// parsed, the entry inflated with zlib and checked against its CRC-32.
// Stored (0) and deflated (8) entries; no zip64, no encryption (a .jar of a
// few hundred MB needs neither).
#ifndef STRATAMEM_EMBED_ZIP_READER_H_
#define STRATAMEM_EMBED_ZIP_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "stratamem/status.h"

namespace stratamem::embed {

// The names of the archive's entries. Corruption when `zip` is not a zip.
Result<std::vector<std::string>> ZipEntryNames(std::string_view zip);

// The bytes of entry `name`: NotFound when absent, Corruption when the
// archive is damaged (bad offsets, CRC mismatch), NotSupported for zip64,
// encryption or methods other than stored / deflated.
Result<std::string> ZipExtract(std::string_view zip, const std::string& name);

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_ZIP_READER_H_
