// How the CLI reports failure: one line on stderr, a documented exit code, and
// with --json the same error as a JSON object on stdout (see docs/cli.md).
#ifndef STRATAMEM_TOOLS_CLI_ERRORS_H_
#define STRATAMEM_TOOLS_CLI_ERRORS_H_

#include <string>

#include "stratamem/status.h"

namespace stratamem::cli {

// Exit codes. Engine errors map to 2 + Status::Code, so each Status class has
// its own code and scripts can tell "unknown id" from "corrupted file".
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;  // bad or missing options/arguments
int ExitCodeFor(Status::Code code);

// Prints `stratamem: error: <message>` (one line) to stderr and, when `json`
// is set, {"error": {"code", "exit_code", "message"}} to stdout. Returns the exit code.
int ReportError(const Status& status, bool json);
int ReportError(Status::Code code, const std::string& message, bool json);
int ReportUsageError(const std::string& message, bool json);

// Prints `stratamem: warning: <message>` to stderr.
void Warn(const std::string& message);

}  // namespace stratamem::cli

#endif  // STRATAMEM_TOOLS_CLI_ERRORS_H_
