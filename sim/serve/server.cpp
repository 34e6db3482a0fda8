// The classroom's HTTP server: the page and its files, the model's levers,
// one ClassroomRun per panel of each page, each month streamed to the page as
// a server-sent event, downloads. cpp-httplib serves each connection on a
// pooled thread; runs step on their own threads.
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "sim/cli/interrupt.hpp"
#include "sim/core/error.hpp"
#include "sim/core/json.hpp"
#include "sim/run/simulation.hpp"
#include "sim/serve/classroom_run.hpp"
#include "sim/serve/command.hpp"
#include "sim/serve/levers.hpp"
#include "sim/serve/request.hpp"

std::span<const sim::scenario::EmbeddedFile> classroom_web_files();
std::span<const sim::scenario::EmbeddedFile> classroom_chart_files();

namespace sim::serve {

namespace fs = std::filesystem;

namespace {

struct Options {
  std::string host = "127.0.0.1";
  int port = 8080;
  int max_runs = 16;
  double max_scale = 0.05;
  int idle_minutes = 30;
};

std::string number_json(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// A column of a table's fixed columns, by name.
const ColumnRef& column(const AgentTable& t, const std::string& name) {
  const ColumnRef* c = t.find(name);
  if (!c) throw Error(Status::failure, "classroom: table '" + t.kind() + "' has no column '" + name + "'");
  return *c;
}

class Classroom {
 public:
  Classroom(const cli::App& app, const Options& o);
  ~Classroom() { fs::remove_all(folder_); }
  int serve(const std::atomic<bool>& stop);

 private:
  void routes();
  std::string model_json(const Simulation& probe);
  std::shared_ptr<ClassroomRun> find(const std::string& id);
  void reap();

  const cli::App& app_;
  const ModelDescription& model_;
  Options options_;
  scenario::Scenario base_;
  std::unique_ptr<Levers> levers_;
  MonthLayout layout_;
  std::string model_json_;
  fs::path folder_;
  httplib::Server server_;
  std::mutex runs_m_;
  std::map<std::string, std::shared_ptr<ClassroomRun>> runs_;
  std::atomic<bool> closing_{false};
  std::mt19937_64 ids_{std::random_device{}()};
};

Classroom::Classroom(const cli::App& app, const Options& o)
    : app_(app), model_(app.model()), options_(o), base_(app.load_scenario("", {})) {
  const ClassroomDecl& decl = model_.classroom;
  if (decl.levers.empty()) throw Error(Status::failure, "the model '" + model_.name + "' declares no classroom");
  levers_ = std::make_unique<Levers>(decl, base_, options_.max_scale);

  // One short set-up at the teaching scale tells the record's layout and the
  // map's areas, and checks the declaration before any student arrives.
  const Simulation probe(model_, levers_->scenario(levers_->defaults()), RunOptions{});
  const OutputSpec& spec = probe.spec();
  for (const auto& ind : spec.levels[0].indicators) layout_.total.push_back(ind.name);
  bool found = false;
  for (std::size_t l = 0; l < spec.levels.size(); ++l)
    if (spec.levels[l].name == decl.map_level) layout_.map_level = l, found = true;
  if (!found) throw Error(Status::failure, "classroom: no recorded level '" + decl.map_level + "'");
  const LevelSpec& map = spec.levels[layout_.map_level];
  for (const auto& ind : map.indicators) layout_.map_level_indicators.push_back(ind.name);
  for (const auto& name : decl.map_indicators) {
    layout_.map_indices.push_back(map.indicator_index(name));
    layout_.map_names.push_back(name);
  }
  for (const auto& chart : decl.charts)
    for (const auto& name : chart.indicators) spec.levels[0].indicator_index(name);  // throws if unknown
  model_json_ = model_json(probe);

  char tmpl[] = "/tmp/ruralsim-serve-XXXXXX";
  if (const char* t = std::getenv("TMPDIR"); t && *t) {
    const std::string s = std::string(t) + "/ruralsim-serve-XXXXXX";
    std::vector<char> buf(s.begin(), s.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) throw Error(Status::io, "cannot create a folder for the classroom's runs in " + std::string(t));
    folder_ = buf.data();
  } else {
    if (!mkdtemp(tmpl)) throw Error(Status::io, "cannot create a folder for the classroom's runs in /tmp");
    folder_ = tmpl;
  }
  routes();
}

std::string Classroom::model_json(const Simulation& probe) {
  const ClassroomDecl& decl = model_.classroom;
  std::string out = "{\"model\":{\"name\":" + json_string(model_.name) + ",\"version\":" + json_string(model_.version) +
                    "},\"calendar\":{\"start_year\":" + std::to_string(base_.integer("run.start_year")) +
                    ",\"start_month\":" + std::to_string(base_.integer("run.start_month")) +
                    ",\"months\":" + std::to_string(base_.integer("run.months")) + "},\"levers\":[";
  bool first = true;
  for (const auto& l : levers_->levers()) {
    out += std::string(first ? "" : ",") + "{\"key\":" + json_string(l.name) + ",\"label\":" + json_string(l.decl.label) +
           ",\"explanation\":" + json_string(l.decl.explanation) + ",\"unit\":" + json_string(l.unit) +
           ",\"min\":" + number_json(l.decl.min) + ",\"max\":" + number_json(l.decl.max) +
           ",\"step\":" + number_json(l.decl.step) + ",\"default\":" + number_json(l.default_value) +
           ",\"integer\":" + (l.integer ? "true" : "false") + "}";
    first = false;
  }
  const auto& scale = levers_->scale_spec();
  out += "],\"scale\":{\"key\":" + json_string(decl.scale_key) + ",\"label\":\"Population scale\",\"explanation\":" +
         json_string(decl.scale_explanation.empty() ? scale.doc : decl.scale_explanation) +
         ",\"min\":" + number_json(levers_->min_scale()) + ",\"max\":" + number_json(levers_->max_scale()) +
         ",\"step\":" + number_json(levers_->min_scale()) + ",\"default\":" + number_json(levers_->default_scale()) +
         "},\"indicators\":{";
  first = true;
  for (const auto& name : layout_.total) {
    const IndicatorDecl& ind = model_.indicator(name);
    out += std::string(first ? "" : ",") + json_string(name) + ":{\"label\":" +
           json_string(ind.label.empty() ? ind.description : ind.label) + ",\"description\":" + json_string(ind.description) +
           ",\"unit\":" + json_string(ind.unit) + ",\"yearly_unit\":" + json_string(ind.yearly_unit()) +
           ",\"format\":" + json_string(ind.format) +
           ",\"year_end_only\":" + (ind.year_end_only ? "true" : "false") + "}";
    first = false;
  }
  out += "},\"charts\":[";
  for (std::size_t c = 0; c < decl.charts.size(); ++c) {
    out += std::string(c ? "," : "") + "{\"title\":" + json_string(decl.charts[c].title) + ",\"indicators\":[";
    for (std::size_t i = 0; i < decl.charts[c].indicators.size(); ++i)
      out += std::string(i ? "," : "") + json_string(decl.charts[c].indicators[i]);
    out += "]}";
  }
  out += "],\"map\":{\"level\":" + json_string(decl.map_level) + ",\"indicators\":[";
  for (std::size_t i = 0; i < decl.map_indicators.size(); ++i)
    out += std::string(i ? "," : "") + json_string(decl.map_indicators[i]);
  out += "],\"areas\":[";
  const AgentTable* table = nullptr;
  for (const AgentTable* t : probe.tables())
    if (t->kind() == decl.map_level) table = t;
  if (!table) throw Error(Status::failure, "classroom: no table '" + decl.map_level + "'");
  const ColumnRef& lat = column(*table, decl.map_lat);
  const ColumnRef& lon = column(*table, decl.map_lon);
  for (std::size_t g = 0; g < table->size(); ++g) {
    out += g ? ",{" : "{";
    for (const auto& label : decl.map_labels) {
      const auto* strings = column(*table, label).strings();
      if (!strings) throw Error(Status::failure, "classroom: map label column '" + label + "' is not a string column");
      out += json_string(label) + ":" + json_string((*strings)[g]) + ",";
      if (&label == &decl.map_labels.front()) layout_.area_names.push_back((*strings)[g]);
    }
    out += "\"lat\":" + number_json(lat.as_double(g)) + ",\"lon\":" + number_json(lon.as_double(g)) + "}";
  }
  out += "]},\"lesson\":[";
  for (std::size_t s = 0; s < decl.lesson.size(); ++s) {
    const auto& step = decl.lesson[s];
    out += std::string(s ? "," : "") + "{\"title\":" + json_string(step.title) + ",\"text\":" + json_string(step.text) +
           ",\"try\":[";
    for (std::size_t k = 0; k < step.try_levers.size(); ++k)
      out += std::string(k ? "," : "") + "{\"key\":" + json_string(step.try_levers[k].first) +
             ",\"value\":" + number_json(step.try_levers[k].second) + "}";
    out += "]}";
  }
  out += "],\"limits\":{\"max_runs\":" + std::to_string(options_.max_runs) +
         ",\"max_scale\":" + number_json(levers_->max_scale()) + "}}";
  return out;
}

std::shared_ptr<ClassroomRun> Classroom::find(const std::string& id) {
  std::lock_guard lk(runs_m_);
  const auto it = runs_.find(id);
  if (it == runs_.end())
    throw BadRequest(404, "no run '" + id + "' (it ended, was closed, or the server restarted): reload the page");
  it->second->touch();
  return it->second;
}

// Runs nobody has looked at for a while (a closed laptop) give their place up.
void Classroom::reap() {
  std::vector<std::shared_ptr<ClassroomRun>> gone;
  {
    std::lock_guard lk(runs_m_);
    const auto limit = ClassroomRun::Clock::now() - std::chrono::minutes(options_.idle_minutes);
    for (auto it = runs_.begin(); it != runs_.end();) {
      if (it->second->listeners() == 0 && it->second->last_active() < limit) {
        gone.push_back(it->second);
        it = runs_.erase(it);
      } else {
        ++it;
      }
    }
  }
  gone.clear();  // joins their threads outside the lock
}

// classroom-A-<month>.csv: the panel's label (letters and digits only) and how far it ran.
std::string file_name(const ClassroomRun& run, const std::string& extension) {
  std::string label;
  for (char c : run.label())
    if (std::isalnum(static_cast<unsigned char>(c))) label += c;
  return "classroom-" + (label.empty() ? std::string("run") : label) + "-" + run.id().substr(0, 6) + "." + extension;
}

void send_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body, "application/json");
}

void Classroom::routes() {
  server_.set_payload_max_length(64 * 1024);
  const std::size_t threads = static_cast<std::size_t>(options_.max_runs) * 2 + 8;
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    try {
      std::rethrow_exception(ep);
    } catch (const BadRequest& e) {
      send_json(res, e.status(), "{\"error\":" + json_string(e.what()) + "}");
    } catch (const Error& e) {
      send_json(res, 400, "{\"error\":" + json_string(e.what()) + "}");
    } catch (const std::exception& e) {
      send_json(res, 500, "{\"error\":" + json_string(std::string("internal error: ") + e.what()) + "}");
    } catch (...) {
      send_json(res, 500, "{\"error\":\"internal error\"}");
    }
  });
  server_.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const std::string path = valid_utf8(req.path) ? req.path : "(a path that is not UTF-8)";
    const std::string what = res.status == 404   ? "no such page or API: " + req.method + " " + path
                             : res.status == 413 ? "the request body is too large (at most 64 KiB)"
                                                 : "the request could not be served (HTTP " + std::to_string(res.status) + ")";
    res.set_content("{\"error\":" + json_string(what) + "}", "application/json");
  });

  const auto serve_file = [](std::span<const scenario::EmbeddedFile> files, const std::string& name, const char* type) {
    for (const auto& f : files)
      if (f.name == name) return [text = std::string(f.text), type](const httplib::Request&, httplib::Response& res) {
          res.set_content(text, type);
        };
    throw Error(Status::failure, "classroom: the page file '" + name + "' was not built in");
  };
  server_.Get("/", serve_file(classroom_web_files(), "index.html", "text/html; charset=utf-8"));
  server_.Get("/index.html", serve_file(classroom_web_files(), "index.html", "text/html; charset=utf-8"));
  server_.Get("/app.js", serve_file(classroom_web_files(), "app.js", "text/javascript; charset=utf-8"));
  server_.Get("/style.css", serve_file(classroom_web_files(), "style.css", "text/css; charset=utf-8"));
  server_.Get("/chart.min.js", serve_file(classroom_chart_files(), "chart.min.js", "text/javascript; charset=utf-8"));

  server_.Get("/api/model", [this](const httplib::Request&, httplib::Response& res) { send_json(res, 200, model_json_); });

  server_.Post("/api/runs", [this](const httplib::Request& req, httplib::Response& res) {
    const YAML::Node body = parse_object(req.body, {"label", "levers", "scale", "seed"});
    Choice choice = levers_->defaults();
    levers_->apply(body["levers"], body["scale"], body["seed"], choice);
    std::string label = "A";
    if (body["label"]) {
      if (!body["label"].IsScalar() || body["label"].Scalar().size() > 40)
        throw BadRequest(400, "label: expected a short string, e.g. \"A\"");
      label = body["label"].Scalar();
    }
    reap();
    std::shared_ptr<ClassroomRun> run;
    {
      std::lock_guard lk(runs_m_);
      if (runs_.size() >= static_cast<std::size_t>(options_.max_runs))
        throw BadRequest(429, "the server already has " + std::to_string(runs_.size()) +
                                  " runs, its limit: close unused pages (each page holds one run per panel) or ask "
                                  "the teacher to restart the server with a larger --max-runs");
      char id[17];
      std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(ids_()));
      run = std::make_shared<ClassroomRun>(id, label, model_, *levers_, layout_, choice, folder_);
      runs_[id] = run;
    }
    send_json(res, 201, run->status_json());
  });

  server_.Get(R"(/api/runs/([0-9a-f]+))", [this](const httplib::Request& req, httplib::Response& res) {
    send_json(res, 200, find(req.matches[1])->status_json());
  });

  server_.Delete(R"(/api/runs/([0-9a-f]+))", [this](const httplib::Request& req, httplib::Response& res) {
    std::shared_ptr<ClassroomRun> gone;
    {
      std::lock_guard lk(runs_m_);
      const auto it = runs_.find(req.matches[1]);
      if (it == runs_.end()) throw BadRequest(404, "no run '" + std::string(req.matches[1]) + "'");
      gone = it->second;
      runs_.erase(it);
    }
    res.status = 204;
  });

  server_.Post(R"(/api/runs/([0-9a-f]+)/control)", [this](const httplib::Request& req, httplib::Response& res) {
    const auto run = find(req.matches[1]);
    const YAML::Node body = parse_object(req.body, {"action", "speed_ms", "levers", "scale", "seed"});
    if (!body["action"] || !body["action"].IsScalar())
      throw BadRequest(400, "action: required, one of setup, go, step, pause, reset, speed");
    std::optional<int> speed;
    if (body["speed_ms"]) {
      const double v = number(body["speed_ms"], "speed_ms");
      if (v < 0 || v > 2000 || v != std::floor(v))
        throw BadRequest(400, "speed_ms: " + number_json(v) + " is not a whole number of milliseconds from 0 to 2000");
      speed = static_cast<int>(v);
    }
    std::optional<Choice> choice;
    if (body["levers"] || body["scale"] || body["seed"]) {
      // Levers not named keep the run's current values.
      Choice current = run->choice();
      levers_->apply(body["levers"], body["scale"], body["seed"], current);
      choice = current;
    }
    run->control(body["action"].Scalar(), choice, speed);
    send_json(res, 200, run->status_json());
  });

  server_.Get(R"(/api/runs/([0-9a-f]+)/events)", [this](const httplib::Request& req, httplib::Response& res) {
    const auto run = find(req.matches[1]);
    auto cursor = std::make_shared<ClassroomRun::Cursor>();
    std::string from = req.get_param_value("from");
    // A reconnecting EventSource says the last month it received.
    if (const std::string last = req.get_header_value("Last-Event-ID");
        !last.empty() && last.size() <= 6 && last.find_first_not_of("0123456789") == std::string::npos)
      from = std::to_string(std::stoul(last) + 1);
    if (!from.empty()) {
      if (from.find_first_not_of("0123456789") != std::string::npos || from.size() > 6)
        throw BadRequest(400, "from: expected a month number (0 to 999999)");
      cursor->next = std::stoul(from);
    }
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Accel-Buffering", "no");
    ++run->listener_count();
    auto last_write = std::make_shared<ClassroomRun::Clock::time_point>(ClassroomRun::Clock::now());
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, run, cursor, last_write](std::size_t, httplib::DataSink& sink) {
          if (closing_) return false;
          std::string out = run->events(*cursor, std::chrono::milliseconds(500), closing_);
          if (closing_) return false;
          const auto now = ClassroomRun::Clock::now();
          // A comment now and then finds a page that has gone away.
          if (out.empty() && now - *last_write > std::chrono::seconds(5)) out = ": still here\n\n";
          if (out.empty()) return true;
          *last_write = now;
          run->touch();
          return sink.write(out.data(), out.size());
        },
        [run](bool) { --run->listener_count(); });
  });

  server_.Get(R"(/api/runs/([0-9a-f]+)/download\.csv)", [this](const httplib::Request& req, httplib::Response& res) {
    const auto run = find(req.matches[1]);
    res.set_header("Content-Disposition", "attachment; filename=\"" + file_name(*run, "csv") + "\"");
    res.set_content(run->csv(), "text/csv; charset=utf-8");
  });

  server_.Get(R"(/api/runs/([0-9a-f]+)/download\.h5)", [this](const httplib::Request& req, httplib::Response& res) {
    const auto run = find(req.matches[1]);
    const fs::path path = run->output();
    std::ifstream in(path, std::ios::binary);
    std::ostringstream data;
    data << in.rdbuf();
    if (!in) throw BadRequest(409, "the run's HDF5 file could not be read; run it again");
    res.set_header("Content-Disposition", "attachment; filename=\"" + file_name(*run, "h5") + "\"");
    res.set_content(data.str(), "application/x-hdf5");
  });
}

