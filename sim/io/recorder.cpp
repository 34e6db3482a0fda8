#include "sim/io/recorder.hpp"

#include <fcntl.h>
#include <oneapi/tbb/concurrent_queue.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <limits>
#include <optional>
#include <thread>

#include "sim/io/h5_internal.hpp"
#include "sim/io/h5.hpp"
#include "sim/io/safe_files.hpp"

// One recorder never calls HDF5 from two threads at once: the caller thread
// until the first push(), then the writer until it is joined. Several
// recorders (or a recorder and `info`) in one process rely on HDF5's
// thread-safe build, which Debian's libhdf5 is (H5_HAVE_THREADSAFE).
namespace sim::io {
namespace fs = std::filesystem;

namespace {

constexpr hsize_t kChunkBytes = hsize_t{1} << 20;
// Flushing costs a metadata write-out; once a simulated year bounds what a
// killed run can lose without slowing the writer down.
constexpr hsize_t kFlushEvery = 12;
// What survives a SIGKILL at any moment (tests/sim/run/kill_test.cpp kills a
// run before each of its writes in turn). HDF5 1.10 makes no promise for a
// file whose writer dies, so the recorder arranges one:
// - No compressed chunk is written twice. HDF5 writes a compressed chunk
//   whose size changed to new space and frees the old (reused at once)
//   before the index pointing at it reaches the disk, so a rewritten chunk
//   could leave the index pointing at other bytes ("inflate() failed"). The
//   rows of every chunk of a dataset that grows along time end at a flush
//   (its rows divide kFlushEvery; the panel's likewise), and the events,
//   whose count per year is not known, are stored uncompressed (an
//   unfiltered chunk is rewritten in place).
// - steps_written is written only after the flush that put its rows on disk.
// - The file is built as NAME.partial.new and appears as NAME.partial only
//   after its first flush and claim; no chunk index is ever created (see
//   make_dataset) or split (see creation_properties) afterwards.
// - EoaGuard keeps the end-of-allocation address on disk ahead of the
//   metadata that HDF5 writes before its superblock.
constexpr hsize_t kTimeChunk = kFlushEvery;
constexpr hsize_t kEventChunk = 16384;
constexpr hsize_t kEventChunkMax = hsize_t{1} << 22;
const char* const kReserved[] = {"time", "static", "panel", "events"};

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void require_name(const std::string& s, const std::string& what) {
  if (s.empty() || s == "." || s == ".." || s.find('/') != std::string::npos)
    throw Error(Status::invalid_input, what + " '" + s + "' cannot be an HDF5 name (empty, '.', '..' or containing '/')");
}

// Chunk of a [T, n] dataset that grows one row per step: up to `rows` rows (a
// divisor of kFlushEvery, so that a chunk is complete at a flush) and at most
// ~1 MiB, so that a chunk is compressed in one piece once its year is
// complete and reading one column over time touches few chunks.
std::array<hsize_t, 2> chunk_2d(hsize_t n, std::size_t elem, hsize_t rows) {
  const hsize_t row = std::max<hsize_t>(1, n * elem);
  hsize_t t = std::clamp<hsize_t>(kChunkBytes / row, 1, rows);
  while (rows % t != 0) --t;
  const hsize_t g = std::clamp<hsize_t>(kChunkBytes / (t * elem), 1, std::max<hsize_t>(n, 1));
  return {t, g};
}

struct DatasetSpec {
  hid_t type = H5I_INVALID_HID;
  std::vector<hsize_t> dims, maxdims, chunk;  // chunk empty: contiguous, no filters
  int gzip = 0;
  std::size_t cache_bytes = 0;  // 0: HDF5's default chunk cache
  std::size_t cache_slots = 521;
  std::optional<std::uint32_t> fill;  // fill value of a uint32 dataset (default 0)
};

// A dataset with its path, kept for error messages.
struct Series {
  Dataset ds;
  std::string path;
};

Group make_group(hid_t parent, const std::string& name, const std::string& path) {
  // Creation order lets readers list indicators and columns in model order.
  PropList gcpl(check(H5Pcreate(H5P_GROUP_CREATE), "cannot create property list"));
  check(H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "cannot set link creation order");
  return Group(check(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT),
                     "cannot create group '" + path + "'"));
}

Series make_dataset(hid_t loc, const std::string& name, const std::string& path, const DatasetSpec& s,
                    const std::string& units, const std::string& description) {
  const int rank = static_cast<int>(s.dims.size());
  Dataspace space(check(H5Screate_simple(rank, s.dims.data(), s.maxdims.data()), "cannot create dataspace for '" + path + "'"));
  PropList dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "cannot create property list"));
  if (!s.chunk.empty()) {
    check(H5Pset_chunk(dcpl.get(), rank, s.chunk.data()), "cannot set chunks of '" + path + "'");
    if (s.gzip > 0) {
      check(H5Pset_shuffle(dcpl.get()), "cannot set shuffle filter on '" + path + "'");
      check(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(s.gzip)), "cannot set deflate filter on '" + path + "'");
    }
  }
  if (s.fill) check(H5Pset_fill_value(dcpl.get(), H5T_NATIVE_UINT32, &*s.fill), "cannot set fill value of '" + path + "'");
  PropList dapl(check(H5Pcreate(H5P_DATASET_ACCESS), "cannot create property list"));
  // w0 = 1: chunks that are fully written are evicted first.
  if (s.cache_bytes > 0)
    check(H5Pset_chunk_cache(dapl.get(), s.cache_slots, s.cache_bytes, 1.0), "cannot set chunk cache of '" + path + "'");
  Series out{Dataset(check(H5Dcreate2(loc, name.c_str(), s.type, space.get(), H5P_DEFAULT, dcpl.get(), dapl.get()),
                           "cannot create dataset '" + path + "'")),
             path};
  write_attr(out.ds.get(), "units", units);
  write_attr(out.ds.get(), "description", description);
  if (rank > 0 && s.maxdims[0] == H5S_UNLIMITED) {
    // HDF5 creates a chunk index with a dataset's first chunk, and a run
    // killed while flushing it could leave the dataset pointing at an index
    // not yet written. One placeholder chunk, written directly and dropped
    // again, has the (empty) index on disk before the file is published.
    std::vector<hsize_t> dims = s.dims, offset(s.dims.size(), 0);
    dims[0] = 1;
    check(H5Dset_extent(out.ds.get(), dims.data()), "cannot extend '" + path + "'");
    const unsigned char placeholder = 0;
    check(H5Dwrite_chunk(out.ds.get(), H5P_DEFAULT, 0, offset.data(), 1, &placeholder),
          "cannot create the chunk index of '" + path + "'");
    check(H5Dset_extent(out.ds.get(), s.dims.data()), "cannot shrink '" + path + "'");
  }
  return out;
}

