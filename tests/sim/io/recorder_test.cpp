#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <random>

#include "io_fixture.hpp"

namespace sim::io::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(IoTest, RoundTripMetadataLevelsTimeAndEvents) {
  Model model;
  const fs::path out = file("nested/dir/run.h5");  // parent directories are created
  write_run(out, model, make_meta());
  ASSERT_TRUE(fs::exists(out));
  EXPECT_FALSE(fs::exists(fs::path(out.string() + ".partial")));

  File f = open_read_only(out.string());
  const hid_t h = f.get();
  EXPECT_EQ(root_string(h, "format_version"), "2");
  EXPECT_EQ(root_string(h, "levels"), "total,county,village");
  EXPECT_EQ(root_string(h, "model"), "transition");
  EXPECT_EQ(root_string(h, "model_version"), "0.3.1");
  EXPECT_EQ(root_string(h, "engine_version"), "0.1.0");
  EXPECT_EQ(root_string(h, "git_commit"), "abc1234");
  EXPECT_EQ(root_string(h, "scenario_name"), "baseline");
  EXPECT_EQ(root_string(h, "scenario_source"), "scenarios/baseline.yaml");
  EXPECT_EQ(root_string(h, "scenario"), make_meta().scenario_yaml);
  {
    Group root(H5Gopen2(h, "/", H5P_DEFAULT));
    EXPECT_EQ(read_attr_uint(root.get(), "seed"), 0xFEDCBA9876543210ull);
  }
  EXPECT_EQ(root_int(h, "replicate"), 2);
  EXPECT_EQ(root_int(h, "threads"), 4);
  EXPECT_EQ(root_int(h, "steps"), kSteps);
  EXPECT_EQ(root_int(h, "start_year"), kStartYear);
  EXPECT_EQ(root_int(h, "start_month"), kStartMonth);
  EXPECT_EQ(root_string(h, "command_line"), "ruralsim run baseline --threads 4");
  EXPECT_EQ(root_string(h, "started_at"), "2024-05-01T10:00:00Z");
  EXPECT_EQ(root_string(h, "ended_at"), "2024-05-01T10:05:00Z");
  EXPECT_EQ(root_int(h, "steps_written"), kSteps);
  EXPECT_EQ(root_int(h, "complete"), 1);
  EXPECT_EQ(root_string(h, "status"), "complete");

  // Time axis.
  EXPECT_EQ(dataset_shape(h, "/time/step"), (std::vector<hsize_t>{kSteps}));
  EXPECT_EQ(dataset_type(h, "/time/step"), "uint32");
  EXPECT_EQ(dataset_type(h, "/time/year"), "int32");
  EXPECT_EQ(dataset_type(h, "/time/month"), "int32");
  const auto steps = read_doubles(h, "/time/step");
  const auto years = read_doubles(h, "/time/year");
  const auto months = read_doubles(h, "/time/month");
  for (std::uint32_t s = 0; s < kSteps; ++s) {
    const StepInfo info = step_info(s, kSteps, kStartYear, kStartMonth);
    EXPECT_EQ(steps[s], s);
    EXPECT_EQ(years[s], info.year);
    EXPECT_EQ(months[s], info.month);
  }
  EXPECT_EQ(years.front(), 2021);
  EXPECT_EQ(months.front(), 7);
  EXPECT_EQ(years.back(), 2023);  // step 29 from July 2021 is December 2023
  EXPECT_EQ(months.back(), 12);
  for (const char* p : {"/time/step", "/time/year", "/time/month"}) {
    EXPECT_FALSE(dataset_attr(h, p, "units").empty()) << p;
    EXPECT_FALSE(dataset_attr(h, p, "description").empty()) << p;
  }

  // Levels: shape, type, values, attributes.
  const OutputSpec spec = make_spec();
  for (std::size_t l = 0; l < spec.levels.size(); ++l) {
    const LevelSpec& level = spec.levels[l];
    EXPECT_EQ(object_attr_int(h, "/" + level.name, "groups"), static_cast<std::int64_t>(level.groups));
    for (std::size_t i = 0; i < level.indicators.size(); ++i) {
      const std::string p = "/" + level.name + "/" + level.indicators[i].name;
      EXPECT_EQ(dataset_shape(h, p), (std::vector<hsize_t>{kSteps, level.groups})) << p;
      EXPECT_EQ(dataset_type(h, p), level.single_precision ? "float32" : "float64") << p;
      EXPECT_EQ(dataset_attr(h, p, "units"), level.indicators[i].unit) << p;
      EXPECT_EQ(dataset_attr(h, p, "description"), level.indicators[i].description) << p;
      const auto v = read_doubles(h, p);
      for (std::uint32_t s = 0; s < kSteps; ++s)
        for (std::size_t g = 0; g < level.groups; ++g)
          ASSERT_EQ(v[s * level.groups + g], level_value(l, i, g, s)) << p << " step " << s << " group " << g;
    }
  }

