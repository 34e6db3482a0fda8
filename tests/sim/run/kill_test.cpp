// A run killed with SIGKILL at any moment. A kill lands between two of the
// output's writes, so the run is killed before each of its writes in turn (a
// preloaded library counts them: tests/sim/run/kill_at_write.c). Whatever is
// left must be no NAME.partial at all (killed before its first year was on
// disk) or a NAME.partial that opens and whose every dataset reads back, up to
// steps_written, exactly as the complete run wrote it.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/io/h5.hpp"
#include "sim/io/h5_internal.hpp"
#include "support/program.hpp"

namespace {

namespace fs = std::filesystem;
using testing_support::Result;

// A small run with two year-end flushes, events and a panel.
constexpr const char* kRun =
    "run -q --set run.months=30 --set toy.walkers=300 --set toy.move_chance=0.2 --set output.panel.fraction=0.1";

class KillAtAnyWrite : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ruralsim-kill-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // toysim with the write counter preloaded; `kill_at` 0: never killed.
  Result run(const std::string& args, long kill_at, const std::string& count_to = "") {
    std::string env = "ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD='" + std::string(KILL_AT_WRITE_LIB) + "'";
    if (kill_at > 0) env += " RURALSIM_KILL_AT_WRITE=" + std::to_string(kill_at);
    if (!count_to.empty()) env += " RURALSIM_COUNT_WRITES_TO='" + count_to + "'";
    return testing_support::shell(env + " '" + std::string(TOY_BINARY) + "' " + args, dir_);
  }
  fs::path dir_;
};

// The first `rows` rows of a dataset, as native bytes.
std::vector<unsigned char> read_rows(hid_t file, const std::string& path, hsize_t rows) {
  using namespace sim::io;
  Dataset d(check(H5Dopen2(file, path.c_str(), H5P_DEFAULT), "cannot open '" + path + "'"));
  Dataspace space(check(H5Dget_space(d.get()), "cannot read the shape of '" + path + "'"));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  if (rank < 1 || dims[0] < rows)
    throw sim::Error(sim::Status::invalid_input, "'" + path + "' has fewer than " + std::to_string(rows) + " rows");
  Datatype type(check(H5Dget_type(d.get()), "cannot read the type of '" + path + "'"));
  if (H5Tget_class(type.get()) == H5T_STRING) {  // the static tables' names: whole
    std::vector<unsigned char> out;
    for (const std::string& v : read_strings(file, path)) out.insert(out.end(), v.c_str(), v.c_str() + v.size() + 1);
    return out;
  }
  Datatype native(check(H5Tget_native_type(type.get(), H5T_DIR_ASCEND), "cannot map the type of '" + path + "'"));
  std::vector<hsize_t> start(dims.size(), 0), count = dims;
  count[0] = rows;
  hsize_t elements = 1;
  for (hsize_t c : count) elements *= c;
  std::vector<unsigned char> out(static_cast<std::size_t>(elements) * H5Tget_size(native.get()));
  if (elements == 0) return out;
  check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
        "cannot select rows of '" + path + "'");
  Dataspace memory(check(H5Screate_simple(rank, count.data(), nullptr), "cannot create a dataspace"));
  check(H5Dread(d.get(), native.get(), memory.get(), space.get(), H5P_DEFAULT, out.data()),
        "cannot read '" + path + "'");
  return out;
}

// "" when every dataset of `partial` reads back as in `complete` up to its
// steps_written, else what failed.
std::string check_partial(const fs::path& partial, const fs::path& complete) {
  using namespace sim::io;
  try {
    const File p = open_read_only(partial.string());
    const File c = open_read_only(complete.string());
    const auto steps = static_cast<hsize_t>(read_attr_int(p.get(), "steps_written"));
    // Killed between marking the file complete and renaming it: it is.
    if (read_attr_int(p.get(), "complete") != 0 && static_cast<std::int64_t>(steps) != read_attr_int(p.get(), "steps"))
      return "claims to be complete after " + std::to_string(steps) + " steps";
    std::vector<std::string> levels;
    std::string list = read_attr_string(c.get(), "levels");
    for (std::size_t at = 0; at != std::string::npos;) {
      const std::size_t comma = list.find(',', at);
      levels.push_back(list.substr(at, comma == std::string::npos ? std::string::npos : comma - at));
      at = comma == std::string::npos ? comma : comma + 1;
    }
    Group panel(check(H5Gopen2(c.get(), "/panel", H5P_DEFAULT), "cannot open /panel"));
    const auto every = static_cast<hsize_t>(read_attr_int(panel.get(), "every"));
    const std::vector<double> event_steps = read_doubles(c.get(), "/events/step");
    hsize_t events = 0;
    while (events < event_steps.size() && event_steps[events] < static_cast<double>(steps)) ++events;

    const auto expected = detail::list_objects(c.get());
    const auto found = detail::list_objects(p.get());
    if (found.size() != expected.size()) return "holds " + std::to_string(found.size()) + " objects, not " +
                                                std::to_string(expected.size());
    for (const auto& e : expected) {
      if (!e.dataset) continue;
      const std::string top = e.path.substr(1, e.path.find('/', 1) - 1);
      hsize_t rows = dataset_shape(c.get(), e.path).at(0);  // static tables and the panel's ids: whole
      if (top == "time" || std::find(levels.begin(), levels.end(), top) != levels.end()) rows = steps;
      else if (top == "events") rows = events;
      else if (top == "panel" && e.path != "/panel/agent_id") rows = steps / every;
      if (read_rows(p.get(), e.path, rows) != read_rows(c.get(), e.path, rows))
        return e.path + " differs in its first " + std::to_string(rows) + " rows";
    }
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

TEST_F(KillAtAnyWrite, EveryDatasetReadsBackUpToStepsWritten) {
  ASSERT_EQ(run(std::string(kRun) + " -o complete.h5", 0, (dir_ / "writes").string()).code, 0);
  long writes = 0;
  std::ifstream(dir_ / "writes") >> writes;
  ASSERT_GT(writes, 100) << "the write counter did not see the run's writes";

  int published = 0;
  for (long n = 1; n <= writes; ++n) {
    for (const char* f : {"out.h5", "out.h5.partial", "out.h5.partial.new"}) fs::remove(dir_ / f);
    const Result r = run(std::string(kRun) + " -o out.h5", n);
    ASSERT_EQ(r.code, 128 + 9) << "write " << n << ": not killed\n" << r.output;
    ASSERT_FALSE(fs::exists(dir_ / "out.h5")) << "write " << n;
    if (!fs::exists(dir_ / "out.h5.partial")) continue;
    ++published;
    const std::string problem = check_partial(dir_ / "out.h5.partial", dir_ / "complete.h5");
    EXPECT_EQ(problem, "") << "killed before write " << n << " of " << writes;
    if (!problem.empty()) break;
  }
  EXPECT_GT(published, writes / 2);
}

// A run killed while its file was still being made leaves NAME.partial.new;
// the next run replaces it.
TEST_F(KillAtAnyWrite, LeftoverFromAKillDuringSetUpIsReplaced) {
  ASSERT_EQ(run(std::string(kRun) + " -o out.h5", 3).code, 128 + 9);
  EXPECT_FALSE(fs::exists(dir_ / "out.h5.partial"));
  ASSERT_TRUE(fs::exists(dir_ / "out.h5.partial.new"));
  const Result r = run(std::string(kRun) + " -o out.h5", 0);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(fs::exists(dir_ / "out.h5"));
  EXPECT_FALSE(fs::exists(dir_ / "out.h5.partial.new"));
}

}  // namespace