// A [0, n] dataset growing along time with the chunking of chunk_2d.
DatasetSpec growing_2d(hid_t type, hsize_t n, std::size_t elem, int gzip, hsize_t rows = kTimeChunk) {
  const auto c = chunk_2d(n, elem, rows);
  DatasetSpec s;
  s.type = type;
  s.dims = {0, n};
  s.maxdims = {H5S_UNLIMITED, n};
  s.chunk = {c[0], c[1]};
  s.gzip = gzip;
  // Room for every chunk a row touches (plus one) so that a partly filled
  // chunk is not compressed, evicted and re-read at every step.
  const hsize_t per_row = (n + c[1] - 1) / c[1];
  s.cache_bytes = static_cast<std::size_t>(std::max(kChunkBytes, (per_row + 1) * c[0] * c[1] * elem));
  s.cache_slots = per_row > 50 ? 10007 : 521;
  return s;
}

DatasetSpec growing_1d(hid_t type, hsize_t chunk, int gzip) {
  DatasetSpec s;
  s.type = type;
  s.dims = {0};
  s.maxdims = {H5S_UNLIMITED};
  s.chunk = {chunk};
  s.gzip = gzip;
  return s;
}

DatasetSpec fixed_1d(hid_t type, hsize_t n, std::size_t elem, int gzip) {
  DatasetSpec s;
  s.type = type;
  s.dims = {n};
  s.maxdims = {n};
  if (n > 0) s.chunk = {std::clamp<hsize_t>(kChunkBytes / elem, 1, n)};  // HDF5 cannot chunk an empty fixed extent
  s.gzip = gzip;
  return s;
}

// Appends `rows` rows (cols == 0: a 1-D dataset) at row `at`.
void append(const Series& s, hsize_t at, hsize_t rows, hsize_t cols, hid_t mem, const void* data) {
  const int rank = cols == 0 ? 1 : 2;
  const hsize_t dims[2] = {at + rows, cols};
  check(H5Dset_extent(s.ds.get(), dims), "cannot extend '" + s.path + "'");
  Dataspace file(check(H5Dget_space(s.ds.get()), "cannot get dataspace of '" + s.path + "'"));
  const hsize_t start[2] = {at, 0};
  const hsize_t count[2] = {rows, cols};
  check(H5Sselect_hyperslab(file.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), "cannot select rows of '" + s.path + "'");
  Dataspace memory(check(H5Screate_simple(rank, count, nullptr), "cannot create dataspace"));
  check(H5Dwrite(s.ds.get(), mem, memory.get(), file.get(), H5P_DEFAULT, data), "cannot write '" + s.path + "'");
}

// HDF5 holds an exclusive flock() on a file open for writing, but
// H5F_ACC_TRUNC truncates before it takes the lock: test the lock first so
// that a second run on the same output cannot wipe the first one's file.
bool locked(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  const bool busy = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return busy;
}

void refuse_if_locked(const fs::path& p) {
  if (locked(p)) throw Error(Status::io, "'" + p.string() + "' is being written by another run; not replacing it");
}

// HDF5 writes a flush's metadata (chunk indexes, new object header space)
// before the superblock whose end-of-allocation address (EOA) covers it, and
// refuses to read anything past that address: a run killed during a flush
// would leave a file that does not open ("addr overflow"). The guard keeps the
// EOA recorded on disk ahead of what the writer can allocate before HDF5
// next writes the superblock itself, extending the file (sparse) to match,
// so that the file opens at any moment. It patches one field of the version
// 0/1 superblock (HDF5 file format specification, section II.A) and does
// nothing for a file it does not recognise. The tail is trimmed at the end.
class EoaGuard {
 public:
  void attach(const fs::path& p) {
    fd_ = ::open(p.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd_ < 0) return;
    unsigned char sb[48] = {};
    static const unsigned char signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    if (::pread(fd_, sb, sizeof sb, 0) != static_cast<ssize_t>(sizeof sb) || std::memcmp(sb, signature, 8) != 0 ||
        sb[8] > 1 || sb[13] != 8 || sb[14] != 8) {
      detach();
      return;
    }
    offset_ = sb[8] == 0 ? 40 : 44;  // after the base and free-space addresses
    if (read_field(sb[8] == 0 ? 24 : 28) != 0) detach();  // a base address other than 0: not ours
  }
  void detach() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  ~EoaGuard() { detach(); }

  // The EOA on disk becomes at least `needed`; the file is extended first,
  // so that it is never shorter than its superblock says.
  void raise(std::uint64_t needed) {
    if (fd_ < 0) return;
    const std::uint64_t on_disk = read_field(offset_);
    if (on_disk >= needed) return;
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return;
    if (static_cast<std::uint64_t>(st.st_size) < needed && ::ftruncate(fd_, static_cast<off_t>(needed)) != 0) return;
    unsigned char v[8];
    for (int i = 0; i < 8; ++i) v[i] = static_cast<unsigned char>(needed >> (8 * i));
    if (::pwrite(fd_, v, 8, offset_) != 8) return;
  }

  // After a failed write-out (a full disk), HDF5 may have written a
  // superblock whose EOA lies past the end of the file, which then does not
  // open ("truncated file"): the file is extended to it or, where it cannot
  // grow (a file-size limit), the EOA brought back to the file's end. What
  // lay beyond was never counted by steps_written.
  void repair() {
    if (fd_ < 0) return;
    const std::uint64_t eoa = read_field(offset_);
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || static_cast<std::uint64_t>(st.st_size) >= eoa) return;
    if (::ftruncate(fd_, static_cast<off_t>(eoa)) == 0) return;
    unsigned char v[8];
    for (int i = 0; i < 8; ++i) v[i] = static_cast<unsigned char>(static_cast<std::uint64_t>(st.st_size) >> (8 * i));
    if (::pwrite(fd_, v, 8, offset_) != 8) return;
  }

  // After the file is closed: its length as the superblock says.
  void trim() {
    if (fd_ < 0) return;
    const std::uint64_t eoa = read_field(offset_);
    struct stat st {};
    if (eoa > 0 && ::fstat(fd_, &st) == 0 && static_cast<std::uint64_t>(st.st_size) > eoa)
      if (::ftruncate(fd_, static_cast<off_t>(eoa)) != 0) return;
  }

 private:
  std::uint64_t read_field(off_t at) const {
    unsigned char v[8] = {};
    if (::pread(fd_, v, 8, at) != 8) return 0;
    std::uint64_t x = 0;
    for (int i = 7; i >= 0; --i) x = (x << 8) | v[i];
    return x;
  }
  int fd_ = -1;
  off_t offset_ = 0;
};