  // Events: in (agent, kind) order within each step, steps ascending.
  std::vector<double> want_step, want_agent, want_kind;
  for (std::uint32_t s = 0; s < kSteps; ++s) {
    auto ev = step_events(s);
    std::sort(ev.begin(), ev.end());
    for (const Event& e : ev) {
      want_step.push_back(s);
      want_agent.push_back(e.agent);
      want_kind.push_back(e.kind);
    }
  }
  ASSERT_FALSE(want_step.empty());
  EXPECT_EQ(read_doubles(h, "/events/step"), want_step);
  EXPECT_EQ(read_doubles(h, "/events/agent"), want_agent);
  EXPECT_EQ(read_doubles(h, "/events/kind"), want_kind);
  EXPECT_EQ(dataset_type(h, "/events/step"), "uint32");
  EXPECT_EQ(dataset_type(h, "/events/agent"), "uint32");
  EXPECT_EQ(dataset_type(h, "/events/kind"), "uint16");
  {
    Group ev(H5Gopen2(h, "/events", H5P_DEFAULT));
    EXPECT_EQ(read_attr_string(ev.get(), "agent_kind"), "household");
    EXPECT_EQ(read_attr_string(ev.get(), "kind_names"), "moved,split");
    EXPECT_EQ(read_attr_string(ev.get(), "kind_0"), "moved: household left its village");
    EXPECT_EQ(read_attr_string(ev.get(), "kind_1"), "split: household divided in two");
  }
  for (const char* p : {"/events/step", "/events/agent", "/events/kind"})
    EXPECT_FALSE(dataset_attr(h, p, "description").empty()) << p;
}

TEST_F(IoTest, RoundTripStaticTableAndPanel) {
  Model model;
  const fs::path out = file("run.h5");
  write_run(out, model, make_meta());
  File f = open_read_only(out.string());
  const hid_t h = f.get();

  EXPECT_EQ(read_strings(h, "/static/villages/name"), model.village_names);
  EXPECT_EQ(dataset_type(h, "/static/villages/name"), "string");
  EXPECT_EQ(dataset_type(h, "/static/villages/population"), "int32");
  const auto pop = read_doubles(h, "/static/villages/population");
  ASSERT_EQ(pop.size(), model.village_pop.size());
  for (std::size_t i = 0; i < pop.size(); ++i) EXPECT_EQ(pop[i], model.village_pop[i]);
  EXPECT_EQ(dataset_attr(h, "/static/villages/population", "units"), "persons");
  EXPECT_EQ(dataset_attr(h, "/static/villages/population", "description"), "registered residents");
  EXPECT_EQ(dataset_attr(h, "/static/villages/name", "description"), "village name");

  // Panel every 12 steps over 30 steps: after steps 11 and 23.
  const auto& agents = panel_agents();
  const hsize_t n = agents.size();
  EXPECT_EQ(read_doubles(h, "/panel/step"), (std::vector<double>{11, 23}));
  const auto ids = read_doubles(h, "/panel/agent_id");
  ASSERT_EQ(ids.size(), n);
  for (std::size_t k = 0; k < n; ++k) EXPECT_EQ(ids[k], agents[k]);
  {
    Group panel(H5Gopen2(h, "/panel", H5P_DEFAULT));
    EXPECT_EQ(read_attr_string(panel.get(), "agent_kind"), "household");
    EXPECT_EQ(read_attr_int(panel.get(), "every"), 12);
  }
  EXPECT_EQ(dataset_type(h, "/panel/members"), "uint8");
  EXPECT_EQ(dataset_type(h, "/panel/village"), "uint32");
  EXPECT_EQ(dataset_type(h, "/panel/land"), "float32");
  EXPECT_EQ(dataset_type(h, "/panel/income"), "float64");
  EXPECT_EQ(dataset_attr(h, "/panel/land", "units"), "mu");
  EXPECT_EQ(dataset_attr(h, "/panel/income", "description"), "household income of the month");
  for (const char* c : {"members", "village", "land", "income"})
    EXPECT_EQ(dataset_shape(h, std::string("/panel/") + c), (std::vector<hsize_t>{2, n})) << c;
  const auto members = read_doubles(h, "/panel/members");
  const auto village = read_doubles(h, "/panel/village");
  const auto land = read_doubles(h, "/panel/land");
  const auto income = read_doubles(h, "/panel/income");
  const std::uint32_t panel_steps[] = {11, 23};
  for (std::size_t row = 0; row < 2; ++row)
    for (std::size_t k = 0; k < n; ++k) {
      const std::uint32_t a = agents[k], s = panel_steps[row];
      EXPECT_EQ(members[row * n + k], Model::members_at(a, s));
      EXPECT_EQ(village[row * n + k], Model::village_at(a, s));
      EXPECT_EQ(land[row * n + k], Model::land_at(a, s));
      EXPECT_EQ(income[row * n + k], Model::income_at(a, s));
    }
}

