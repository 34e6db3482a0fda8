#include "sim/sweep/store.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "sim/io/detail.hpp"
#include "sim/io/h5.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/detail.hpp"
#include "sim/version.hpp"

namespace sim::sweep {

namespace fs = std::filesystem;
using io::check;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string read_text(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error(Status::io, "cannot read " + path.string());
  std::ostringstream o;
  o << f.rdbuf();
  return o.str();
}

std::string unique_suffix() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "host");
  return std::string(".tmp-") + host + "-" + std::to_string(::getpid());
}

// Writes `path` once: under a unique name, then hard-linked into place, which
// fails harmlessly if another process created it first.
template <class Write>
void create_once(const fs::path& path, Write write) {
  if (fs::exists(path)) return;
  const fs::path tmp = path.string() + unique_suffix();
  write(tmp);
  if (::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
    // Filesystems without hard links: a rename (the race is only between
    // writers of identical content).
    std::error_code ec;
    if (!fs::exists(path)) fs::rename(tmp, path, ec);
    if (ec) throw Error(Status::io, "cannot create " + path.string() + ": " + ec.message());
  }
  std::error_code ec;
  fs::remove(tmp, ec);
}

// ---- HDF5 tables ----------------------------------------------------------

std::pair<io::Group, std::string> parent_of(hid_t file, const std::string& path) {
  const std::size_t slash = path.rfind('/');
  const std::string parent = path.substr(0, slash);
  return {io::create_groups(file, parent.empty() ? "/" : parent), path.substr(slash + 1)};
}

io::Dataset create_dataset(hid_t file, const std::string& path, hid_t type, const std::vector<hsize_t>& dims) {
  auto [group, name] = parent_of(file, path);
  io::Dataspace space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "cannot create dataspace"));
  io::PropList props(check(H5Pcreate(H5P_DATASET_CREATE), "cannot create property list"));
  hsize_t total = 1;
  for (hsize_t d : dims) total *= d;
  // Large numeric tables are chunked and compressed; small ones contiguous.
  if (total >= 4096 && H5Tget_class(type) != H5T_STRING) {
    std::vector<hsize_t> chunk = dims;
    chunk[0] = std::min<hsize_t>(dims[0], std::max<hsize_t>(1, 65536 / std::max<hsize_t>(1, total / dims[0])));
    check(H5Pset_chunk(props.get(), static_cast<int>(chunk.size()), chunk.data()), "cannot set chunking");
    check(H5Pset_shuffle(props.get()), "cannot set shuffle");
    check(H5Pset_deflate(props.get(), 4), "cannot set compression");
  }
  return io::Dataset(check(H5Dcreate2(group.get(), name.c_str(), type, space.get(), H5P_DEFAULT, props.get(), H5P_DEFAULT),
                           "cannot create dataset '" + path + "'"));
}

std::vector<hsize_t> dims_or(std::size_t n, std::vector<hsize_t> dims) {
  return dims.empty() ? std::vector<hsize_t>{static_cast<hsize_t>(n)} : dims;
}