struct LevelOut {
  Group group;
  std::vector<Series> indicators;
  std::size_t groups = 0;
  bool single = false;
};

struct PanelColumn {
  const ColumnRef* column = nullptr;
  std::size_t elem = 0;
  hid_t mem = H5I_INVALID_HID;
  Series series;
};

struct Item {
  bool stop = false;
  // Not a step: work to do on the writer thread once the steps before it
  // are written (a checkpoint), reporting through `done`.
  std::function<void()> job;
  std::shared_ptr<std::promise<void>> done;
  StepRecord record;
  std::vector<std::vector<unsigned char>> panel;  // one buffer per panel column, on panel steps
};

}  // namespace

struct Recorder::Impl {
  // The file is built as NAME.partial.new and renamed to NAME.partial once it
  // is complete enough to be read (flushed with its static tables), so that a
  // NAME.partial left by a killed run always opens.
  fs::path path, partial, creating;
  bool published = false;
  bool marked = false;  // the file on disk says how the run ended
  OutputSpec spec;
  RunMetadata meta;
  RecorderOptions options;

  // HDF5 objects: used by the caller thread until the writer starts, then by
  // the writer only, until it has been joined.
  File file;
  Group root;
  Series t_step, t_year, t_month;
  std::vector<LevelOut> levels;
  Group events;
  Series ev_step, ev_agent, ev_kind;
  hsize_t ev_count = 0;
  std::vector<std::uint32_t> pending_steps, pending_agents;  // events not yet written
  std::vector<std::uint16_t> pending_kinds;
  std::optional<PanelSpec> panel;
  Group panel_group;
  std::vector<PanelColumn> panel_columns;
  Series panel_step, panel_agents;
  hsize_t panel_rows = 0;
  Group static_root;
  std::vector<Group> static_groups;
  std::vector<Series> static_columns;
  std::vector<std::string> static_names;
  hsize_t steps_written = 0;
  std::vector<float> floats;
  EoaGuard eoa;
  std::uint64_t bytes_since_flush = 0;  // handed to HDF5 since the last flush, uncompressed

  // Caller-thread state.
  std::uint32_t next_step = 0;
  bool done = false;

  tbb::concurrent_bounded_queue<Item> queue;
  std::thread writer;
  std::atomic<bool> failed{false};
  std::exception_ptr error;  // written by the writer before `failed` is set
  bool error_reported = false;  // rethrown by push() or finish() at least once

  std::string where() const { return "'" + partial.string() + "'"; }

  void validate_spec() const {
    for (std::size_t l = 0; l < spec.levels.size(); ++l) {
      const LevelSpec& level = spec.levels[l];
      require_name(level.name, "level");
      for (const char* r : kReserved)
        if (level.name == r) throw Error(Status::invalid_input, "level name '" + level.name + "' is reserved");
      for (std::size_t k = 0; k < l; ++k)
        if (spec.levels[k].name == level.name) throw Error(Status::invalid_input, "level '" + level.name + "' declared twice");
      if (level.groups == 0) throw Error(Status::invalid_input, "level '" + level.name + "' has no groups");
      for (std::size_t i = 0; i < level.indicators.size(); ++i) {
        require_name(level.indicators[i].name, "indicator");
        for (std::size_t k = 0; k < i; ++k)
          if (level.indicators[k].name == level.indicators[i].name)
            throw Error(Status::invalid_input,
                        "indicator '" + level.indicators[i].name + "' declared twice in level '" + level.name + "'");
      }
    }
    if (spec.event_kinds.size() > 65536) throw Error(Status::invalid_input, "more than 65536 event kinds");
    if (options.gzip_level < 0 || options.gzip_level > 9)
      throw Error(Status::invalid_input, "compression level " + std::to_string(options.gzip_level) + " is not in 0..9");
  }

  // A chunk index (a version 1 B-tree) that fills up splits, and a kill can
  // catch the split half-written: its nodes are made large enough for every
  // chunk a dataset will have (HDF5's default of 64 serves runs of up to 64
  // years; the event datasets are sized to need few, see create_events).
  PropList creation_properties() const {
    PropList fcpl(check(H5Pcreate(H5P_FILE_CREATE), "cannot create property list"));
    const hsize_t steps = std::max<hsize_t>(meta.steps, 1);
    hsize_t chunks = (steps + 4) / 5;  // the panel's, at worst one snapshot every 5 steps
    for (const LevelSpec& l : spec.levels) {
      const auto c = chunk_2d(l.groups, l.single_precision ? 4 : 8, kTimeChunk);
      chunks = std::max(chunks, (steps + c[0] - 1) / c[0] * ((l.groups + c[1] - 1) / c[1]));
    }
    if (chunks > 64)
      check(H5Pset_istore_k(fcpl.get(), static_cast<unsigned>(std::min<hsize_t>(chunks / 2 + 8, 32767))),
            "cannot size the chunk indexes of " + where());
    return fcpl;
  }

