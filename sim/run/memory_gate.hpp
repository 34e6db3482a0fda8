#pragma once
// Runs that share one process (the replicates of an ensemble, the tasks of a
// sweep, --jobs N of them at once) share its memory. Each run's model
// estimates its peak before it is built (ModelDescription::peak_memory); the
// gate starts a run only when its estimate fits beside those of the runs
// already going, within what the process may use (sim/core/memory_limit.hpp),
// so that eight jobs of a population that fits once are not killed by the
// kernel halfway: they run fewer at a time. A run that does not fit even
// alone is let through when nothing else runs, and its own check refuses it
// with the figures.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>

#include "sim/core/memory_limit.hpp"

namespace sim {

class MemoryGate {
 public:
  // `limit.usable()`: the bytes the runs may take together; `what` names the
  // runs in the note ("tasks", "replicates").
  MemoryGate(const MemoryLimit& limit, std::string what);

  // Held while a run goes; gives its bytes back when destroyed.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept;
    Ticket& operator=(Ticket&& other) noexcept;
    ~Ticket();
    bool admitted() const { return gate_ != nullptr; }

   private:
    friend class MemoryGate;
    Ticket(MemoryGate* gate, double bytes) : gate_(gate), bytes_(bytes) {}
    void release();
    MemoryGate* gate_ = nullptr;
    double bytes_ = 0;
  };

  // Waits until `bytes` (0: unknown, never waits) fit beside the runs holding
  // tickets, or until none runs. Returns a ticket that admits nothing if
  // `stop` was set while waiting. The first run that has to wait prints one
  // note on stderr with the figures.
  Ticket admit(double bytes, const std::atomic<bool>* stop = nullptr);

  // Runs holding a ticket now.
  std::size_t running() const;

 private:
  void give_back(double bytes);

  const MemoryLimit limit_;
  const std::string what_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  double in_use_ = 0;
  std::size_t running_ = 0;
  bool noted_ = false;
};

}  // namespace sim
