// Reads fixtures/entities/*.txt (format in that directory's README).
// Shared by extractor_test.cc and the extractor benchmark's C++ side.
#ifndef STRATAMEM_TESTS_ENTITY_CASES_H_
#define STRATAMEM_TESTS_ENTITY_CASES_H_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace stratamem::test {

struct LabelledEntity {
  std::string type, surface;
};

struct EntityCase {
  std::string file, name, text;
  std::vector<LabelledEntity> entities;
};

inline std::string Trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

inline std::vector<EntityCase> LoadEntityCases() {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(__FILE__).parent_path() / "fixtures" / "entities";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<EntityCase> cases;
  for (const fs::path& file : files) {
    std::ifstream in(file);
    std::string line;
    bool in_entities = false;
    while (std::getline(in, line)) {
      if (line.rfind("=== ", 0) == 0) {
        cases.push_back(EntityCase{file.stem().string(), line.substr(4)});
        in_entities = false;
      } else if (cases.empty() || line.empty() || line[0] == '#') {
        continue;
      } else if (line.rfind("text: ", 0) == 0) {
        cases.back().text = line.substr(6);
      } else if (line == "entities:") {
        in_entities = true;
      } else if (in_entities) {
        size_t bar = line.find('|');
        if (bar == std::string::npos) continue;
        cases.back().entities.push_back({Trimmed(line.substr(0, bar)), Trimmed(line.substr(bar + 1))});
      }
    }
  }
  return cases;
}

}  // namespace stratamem::test

#endif  // STRATAMEM_TESTS_ENTITY_CASES_H_