  void create() {
    // Exclusive: never through a link planted after the checks, never over
    // another process's file.
    file = File(check(H5Fcreate(creating.c_str(), H5F_ACC_EXCL, creation_properties().get(), H5P_DEFAULT),
                      "cannot create '" + creating.string() + "'"));
    root = Group(check(H5Gopen2(file.get(), "/", H5P_DEFAULT), "cannot open root group of " + where()));
    const hid_t r = root.get();
    write_attr(r, "format_version", std::string("2"));
    write_attr(r, "model", meta.model);
    write_attr(r, "model_version", meta.model_version);
    if (!meta.model_description.empty()) write_attr(r, "model_description", meta.model_description);
    write_attr(r, "engine_version", meta.engine_version);
    write_attr(r, "git_commit", meta.git_commit);
    write_attr(r, "scenario_name", meta.scenario_name);
    write_attr(r, "scenario_source", meta.scenario_source);
    write_attr(r, "scenario", meta.scenario_yaml);
    write_attr(r, "seed", meta.seed);
    write_attr(r, "replicate", std::int64_t{meta.replicate});
    write_attr(r, "threads", std::int64_t{meta.threads});
    write_attr(r, "steps", std::int64_t{meta.steps});
    write_attr(r, "start_year", std::int64_t{meta.start_year});
    write_attr(r, "start_month", std::int64_t{meta.start_month});
    write_attr(r, "command_line", meta.command_line);
    write_attr(r, "started_at", meta.started_at);
    std::string level_names;
    for (const LevelSpec& l : spec.levels) level_names += (level_names.empty() ? "" : ",") + l.name;
    write_attr(r, "levels", level_names);
    write_attr(r, "steps_written", std::int64_t{0});
    write_attr(r, "complete", std::int64_t{0});
    write_attr(r, "status", std::string("running"));
    // Room in the root's header for the ended_at written at the end, so that
    // closing changes the header in place rather than growing it into new
    // space that a kill could leave unwritten.
    write_attr(r, "ended_at", meta.started_at);
    check(H5Adelete(r, "ended_at"), "cannot write " + where());

    const int gz = options.gzip_level;
    Group time = make_group(r, "time", "/time");
    t_step = make_dataset(time.get(), "step", "/time/step", growing_1d(H5T_STD_U32LE, kTimeChunk, gz), "1",
                          "0-based step (month) index of each row");
    t_year = make_dataset(time.get(), "year", "/time/year", growing_1d(H5T_STD_I32LE, kTimeChunk, gz), "year",
                          "calendar year of each step");
    t_month = make_dataset(time.get(), "month", "/time/month", growing_1d(H5T_STD_I32LE, kTimeChunk, gz), "month",
                           "calendar month of each step, 1..12");

    for (const LevelSpec& level : spec.levels) {
      LevelOut out;
      out.groups = level.groups;
      out.single = level.single_precision;
      out.group = make_group(r, level.name, "/" + level.name);
      write_attr(out.group.get(), "groups", static_cast<std::int64_t>(level.groups));
      const std::size_t elem = level.single_precision ? 4 : 8;
      const hid_t type = level.single_precision ? H5T_IEEE_F32LE : H5T_IEEE_F64LE;
      for (const IndicatorSpec& ind : level.indicators) {
        out.indicators.push_back(make_dataset(out.group.get(), ind.name, "/" + level.name + "/" + ind.name,
                                              growing_2d(type, level.groups, elem, gz), ind.unit, ind.description));
        write_attr(out.indicators.back().ds.get(), "yearly", ind.yearly);
        if (!ind.formula.empty()) write_attr(out.indicators.back().ds.get(), "formula", ind.formula);
      }
      levels.push_back(std::move(out));
    }

    events = make_group(r, "events", "/events");
    write_attr(events.get(), "agent_kind", spec.event_agent_kind);
    std::string names;
    for (std::size_t k = 0; k < spec.event_kinds.size(); ++k) {
      names += (k ? "," : "") + spec.event_kinds[k].name;
      write_attr(events.get(), "kind_" + std::to_string(k),
                 spec.event_kinds[k].name + ": " + spec.event_kinds[k].description);
    }
    write_attr(events.get(), "kind_names", names);
    // Room in the global heap (where string attributes keep their text) for
    // the status and ended_at written at the end: a string made and deleted
    // leaves a collection with free space, so that marking a run that failed
    // on a full disk needs no new space.
    write_attr(r, "spare", std::string(3000, ' '));
    check(H5Adelete(r, "spare"), "cannot write " + where());
    // The event datasets follow at the first flush (create_events).
    check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "cannot flush " + where());
  }

  // The event datasets, uncompressed (see kTimeChunk), made when the first
  // year's events are written, before the file is published: their chunk
  // size follows the events seen so far, so that a run keeps to about 16
  // chunks of each and never splits the chunk index, whose split a kill could
  // catch half-written. An event that a killed run's index counts but whose
  // data never reached the disk reads as step 2^32 - 1, never as one of the
  // steps_written steps.
  void create_events() {
    if (ev_step.ds) return;
    const std::uint64_t seen = pending_steps.size();
    const std::uint64_t expected = seen * std::max<std::uint64_t>(meta.steps, 1) / std::max<hsize_t>(steps_written, 1);
    hsize_t chunk = kEventChunk;
    while (chunk < expected / 16 && chunk < kEventChunkMax) chunk *= 2;
    DatasetSpec ev_steps = growing_1d(H5T_STD_U32LE, chunk, 0);
    ev_steps.fill = std::numeric_limits<std::uint32_t>::max();
    ev_step = make_dataset(events.get(), "step", "/events/step", ev_steps, "1", "step at which the event happened");
    ev_agent = make_dataset(events.get(), "agent", "/events/agent", growing_1d(H5T_STD_U32LE, chunk, 0), "",
                            "id of the " + (spec.event_agent_kind.empty() ? std::string("agent") : spec.event_agent_kind) +
                                " the event happened to");
    ev_kind = make_dataset(events.get(), "kind", "/events/kind", growing_1d(H5T_STD_U16LE, chunk, 0), "",
                           "event kind code; see the kind_<code> attributes of /events");
  }

  // Before HDF5 calls that may allocate file space for `bytes` of data (as
  // compressed chunks, at most a little more) and write it out with the
  // indexes, headers and full event chunks that go with it.
  void guard_eoa(std::uint64_t bytes) {
    haddr_t now = 0;
    if (H5Fget_eoa(file.get(), &now) < 0) {
      H5Eclear2(H5E_DEFAULT);
      return;
    }
    std::uint64_t datasets = 8 + panel_columns.size();
    for (const LevelOut& l : levels) datasets += l.indicators.size();
    eoa.raise(now + 2 * bytes + 16384 * datasets + 2 * 10 * kEventChunk + (std::uint64_t{1} << 20));
  }

  void write_step(Item& item) {
    StepRecord& rec = item.record;
    const hsize_t t = steps_written;
    std::uint64_t bytes = 12 + 10 * rec.events.size();
    for (const LevelOut& l : levels) bytes += l.groups * l.indicators.size() * (l.single ? 4 : 8);
    for (std::size_t c = 0; c < item.panel.size(); ++c) bytes += item.panel[c].size() + 4;
    bytes_since_flush += bytes;
    guard_eoa(bytes_since_flush);
    const std::int32_t year = rec.info.year;
    const std::int32_t month = rec.info.month;
    append(t_step, t, 1, 0, H5T_NATIVE_UINT32, &rec.info.step);
    append(t_year, t, 1, 0, H5T_NATIVE_INT32, &year);
    append(t_month, t, 1, 0, H5T_NATIVE_INT32, &month);
    for (std::size_t l = 0; l < levels.size(); ++l) {
      const LevelOut& out = levels[l];
      const LevelFrame& frame = rec.levels[l];
      for (std::size_t i = 0; i < out.indicators.size(); ++i) {
        const double* row = frame.values.data() + i * out.groups;
        if (out.single) {
          // Our own conversion, so overflow gives inf rather than HDF5's clipping.
          floats.resize(out.groups);
          for (std::size_t g = 0; g < out.groups; ++g) floats[g] = static_cast<float>(row[g]);
          append(out.indicators[i], t, 1, out.groups, H5T_NATIVE_FLOAT, floats.data());
        } else {
          append(out.indicators[i], t, 1, out.groups, H5T_NATIVE_DOUBLE, row);
        }
      }
    }
    if (!rec.events.empty()) {
      // Models may collect events from several threads; sorting here keeps
      // the file independent of the thread count, off the simulation thread.
      if (!std::is_sorted(rec.events.begin(), rec.events.end())) std::sort(rec.events.begin(), rec.events.end());
      // Kept until the next flush, so that the events' extent on disk grows
      // with the data that backs it.
      for (const Event& e : rec.events) {
        pending_steps.push_back(rec.info.step);
        pending_agents.push_back(e.agent);
        pending_kinds.push_back(e.kind);
      }
    }
    if (!item.panel.empty()) {
      const hsize_t samples = panel->agents.size();
      for (std::size_t c = 0; c < panel_columns.size(); ++c)
        append(panel_columns[c].series, panel_rows, 1, samples, panel_columns[c].mem, item.panel[c].data());
      append(panel_step, panel_rows, 1, 0, H5T_NATIVE_UINT32, &rec.info.step);
      ++panel_rows;
    }
    steps_written = t + 1;
    if (steps_written % kFlushEvery == 0) flush_and_claim();
  }

  void write_pending_events() {
    create_events();
    const hsize_t n = pending_steps.size();
    if (n == 0) return;
    append(ev_step, ev_count, n, 0, H5T_NATIVE_UINT32, pending_steps.data());
    append(ev_agent, ev_count, n, 0, H5T_NATIVE_UINT32, pending_agents.data());
    append(ev_kind, ev_count, n, 0, H5T_NATIVE_UINT16, pending_kinds.data());
    ev_count += n;
    pending_steps.clear();
    pending_agents.clear();
    pending_kinds.clear();
  }

  // The rows first, then the claim: steps_written reaches the file only
  // once everything it counts has been written out.
  // The file appears as NAME.partial after the first of these.
  void flush_and_claim() {
    write_pending_events();
    check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "cannot flush " + where());
    write_attr(root.get(), "steps_written", static_cast<std::int64_t>(steps_written));
    check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "cannot flush " + where());
    bytes_since_flush = 0;
    publish();
  }

  void run_writer() {
    detail::quiet_errors();
    Item item;
    for (;;) {
      queue.pop(item);
      if (item.stop) break;
      if (item.job) {
        try {
          if (failed.load(std::memory_order_acquire))
            throw Error(Status::io, "the output " + where() + " could not be written");
          item.job();
          item.done->set_value();
        } catch (...) {
          item.done->set_exception(std::current_exception());
        }
        H5Eclear2(H5E_DEFAULT);
        continue;
      }
      if (failed.load(std::memory_order_relaxed)) continue;  // keep draining so push() never blocks for good
      try {
        write_step(item);
      } catch (const Error& e) {
        fail(std::make_exception_ptr(Error(e.status(), "writing " + where() + " failed: " + e.what())));
      } catch (const std::exception& e) {
        fail(std::make_exception_ptr(Error(Status::failure, "writing " + where() + " failed: " + e.what())));
      } catch (...) {
        fail(std::make_exception_ptr(Error(Status::failure, "writing " + where() + " failed")));
      }
    }
    // Entries left by failed calls would leak with this thread's error stack.
    H5Eclear2(H5E_DEFAULT);
  }

  void fail(std::exception_ptr e) {
    error = std::move(e);
    close_quietly("failed");
    failed.store(true, std::memory_order_release);
  }

  void rethrow_if_failed() {
    if (!failed.load(std::memory_order_acquire)) return;
    error_reported = true;
    std::rethrow_exception(error);
  }

  void start_writer() {
    if (writer.joinable()) return;
    detail::quiet_errors();
    // Static tables and the panel's agent ids are on disk before any step.
    check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "cannot flush " + where());
    writer = std::thread([this] { run_writer(); });
  }

  void stop_writer() {
    if (!writer.joinable()) return;
    Item stop;
    stop.stop = true;
    queue.push(std::move(stop));
    writer.join();
  }

  void close_objects() {
    for (Series* s : {&t_step, &t_year, &t_month, &ev_step, &ev_agent, &ev_kind, &panel_step, &panel_agents}) s->ds.reset();
    levels.clear();
    events.reset();
    panel_columns.clear();
    panel_group.reset();
    static_columns.clear();
    static_groups.clear();
    static_root.reset();
    root.reset();
  }

  // Data first, then the claim: status/complete are written only after every
  // data chunk has been flushed. The second flush leaves the close nothing to
  // write, so a failure shows up while the file can still be marked "failed".
  void mark_and_close(const std::string& status, bool complete, const std::string& ended_at) {
    if (!file) return;
    guard_eoa(bytes_since_flush);
    write_pending_events();
    check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "cannot write " + where());
    if (!ended_at.empty()) write_attr(root.get(), "ended_at", ended_at);
    write_attr(root.get(), "steps_written", static_cast<std::int64_t>(steps_written));
    write_attr(root.get(), "complete", std::int64_t{complete ? 1 : 0});
    write_attr(root.get(), "status", status);
    check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "cannot write " + where());
    marked = true;
    publish();
    close_objects();
    check(H5Fclose(file.release()), "cannot close " + where());
    eoa.trim();
    eoa.detach();
  }

  void publish() {
    if (published) return;
    eoa.attach(creating);
    std::error_code ec;
    fs::rename(creating, partial, ec);  // replaces a stale NAME.partial (a link itself, never its target)
    if (ec)
      throw Error(Status::io, "cannot rename '" + creating.string() + "' to '" + partial.string() + "': " + ec.message());
    published = true;
  }

  // Best effort after a failure: the file may well be unwritable by now.
  void close_quietly(const std::string& status) noexcept {
    const std::string now = utc_now();
    try {
      mark_and_close(status, false, now);
    } catch (...) {
      // The data could not be written out; the marks take no new space and
      // may still be.
      try {
        if (file && root) {
          write_attr(root.get(), "status", status);
          write_attr(root.get(), "complete", std::int64_t{0});
          write_attr(root.get(), "ended_at", now);
          H5Fflush(file.get(), H5F_SCOPE_GLOBAL);
        }
      } catch (...) {
      }
      H5Eclear2(H5E_DEFAULT);
    }
    close_objects();
    file.reset();
    eoa.detach();
    if (!marked) mark_on_disk(published ? partial : creating, status);
    try {
      publish();  // as its last flush left it, marked if that could be done
    } catch (...) {
    }
  }

  // A write-out failed (a full disk) before the file said why: what its last
  // flush left on disk is opened again and given the status, which takes no
  // new space (the attribute exists, and ended_at has its room).
  void mark_on_disk(const fs::path& p, const std::string& status) noexcept {
    try {
      EoaGuard guard;
      guard.attach(p);
      guard.repair();
      guard.detach();
      detail::quiet_errors();
      PropList fapl(check(H5Pcreate(H5P_FILE_ACCESS), "cannot create property list"));
      check(H5Pset_file_locking(fapl.get(), false, true), "cannot set file locking");  // the failed handle may hold it
      {
        // The marks written before the failed close may have reached the disk.
        File f(check(H5Fopen(p.c_str(), H5F_ACC_RDONLY, fapl.get()), "cannot open " + p.string()));
        Group g(check(H5Gopen2(f.get(), "/", H5P_DEFAULT), "cannot open root group"));
        bool already = false;
        try {
          already = read_attr_string(g.get(), "status") == status;
        } catch (const Error&) {
        }
        if (already) {
          marked = true;
          return;
        }
      }
      File f(check(H5Fopen(p.c_str(), H5F_ACC_RDWR, fapl.get()), "cannot open " + p.string()));
      {
        Group g(check(H5Gopen2(f.get(), "/", H5P_DEFAULT), "cannot open root group"));
        write_attr(g.get(), "status", status);
        write_attr(g.get(), "complete", std::int64_t{0});
      }
      check(H5Fclose(f.release()), "cannot close " + p.string());
      marked = true;
    } catch (...) {
      H5Eclear2(H5E_DEFAULT);
    }
  }

  void validate(const StepRecord& rec) const {
    if (rec.info.step != next_step)
      throw Error(Status::failure, "recorder: expected step " + std::to_string(next_step) + ", got step " +
                                       std::to_string(rec.info.step));
    if (rec.levels.size() != spec.levels.size())
      throw Error(Status::failure, "recorder: step record has " + std::to_string(rec.levels.size()) +
                                       " levels, the output spec " + std::to_string(spec.levels.size()));
    for (std::size_t l = 0; l < spec.levels.size(); ++l) {
      const LevelSpec& ls = spec.levels[l];
      const LevelFrame& f = rec.levels[l];
      if (f.groups != ls.groups || f.indicators != ls.indicators.size() ||
          f.values.size() != ls.groups * ls.indicators.size())
        throw Error(Status::failure, "recorder: frame of level '" + ls.name + "' does not match the output spec (" +
                                         std::to_string(f.groups) + " groups x " + std::to_string(f.indicators) +
                                         " indicators, " + std::to_string(f.values.size()) + " values; expected " +
                                         std::to_string(ls.groups) + " x " + std::to_string(ls.indicators.size()) + ")");
    }
    for (const Event& e : rec.events)
      if (e.kind >= spec.event_kinds.size())
        throw Error(Status::failure, "recorder: event kind " + std::to_string(e.kind) + " is not declared");
  }

  void gather_panel(Item& item, std::uint32_t step) const {
    const std::size_t samples = panel->agents.size();
    item.panel.resize(panel_columns.size());
    for (std::size_t c = 0; c < panel_columns.size(); ++c) {
      const PanelColumn& pc = panel_columns[c];
      const std::size_t rows = pc.column->size();
      const auto* src = static_cast<const unsigned char*>(pc.column->data());
      std::vector<unsigned char>& buf = item.panel[c];
      buf.resize(samples * pc.elem);
      for (std::size_t k = 0; k < samples; ++k) {
        const std::size_t a = panel->agents[k];
        if (a >= rows)
          throw Error(Status::failure, "panel agent " + std::to_string(a) + " is beyond column '" +
                                           pc.column->info().name + "' (" + std::to_string(rows) + " rows) at step " +
                                           std::to_string(step));
        std::memcpy(buf.data() + k * pc.elem, src + a * pc.elem, pc.elem);
      }
    }
  }

  // The output so far, as plain datasets under `dest`: the rows of every
  // step written, events pending a flush included. Reads through HDF5, so
  // nothing is flushed early (see kTimeChunk).
  void copy_history(hid_t dest) const {
    const auto copy = [&](const Series& s, hid_t loc, const std::string& name, hid_t file_type, hid_t mem_type) {
      const RawArray a = read_array(file.get(), s.path, mem_type);
      write_array(loc, name, file_type, mem_type, a.dims, a.bytes.data(), options.gzip_level);
    };
    Group time = create_groups(dest, "time");
    copy(t_step, time.get(), "step", H5T_STD_U32LE, H5T_NATIVE_UINT32);
    copy(t_year, time.get(), "year", H5T_STD_I32LE, H5T_NATIVE_INT32);
    copy(t_month, time.get(), "month", H5T_STD_I32LE, H5T_NATIVE_INT32);
    for (std::size_t l = 0; l < levels.size(); ++l) {
      Group g = create_groups(dest, spec.levels[l].name);
      for (std::size_t i = 0; i < levels[l].indicators.size(); ++i)
        copy(levels[l].indicators[i], g.get(), spec.levels[l].indicators[i].name,
             levels[l].single ? H5T_IEEE_F32LE : H5T_IEEE_F64LE, levels[l].single ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE);
    }
    Group ev = create_groups(dest, "events");
    const auto copy_events = [&](const Series& s, const auto& pending, const char* name, hid_t file_type, hid_t mem_type) {
      using T = typename std::decay_t<decltype(pending)>::value_type;
      std::vector<T> all;
      if (s.ds) {
        const RawArray a = read_array(file.get(), s.path, mem_type);
        all.resize(a.bytes.size() / sizeof(T));
        if (!all.empty()) std::memcpy(all.data(), a.bytes.data(), a.bytes.size());
      }
      all.insert(all.end(), pending.begin(), pending.end());
      write_array(ev.get(), name, file_type, mem_type, {all.size()}, all.data(), options.gzip_level);
    };
    copy_events(ev_step, pending_steps, "step", H5T_STD_U32LE, H5T_NATIVE_UINT32);
    copy_events(ev_agent, pending_agents, "agent", H5T_STD_U32LE, H5T_NATIVE_UINT32);
    copy_events(ev_kind, pending_kinds, "kind", H5T_STD_U16LE, H5T_NATIVE_UINT16);
    if (panel) {
      Group p = create_groups(dest, "panel");
      copy(panel_step, p.get(), "step", H5T_STD_U32LE, H5T_NATIVE_UINT32);
      for (const PanelColumn& pc : panel_columns)
        copy(pc.series, p.get(), pc.column->info().name, detail::file_type(pc.column->info().type), pc.mem);
    }
  }

  void require_setup_phase(const char* what) const {
    if (done) throw Error(Status::failure, std::string(what) + ": the recorder is already closed");
    if (writer.joinable()) throw Error(Status::failure, std::string(what) + " must be called before the first push()");
  }
};