int Classroom::serve(const std::atomic<bool>& stop) {
  int port = options_.port;
  if (port == 0) {
    port = server_.bind_to_any_port(options_.host);
    if (port < 0) throw Error(Status::io, "cannot listen on " + options_.host);
  } else if (!server_.bind_to_port(options_.host, port)) {
    throw Error(Status::io, "cannot listen on " + options_.host + ":" + std::to_string(port) +
                                " (in use? choose another with --port, or --port 0 for any free port)");
  }
  const bool loopback = options_.host == "127.0.0.1" || options_.host == "localhost" || options_.host == "::1";
  std::printf("ruralsim serve: http://%s:%d/ (%s)\n", options_.host.find(':') != std::string::npos ? ("[" + options_.host + "]").c_str() : options_.host.c_str(),
              port,
              loopback ? "loopback only; --host 0.0.0.0 to let other machines in"
                       : "open to other machines: anyone who reaches this address can start runs");
  std::printf("  up to %d runs at once (--max-runs), population scale up to %g (--max-scale); Ctrl-C stops it\n",
              options_.max_runs, levers_->max_scale());
  std::fflush(stdout);
  std::thread listener([this] { server_.listen_after_bind(); });
  int ticks = 0;
  while (!stop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (++ticks % 600 == 0) reap();
  }
  closing_ = true;
  server_.stop();
  listener.join();
  std::map<std::string, std::shared_ptr<ClassroomRun>> runs;
  {
    std::lock_guard lk(runs_m_);
    runs.swap(runs_);
  }
  const std::size_t n = runs.size();
  runs.clear();
  std::printf("ruralsim serve: stopped (%zu run%s closed)\n", n, n == 1 ? "" : "s");
  return 0;
}

}  // namespace

void add_serve_command(cli::App& app) {
  auto options = std::make_shared<Options>();
  auto* cmd = app.cli().add_subcommand("serve", "Classroom in the browser: live runs with sliders, charts, a map and A/B comparison");
  cmd->add_option("--host", options->host, "Address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every network)");
  cmd->add_option("--port", options->port, "Port (0: any free port, printed)")->check(CLI::Range(0, 65535));
  cmd->add_option("--max-runs", options->max_runs, "Most runs at once (each page holds up to two)")->check(CLI::Range(1, 256));
  cmd->add_option("--max-scale", options->max_scale, "Largest population scale a page may choose")->check(CLI::PositiveNumber);
  cmd->add_option("--idle-minutes", options->idle_minutes, "Close runs nobody has watched for this long")->check(CLI::Range(1, 1440));
  cmd->callback([&app, options] {
    const std::atomic<bool>& stop = cli::catch_interrupts();
    Classroom classroom(app, *options);
    const int rc = classroom.serve(stop);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace sim::serve