void write_doubles(hid_t file, const std::string& path, const std::vector<double>& v, std::vector<hsize_t> dims = {}) {
  io::Dataset d = create_dataset(file, path, H5T_IEEE_F64LE, dims_or(v.size(), dims));
  if (!v.empty()) check(H5Dwrite(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "cannot write '" + path + "'");
}

void write_ints(hid_t file, const std::string& path, const std::vector<std::int64_t>& v) {
  io::Dataset d = create_dataset(file, path, H5T_STD_I64LE, dims_or(v.size(), {}));
  if (!v.empty()) check(H5Dwrite(d.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "cannot write '" + path + "'");
}

void write_u64s(hid_t file, const std::string& path, const std::vector<std::uint64_t>& v) {
  io::Dataset d = create_dataset(file, path, H5T_STD_U64LE, dims_or(v.size(), {}));
  if (!v.empty()) check(H5Dwrite(d.get(), H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "cannot write '" + path + "'");
}

void write_strings(hid_t file, const std::string& path, const std::vector<std::string>& v, std::vector<hsize_t> dims = {}) {
  io::Datatype t = io::detail::vl_string_type();
  io::Dataset d = create_dataset(file, path, t.get(), dims_or(v.size(), dims));
  std::vector<const char*> ptrs;
  ptrs.reserve(v.size());
  for (const auto& s : v) ptrs.push_back(s.c_str());
  if (!v.empty()) check(H5Dwrite(d.get(), t.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "cannot write '" + path + "'");
}

void describe(hid_t file, const std::string& path, const std::string& description, const std::string& units = "") {
  io::Dataset d(check(H5Dopen2(file, path.c_str(), H5P_DEFAULT), "cannot open '" + path + "'"));
  io::write_attr(d.get(), "description", description);
  io::write_attr(d.get(), "units", units);
}

// Copies the root attributes of one file to another (strings and numbers).
void copy_root_attributes(hid_t from, hid_t to) {
  io::Group src(check(H5Gopen2(from, "/", H5P_DEFAULT), "cannot open root group"));
  io::Group dst(check(H5Gopen2(to, "/", H5P_DEFAULT), "cannot open root group"));
  for (const std::string& name : io::detail::attribute_names(src.get())) {
    io::Attribute a(check(H5Aopen(src.get(), name.c_str(), H5P_DEFAULT), "cannot open attribute '" + name + "'"));
    io::Datatype t(check(H5Aget_type(a.get()), "cannot read attribute type"));
    a.reset();
    switch (H5Tget_class(t.get())) {
      case H5T_STRING: io::write_attr(dst.get(), name, io::read_attr_string(src.get(), name)); break;
      case H5T_INTEGER:
        if (H5Tget_sign(t.get()) == H5T_SGN_NONE) io::write_attr(dst.get(), name, io::read_attr_uint(src.get(), name));
        else io::write_attr(dst.get(), name, io::read_attr_int(src.get(), name));
        break;
      case H5T_FLOAT: io::write_attr(dst.get(), name, io::read_attr_double(src.get(), name)); break;
      default: break;
    }
  }
}

std::vector<std::string> children(hid_t file, const std::string& group) {
  std::vector<std::string> names;
  io::Group g(check(H5Gopen2(file, group.c_str(), H5P_DEFAULT), "cannot open group '" + group + "'"));
  hsize_t idx = 0;
  check(H5Literate(g.get(), H5_INDEX_NAME, H5_ITER_INC, &idx,
                   [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
                     static_cast<std::vector<std::string>*>(data)->emplace_back(name);
                     return 0;
                   },
                   &names),
        "cannot list group '" + group + "'");
  return names;
}

std::string dataset_attr(hid_t file, const std::string& path, const std::string& name) {
  io::Dataset d(check(H5Dopen2(file, path.c_str(), H5P_DEFAULT), "cannot open '" + path + "'"));
  return io::has_attr(d.get(), name) ? io::read_attr_string(d.get(), name) : std::string();
}

void write_plan_file(const Plan& plan, const fs::path& path) {
  io::detail::quiet_errors();
  io::File f(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "cannot create " + path.string()));
  const hid_t file = f.get();
  const SweepSpec& spec = plan.spec();
  const DesignPoints& d = plan.design();
  {
    io::Group root(check(H5Gopen2(file, "/", H5P_DEFAULT), "cannot open root group"));
    const hid_t r = root.get();
    io::write_attr(r, "format", std::string("ruralsim-sweep"));
    io::write_attr(r, "format_version", std::int64_t{1});
    io::write_attr(r, "sweep_hash", plan.hash());
    io::write_attr(r, "program", plan.program());
    io::write_attr(r, "engine_version", std::string(version()));
    io::write_attr(r, "git_commit", std::string(git_commit()));
    io::write_attr(r, "sweep_file", spec.file);
    io::write_attr(r, "description", spec.description);
    io::write_attr(r, "base_name", plan.base().name());
    io::write_attr(r, "base_source", plan.base().source());
    io::write_attr(r, "base_seed", static_cast<std::uint64_t>(plan.base().integer("run.seed")));
    io::write_attr(r, "start_year", plan.base().integer("run.start_year"));
    io::write_attr(r, "design", std::string(name_of(spec.design.type)));
    io::write_attr(r, "samples", spec.design.samples);
    io::write_attr(r, "levels", spec.design.levels);
    io::write_attr(r, "trajectories", spec.design.trajectories);
    io::write_attr(r, "design_seed", spec.design.seed);
    io::write_attr(r, "replicates", static_cast<std::int64_t>(spec.replicates));
    io::write_attr(r, "seed_rule", std::string(name_of(spec.seed_rule)));
    io::write_attr(r, "parameters", static_cast<std::int64_t>(d.dims));
    io::write_attr(r, "points", static_cast<std::int64_t>(d.points));
    io::write_attr(r, "tasks", static_cast<std::int64_t>(plan.tasks()));
    io::write_attr(r, "created_at", utc_now());
    io::write_attr(r, "resolved", plan.resolved());
  }
  // Parameters.
  std::vector<std::string> key, name, type, distribution;
  std::vector<double> lo, hi, mean, sd;
  std::vector<std::int64_t> count;
  for (const auto& p : spec.parameters) {
    key.push_back(p.key);
    name.push_back(p.name);
    type.push_back(scenario::type_name(p.type));
    distribution.push_back(p.ranged ? name_of(p.distribution) : "values");
    lo.push_back(p.ranged ? p.min : kNaN);
    hi.push_back(p.ranged ? p.max : kNaN);
    mean.push_back(p.ranged && p.distribution == Distribution::normal ? p.mean : kNaN);
    sd.push_back(p.ranged && p.distribution == Distribution::normal ? p.sd : kNaN);
    count.push_back(static_cast<std::int64_t>(p.values.size()));
  }
  write_strings(file, "/parameters/key", key);
  describe(file, "/parameters/key", "Scenario key varied by each parameter");
  write_strings(file, "/parameters/name", name);
  describe(file, "/parameters/name", "Column name of each parameter");
  write_strings(file, "/parameters/type", type);
  describe(file, "/parameters/type", "Type of the scenario key");
  write_strings(file, "/parameters/distribution", distribution);
  describe(file, "/parameters/distribution", "uniform, loguniform, normal, or values (a discrete list)");
  write_doubles(file, "/parameters/min", lo);
  describe(file, "/parameters/min", "Lower end of the range (NaN for a list of values)");
  write_doubles(file, "/parameters/max", hi);
  describe(file, "/parameters/max", "Upper end of the range (NaN for a list of values)");
  write_doubles(file, "/parameters/mean", mean);
  describe(file, "/parameters/mean", "Mean of a normal distribution (NaN otherwise)");
  write_doubles(file, "/parameters/sd", sd);
  describe(file, "/parameters/sd", "Standard deviation of a normal distribution (NaN otherwise)");
  write_ints(file, "/parameters/values", count);
  describe(file, "/parameters/values", "Number of discrete values (0 for a range)");

  // Points and their layout.
  const std::vector<hsize_t> pd = {static_cast<hsize_t>(d.points), static_cast<hsize_t>(d.dims)};
  write_doubles(file, "/points/unit", d.unit, pd);
  describe(file, "/points/unit", "Unit hypercube coordinates of each point, one column per parameter", "1");
  write_strings(file, "/points/block", d.block);
  describe(file, "/points/block", "Design block: grid, list, lhs; A, B, AB (Saltelli); morris");
  write_ints(file, "/points/sample", d.sample);
  describe(file, "/points/sample", "Row of the Saltelli matrix (A, B, AB_i), Morris trajectory, or point ordinal");
  write_ints(file, "/points/factor", d.factor);
  describe(file, "/points/factor", "AB_i: i; Morris: parameter changed on reaching this point; -1 otherwise");
  write_ints(file, "/points/step", d.step);
  describe(file, "/points/step", "Morris: position within the trajectory (0..parameters); 0 otherwise");
  write_doubles(file, "/points/delta", d.delta);
  describe(file, "/points/delta", "Morris: signed change of the changed parameter in unit coordinates; 0 otherwise", "1");
  std::vector<std::string> text;
  text.reserve(d.values.size());
  for (const auto& v : d.values) text.push_back(scenario::detail::format_value(v));
  write_strings(file, "/points/text", text, pd);
  describe(file, "/points/text", "Each point's value of each parameter as YAML text");
  for (std::size_t j = 0; j < d.dims; ++j) {
    const Parameter& p = spec.parameters[j];
    const std::string column = "/points/values/" + p.name;
    const bool numeric = p.numeric() || p.type == scenario::Type::boolean;
    if (numeric) {
      std::vector<double> col(d.points);
      for (std::size_t i = 0; i < d.points; ++i) {
        const auto& v = d.value(i, j);
        if (const auto* x = std::get_if<double>(&v)) col[i] = *x;
        else if (const auto* n = std::get_if<std::int64_t>(&v)) col[i] = static_cast<double>(*n);
        else if (const auto* b = std::get_if<bool>(&v)) col[i] = *b ? 1.0 : 0.0;
      }
      write_doubles(file, column, col);
    } else {
      std::vector<std::string> col(d.points);
      for (std::size_t i = 0; i < d.points; ++i) {
        const auto& v = d.value(i, j);
        col[i] = std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : scenario::detail::format_value(v);
      }
      write_strings(file, column, col);
    }
    describe(file, column, "Value of " + p.key + " at each point");
  }

  // Tasks.
  const std::size_t n = plan.tasks();
  std::vector<std::int64_t> task(n), point(n), replicate(n);
  std::vector<std::uint64_t> seed(n);
  std::vector<std::string> file_name(n);
  for (std::size_t t = 0; t < n; ++t) {
    const Task k = plan.task(t);
    task[t] = static_cast<std::int64_t>(t);
    point[t] = static_cast<std::int64_t>(k.point);
    replicate[t] = k.replicate;
    seed[t] = k.seed;
    file_name[t] = "tasks/" + std::to_string(t) + ".h5";
  }
  write_ints(file, "/tasks/task", task);
  describe(file, "/tasks/task", "Task index: point * replicates + replicate");
  write_ints(file, "/tasks/point", point);
  describe(file, "/tasks/point", "Point of each task");
  write_ints(file, "/tasks/replicate", replicate);
  describe(file, "/tasks/replicate", "Replicate index of each task (keys its random streams with the seed)");
  write_u64s(file, "/tasks/seed", seed);
  describe(file, "/tasks/seed", "run.seed of each task");
  write_strings(file, "/tasks/file", file_name);
  describe(file, "/tasks/file", "Output file of each task, relative to the sweep folder");
  check(H5Fclose(f.release()), "cannot close " + path.string());
}

std::string hash_file_text(const Plan& plan) { return plan.hash() + "\n" + plan.program() + "\n"; }

}  // namespace

const char* name_of(TaskState s) {
  switch (s) {
    case TaskState::pending: return "pending";
    case TaskState::complete: return "complete";
    case TaskState::failed: return "failed";
  }
  return "?";
}

void write_text_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + unique_suffix();
  {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    f.flush();
    if (!f) throw Error(Status::io, "cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw Error(Status::io, "cannot write " + path.string() + ": " + ec.message());
}

bool check_folder(const Plan& plan, const Layout& layout) {
  if (!fs::exists(layout.hash_file())) {
    if (fs::exists(layout.plan()))
      throw Error(Status::invalid_input, layout.dir.string() + " holds a plan.h5 but no sweep.hash; it was not written by this program's sweeps");
    return false;
  }
  std::istringstream in(read_text(layout.hash_file()));
  std::string hash, program;
  std::getline(in, hash);
  std::getline(in, program);
  if (program != plan.program())
    throw Error(Status::invalid_input,
                layout.dir.string() + " holds the tasks of a sweep run by another program version (" + program +
                    "; this is " + plan.program() + "). Results of two versions are not mixed: run into a new folder "
                    "with -o, or delete " + layout.dir.string() + " to start again.");
  if (hash != plan.hash())
    throw Error(Status::invalid_input,
                layout.dir.string() + " holds the tasks of a different sweep (" + hash + "); " + plan.spec().file +
                    " now resolves to " + plan.hash() + ". A changed sweep is not resumed, so results of two sweeps "
                    "are never mixed: run it into a new folder with -o, or delete " + layout.dir.string() +
                    " to start again (" + layout.sweep_copy().string() + " and " + layout.resolved_file().string() +
                    " show the sweep it holds).");
  return true;
}

std::vector<std::string> prepare(const Plan& plan, const Layout& layout) {
  std::error_code ec;
  fs::create_directories(layout.tasks(), ec);
  if (ec) throw Error(Status::io, "cannot create " + layout.tasks().string() + ": " + ec.message());
  check_folder(plan, layout);
  std::vector<std::string> warnings;
  const auto write_file = [](const std::string& text) {
    return [text](const fs::path& p) {
      std::ofstream f(p, std::ios::binary);
      f << text;
      f.flush();
      if (!f) throw Error(Status::io, "cannot write " + p.string());
    };
  };
  create_once(layout.resolved_file(), write_file(plan.resolved()));
  create_once(layout.plan(), [&](const fs::path& p) { write_plan_file(plan, p); });
  // The hash last: a folder with a hash file has its plan.
  create_once(layout.hash_file(), write_file(hash_file_text(plan)));
  check_folder(plan, layout);  // another shard may have won the race with another sweep
  write_text_atomically(layout.sweep_copy(), plan.spec().text);

  io::detail::quiet_errors();
  io::File f = io::open_read_only(layout.plan().string());
  io::Group root(check(H5Gopen2(f.get(), "/", H5P_DEFAULT), "cannot open root group"));
  if (io::read_attr_string(root.get(), "sweep_hash") != plan.hash())
    throw Error(Status::invalid_input, layout.plan().string() + " belongs to another sweep; delete " + layout.dir.string());
  const std::string started_by = io::read_attr_string(root.get(), "git_commit");
  if (started_by != git_commit())
    warnings.push_back("the sweep in " + layout.dir.string() + " was started by a build of commit " + started_by +
                       ", this build is " + git_commit() + "; the program version (" + plan.program() +
                       ") is the same, so its tasks are kept");
  return warnings;
}

TaskStatus task_status(const Layout& layout, std::uint64_t task) {
  TaskStatus s;
  const fs::path file = layout.task_file(task);
  if (fs::exists(file)) {
    try {
      io::detail::quiet_errors();
      io::File f = io::open_read_only(file.string());
      io::Group root(check(H5Gopen2(f.get(), "/", H5P_DEFAULT), "cannot open root group"));
      if (io::has_attr(root.get(), "complete") && io::read_attr_int(root.get(), "complete") == 1) {
        s.state = TaskState::complete;
        return s;
      }
      s.detail = "task file not marked complete";
    } catch (const Error& e) {
      s.detail = std::string("unreadable task file: ") + e.what();
    }
    return s;
  }
  if (fs::exists(layout.failed_file(task))) {
    s.state = TaskState::failed;
    s.detail = read_text(layout.failed_file(task));
    while (!s.detail.empty() && s.detail.back() == '\n') s.detail.pop_back();
    return s;
  }
  if (fs::exists(layout.partial_file(task))) s.detail = "interrupted (partial file left)";
  return s;
}

void verify_task_file(const Plan& plan, const Layout& layout, std::uint64_t task) {
  const Task t = plan.task(task);
  const fs::path file = layout.task_file(task);
  io::detail::quiet_errors();
  io::File f = io::open_read_only(file.string());
  io::Group root(check(H5Gopen2(f.get(), "/", H5P_DEFAULT), "cannot open root group"));
  std::string why;
  if (io::read_attr_uint(root.get(), "seed") != t.seed) why = "its seed differs";
  else if (static_cast<std::uint64_t>(io::read_attr_int(root.get(), "replicate")) != t.replicate) why = "its replicate differs";
  else if (io::read_attr_string(root.get(), "scenario") != plan.scenario_for(t.point).to_yaml()) why = "its scenario differs";
  if (!why.empty())
    throw Error(Status::invalid_input, file.string() + " is not the output of task " + std::to_string(task) +
                                           " of this sweep (" + why + "); remove it, or run into a new folder");
}

double aggregate(const std::string& rule, const double* v, std::size_t n) {
  double sum = 0;
  std::size_t count = 0;
  double last = kNaN;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(v[i])) continue;
    sum += v[i];
    ++count;
    last = v[i];
  }
  if (count == 0) return kNaN;
  if (rule == "sum") return sum;
  if (rule == "last") return last;
  return sum / static_cast<double>(count);  // mean, derived
}

CollectSummary collect(const Layout& layout, const CollectOptions& options) {
  io::detail::quiet_errors();
  if (!fs::exists(layout.plan()))
    throw Error(Status::invalid_input, layout.dir.string() + " is not a sweep folder (it has no plan.h5); start one with "
                                       "`ruralsim sweep run SWEEP -o DIR` or `ruralsim sweep plan SWEEP -o DIR`");
  io::File plan = io::open_read_only(layout.plan().string());
  std::uint64_t tasks = 0;
  std::string sweep_file;
  {
    io::Group root(check(H5Gopen2(plan.get(), "/", H5P_DEFAULT), "cannot open root group"));
    tasks = static_cast<std::uint64_t>(io::read_attr_int(root.get(), "tasks"));
    sweep_file = io::read_attr_string(root.get(), "sweep_file");
  }
  std::vector<std::string> outputs = options.outputs;
  std::vector<Location> output_at;
  if (outputs.empty() && fs::exists(layout.sweep_copy())) {
    // The copy is verbatim, so line and column are the original file's.
    OutputsEntry entry = read_outputs(read_text(layout.sweep_copy()), sweep_file);
    outputs = std::move(entry.names);
    output_at = std::move(entry.at);
  }

  CollectSummary summary;
  summary.tasks = tasks;
  summary.index = layout.index();
  std::vector<std::string> status(tasks), error(tasks);
  std::vector<std::string> indicators = outputs;
  struct IndicatorMeta {
    std::string units, description, yearly;
  };
  std::vector<IndicatorMeta> meta;
  bool have_meta = false;
  // Per task: its years, and per indicator the yearly values and the period value.
  struct TaskResult {
    std::vector<std::int64_t> years;
    std::vector<std::vector<double>> yearly;  // [indicator][year]
    std::vector<double> period;
  };
  std::vector<TaskResult> results(tasks);
  std::set<std::int64_t> all_years;

  for (std::uint64_t t = 0; t < tasks; ++t) {
    TaskStatus st = task_status(layout, t);
    if (st.state == TaskState::complete) {
      std::optional<io::File> f;
      std::vector<std::string> available;
      try {
        f.emplace(io::open_read_only(layout.task_file(t).string()));
        available = children(f->get(), "/total");
      } catch (const Error& e) {
        f.reset();
        st.state = TaskState::failed;
        st.detail = std::string("cannot read the task file: ") + e.what();
      }
      if (f && !have_meta) {
        if (indicators.empty()) indicators = available;
        for (std::size_t k = 0; k < indicators.size(); ++k) {
          if (std::find(available.begin(), available.end(), indicators[k]) == available.end()) {
            const auto s = scenario::suggest(indicators[k], available);
            std::string msg = (k < output_at.size() ? output_at[k].text() : sweep_file) + ": outputs: unknown indicator '" +
                              indicators[k] + "'";
            if (!s.empty()) msg += "; did you mean '" + s.front() + "'?";
            msg += " (the total level has " + std::to_string(available.size()) + " indicators; `ruralsim info " +
                   layout.task_file(t).string() + "` lists them)";
            throw Error(Status::invalid_input, msg);
          }
          const std::string path = "/total/" + indicators[k];
          meta.push_back({dataset_attr(f->get(), path, "units"), dataset_attr(f->get(), path, "description"),
                          dataset_attr(f->get(), path, "yearly")});
          if (meta.back().yearly.empty()) meta.back().yearly = "last";
        }
        have_meta = true;
      }
      if (f) {
        try {
          const std::vector<double> year_of_step = io::read_doubles(f->get(), "/time/year");
          TaskResult& r = results[t];
          std::vector<std::pair<std::size_t, std::size_t>> spans;  // [begin, end) steps of each year
          for (std::size_t s = 0; s < year_of_step.size(); ++s) {
            const auto y = static_cast<std::int64_t>(year_of_step[s]);
            if (r.years.empty() || r.years.back() != y) {
              r.years.push_back(y);
              spans.emplace_back(s, s);
            }
            spans.back().second = s + 1;
          }
          for (std::size_t k = 0; k < indicators.size(); ++k) {
            const std::vector<double> v = io::read_doubles(f->get(), "/total/" + indicators[k]);
            if (v.size() != year_of_step.size())
              throw Error(Status::invalid_input, "/total/" + indicators[k] + " has " + std::to_string(v.size()) +
                                                     " values for " + std::to_string(year_of_step.size()) + " steps");
            std::vector<double> yearly;
            for (const auto& [b, e] : spans) yearly.push_back(aggregate(meta[k].yearly, v.data() + b, e - b));
            r.yearly.push_back(std::move(yearly));
            r.period.push_back(aggregate(meta[k].yearly, v.data(), v.size()));
          }
          all_years.insert(r.years.begin(), r.years.end());
        } catch (const Error& e) {
          st.state = TaskState::failed;
          st.detail = std::string("cannot read the task file: ") + e.what();
          results[t] = {};
        }
      }
    }
    status[t] = name_of(st.state);
    error[t] = st.detail;
    switch (st.state) {
      case TaskState::complete: ++summary.complete; break;
      case TaskState::failed:
        ++summary.failed;
        summary.failures.emplace_back(t, st.detail);
        break;
      case TaskState::pending: ++summary.pending; break;
    }
  }
  summary.indicators = indicators;

  const std::vector<std::int64_t> years(all_years.begin(), all_years.end());
  const fs::path tmp = layout.index().string() + unique_suffix();
  {
    io::File out(check(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "cannot create " + tmp.string()));
    copy_root_attributes(plan.get(), out.get());
    for (const char* group : {"parameters", "points", "tasks"})
      check(H5Ocopy(plan.get(), group, out.get(), group, H5P_DEFAULT, H5P_DEFAULT), std::string("cannot copy /") + group);
    {
      io::Group root(check(H5Gopen2(out.get(), "/", H5P_DEFAULT), "cannot open root group"));
      io::write_attr(root.get(), "collected_at", utc_now());
      io::write_attr(root.get(), "collected_by", std::string("ruralsim ") + version() + " (" + git_commit() + ")");
      io::write_attr(root.get(), "complete", static_cast<std::int64_t>(summary.complete));
      io::write_attr(root.get(), "failed", static_cast<std::int64_t>(summary.failed));
      io::write_attr(root.get(), "pending", static_cast<std::int64_t>(summary.pending));
      io::write_attr(root.get(), "outputs_requested", static_cast<std::int64_t>(outputs.empty() ? 0 : 1));
    }
    write_strings(out.get(), "/tasks/status", status);
    describe(out.get(), "/tasks/status", "pending, complete or failed (read off the task files when collected)");
    write_strings(out.get(), "/tasks/error", error);
    describe(out.get(), "/tasks/error", "Error of a failed task; for a pending one, whether a partial file is left");
    write_ints(out.get(), "/results/years", years);
    describe(out.get(), "/results/years", "Calendar years of the yearly values", "year");
    write_strings(out.get(), "/results/indicators", indicators);
    describe(out.get(), "/results/indicators", "Indicators collected from /total of each task file");
    const std::size_t ny = years.size();
    for (std::size_t k = 0; k < indicators.size(); ++k) {
      std::vector<double> yearly(tasks * ny, kNaN);
      std::vector<double> period(tasks, kNaN);
      for (std::uint64_t t = 0; t < tasks; ++t) {
        const TaskResult& r = results[t];
        if (r.yearly.empty()) continue;
        for (std::size_t y = 0; y < r.years.size(); ++y) {
          const auto at = std::lower_bound(years.begin(), years.end(), r.years[y]) - years.begin();
          yearly[t * ny + static_cast<std::size_t>(at)] = r.yearly[k][y];
        }
        period[t] = r.period[k];
      }
      const std::string base = "/results/" + indicators[k];
      const IndicatorMeta& m = meta.empty() ? IndicatorMeta{"", "", "last"} : meta[k];
      write_doubles(out.get(), base + "/yearly", yearly, {static_cast<hsize_t>(tasks), static_cast<hsize_t>(ny)});
      describe(out.get(), base + "/yearly",
               m.description + " (per task and year: " + (m.yearly == "sum" ? "sum of the months" : m.yearly == "last" ? "last month" : "mean of the months") + ")",
               m.units);
      write_doubles(out.get(), base + "/period", period);
      describe(out.get(), base + "/period",
               m.description + " (per task, whole run: " + (m.yearly == "sum" ? "sum of all months" : m.yearly == "last" ? "last month" : "mean of all months") + ")",
               m.units);
      io::Group g(check(H5Gopen2(out.get(), base.c_str(), H5P_DEFAULT), "cannot open " + base));
      io::write_attr(g.get(), "yearly", m.yearly);
      io::write_attr(g.get(), "units", m.units);
      io::write_attr(g.get(), "description", m.description);
    }
    check(H5Fclose(out.release()), "cannot close " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, layout.index(), ec);
  if (ec) throw Error(Status::io, "cannot write " + layout.index().string() + ": " + ec.message());
  return summary;
}

}  // namespace sim::sweep