Recorder::Recorder(fs::path path, const OutputSpec& spec, const RunMetadata& meta, RecorderOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.path = std::move(path);
  m.partial = m.path;
  m.partial += ".partial";
  m.creating = m.partial;
  m.creating += ".new";
  m.spec = spec;
  m.meta = meta;
  m.options = options;
  m.validate_spec();
  m.queue.set_capacity(static_cast<std::ptrdiff_t>(std::max<std::size_t>(1, options.queue_capacity)));

  std::error_code ec;
  refuse_symlink(m.path);
  if (fs::exists(fs::symlink_status(m.path, ec))) {
    if (!options.force)
      throw Error(Status::output_exists, "output '" + m.path.string() + "' exists; use --force to replace it");
    if (fs::is_directory(m.path, ec))
      throw Error(Status::invalid_input, "output '" + m.path.string() + "' is a directory; not replacing it");
  }
  const fs::path parent = m.path.parent_path();
  if (!parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) throw Error(Status::io, "cannot create directory '" + parent.string() + "': " + ec.message());
  }
  refuse_symlink(m.partial);
  refuse_if_locked(m.partial);
  refuse_symlink(m.creating);
  if (fs::exists(fs::symlink_status(m.creating, ec))) {
    if (locked(m.creating))
      throw Error(Status::io, "'" + m.partial.string() + "' is being created by another run; not replacing it");
    fs::remove(m.creating, ec);  // left by a run killed while creating it
  }
  detail::quiet_errors();
  try {
    m.create();
  } catch (...) {
    const bool created = static_cast<bool>(m.file);
    m.close_objects();
    m.file.reset();
    if (created) fs::remove(m.creating, ec);  // half-built, never marked: of no use to anyone
    throw;
  }
}

