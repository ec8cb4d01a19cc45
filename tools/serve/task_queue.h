// The server's worker pool with a bounded queue, so overload is answered
// quickly instead of piling up: a connection accepted while `max_queue`
// others already wait for a worker is handed to a shedder thread instead,
// which answers its first request 503 with Retry-After and closes it (the
// pre-routing handler asks ShedThisRequest()). The shedder reads only the
// request line and headers, so shedding costs microseconds a connection.
//
// Thread-safety: enqueue() is called by the listening thread, shutdown() once
// at the end; everything else is internal.
#ifndef STRATAMEM_TOOLS_SERVE_TASK_QUEUE_H_
#define STRATAMEM_TOOLS_SERVE_TASK_QUEUE_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

namespace stratamem::serve {

// True on a shedder thread: the request it is reading must get 503.
bool ShedThisRequest();

class BoundedTaskQueue : public httplib::TaskQueue {
 public:
  BoundedTaskQueue(size_t workers, size_t max_queue);
  ~BoundedTaskQueue() override;
  BoundedTaskQueue(const BoundedTaskQueue&) = delete;
  BoundedTaskQueue& operator=(const BoundedTaskQueue&) = delete;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

 private:
  struct Lane {
    std::deque<std::function<void()>> jobs;
    std::condition_variable cv;
  };
  void Work(Lane* lane, bool shedding);

  const size_t max_queue_;
  std::mutex mu_;
  Lane work_;           // guarded by mu_
  Lane shed_;           // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace stratamem::serve

#endif  // STRATAMEM_TOOLS_SERVE_TASK_QUEUE_H_