TEST_F(IoTest, PanelWithSelectedColumnsOnly) {
  Model model;
  const fs::path out = file("run.h5");
  {
    Recorder rec(out, model.spec, make_meta());
    rec.set_panel(PanelSpec{&model.households, {0, 19}, 5, {"income"}});
    for (std::uint32_t s = 0; s < 12; ++s) {
      model.set_state(s);
      rec.push(model.record(s, 12));
    }
    rec.finish("t");
  }
  File f = open_read_only(out.string());
  EXPECT_EQ(read_doubles(f.get(), "/panel/step"), (std::vector<double>{4, 9}));
  EXPECT_EQ(read_doubles(f.get(), "/panel/income"),
            (std::vector<double>{Model::income_at(0, 4), Model::income_at(19, 4), Model::income_at(0, 9),
                                 Model::income_at(19, 9)}));
  EXPECT_EQ(H5Lexists(f.get(), "/panel/land", H5P_DEFAULT), 0);
}

TEST_F(IoTest, BadPanelAndTableArgumentsAreRefused) {
  Model model;
  Recorder rec(file("run.h5"), model.spec, make_meta());
  EXPECT_THROW(rec.set_panel(PanelSpec{&model.households, {3, 2}, 12, {}}), Error);        // not ascending
  EXPECT_THROW(rec.set_panel(PanelSpec{&model.households, {kHouseholds}, 12, {}}), Error);  // beyond the table
  EXPECT_THROW(rec.set_panel(PanelSpec{&model.villages, {0}, 12, {"name"}}), Error);       // string column
  EXPECT_THROW(rec.set_panel(PanelSpec{&model.households, {0}, 12, {"nope"}}), Error);
  EXPECT_THROW(rec.set_panel(PanelSpec{&model.households, {0}, 0, {}}), Error);
  rec.push(model.record(0));
  EXPECT_THROW(rec.write_table("late", model.villages), Error);  // only before the first push
  rec.abandon("interrupted", "t");
}

TEST_F(IoTest, InvalidSpecIsRefusedBeforeCreatingAFile) {
  Model model;
  OutputSpec spec = model.spec;
  spec.levels[1].name = "time";  // would collide with /time
  try {
    Recorder rec(file("run.h5"), spec, make_meta());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), Status::invalid_input);
  }
  EXPECT_FALSE(fs::exists(file("run.h5.partial")));
  spec = model.spec;
  spec.levels[0].indicators[1].name = "a/b";
  EXPECT_THROW(Recorder(file("run.h5"), spec, make_meta()), Error);
}

TEST_F(IoTest, RefusesToOverwriteAndLeavesTheOldFileUntouched) {
  Model model;
  const fs::path out = file("run.h5");
  write_run(out, model, make_meta());
  const std::string before = read_bytes(out);
  ASSERT_FALSE(before.empty());

  try {
    Recorder again(out, model.spec, make_meta());
    FAIL() << "expected output_exists";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), Status::output_exists);
    EXPECT_THAT(e.what(), HasSubstr("output '" + out.string() + "' exists; use --force to replace it"));
  }
  EXPECT_EQ(read_bytes(out), before);
  EXPECT_FALSE(fs::exists(file("run.h5.partial")));
}