Recorder::~Recorder() {
  if (!impl_ || impl_->done) return;
  try {
    abandon("aborted", utc_now());
  } catch (...) {
  }
}

void Recorder::write_table(const std::string& name, const AgentTable& table) {
  table.check_consistent();
  std::vector<const ColumnRef*> columns;
  for (const auto& c : table.columns()) columns.push_back(c.get());
  write_table(name, table.kind(), columns);
}

void Recorder::write_table(const std::string& name, const std::string& kind, const std::vector<const ColumnRef*>& columns) {
  Impl& m = *impl_;
  m.require_setup_phase("write_table");
  require_name(name, "static table");
  if (std::find(m.static_names.begin(), m.static_names.end(), name) != m.static_names.end())
    throw Error(Status::failure, "static table '" + name + "' written twice");
  for (const ColumnRef* col : columns) {
    require_name(col->info().name, "column");
    if (col->size() != columns.front()->size())
      throw Error(Status::failure, "static table '" + name + "': column '" + col->info().name + "' has " +
                                       std::to_string(col->size()) + " rows, expected " +
                                       std::to_string(columns.front()->size()));
  }

  detail::quiet_errors();
  if (!m.static_root) m.static_root = make_group(m.root.get(), "static", "/static");
  const std::string gpath = "/static/" + name;
  Group g = make_group(m.static_root.get(), name, gpath);
  write_attr(g.get(), "kind", kind);
  write_attr(g.get(), "rows", static_cast<std::int64_t>(columns.empty() ? 0 : columns.front()->size()));
  for (const ColumnRef* col : columns) {
    const ColumnInfo& info = col->info();
    const std::string path = gpath + "/" + info.name;
    const hsize_t n = col->size();
    if (info.type == DType::str) {
      Datatype t = detail::vl_string_type();
      DatasetSpec s;
      s.type = t.get();
      s.dims = s.maxdims = {n};
      Series out = make_dataset(g.get(), info.name, path, s, info.unit, info.description);
      std::vector<const char*> ptrs;
      for (const std::string& v : *col->strings()) ptrs.push_back(v.c_str());
      if (n > 0) check(H5Dwrite(out.ds.get(), t.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "cannot write '" + path + "'");
      m.static_columns.push_back(std::move(out));
    } else {
      Series out = make_dataset(g.get(), info.name, path,
                                fixed_1d(detail::file_type(info.type), n, dtype_size(info.type), m.options.gzip_level),
                                info.unit, info.description);
      if (n > 0)
        check(H5Dwrite(out.ds.get(), native_type(info.type), H5S_ALL, H5S_ALL, H5P_DEFAULT, col->data()),
              "cannot write '" + path + "'");
      m.static_columns.push_back(std::move(out));
    }
  }
  m.static_groups.push_back(std::move(g));
  m.static_names.push_back(name);
}

void Recorder::set_panel(PanelSpec panel) {
  Impl& m = *impl_;
  m.require_setup_phase("set_panel");
  if (m.panel) throw Error(Status::failure, "set_panel called twice");
  if (!panel.table) throw Error(Status::invalid_input, "panel: no table");
  if (panel.every == 0) throw Error(Status::invalid_input, "panel: 'every' must be at least 1");
  if (panel.agents.empty()) throw Error(Status::invalid_input, "panel: no agents sampled");
  const AgentTable& table = *panel.table;
  for (std::size_t k = 0; k < panel.agents.size(); ++k) {
    if (k > 0 && panel.agents[k] <= panel.agents[k - 1])
      throw Error(Status::invalid_input, "panel: agent ids must be strictly ascending");
    if (panel.agents[k] >= table.size())
      throw Error(Status::invalid_input, "panel: agent " + std::to_string(panel.agents[k]) + " is beyond table '" +
                                             table.kind() + "' (" + std::to_string(table.size()) + " rows)");
  }
  std::vector<const ColumnRef*> columns;
  if (panel.columns.empty()) {
    for (const auto& c : table.columns())
      if (c->info().type != DType::str) columns.push_back(c.get());
  } else {
    for (const std::string& name : panel.columns) {
      const ColumnRef* c = table.find(name);
      if (!c) throw Error(Status::invalid_input, "panel: table '" + table.kind() + "' has no column '" + name + "'");
      if (c->info().type == DType::str)
        throw Error(Status::invalid_input, "panel: column '" + name + "' is a string column; only numeric columns can be sampled");
      columns.push_back(c);
    }
  }
  for (const ColumnRef* c : columns) {
    require_name(c->info().name, "column");
    if (c->info().name == "agent_id" || c->info().name == "step")
      throw Error(Status::invalid_input, "panel: column name '" + c->info().name + "' clashes with /panel/" + c->info().name);
  }

  detail::quiet_errors();
  const hsize_t samples = panel.agents.size();
  const int gz = m.options.gzip_level;
  m.panel_group = make_group(m.root.get(), "panel", "/panel");
  write_attr(m.panel_group.get(), "agent_kind", table.kind());
  write_attr(m.panel_group.get(), "every", static_cast<std::int64_t>(panel.every));
  m.panel_agents = make_dataset(m.panel_group.get(), "agent_id", "/panel/agent_id", fixed_1d(H5T_STD_U32LE, samples, 4, gz),
                                "", "id of each sampled " + table.kind() + " (column index of the panel datasets)");
  check(H5Dwrite(m.panel_agents.ds.get(), H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, panel.agents.data()),
        "cannot write '/panel/agent_id'");
  // Chunks that are complete at every flush (see kTimeChunk): the snapshots
  // of a flush interval when `every` divides it, else one each.
  const hsize_t rows = kFlushEvery % panel.every == 0 ? kFlushEvery / panel.every : 1;
  m.panel_step = make_dataset(m.panel_group.get(), "step", "/panel/step", growing_1d(H5T_STD_U32LE, rows, gz), "1",
                              "step after which each panel row was recorded");
  for (const ColumnRef* c : columns) {
    const ColumnInfo& info = c->info();
    PanelColumn pc;
    pc.column = c;
    pc.elem = dtype_size(info.type);
    pc.mem = native_type(info.type);
    pc.series = make_dataset(m.panel_group.get(), info.name, "/panel/" + info.name,
                             growing_2d(detail::file_type(info.type), samples, pc.elem, gz, rows), info.unit,
                             info.description);
    m.panel_columns.push_back(std::move(pc));
  }
  m.panel = std::move(panel);
}

void Recorder::push(const StepRecord& record) {
  Impl& m = *impl_;
  if (m.done) throw Error(Status::failure, "push: the recorder is already closed");
  m.rethrow_if_failed();
  m.validate(record);
  Item item;
  item.record = record;
  if (m.panel && (record.info.step + 1) % m.panel->every == 0) m.gather_panel(item, record.info.step);
  m.start_writer();
  m.queue.push(std::move(item));  // blocks while the queue is full
  ++m.next_step;
}

void Recorder::replay(const StepRecord& record, std::vector<std::vector<unsigned char>> panel) {
  Impl& m = *impl_;
  if (m.done) throw Error(Status::failure, "replay: the recorder is already closed");
  m.rethrow_if_failed();
  m.validate(record);
  Item item;
  item.record = record;
  if (m.panel && (record.info.step + 1) % m.panel->every == 0) {
    if (panel.size() != m.panel_columns.size())
      throw Error(Status::invalid_input, "replay: step " + std::to_string(record.info.step) + " needs " +
                                             std::to_string(m.panel_columns.size()) + " panel columns, got " +
                                             std::to_string(panel.size()));
    for (std::size_t c = 0; c < panel.size(); ++c)
      if (panel[c].size() != m.panel->agents.size() * m.panel_columns[c].elem)
        throw Error(Status::invalid_input, "replay: panel column '" + m.panel_columns[c].column->info().name +
                                               "' of step " + std::to_string(record.info.step) + " has the wrong size");
    item.panel = std::move(panel);
  }
  m.start_writer();
  m.queue.push(std::move(item));
  ++m.next_step;
}

std::vector<std::string> Recorder::panel_columns() const {
  std::vector<std::string> names;
  for (const PanelColumn& pc : impl_->panel_columns) names.push_back(pc.column->info().name);
  return names;
}

void Recorder::with_history(const std::function<void(const HistoryCopy&)>& job) {
  Impl& m = *impl_;
  if (m.done) throw Error(Status::failure, "with_history: the recorder is already closed");
  m.rethrow_if_failed();
  const HistoryCopy copy = [&m](hid_t dest) { m.copy_history(dest); };
  if (!m.writer.joinable()) {  // nothing pushed yet: this thread is HDF5's only caller
    job(copy);
    return;
  }
  Item item;
  item.job = [&job, &copy] { job(copy); };
  item.done = std::make_shared<std::promise<void>>();
  std::future<void> done = item.done->get_future();
  m.queue.push(std::move(item));
  done.get();
}

void Recorder::finish(const std::string& ended_at) {
  Impl& m = *impl_;
  if (m.done) throw Error(Status::failure, "finish: the recorder is already closed");
  m.stop_writer();
  m.done = true;
  detail::quiet_errors();  // HDF5's setting is per thread; this may be a new one
  m.rethrow_if_failed();
  try {
    m.mark_and_close("complete", true, ended_at);
    sync_file(m.partial);
  } catch (...) {
    m.close_quietly("failed");
    throw;
  }
  std::error_code ec;
  fs::rename(m.partial, m.path, ec);  // atomically replaces an old NAME (--force)
  if (ec)
    throw Error(Status::io, "cannot rename '" + m.partial.string() + "' to '" + m.path.string() + "': " + ec.message());
  sync_directory(m.path.parent_path());
}

void Recorder::abandon(const std::string& why, const std::string& ended_at) {
  Impl& m = *impl_;
  if (m.done) return;
  m.stop_writer();
  m.done = true;
  detail::quiet_errors();
  // The writer has already closed the file as "failed"; report its error
  // unless push() or finish() did, so that a failure found while draining is
  // not hidden behind `why`.
  if (m.error) {
    if (!m.error_reported) m.rethrow_if_failed();
    return;
  }
  try {
    m.mark_and_close(why, false, ended_at);
  } catch (...) {
    m.close_quietly(why);
    throw;
  }
}

const fs::path& Recorder::path() const { return impl_->path; }
const fs::path& Recorder::partial_path() const { return impl_->partial; }

}  // namespace sim::io
