#include "cli/errors.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace stratamem::cli {
namespace {

// Keeps the stderr message on one line whatever the engine put in it.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

int Report(const char* code_name, int exit_code, const std::string& message, bool json) {
  std::string line = OneLine(message);
  std::fprintf(stderr, "stratamem: error: %s\n", line.c_str());
  if (json) {
    nlohmann::json out = {{"error", {{"code", code_name}, {"exit_code", exit_code}, {"message", line}}}};
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  }
  std::fflush(stdout);
  return exit_code;
}

}  // namespace

int ExitCodeFor(Status::Code code) {
  if (code == Status::Code::kOk) return kExitOk;
  return 2 + static_cast<int>(code);
}

int ReportError(const Status& status, bool json) {
  return Report(Status::CodeName(status.code()), ExitCodeFor(status.code()), status.message(), json);
}

int ReportError(Status::Code code, const std::string& message, bool json) {
  return Report(Status::CodeName(code), ExitCodeFor(code), message, json);
}

int ReportUsageError(const std::string& message, bool json) {
  return Report("Usage", kExitUsage, message, json);
}

void Warn(const std::string& message) {
  std::fprintf(stderr, "stratamem: warning: %s\n", OneLine(message).c_str());
}

}  // namespace stratamem::cli