TEST_F(IoTest, ForceReplacesOnlyAtFinish) {
  Model model;
  const fs::path out = file("run.h5");
  write_run(out, model, make_meta());
  const std::string before = read_bytes(out);

  RunMetadata meta = make_meta();
  meta.model_version = "0.4.0";
  RecorderOptions opt;
  opt.force = true;
  {
    Recorder rec(out, model.spec, meta, opt);
    for (std::uint32_t s = 0; s < 5; ++s) rec.push(model.record(s, 5));
    EXPECT_EQ(read_bytes(out), before) << "the old output must survive until the new one is complete";
    EXPECT_TRUE(fs::exists(rec.partial_path().string() + ".new"));  // NAME.partial after its first year
    rec.finish("t");
  }
  EXPECT_NE(read_bytes(out), before);
  EXPECT_FALSE(fs::exists(file("run.h5.partial")));
  File f = open_read_only(out.string());
  EXPECT_EQ(root_string(f.get(), "model_version"), "0.4.0");
  EXPECT_EQ(root_int(f.get(), "steps_written"), 5);

  // A forced run that is abandoned leaves the old output in place.
  const std::string second = read_bytes(out);
  {
    Recorder rec(out, model.spec, meta, opt);
    rec.push(model.record(0, 5));
    rec.abandon("interrupted", "t");
  }
  EXPECT_EQ(read_bytes(out), second);
}

TEST_F(IoTest, OldPartialIsReplaced) {
  Model model;
  const fs::path out = file("run.h5");
  { std::ofstream(file("run.h5.partial")) << "left over from a crash"; }
  write_run(out, model, make_meta(), {}, 3);
  EXPECT_TRUE(fs::exists(out));
  EXPECT_FALSE(fs::exists(file("run.h5.partial")));
}

TEST_F(IoTest, AbandonKeepsPartialMarkedIncomplete) {
  Model model;
  const fs::path out = file("run.h5");
  {
    Recorder rec(out, model.spec, make_meta());
    rec.write_table("villages", model.villages);
    for (std::uint32_t s = 0; s < 5; ++s) rec.push(model.record(s));
    rec.abandon("interrupted", "2024-05-01T10:01:00Z");
    rec.abandon("again", "x");  // no effect once closed
    EXPECT_THROW(rec.push(model.record(5)), Error);
    EXPECT_THROW(rec.finish("x"), Error);
  }
  EXPECT_FALSE(fs::exists(out));
  ASSERT_TRUE(fs::exists(file("run.h5.partial")));
  File f = open_read_only(file("run.h5.partial").string());
  EXPECT_EQ(root_int(f.get(), "complete"), 0);
  EXPECT_EQ(root_string(f.get(), "status"), "interrupted");
  EXPECT_EQ(root_int(f.get(), "steps_written"), 5);
  EXPECT_EQ(root_string(f.get(), "ended_at"), "2024-05-01T10:01:00Z");
  EXPECT_EQ(dataset_shape(f.get(), "/county/income"), (std::vector<hsize_t>{5, 3}));
}

TEST_F(IoTest, DestructorWithoutFinishMarksAborted) {
  Model model;
  {
    Recorder rec(file("run.h5"), model.spec, make_meta());
    for (std::uint32_t s = 0; s < 3; ++s) rec.push(model.record(s));
  }
  EXPECT_FALSE(fs::exists(file("run.h5")));
  File f = open_read_only(file("run.h5.partial").string());
  EXPECT_EQ(root_int(f.get(), "complete"), 0);
  EXPECT_EQ(root_string(f.get(), "status"), "aborted");
  EXPECT_EQ(root_int(f.get(), "steps_written"), 3);
  EXPECT_FALSE(root_string(f.get(), "ended_at").empty());
}

TEST_F(IoTest, RecordThatDoesNotMatchTheSpecIsRejected) {
  Model model;
  Recorder rec(file("run.h5"), model.spec, make_meta());
  StepRecord r = model.record(0);
  r.levels[1].values.pop_back();
  EXPECT_THROW(rec.push(r), Error);
  r = model.record(1);  // step 0 was not written: out of order
  EXPECT_THROW(rec.push(r), Error);
  r = model.record(0);
  r.events.push_back({0, 7});  // undeclared kind
  EXPECT_THROW(rec.push(r), Error);
  rec.push(model.record(0));
  rec.finish("t");
  File f = open_read_only(file("run.h5").string());
  EXPECT_EQ(root_int(f.get(), "steps_written"), 1);
}

