#include "sim/serve/classroom_run.hpp"

#include <cmath>
#include <cstdio>

#include "sim/core/error.hpp"
#include "sim/core/json.hpp"
#include "sim/run/simulation.hpp"
#include "sim/serve/request.hpp"

namespace sim::serve {

namespace {

// %.9g keeps a month's message small; NaN (a year-end value in another
// month, a ratio over nothing) travels as null.
void append_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  out += buf;
}

void append_csv_number(std::string& out, double v) {
  if (std::isnan(v)) return;  // empty cell
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  out += buf;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

ClassroomRun::ClassroomRun(std::string id, std::string label, const ModelDescription& model, const Levers& levers,
                           const MonthLayout& layout, Choice choice, std::filesystem::path folder)
    : id_(std::move(id)), label_(std::move(label)), model_(model), levers_(levers), layout_(layout),
      folder_(std::move(folder)), choice_(std::move(choice)) {
  steps_ = static_cast<std::uint32_t>(levers_.scenario(choice_).integer("run.months"));
  worker_ = std::thread([this] { work(); });
}

ClassroomRun::~ClassroomRun() {
  {
    std::lock_guard lk(m_);
    closing_ = true;
  }
  cv_.notify_all();
  worker_.join();
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(folder_, ec))
    if (e.path().filename().string().rfind(id_ + "-", 0) == 0) std::filesystem::remove(e.path(), ec);
}

const char* ClassroomRun::name(State s) {
  switch (s) {
    case State::idle: return "idle";
    case State::setting_up: return "setting_up";
    case State::ready: return "ready";
    case State::running: return "running";
    case State::paused: return "paused";
    case State::done: return "done";
    case State::failed: return "failed";
  }
  return "?";
}

void ClassroomRun::control(const std::string& action, const std::optional<Choice>& choice, std::optional<int> speed_ms) {
  std::unique_lock lk(m_);
  last_active_ = Clock::now();
  if (choice && action != "setup" && action != "reset")
    throw BadRequest(409, "levers and scale take effect when a run is set up: send them with the action 'setup' or "
                          "'reset', not '" + action + "'");
  if (speed_ms) speed_ms_ = *speed_ms;
  const bool set_up = state_ != State::idle;
  if (action == "setup" || action == "reset") {
    if (choice) {
      choice_ = *choice;
      steps_ = static_cast<std::uint32_t>(levers_.scenario(choice_).integer("run.months"));
    }
    reset_ = set_up || state_ == State::failed || !messages_.empty();
    going_ = false;
    steps_wanted_ = 0;
    want_setup_ = action == "setup";
    if (reset_ && action == "reset") {
      // Answer with the run reset, so that a Go sent next finds it idle.
      cv_.notify_all();
      cv_.wait_for(lk, std::chrono::seconds(30), [this] { return !reset_ || closing_; });
    }
  } else if (action == "go" || action == "step") {
    if (state_ == State::done)
      throw BadRequest(409, "the run has reached its last month; press Reset (or Setup) to run it again");
    if (state_ == State::failed) throw BadRequest(409, "the run failed (" + error_ + "); press Reset to start again");
    if (action == "go") {
      going_ = true;
    } else {
      going_ = false;
      ++steps_wanted_;
    }
  } else if (action == "pause") {
    going_ = false;
    steps_wanted_ = 0;
    // A run between months (set up, or waiting at the chosen pace) pauses at once; one computing a
    // month says so when that month is in (the worker sees nothing more is wanted).
    if (state_ == State::running && !in_month_) {
      state_ = State::paused;
      ++state_version_;
      ++version_;
    }
  } else if (action != "speed") {
    throw BadRequest(400, "unknown action '" + action + "' (actions: setup, go, step, pause, reset, speed)");
  }
  ++state_version_;
  ++version_;
  cv_.notify_all();
}

void ClassroomRun::work() {
  std::unique_ptr<Simulation> simulation;
  std::unique_lock lk(m_);
  const auto changed = [this](State s) {
    state_ = s;
    ++state_version_;
    ++version_;
    cv_.notify_all();
  };
  for (;;) {
    cv_.wait(lk, [&] {
      const bool wants_steps = going_ || steps_wanted_ > 0;
      return closing_ || reset_ || (!simulation && state_ != State::failed && (want_setup_ || wants_steps)) ||
             (simulation && wants_steps && state_ != State::done);
    });
    if (closing_) break;
    if (reset_) {
      reset_ = false;
      lk.unlock();
      simulation.reset();  // an unfinished output is dropped with the run
      whole_.reset();
      map_series_.reset();
      lk.lock();
      messages_.clear();
      totals_.clear();
      areas_.clear();
      infos_.clear();
      output_.clear();
      error_.clear();
      ++generation_;
      changed(State::idle);
      continue;
    }
    if (!simulation) {
      want_setup_ = false;
      changed(State::setting_up);
      const scenario::Scenario sc = levers_.scenario(choice_);
      RunOptions options;
      options.threads = 1;  // runs step side by side, one core each
      options.force = true;
      options.output = folder_ / (id_ + "-" + std::to_string(generation_) + ".h5");
      options.command_line = "ruralsim serve (classroom run " + label_ + ")";
      lk.unlock();
      std::string failure;
      try {
        simulation = std::make_unique<Simulation>(model_, sc, options);
        whole_.emplace(simulation->spec().levels[0]);
        map_series_.emplace(simulation->spec().levels[layout_.map_level]);
      } catch (const std::exception& e) {
        failure = e.what();
      }
      lk.lock();
      if (!failure.empty()) {
        error_ = failure;
        changed(State::failed);
      } else if (!reset_ && !closing_) {
        changed(going_ || steps_wanted_ > 0 ? State::running : State::ready);
      }
      continue;
    }
    if (steps_wanted_ > 0) --steps_wanted_;
    if (state_ != State::running) changed(State::running);
    in_month_ = true;
    lk.unlock();
    std::string failure, message;
    std::vector<double> total, areas;
    StepInfo info;
    RunResult result;
    try {
      const StepRecord& r = simulation->step();
      info = r.info;
      message = month_json(r);
      total = r.levels[0].values;
      areas = r.levels[layout_.map_level].values;
      if (simulation->done()) result = simulation->finish();
    } catch (const std::exception& e) {
      failure = e.what();
    }
    lk.lock();
    in_month_ = false;
    if (!failure.empty()) {
      error_ = failure;
      simulation.reset();
      changed(State::failed);
      continue;
    }
    messages_.push_back(std::move(message));
    totals_.push_back(std::move(total));
    areas_.push_back(std::move(areas));
    infos_.push_back(info);
    ++version_;
    if (result.complete) {
      output_ = result.output;
      going_ = false;
      steps_wanted_ = 0;
      changed(State::done);
    } else if (!going_ && steps_wanted_ == 0) {
      changed(State::paused);
    } else {
      cv_.notify_all();
    }
    // The pace the teacher chose; a pause, reset or close cuts it short.
    if (going_ && speed_ms_ > 0) {
      cv_.wait_for(lk, std::chrono::milliseconds(speed_ms_), [this] { return closing_ || reset_ || !going_; });
      if (!closing_ && !reset_ && !going_ && steps_wanted_ == 0 && state_ == State::running) changed(State::paused);
    }
  }
}

std::string ClassroomRun::month_json(const StepRecord& r) {
  whole_->append(r.info, r.levels[0]);
  map_series_->append(r.info, r.levels[layout_.map_level]);
  std::string out = "{\"step\":" + std::to_string(r.info.step) + ",\"year\":" + std::to_string(r.info.year) +
                    ",\"month\":" + std::to_string(r.info.month) + ",\"total\":{";
  const LevelFrame& whole = r.levels[0];
  for (std::size_t i = 0; i < layout_.total.size(); ++i) {
    out += (i ? ",\"" : "\"") + layout_.total[i] + "\":";
    append_number(out, whole.at(i, 0));
  }
  out += "},\"map\":{";
  const LevelFrame& map = r.levels[layout_.map_level];
  for (std::size_t k = 0; k < layout_.map_indices.size(); ++k) {
    out += (k ? ",\"" : "\"") + layout_.map_names[k] + "\":[";
    for (std::size_t g = 0; g < map.groups; ++g) {
      if (g) out += ',';
      append_number(out, map.at(layout_.map_indices[k], g));
    }
    out += ']';
  }
  out += '}';
  if (r.info.year_end()) {
    const Window year = whole_->years().back();
    // Members of the whole are the map level's groups when it is the next level down.
    const YearlyAggregator total(model_, *whole_, layout_.map_level == 1 ? &*map_series_ : nullptr);
    const YearlyAggregator areas(model_, *map_series_);
    out += ",\"yearly\":{\"year\":" + std::to_string(year.year) + ",\"full\":" + (year.full ? "true" : "false") +
           ",\"total\":{";
    for (std::size_t i = 0; i < layout_.total.size(); ++i) {
      out += (i ? ",\"" : "\"") + layout_.total[i] + "\":";
      append_number(out, total.value(layout_.total[i], 0, year));
    }
    out += "},\"map\":{";
    for (std::size_t k = 0; k < layout_.map_names.size(); ++k) {
      out += (k ? ",\"" : "\"") + layout_.map_names[k] + "\":[";
      for (std::size_t g = 0; g < map_series_->groups(); ++g) {
        if (g) out += ',';
        append_number(out, areas.value(layout_.map_names[k], g, year));
      }
      out += ']';
    }
    out += "}}";
  }
  return out + "}";
}

std::string ClassroomRun::status_json() const {
  std::lock_guard lk(m_);
  std::string out = "{\"id\":" + json_string(id_) + ",\"label\":" + json_string(label_) + ",\"state\":\"" +
                    name(state_) + "\",\"step\":" + std::to_string(messages_.size()) +
                    ",\"steps\":" + std::to_string(steps_) + ",\"version\":" + std::to_string(state_version_) + ",\"speed_ms\":" + std::to_string(speed_ms_) + ",\"levers\":{";
  bool first = true;
  for (const auto& l : levers_.levers()) {
    out += (first ? "" : ",") + json_string(l.name) + ":";
    append_number(out, choice_.levers.at(l.name));
    first = false;
  }
  out += "},\"scale\":";
  append_number(out, choice_.scale);
  out += ",\"seed\":" + std::to_string(choice_.seed);
  if (!error_.empty()) out += ",\"error\":" + json_string(error_);
  return out + "}";
}

std::string ClassroomRun::events(Cursor& c, std::chrono::milliseconds wait, const std::atomic<bool>& closing) {
  std::unique_lock lk(m_);
  cv_.wait_for(lk, wait, [&] { return closing_ || closing.load() || version_ != c.version; });
  std::string out;
  if (c.generation != generation_) {
    if (c.generation != UINT64_MAX) {
      out += "event: reset\ndata: {}\n\n";
      c.next = 0;
    }
    c.generation = generation_;
  }
  // At most a year's months at a time, so that a late page catches up in a
  // few messages without holding the lock long.
  for (int k = 0; k < 12 && c.next < messages_.size(); ++k, ++c.next)
    out += "event: month\nid: " + std::to_string(c.next) + "\ndata: " + messages_[c.next] + "\n\n";
  // The state after the months it follows (a run is "done" after its last month).
  if (c.next >= messages_.size()) {
    c.version = version_;
    if (c.state_version != state_version_) {
      c.state_version = state_version_;
      lk.unlock();
      const std::string status = status_json();
      lk.lock();
      out += "event: state\ndata: " + status + "\n\n";
    }
  }
  return out;
}

std::string ClassroomRun::csv() const {
  std::lock_guard lk(m_);
  std::string out = "area,step,year,month";
  for (const auto& n : layout_.total) out += "," + n;
  out += '\n';
  // Each area row fills the columns its level records.
  std::vector<std::ptrdiff_t> at_map;
  for (const auto& n : layout_.total) {
    const auto it = std::find(layout_.map_level_indicators.begin(), layout_.map_level_indicators.end(), n);
    at_map.push_back(it == layout_.map_level_indicators.end() ? -1 : it - layout_.map_level_indicators.begin());
  }
  const std::string whole = model_.levels[0].label.empty() ? model_.levels[0].name : model_.levels[0].label;
  for (std::size_t g = 0; g <= layout_.area_names.size(); ++g) {
    const std::string area = csv_field(g == 0 ? whole : layout_.area_names[g - 1]);
    for (std::size_t t = 0; t < infos_.size(); ++t) {
      out += area + "," + std::to_string(infos_[t].step) + "," + std::to_string(infos_[t].year) + "," +
             std::to_string(infos_[t].month);
      const std::size_t groups = layout_.area_names.size();
      for (std::size_t i = 0; i < layout_.total.size(); ++i) {
        out += ',';
        if (g == 0) append_csv_number(out, totals_[t][i]);
        else if (at_map[i] >= 0) append_csv_number(out, areas_[t][static_cast<std::size_t>(at_map[i]) * groups + g - 1]);
      }
      out += '\n';
    }
  }
  return out;
}

std::filesystem::path ClassroomRun::output() const {
  std::lock_guard lk(m_);
  if (state_ != State::done || output_.empty())
    throw BadRequest(409, "the HDF5 file is written when the run reaches its last month (now at month " +
                              std::to_string(messages_.size()) + " of " + std::to_string(steps_) +
                              "); the CSV download has the months so far");
  return output_;
}

Choice ClassroomRun::choice() const {
  std::lock_guard lk(m_);
  return choice_;
}

ClassroomRun::Clock::time_point ClassroomRun::last_active() const {
  std::lock_guard lk(m_);
  return last_active_;
}

void ClassroomRun::touch() {
  std::lock_guard lk(m_);
  last_active_ = Clock::now();
}

}  // namespace sim::serve
