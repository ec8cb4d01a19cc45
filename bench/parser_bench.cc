// Parser linearity (issue 9): seconds per MB of the <memory> parser
// (ParseReply, whole reply) and the streaming filter (64-byte pieces, as SSE
// deltas come) on adversarial reply families at 64 KiB, 1 MiB and 8 MiB.
// Linear code shows about the same time per MB at every size; before the fix
// 64k open braces took 3.3 s and 1 MiB did not finish.
//
//   build/cmake/bench/parser_bench [out.json]   (default bench/results/parser.json)
//
// Best of 3 per cell. Prints the load average with the table.
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/stream_filter.h"

namespace {

using stratamem::protocol::ParseReply;
using stratamem::protocol::StreamFilter;

std::string Repeat(const std::string& prefix, const std::string& unit, size_t size) {
  std::string out = prefix;
  while (out.size() + unit.size() <= size) out += unit;
  return out;
}

double BestSeconds(const std::function<void()>& fn) {
  double best = 1e30;
  for (int i = 0; i < 3; ++i) {
    auto start = std::chrono::steady_clock::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::pair<const char*, size_t>> sizes = {{"64 KiB", 64u << 10}, {"1 MiB", 1u << 20}, {"8 MiB", 8u << 20}};
  const std::vector<std::pair<const char*, std::function<std::string(size_t)>>> families = {
      {"open braces", [](size_t n) { return Repeat("<memory>", "{", n); }},
      {"empty blocks", [](size_t n) { return Repeat("", "<memory></memory>", n); }},
      {"nested objects", [](size_t n) { return Repeat("<memory>", "{\"a\":", n); }},
      {"string list", [](size_t n) { return Repeat("<memory>[", "\"a\",", n); }},
      {"plain lines", [](size_t n) { return Repeat("<memory>", "- fact\n", n); }},
      {"tag starts", [](size_t n) { return Repeat("", "<memor", n); }},
      {"close-tag starts", [](size_t n) { return Repeat("<memory>", "</memor", n); }},
      {"prose + block", [](size_t n) { return Repeat("", "The answer is 42. ", n) + "<memory>{\"memories\":[{\"content\":\"x\"}]}</memory>"; }},
  };
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  std::printf("parser linearity, seconds per MB (best of 3); load average %.2f %.2f %.2f\n", load[0], load[1], load[2]);
  std::printf("%-18s", "family");
  for (const auto& [label, size] : sizes) std::printf("  parse %-7s stream %-7s", label, label);
  std::printf("\n");
  std::string json = "{\"load_average\": [" + std::to_string(load[0]) + ", " + std::to_string(load[1]) + ", " +
                     std::to_string(load[2]) + "], \"rows\": [";
  for (size_t f = 0; f < families.size(); ++f) {
    const auto& [name, make] = families[f];
    std::printf("%-18s", name);
    json += std::string(f ? ", " : "") + "{\"family\": \"" + name + "\"";
    for (const auto& [label, size] : sizes) {
      std::string reply = make(size);
      double mb = static_cast<double>(reply.size()) / (1 << 20);
      double parse = BestSeconds([&] { ParseReply(reply); }) / mb;
      double stream = BestSeconds([&] {
        StreamFilter filter;
        for (size_t at = 0; at < reply.size(); at += 64) filter.Feed(std::string_view(reply).substr(at, 64));
        filter.Finish();
      }) / mb;
      std::printf("  %13.4f %14.4f", parse, stream);
      json += std::string(", \"") + label + "\": {\"parse_s_per_mb\": " + std::to_string(parse) +
              ", \"stream_s_per_mb\": " + std::to_string(stream) + "}";
    }
    std::printf("\n");
    json += "}";
  }
  json += "]}\n";
  std::string out = argc > 1 ? argv[1] : "bench/results/parser.json";
  std::ofstream(out) << json;
  std::printf("wrote %s\n", out.c_str());
  return 0;
}
