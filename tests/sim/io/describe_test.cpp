#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "io_fixture.hpp"
#include "sim/io/sha256.hpp"

namespace sim::io::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string sha(const std::string& s) {
  Sha256 h;
  h.update(s);
  return h.hex();
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // A million 'a', fed in uneven pieces to exercise the block buffer.
  Sha256 h;
  const std::string piece(997, 'a');
  std::size_t left = 1000000;
  while (left > 0) {
    const std::size_t n = std::min(left, piece.size());
    h.update(piece.data(), n);
    left -= n;
  }
  EXPECT_EQ(h.hex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_F(IoTest, ContentHashIgnoresThreadsAndTimesOnly) {
  Model m1, m2, m3, m4;
  write_run(file("a.h5"), m1, make_meta(1, "2024-05-01T10:00:00Z"), {}, kSteps, "2024-05-01T10:05:00Z");
  write_run(file("b.h5"), m2, make_meta(16, "2025-01-02T03:04:05Z"), {}, kSteps, "2025-01-02T03:09:00Z");
  const std::string a = content_hash(file("a.h5").string());
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(content_hash(file("b.h5").string()), a);
  EXPECT_NE(read_bytes(file("a.h5")), read_bytes(file("b.h5")));  // the bytes do differ

  // One village population changed.
  m3.village_pop[3] += 1;
  write_run(file("c.h5"), m3, make_meta());
  EXPECT_NE(content_hash(file("c.h5").string()), a);

  // A different seed (a stored, non-volatile attribute).
  RunMetadata meta = make_meta();
  meta.seed += 1;
  write_run(file("d.h5"), m4, meta);
  EXPECT_NE(content_hash(file("d.h5").string()), a);
}

TEST_F(IoTest, DataHashCoversDatasetsButNotMetadata) {
  Model m1, m2, m3;
  RunMetadata meta = make_meta();
  write_run(file("a.h5"), m1, meta);
  meta.seed += 1;  // metadata only: the data hash stays, the content hash moves
  meta.git_commit = "fedcba9";
  write_run(file("b.h5"), m2, meta);
  const std::string a = content_hash(file("a.h5").string(), HashScope::data);
  EXPECT_EQ(content_hash(file("b.h5").string(), HashScope::data), a);
  EXPECT_NE(content_hash(file("b.h5").string()), content_hash(file("a.h5").string()));
  EXPECT_NE(a, content_hash(file("a.h5").string()));  // a different digest, never confused with the full one

  m3.village_pop[3] += 1;  // one value of one dataset
  write_run(file("c.h5"), m3, make_meta());
  EXPECT_NE(content_hash(file("c.h5").string(), HashScope::data), a);
}

// The ensemble runner writes several outputs at once from different threads.
TEST_F(IoTest, ConcurrentRecordersWriteIdenticalContent) {
  Model serial;
  write_run(file("serial.h5"), serial, make_meta());
  const std::string want = content_hash(file("serial.h5").string());
  constexpr int kRuns = 4;
  std::vector<std::string> errors(kRuns);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRuns; ++i)
    threads.emplace_back([&, i] {
      try {
        Model model;
        RecorderOptions opt;
        opt.queue_capacity = 1 + static_cast<std::size_t>(i);
        write_run(file("run" + std::to_string(i) + ".h5"), model, make_meta(i + 1), opt);
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(i)] = e.what();
      }
    });
  for (auto& t : threads) t.join();
  for (int i = 0; i < kRuns; ++i) {
    EXPECT_EQ(errors[static_cast<std::size_t>(i)], "") << i;
    EXPECT_EQ(content_hash(file("run" + std::to_string(i) + ".h5").string()), want) << i;
  }
}

TEST_F(IoTest, ContentHashSeesOneChangedIndicatorValue) {
  Model model;
  write_run(file("a.h5"), model, make_meta());
  {
    Recorder rec(file("b.h5"), model.spec, make_meta());
    rec.write_table("villages", model.villages);
    rec.set_panel(PanelSpec{&model.households, panel_agents(), 12, {}});
    for (std::uint32_t s = 0; s < kSteps; ++s) {
      model.set_state(s);
      StepRecord r = model.record(s);
      if (s == 17) r.levels[2].at(0, 5) += 0.5;  // one float32 village value
      rec.push(r);
    }
    rec.finish("t");
  }
  EXPECT_NE(content_hash(file("a.h5").string()), content_hash(file("b.h5").string()));
}

TEST_F(IoTest, ContentHashIgnoresStorageLayout) {
  // Same values, different stored layout: equal. The hash is over content.
  Model m1, m2;
  RecorderOptions fast;
  fast.gzip_level = 1;
  RecorderOptions none;
  none.gzip_level = 0;
  write_run(file("a.h5"), m1, make_meta(), fast);
  write_run(file("b.h5"), m2, make_meta(), none);
  EXPECT_EQ(content_hash(file("a.h5").string()), content_hash(file("b.h5").string()));
}

