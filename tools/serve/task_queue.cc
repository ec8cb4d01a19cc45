#include "serve/task_queue.h"

#include <utility>

namespace stratamem::serve {
namespace {

thread_local bool t_shedding = false;

// Shedder threads: a slow client can hold one for the read timeout, so two.
constexpr size_t kShedders = 2;
// Past this many connections waiting to be shed, the listening thread waits
// (the kernel's accept backlog then holds new connections): memory stays bounded.
constexpr size_t kMaxShedQueue = 4096;

}  // namespace

bool ShedThisRequest() { return t_shedding; }

BoundedTaskQueue::BoundedTaskQueue(size_t workers, size_t max_queue) : max_queue_(max_queue) {
  for (size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { Work(&work_, false); });
  for (size_t i = 0; i < kShedders; ++i) threads_.emplace_back([this] { Work(&shed_, true); });
}

BoundedTaskQueue::~BoundedTaskQueue() { shutdown(); }

void BoundedTaskQueue::enqueue(std::function<void()> fn) {
  std::unique_lock<std::mutex> lock(mu_);
  if (work_.jobs.size() < max_queue_) {
    work_.jobs.push_back(std::move(fn));
    work_.cv.notify_one();
    return;
  }
  // Wakes when a shedder takes a job (it notifies shed_.cv after popping).
  shed_.cv.wait(lock, [this] { return shed_.jobs.size() < kMaxShedQueue || stopping_; });
  shed_.jobs.push_back(std::move(fn));
  shed_.cv.notify_all();
}

void BoundedTaskQueue::Work(Lane* lane, bool shedding) {
  t_shedding = shedding;
  for (;;) {
    std::function<void()> fn;
    {
      std::unique_lock<std::mutex> lock(mu_);
      lane->cv.wait(lock, [&] { return !lane->jobs.empty() || stopping_; });
      if (lane->jobs.empty()) return;  // stopping, and everything queued is done
      fn = std::move(lane->jobs.front());
      lane->jobs.pop_front();
      if (shedding) lane->cv.notify_all();  // room for a waiting enqueue
    }
    try {
      fn();
    } catch (...) {
      // Handlers catch their own exceptions (server.cc); this only keeps a
      // stray one from ending the process.
    }
  }
}

void BoundedTaskQueue::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  work_.cv.notify_all();
  shed_.cv.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

}  // namespace stratamem::serve