// A run killed with SIGKILL while writing: no NAME, and NAME.partial never
// claims to be complete.
TEST_F(IoTest, KilledRunLeavesHonestPartial) {
  const fs::path out = file("run.h5");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    try {
      Model model;
      RecorderOptions opt;
      opt.queue_capacity = 1;
      Recorder rec(out, model.spec, make_meta(), opt);
      // With a queue of one, push(k + 2) returns only once the writer has
      // finished step k: after step 13 is queued, steps 0..11 (and the flush
      // after step 11) are on disk.
      for (std::uint32_t s = 0; s < 14; ++s) rec.push(model.record(s));
      const char ok = 'k';
      if (::write(fds[1], &ok, 1) != 1) ::_exit(3);
      for (;;) ::pause();
    } catch (...) {
      ::_exit(2);
    }
  }
  ::close(fds[1]);
  char c = 0;
  const ssize_t got = ::read(fds[0], &c, 1);
  ::close(fds[0]);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_EQ(got, 1) << "child failed before signalling";
  ASSERT_TRUE(WIFSIGNALED(status));

  EXPECT_FALSE(fs::exists(out));
  const fs::path partial = file("run.h5.partial");
  ASSERT_TRUE(fs::exists(partial));
  File f = open_read_only(partial.string());  // flushed every 12 steps: readable
  EXPECT_EQ(root_int(f.get(), "complete"), 0);
  EXPECT_EQ(root_string(f.get(), "status"), "running");
  EXPECT_GE(root_int(f.get(), "steps_written"), 12);
  EXPECT_GE(dataset_shape(f.get(), "/county/income").at(0), 12u);
  const auto income = read_doubles(f.get(), "/county/income");
  for (std::uint32_t s = 0; s < 12; ++s)
    for (std::size_t g = 0; g < 3; ++g) EXPECT_EQ(income[s * 3 + g], level_value(1, 0, g, s));
}

// Real failures inside the writer thread: a file-size limit makes HDF5's
// writes fail with EFBIG, in a child process so that the limit stays there.
// `body` gets a recorder whose writes will fail and returns the exit code.
int run_with_file_size_limit(const fs::path& out, std::size_t queue_capacity,
                             int (*body)(Recorder&, const OutputSpec&, const fs::path&)) {
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit lim{256 * 1024, 256 * 1024};
    if (::setrlimit(RLIMIT_FSIZE, &lim) != 0) ::_exit(10);
    OutputSpec spec;
    spec.levels.push_back({"big", 20000, false, {{"noise", "1", "incompressible values"}}});
    int code = 11;
    try {
      RecorderOptions opt;
      opt.queue_capacity = queue_capacity;
      Recorder rec(out, spec, make_meta(), opt);
      code = body(rec, spec, out);
    } catch (...) {
      code = 12;
    }
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

StepRecord noise_step(const OutputSpec& spec, std::uint32_t s, std::mt19937_64& rng) {
  StepRecord r;
  r.reset(spec, step_info(s, 60, 2021));
  std::uniform_real_distribution<double> u;
  for (double& v : r.levels[0].values) v = u(rng);
  return r;
}

bool is_write_error(const Error& e, const fs::path& out) {
  return e.status() == Status::io && std::string(e.what()).find(out.string() + ".partial") != std::string::npos;
}

// The error surfaces as Error(io) from push(), again from finish(), and
// finish() must not produce NAME.
TEST_F(IoTest, WriterFailureSurfacesFromPushAndFinish) {
  const fs::path out = file("run.h5");
  const int code = run_with_file_size_limit(out, 4, [](Recorder& rec, const OutputSpec& spec, const fs::path& o) {
    std::mt19937_64 rng(1);
    bool push_threw = false;
    for (std::uint32_t s = 0; s < 60 && !push_threw; ++s) {
      try {
        rec.push(noise_step(spec, s, rng));
      } catch (const Error& e) {
        if (!is_write_error(e, o)) return 4;
        push_threw = true;
      }
    }
    if (!push_threw) return 1;
    try {
      rec.finish("t");
      return 5;  // claimed success
    } catch (const Error& e) {
      return is_write_error(e, o) ? 0 : 7;
    }
  });
  EXPECT_EQ(code, 0) << "1: push never threw, 4: wrong push error, 5: finish succeeded, 7: wrong finish error, "
                        ">100: killed by a signal";
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(fs::exists(file("run.h5.partial")));
}

// With a long queue the writer may fail only while abandon() drains it: the
// error must then come from abandon(), and exactly once in all.
TEST_F(IoTest, WriterFailureIsReportedOnceEvenWhenAbandoning) {
  const fs::path out = file("run.h5");
  const int code = run_with_file_size_limit(out, 64, [](Recorder& rec, const OutputSpec& spec, const fs::path& o) {
    std::mt19937_64 rng(2);
    int reported = 0;
    for (std::uint32_t s = 0; s < 40 && reported == 0; ++s) {
      try {
        rec.push(noise_step(spec, s, rng));
      } catch (const Error& e) {
        if (!is_write_error(e, o)) return 4;
        ++reported;
      }
    }
    try {
      rec.abandon("interrupted", "t");
    } catch (const Error& e) {
      if (!is_write_error(e, o)) return 6;
      ++reported;
    }
    try {
      rec.abandon("interrupted", "t");  // closed: nothing more to report
    } catch (...) {
      return 8;
    }
    return reported == 1 ? 0 : 20 + reported;
  });
  EXPECT_EQ(code, 0) << "20: error lost, 21+: reported more than once, 4/6: wrong error, 8: second abandon threw";
  EXPECT_FALSE(fs::exists(out));
}

// finish() failing at the rename: NAME appeared (as a directory) during the run.
TEST_F(IoTest, FinishReportsRenameFailure) {
  Model model;
  const fs::path out = file("run.h5");
  Recorder rec(out, model.spec, make_meta());
  for (std::uint32_t s = 0; s < 3; ++s) rec.push(model.record(s));
  fs::create_directories(out / "blocker");
  try {
    rec.finish("t");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), Status::io);
    EXPECT_THAT(e.what(), HasSubstr(out.string()));
  }
  EXPECT_TRUE(fs::is_directory(out));
  EXPECT_TRUE(fs::exists(rec.partial_path()));
}

