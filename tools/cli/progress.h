// A one-line progress bar on stderr with the rate and the time left (ETA),
// drawn only when stderr is a terminal (logs and pipes get the summary alone).
#ifndef STRATAMEM_TOOLS_CLI_PROGRESS_H_
#define STRATAMEM_TOOLS_CLI_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace stratamem::cli {

class Progress {
 public:
  Progress(std::string label, int64_t total);
  // Redraws at most ~10 times a second.
  void Update(int64_t done);
  // Clears the bar (the caller prints its own summary).
  void Finish();
  double ElapsedSeconds() const;

 private:
  void Draw(int64_t done);
  std::string label_;
  int64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace stratamem::cli

#endif  // STRATAMEM_TOOLS_CLI_PROGRESS_H_
