#pragma once
// Counter-based random streams (Random123 Philox4x32-10).
//
// A stream is a pure function of (seed, replicate, agent id, step, purpose):
// no generator state is carried between steps or shared between agents, so
// the numbers an agent sees cannot depend on thread count, scheduling or on
// how many draws other agents made. The 128-bit counter is laid out as
//   word 0: draw index within the stream
//   word 1: agent id
//   word 2: step (high 16 bits) and purpose (low 16 bits)
//   word 3: replicate
// and the 64-bit key is the seed, so distinct tuples never share a counter.
#include <array>
#include <cstdint>

#include <Random123/philox.h>

namespace sim::rng {

using Philox = r123::Philox4x32_R<10>;

// Returns Philox4x32-10 of (counter, key), exposed for known-answer tests.
inline std::array<std::uint32_t, 4> philox4x32_10(std::array<std::uint32_t, 4> counter,
                                                  std::array<std::uint32_t, 2> key) {
  Philox::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
  Philox::key_type k = {{key[0], key[1]}};
  const Philox::ctr_type r = Philox{}(c, k);
  return {r[0], r[1], r[2], r[3]};
}

struct StreamId {
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  std::uint32_t agent = 0;
  std::uint16_t step = 0;
  std::uint16_t purpose = 0;
};

class Stream {
 public:
  explicit Stream(const StreamId& id)
      : key_{{static_cast<std::uint32_t>(id.seed), static_cast<std::uint32_t>(id.seed >> 32)}},
        ctr_{{0u, id.agent, (std::uint32_t{id.step} << 16) | id.purpose, id.replicate}} {}

  std::uint32_t next_u32() {
    if (pos_ == 4) refill();
    return block_[pos_++];
  }

  std::uint64_t next_u64() {
    const std::uint64_t hi = next_u32();
    return (hi << 32) | next_u32();
  }

  // Uniform on the open interval (0, 1) with 53 random bits.
  double uniform() { return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53; }

  // Uniform on (0, 1) from a single 32-bit word: half the cost, enough
  // resolution (2^-32) for Bernoulli trials on probabilities.
  double uniform32() { return (static_cast<double>(next_u32()) + 0.5) * 0x1.0p-32; }

 private:
  void refill() {
    block_ = Philox{}(ctr_, key_);
    ++ctr_[0];
    pos_ = 0;
  }

  Philox::key_type key_;
  Philox::ctr_type ctr_;
  Philox::ctr_type block_{};
  unsigned pos_ = 4;
};

}  // namespace sim::rng