TEST_F(IoTest, ForceRefusesToReplaceADirectory) {
  Model model;
  fs::create_directories(file("run.h5"));
  RecorderOptions opt;
  opt.force = true;
  EXPECT_THROW(Recorder(file("run.h5"), model.spec, make_meta(), opt), Error);
}

TEST_F(IoTest, TwoRecordersOnOnePathDoNotClobberEachOther) {
  Model model;
  const fs::path out = file("run.h5");
  Recorder first(out, model.spec, make_meta());
  first.push(model.record(0));
  EXPECT_THROW(Recorder(out, model.spec, make_meta()), Error);
  first.push(model.record(1));
  first.finish("t");
  File f = open_read_only(out.string());
  EXPECT_EQ(root_int(f.get(), "steps_written"), 2);
}

// A link planted where the output or one of its temporary files goes is
// refused, with or without --force, and what it points at is left alone.
TEST_F(IoTest, SymbolicLinksAreRefusedNeverFollowed) {
  Model model;
  const fs::path out = file("run.h5");
  std::ofstream(file("victim")) << "precious";
  RecorderOptions opt;
  opt.force = true;
  for (const char* name : {"run.h5.partial", "run.h5.partial.new", "run.h5"}) {
    SCOPED_TRACE(name);
    fs::create_symlink(file("victim"), file(name));
    try {
      Recorder rec(out, model.spec, make_meta(), opt);
      for (std::uint32_t s = 0; s < 14; ++s) rec.push(model.record(s));
      rec.finish("t");
      FAIL() << "expected a refusal";
    } catch (const Error& e) {
      EXPECT_EQ(e.status(), Status::io);
      EXPECT_THAT(e.what(), HasSubstr(file(name).string() + "' is a symbolic link"));
    }
    EXPECT_EQ(read_bytes(file("victim")), "precious");
    EXPECT_TRUE(fs::is_symlink(file(name)));
    fs::remove(file(name));
    EXPECT_FALSE(fs::exists(out));
  }
}

// The sweep's plan and index are HDF5 files made under temporary names too.
TEST_F(IoTest, DataFileCreateRefusesALinkAndReplacesAFile) {
  std::ofstream(file("victim")) << "precious";
  fs::create_symlink(file("victim"), file("plan.h5"));
  try {
    DataFile::create(file("plan.h5"));
    FAIL() << "expected a refusal";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), Status::io);
    EXPECT_THAT(e.what(), HasSubstr("symbolic link"));
  }
  EXPECT_EQ(read_bytes(file("victim")), "precious");
  std::ofstream(file("old.h5")) << "stale";
  DataFile f = DataFile::create(file("old.h5"));
  f.set("/", "x", std::int64_t{1});
  f.close();
  EXPECT_EQ(DataFile::open(file("old.h5")).integer("/", "x"), 1);
}

TEST_F(IoTest, OpenReadOnlyNamesTheMissingFile) {
  try {
    open_read_only(file("missing.h5").string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), Status::io);
    EXPECT_THAT(e.what(), HasSubstr("missing.h5"));
  }
}

}  // namespace
}  // namespace sim::io::testing
