// Reads fixtures/memory_blocks/cases.txt (format in that directory's README).
// Shared by memory_block_test.cc and stream_filter_test.cc.
#ifndef STRATAMEM_TESTS_MEMORY_BLOCK_CASES_H_
#define STRATAMEM_TESTS_MEMORY_BLOCK_CASES_H_

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace stratamem::test {

struct ExpectedFact {
  std::string scope, content, replaces;
  double importance = 0;
  std::string entities, relations;  // as RenderEntities / RenderRelations write them
};

// "Ann Lee (person); Acme" and "Ann Lee > works at > Acme; ...": the fixture's
// one-line form of a fact's inline graph. Templated so this header needs no
// engine types (Fact's vectors of EntityInput / RelationInput).
template <typename Entities>
std::string RenderEntities(const Entities& entities) {
  std::string out;
  for (const auto& e : entities) {
    out += (out.empty() ? "" : "; ") + e.name + (e.type.empty() ? "" : " (" + e.type + ")");
  }
  return out;
}

template <typename Relations>
std::string RenderRelations(const Relations& relations) {
  std::string out;
  for (const auto& r : relations) out += (out.empty() ? "" : "; ") + r.subject + " > " + r.predicate + " > " + r.object;
  return out;
}

struct BlockCase {
  std::string name, reply, visible;
  std::vector<ExpectedFact> facts;
  size_t min_problems = 0;
  bool unclosed = false;
};

inline std::string TrimCopy(std::string s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

inline std::vector<BlockCase> LoadBlockCases() {
  namespace fs = std::filesystem;
  std::ifstream in(fs::path(__FILE__).parent_path() / "fixtures" / "memory_blocks" / "cases.txt");
  std::vector<BlockCase> cases;
  std::string line, section;
  std::vector<std::string> reply, visible;
  auto flush = [&] {
    if (cases.empty()) return;
    auto join = [](const std::vector<std::string>& lines) {
      std::string out;
      for (size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
      return out;
    };
    cases.back().reply = join(reply);
    cases.back().visible = join(visible);
    reply.clear();
    visible.clear();
  };
  while (std::getline(in, line)) {
    if (line.rfind("=== ", 0) == 0) {
      flush();
      cases.push_back(BlockCase{line.substr(4)});
      section.clear();
    } else if (line == "reply:" || line == "visible:" || line == "facts:") {
      section = line;
    } else if (line.rfind("problems:", 0) == 0) {
      cases.back().min_problems = std::stoul(line.substr(9));
    } else if (line.rfind("unclosed:", 0) == 0) {
      cases.back().unclosed = TrimCopy(line.substr(9)) == "yes";
    } else if (section == "reply:") {
      reply.push_back(line);
    } else if (section == "visible:") {
      visible.push_back(line);
    } else if (section == "facts:" && line.rfind("+ entities:", 0) == 0) {
      cases.back().facts.back().entities = TrimCopy(line.substr(11));
    } else if (section == "facts:" && line.rfind("+ relations:", 0) == 0) {
      cases.back().facts.back().relations = TrimCopy(line.substr(12));
    } else if (section == "facts:" && !TrimCopy(line).empty()) {
      std::vector<std::string> parts;
      std::stringstream ss(line);
      for (std::string part; std::getline(ss, part, '|');) parts.push_back(TrimCopy(part));
      ExpectedFact f{parts.at(0), parts.at(2), parts.size() > 3 ? parts[3] : ""};
      f.importance = std::stod(parts.at(1));
      cases.back().facts.push_back(f);
    }
  }
  flush();
  return cases;
}

}  // namespace stratamem::test

#endif  // STRATAMEM_TESTS_MEMORY_BLOCK_CASES_H_