TEST_F(IoTest, DescribeCompleteFile) {
  Model model;
  write_run(file("run.h5"), model, make_meta());
  const std::string d = describe_file(file("run.h5").string());
  EXPECT_THAT(d, HasSubstr("complete (30 steps)"));
  EXPECT_THAT(d, Not(HasSubstr("INCOMPLETE")));
  EXPECT_THAT(d, HasSubstr("transition 0.3.1"));
  EXPECT_THAT(d, HasSubstr("abc1234"));
  EXPECT_THAT(d, HasSubstr("baseline (scenarios/baseline.yaml)"));
  EXPECT_THAT(d, HasSubstr("18364758544493064720"));  // the uint64 seed, exactly
  EXPECT_THAT(d, HasSubstr("2024-05-01T10:05:00Z"));
  EXPECT_THAT(d, HasSubstr("/county/income"));
  EXPECT_THAT(d, HasSubstr("/village/share_farming"));
  EXPECT_THAT(d, HasSubstr("/static/villages/name"));
  EXPECT_THAT(d, HasSubstr("/panel/income"));
  // Last step's totals, in model order: population = 0 + 0 + 0.25 * 29.
  EXPECT_THAT(d, HasSubstr("total at step 29 (2023-12)"));
  const auto pop = d.find("population  ");
  const auto inc = d.find("income  ", d.find("total at step"));
  ASSERT_NE(pop, std::string::npos);
  ASSERT_NE(inc, std::string::npos);
  EXPECT_LT(pop, inc);
  EXPECT_THAT(d, HasSubstr("7.25  persons"));
  EXPECT_THAT(d, HasSubstr("107.25  yuan"));
}

TEST_F(IoTest, DescribePartialFileSaysIncompleteAndListsUnits) {
  Model model;
  {
    Recorder rec(file("run.h5"), model.spec, make_meta());
    for (std::uint32_t s = 0; s < 5; ++s) rec.push(model.record(s));
    rec.abandon("interrupted", "t");
  }
  const std::string d = describe_file(file("run.h5.partial").string());
  EXPECT_THAT(d, HasSubstr("INCOMPLETE (status interrupted, 5/30 steps written)"));
  // Each dataset line: path, shape, type, units.
  EXPECT_THAT(d, ::testing::ContainsRegex("/county/income +\\[5, 3\\] +float64 +yuan"));
  EXPECT_THAT(d, ::testing::ContainsRegex("/village/share_farming +\\[5, 7\\] +float32 +1"));
  EXPECT_THAT(d, ::testing::ContainsRegex("/time/step +\\[5\\] +uint32"));
  EXPECT_THAT(d, HasSubstr("total at step 4"));
}

TEST_F(IoTest, DescribeRejectsForeignAndMissingFiles) {
  const std::string foreign = file("foreign.h5").string();
  DataFile::create(foreign).close();
  try {
    describe_file(foreign);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), Status::invalid_input);
    EXPECT_THAT(e.what(), HasSubstr(foreign + " is not a ruralsim output file"));
  }
  EXPECT_THROW(content_hash(foreign), Error);

  { std::ofstream(file("text.h5")) << "not hdf5"; }
  try {
    describe_file(file("text.h5").string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), Status::io);
    EXPECT_THAT(e.what(), HasSubstr("text.h5"));
  }
  try {
    content_hash(file("missing.h5").string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), Status::io);
    EXPECT_THAT(e.what(), HasSubstr("missing.h5"));
  }
}

TEST_F(IoTest, AttributeHelpersRoundTrip) {
  const std::string path = file("attrs.h5").string();
  File f(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "create"));
  Group g = create_groups(f.get(), "/a/b/c");
  ASSERT_TRUE(g);
  write_attr(g.get(), "s", std::string("héllo"));
  write_attr(g.get(), "d", 2.5);
  write_attr(g.get(), "i", std::int64_t{-7});
  write_attr(g.get(), "u", std::uint64_t{0xFFFFFFFFFFFFFFFFull});
  write_attr(g.get(), "s", std::string("replaced, longer than before"));
  write_attr(g.get(), "i", std::string("now a string"));  // a change of type replaces the attribute
  EXPECT_EQ(read_attr_string(g.get(), "s"), "replaced, longer than before");
  EXPECT_EQ(read_attr_double(g.get(), "d"), 2.5);
  EXPECT_EQ(read_attr_string(g.get(), "i"), "now a string");
  EXPECT_EQ(read_attr_uint(g.get(), "u"), 0xFFFFFFFFFFFFFFFFull);
  EXPECT_TRUE(has_attr(g.get(), "d"));
  EXPECT_FALSE(has_attr(g.get(), "zz"));
  EXPECT_THROW(read_attr_string(g.get(), "d"), Error);
  EXPECT_THROW(read_attr_int(g.get(), "zz"), Error);
  Group again = create_groups(f.get(), "/a/b");  // existing groups are opened
  EXPECT_TRUE(again);
  EXPECT_THROW(read_doubles(f.get(), "/nope"), Error);
}

}  // namespace
}  // namespace sim::io::testing
