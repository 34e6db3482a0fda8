// Philox4x32-10 against the known-answer vectors published with Random123
// (kat_vectors, "philox4x32 10"), and the stream layout built on it.
#include <gtest/gtest.h>

#include <set>

#include "sim/rng/stream.hpp"

namespace {

using sim::rng::philox4x32_10;
using Words = std::array<std::uint32_t, 4>;

TEST(Philox, KnownAnswerZero) {
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}), (Words{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
}

TEST(Philox, KnownAnswerAllOnes) {
  EXPECT_EQ(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
            (Words{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
}

TEST(Philox, KnownAnswerPi) {
  EXPECT_EQ(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
            (Words{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(Stream, FirstBlockIsPhiloxOfTheDocumentedCounterLayout) {
  const sim::rng::StreamId id{0x0123456789abcdefULL, 7, 42, 13, 5};
  sim::rng::Stream s(id);
  const Words expected = philox4x32_10({0, 42, (13u << 16) | 5u, 7}, {0x89abcdef, 0x01234567});
  for (std::uint32_t w : expected) EXPECT_EQ(s.next_u32(), w);
  // The fifth word comes from the next counter (draw index 1).
  EXPECT_EQ(s.next_u32(), philox4x32_10({1, 42, (13u << 16) | 5u, 7}, {0x89abcdef, 0x01234567})[0]);
}

TEST(Stream, EveryKeyComponentChangesTheNumbers) {
  const sim::rng::StreamId base{99, 1, 2, 3, 4};
  auto first = [](sim::rng::StreamId id) { return sim::rng::Stream(id).next_u64(); };
  std::set<std::uint64_t> seen = {first(base)};
  auto vary = base;
  vary.seed = 100;
  seen.insert(first(vary));
  vary = base;
  vary.replicate = 2;
  seen.insert(first(vary));
  vary = base;
  vary.agent = 3;
  seen.insert(first(vary));
  vary = base;
  vary.step = 4;
  seen.insert(first(vary));
  vary = base;
  vary.purpose = 5;
  seen.insert(first(vary));
  EXPECT_EQ(seen.size(), 6u);
  EXPECT_EQ(first(base), first(base));  // and it is a pure function of the key
}

TEST(Stream, UniformStaysInsideTheOpenInterval) {
  sim::rng::Stream s({1, 0, 0, 0, 0});
  for (int i = 0; i < 100000; ++i) {
    const double u = s.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    const double v = s.uniform32();
    ASSERT_GT(v, 0.0);
    ASSERT_LT(v, 1.0);
  }
}

}  // namespace
