#include "sim/run/memory_gate.hpp"

#include <chrono>
#include <cstdio>
#include <utility>

namespace sim {

MemoryGate::MemoryGate(const MemoryLimit& limit, std::string what) : limit_(limit), what_(std::move(what)) {}

MemoryGate::Ticket::Ticket(Ticket&& other) noexcept
    : gate_(std::exchange(other.gate_, nullptr)), bytes_(std::exchange(other.bytes_, 0.0)) {}

MemoryGate::Ticket& MemoryGate::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    release();
    gate_ = std::exchange(other.gate_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0.0);
  }
  return *this;
}

MemoryGate::Ticket::~Ticket() { release(); }

void MemoryGate::Ticket::release() {
  if (gate_) gate_->give_back(bytes_);
  gate_ = nullptr;
  bytes_ = 0;
}

MemoryGate::Ticket MemoryGate::admit(double bytes, const std::atomic<bool>* stop) {
  if (!(bytes > 0)) bytes = 0;
  std::unique_lock lock(mutex_);
  const auto fits = [&] { return running_ == 0 || in_use_ + bytes <= limit_.usable(); };
  if (!fits() && !noted_) {
    noted_ = true;
    std::fprintf(stderr,
                 "note: memory: the next of the %s needs about %s beside %zu running (about %s together); this process "
                 "may use %s (%s), so fewer of them run at once than --jobs asks\n",
                 what_.c_str(), format_bytes(bytes).c_str(), running_, format_bytes(in_use_).c_str(),
                 format_bytes(limit_.bytes).c_str(), limit_.what.c_str());
    std::fflush(stderr);
  }
  // A signal handler sets `stop` without notifying: look at it now and then.
  while (!fits()) {
    if (stop && stop->load()) return {};
    freed_.wait_for(lock, std::chrono::milliseconds(100));
  }
  in_use_ += bytes;
  ++running_;
  return Ticket(this, bytes);
}

void MemoryGate::give_back(double bytes) {
  {
    std::lock_guard lock(mutex_);
    in_use_ -= bytes;
    --running_;
    if (running_ == 0) in_use_ = 0;  // no rounding left over
  }
  freed_.notify_all();
}

std::size_t MemoryGate::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

}  // namespace sim
