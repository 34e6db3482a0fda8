#include "sim/io/checkpoint.hpp"

#include <cstring>

#include "sim/core/error.hpp"
#include "sim/io/h5.hpp"
#include "sim/io/h5_internal.hpp"
#include "sim/io/safe_files.hpp"

namespace sim::io {
namespace fs = std::filesystem;

namespace {

void write_header(hid_t root, const CheckpointHeader& h) {
  write_attr(root, "format", std::string(kCheckpointFormat));
  write_attr(root, "format_version", std::int64_t{h.format_version});
  write_attr(root, "model", h.model);
  write_attr(root, "model_version", h.model_version);
  write_attr(root, "engine_version", h.engine_version);
  write_attr(root, "git_commit", h.git_commit);
  write_attr(root, "scenario_name", h.scenario_name);
  write_attr(root, "scenario_source", h.scenario_source);
  write_attr(root, "scenario", h.scenario_yaml);
  write_attr(root, "seed", h.seed);
  write_attr(root, "replicate", std::int64_t{h.replicate});
  write_attr(root, "step", std::int64_t{h.step});
  write_attr(root, "steps", std::int64_t{h.steps});
  write_attr(root, "start_year", std::int64_t{h.start_year});
  write_attr(root, "start_month", std::int64_t{h.start_month});
  write_attr(root, "output", h.output);
  write_attr(root, "command_line", h.command_line);
  write_attr(root, "created_at", h.created_at);
}

std::string table_path(const std::string& kind, const std::string& column) { return "/tables/" + kind + "/" + column; }

}  // namespace

void write_checkpoint(const fs::path& path, const CheckpointHeader& header, const std::vector<const AgentTable*>& tables,
                      const ModelState& model_state, Recorder& recorder, int gzip_level) {
  fs::path creating = path;
  creating += ".new";
  refuse_symlink(path);
  refuse_symlink(creating);
  std::error_code ec;
  fs::remove(creating, ec);  // left by a run killed while writing it
  recorder.with_history([&](const Recorder::HistoryCopy& copy_history) {
    detail::quiet_errors();
    File file(check(H5Fcreate(creating.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT),
                    "cannot create checkpoint '" + creating.string() + "'"));
    try {
      Group root(check(H5Gopen2(file.get(), "/", H5P_DEFAULT), "cannot open root group"));
      write_header(root.get(), header);
      for (const AgentTable* t : tables) {
        Group g = create_groups(file.get(), "/tables/" + t->kind());
        for (const auto& c : t->columns()) {
          const ColumnInfo& info = c->info();
          if (info.type == DType::str) continue;  // names and labels: fixed at set-up
          write_array(g.get(), info.name, detail::file_type(info.type), native_type(info.type), {c->size()}, c->data(),
                      gzip_level);
        }
      }
      Group model = create_groups(file.get(), "/model");
      for (const auto& [name, bytes] : model_state.arrays())
        write_array(model.get(), name, H5T_STD_U8LE, H5T_NATIVE_UINT8, {bytes.size()}, bytes.data(), gzip_level);
      Group history = create_groups(file.get(), "/history");
      copy_history(history.get());
      root.reset();
      model.reset();
      history.reset();
      check(H5Fclose(file.release()), "cannot write checkpoint '" + creating.string() + "'");
    } catch (...) {
      file.reset();
      fs::remove(creating, ec);
      throw;
    }
  });
  try {
    sync_file(creating);
  } catch (...) {
    fs::remove(creating, ec);
    throw;
  }
  fs::rename(creating, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(creating, ignored);
    throw Error(Status::io, "cannot rename '" + creating.string() + "' to '" + path.string() + "': " + ec.message());
  }
  sync_directory(path.parent_path());
}

CheckpointHeader read_checkpoint_header(const std::string& path) {
  File f = open_read_only(path);
  Group root(check(H5Gopen2(f.get(), "/", H5P_DEFAULT), "cannot open root group of '" + path + "'"));
  const hid_t r = root.get();
  if (!has_attr(r, "format") || read_attr_string(r, "format") != kCheckpointFormat)
    throw Error(Status::invalid_input, "'" + path + "' is not a checkpoint" +
                                           (has_attr(r, "steps_written") ? " (it is the output of a run; a checkpoint is "
                                                                           "written by `run --checkpoint-every N`)"
                                                                         : ""));
  CheckpointHeader h;
  h.format_version = static_cast<int>(read_attr_int(r, "format_version"));
  if (h.format_version != kCheckpointFormatVersion)
    throw Error(Status::invalid_input, "checkpoint '" + path + "' has format version " + std::to_string(h.format_version) +
                                           "; this build reads version " + std::to_string(kCheckpointFormatVersion));
  h.model = read_attr_string(r, "model");
  h.model_version = read_attr_string(r, "model_version");
  h.engine_version = read_attr_string(r, "engine_version");
  h.git_commit = read_attr_string(r, "git_commit");
  h.scenario_name = read_attr_string(r, "scenario_name");
  h.scenario_source = read_attr_string(r, "scenario_source");
  h.scenario_yaml = read_attr_string(r, "scenario");
  h.seed = read_attr_uint(r, "seed");
  h.replicate = static_cast<std::uint32_t>(read_attr_int(r, "replicate"));
  h.step = static_cast<std::uint32_t>(read_attr_int(r, "step"));
  h.steps = static_cast<std::uint32_t>(read_attr_int(r, "steps"));
  h.start_year = static_cast<int>(read_attr_int(r, "start_year"));
  h.start_month = static_cast<int>(read_attr_int(r, "start_month"));
  h.output = read_attr_string(r, "output");
  h.command_line = read_attr_string(r, "command_line");
  h.created_at = read_attr_string(r, "created_at");
  return h;
}

void read_checkpoint_state(const std::string& path, const std::vector<AgentTable*>& tables, ModelState& model_state) {
  File f = open_read_only(path);
  const std::string where = "checkpoint '" + path + "'";
  for (AgentTable* t : tables) {
    for (const auto& c : t->columns()) {
      const ColumnInfo& info = c->info();
      if (info.type == DType::str) continue;
      const std::string p = table_path(t->kind(), info.name);
      RawArray a;
      try {
        a = read_array(f.get(), p, native_type(info.type));
      } catch (const Error& e) {
        throw Error(e.status(), where + ": column '" + info.name + "' of table '" + t->kind() + "': " + e.what());
      }
      if (a.dims.size() != 1 || a.dims[0] != c->size())
        throw Error(Status::invalid_input, where + " holds " + std::to_string(a.dims.empty() ? 0 : a.dims[0]) + " " +
                                               t->kind() + " agents; this scenario makes " + std::to_string(c->size()));
      if (!a.bytes.empty()) std::memcpy(c->data(), a.bytes.data(), a.bytes.size());
    }
  }
  if (H5Lexists(f.get(), "/model", H5P_DEFAULT) > 0) {
    Group model(check(H5Gopen2(f.get(), "/model", H5P_DEFAULT), "cannot open /model of " + where));
    for (const detail::ObjectEntry& e : detail::list_objects(model.get())) {
      if (!e.dataset) continue;
      const std::string name = e.path.substr(1);
      model_state.arrays()[name] = read_array(f.get(), "/model/" + name, H5T_NATIVE_UINT8).bytes;
    }
  }
}

CheckpointHistory read_checkpoint_history(const std::string& path, const OutputSpec& spec,
                                          const std::vector<PanelColumnType>& panel_columns) {
  File f = open_read_only(path);
  const std::string where = "checkpoint '" + path + "'";
  CheckpointHistory h;
  const auto read = [&](const std::string& p, hid_t mem) {
    try {
      return read_array(f.get(), "/history" + p, mem);
    } catch (const Error& e) {
      throw Error(e.status(), where + ": history " + p + ": " + e.what());
    }
  };
  const auto as = [](const RawArray& a, auto& out) {
    out.resize(a.bytes.size() / sizeof(out[0]));
    if (!out.empty()) std::memcpy(out.data(), a.bytes.data(), a.bytes.size());
  };
  std::vector<std::uint32_t> steps;
  as(read("/time/step", H5T_NATIVE_UINT32), steps);
  h.steps = static_cast<std::uint32_t>(steps.size());
  for (const LevelSpec& level : spec.levels) {
    auto& values = h.levels.emplace_back();
    for (const IndicatorSpec& ind : level.indicators) {
      const RawArray a = read("/" + level.name + "/" + ind.name, H5T_NATIVE_DOUBLE);
      if (a.dims.size() != 2 || a.dims[0] != h.steps || a.dims[1] != level.groups)
        throw Error(Status::invalid_input, where + ": history /" + level.name + "/" + ind.name +
                                               " does not have the shape of this model's output");
      as(a, values.emplace_back());
    }
  }
  as(read("/events/step", H5T_NATIVE_UINT32), h.event_step);
  as(read("/events/agent", H5T_NATIVE_UINT32), h.event_agent);
  as(read("/events/kind", H5T_NATIVE_UINT16), h.event_kind);
  if (h.event_agent.size() != h.event_step.size() || h.event_kind.size() != h.event_step.size())
    throw Error(Status::invalid_input, where + ": history events of unequal lengths");
  if (!panel_columns.empty()) {
    as(read("/panel/step", H5T_NATIVE_UINT32), h.panel_step);
    for (const PanelColumnType& c : panel_columns) h.panel.push_back(read("/panel/" + c.name, native_type(c.type)).bytes);
  }
  return h;
}

}  // namespace sim::io
