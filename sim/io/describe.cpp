// describe_file and content_hash: the read side of `ruralsim info`.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "sim/io/h5_internal.hpp"
#include "sim/io/h5.hpp"
#include "sim/io/recorder.hpp"
#include "sim/io/sha256.hpp"

namespace sim::io {
namespace {

using detail::ObjectEntry;

std::string format_number(double v) {
  char buf[64];
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// Any scalar attribute as text, "-" when absent.
std::string attr_text(hid_t obj, const std::string& name) {
  if (!has_attr(obj, name)) return "-";
  Attribute a(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "cannot open attribute '" + name + "'"));
  Datatype t(check(H5Aget_type(a.get()), "cannot read type of attribute '" + name + "'"));
  switch (H5Tget_class(t.get())) {
    case H5T_STRING: return read_attr_string(obj, name);
    case H5T_INTEGER:
      return H5Tget_sign(t.get()) == H5T_SGN_NONE ? std::to_string(read_attr_uint(obj, name))
                                                  : std::to_string(read_attr_int(obj, name));
    case H5T_FLOAT: return format_number(read_attr_double(obj, name));
    default: return "?";
  }
}

std::string shape_text(const std::vector<hsize_t>& dims) {
  std::string s = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

double read_element(hid_t file, const std::string& path, hsize_t row, hsize_t col) {
  Dataset d(check(H5Dopen2(file, path.c_str(), H5P_DEFAULT), "cannot open dataset '" + path + "'"));
  Dataspace space(check(H5Dget_space(d.get()), "cannot read shape of '" + path + "'"));
  const hsize_t start[2] = {row, col};  // only the first `rank` entries are used
  const hsize_t count[2] = {1, 1};
  check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), "cannot select in '" + path + "'");
  Dataspace mem(check(H5Screate_simple(1, count, nullptr), "cannot create dataspace"));
  double v = 0;
  check(H5Dread(d.get(), H5T_NATIVE_DOUBLE, mem.get(), space.get(), H5P_DEFAULT, &v), "cannot read '" + path + "'");
  return v;
}

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

// Members of a group in creation order (model order) when the file tracks it.
std::vector<std::string> members_in_order(hid_t group) {
  std::vector<std::string> names;
  hsize_t idx = 0;
  if (H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect_name, &names) >= 0) return names;
  H5Eclear2(H5E_DEFAULT);
  names.clear();
  idx = 0;
  check(H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name, &names), "cannot list group");
  return names;
}

bool link_exists(hid_t file, const std::string& path) {
  const htri_t r = H5Lexists(file, path.c_str(), H5P_DEFAULT);
  return r > 0;
}

File open_output(const std::string& path, Group& root) {
  File f = open_read_only(path);
  root = Group(check(H5Gopen2(f.get(), "/", H5P_DEFAULT), "cannot open root group of '" + path + "'"));
  if (!has_attr(root.get(), "format_version"))
    throw Error(Status::invalid_input, path + " is not a ruralsim output file");
  return f;
}

// --- content hash ---------------------------------------------------------

class Feeder {
 public:
  void u64(std::uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    sha_.update(b, 8);
  }
  void text(const std::string& s) {
    u64(s.size());
    sha_.update(s);
  }
  void bytes(const void* p, std::size_t n) { sha_.update(p, n); }
  std::string hex() { return sha_.hex(); }

 private:
  Sha256 sha_;
};

// Type, shape and values of one dataset or attribute.
void feed_value(Feeder& h, hid_t obj, bool attribute, const std::string& where) {
  Datatype type(check(attribute ? H5Aget_type(obj) : H5Dget_type(obj), "cannot read type of " + where));
  Dataspace space(check(attribute ? H5Aget_space(obj) : H5Dget_space(obj), "cannot read shape of " + where));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  check(rank, "cannot read rank of " + where);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  const hsize_t npoints = static_cast<hsize_t>(H5Sget_simple_extent_npoints(space.get()));
  h.u64(static_cast<std::uint64_t>(rank));
  for (hsize_t d : dims) h.u64(d);

  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls == H5T_STRING) {
    h.text("string");
    for (const std::string& s : detail::read_string_values(obj, type.get(), npoints, attribute)) h.text(s);
    return;
  }
  if (cls != H5T_INTEGER && cls != H5T_FLOAT)
    throw Error(Status::invalid_input, "content hash: unsupported datatype in " + where);
  h.text(type_name(type.get()));
  Datatype native(check(H5Tget_native_type(type.get(), H5T_DIR_ASCEND), "cannot map type of " + where));
  const std::size_t size = H5Tget_size(native.get());
  if (npoints == 0) return;
  if (attribute || rank == 0) {
    std::vector<unsigned char> buf(static_cast<std::size_t>(npoints) * size);
    check(attribute ? H5Aread(obj, native.get(), buf.data())
                    : H5Dread(obj, native.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()),
          "cannot read " + where);
    h.bytes(buf.data(), buf.size());
    return;
  }
  // Datasets in blocks of rows, so that hashing needs little memory.
  hsize_t row_elems = 1;
  for (std::size_t i = 1; i < dims.size(); ++i) row_elems *= dims[i];
  const hsize_t row_bytes = std::max<hsize_t>(1, row_elems * size);
  const hsize_t block_rows = std::max<hsize_t>(1, (hsize_t{8} << 20) / row_bytes);
  std::vector<unsigned char> buf;
  for (hsize_t r = 0; r < dims[0]; r += block_rows) {
    std::vector<hsize_t> start(dims.size(), 0), count = dims;
    start[0] = r;
    count[0] = std::min(block_rows, dims[0] - r);
    check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
          "cannot select rows of " + where);
    Dataspace mem(check(H5Screate_simple(rank, count.data(), nullptr), "cannot create dataspace"));
    buf.resize(static_cast<std::size_t>(count[0] * row_elems) * size);
    check(H5Dread(obj, native.get(), mem.get(), space.get(), H5P_DEFAULT, buf.data()), "cannot read " + where);
    h.bytes(buf.data(), buf.size());
  }
}

bool volatile_root_attr(const std::string& name) {
  return name == "started_at" || name == "ended_at" || name == "threads" || name == "command_line";
}

}  // namespace

std::string describe_file(const std::string& path) {
  Group root;
  File f = open_output(path, root);
  const hid_t r = root.get();
  const auto a = [&](const char* name) { return attr_text(r, name); };
  const bool complete = has_attr(r, "complete") && read_attr_int(r, "complete") == 1;

  std::ostringstream o;
  o << "file:      " << path << "\n";
  if (complete) o << "state:     complete (" << a("steps_written") << " steps)\n";
  else
    o << "state:     INCOMPLETE (status " << a("status") << ", " << a("steps_written") << "/" << a("steps")
      << " steps written)\n";
  o << "model:     " << a("model") << " " << a("model_version") << " (engine " << a("engine_version") << ", commit "
    << a("git_commit") << ")\n";
  o << "scenario:  " << a("scenario_name") << " (" << a("scenario_source") << ")\n";
  o << "seed:      " << a("seed") << "   replicate: " << a("replicate") << "   threads: " << a("threads") << "\n";
  o << "start:     " << a("start_year") << "-" << (a("start_month").size() == 1 ? "0" : "") << a("start_month")
    << ", " << a("steps") << " steps planned\n";
  o << "started:   " << a("started_at") << "\n";
  o << "ended:     " << a("ended_at") << "\n";

  struct Row {
    std::string path, shape, type, units;
  };
  std::vector<Row> rows;
  for (const ObjectEntry& e : detail::list_objects(f.get())) {
    if (!e.dataset) continue;
    Dataset d(check(H5Dopen2(f.get(), e.path.c_str(), H5P_DEFAULT), "cannot open dataset '" + e.path + "'"));
    Datatype t(check(H5Dget_type(d.get()), "cannot read type of '" + e.path + "'"));
    std::string units = attr_text(d.get(), "units");
    if (units.empty()) units = "-";
    rows.push_back({e.path, shape_text(dataset_shape(f.get(), e.path)), type_name(t.get()), units});
  }
  std::size_t w[3] = {0, 0, 0};
  for (const Row& row : rows) {
    w[0] = std::max(w[0], row.path.size());
    w[1] = std::max(w[1], row.shape.size());
    w[2] = std::max(w[2], row.type.size());
  }
  o << "\ndatasets:\n";
  for (const Row& row : rows)
    o << "  " << row.path << std::string(w[0] - row.path.size() + 2, ' ') << row.shape
      << std::string(w[1] - row.shape.size() + 2, ' ') << row.type << std::string(w[2] - row.type.size() + 2, ' ')
      << row.units << "\n";

  // Level 0 (the whole) is the first of the `levels` attribute.
  std::string whole = has_attr(r, "levels") ? read_attr_string(r, "levels") : std::string();
  whole = whole.substr(0, whole.find(','));
  if (!whole.empty() && link_exists(f.get(), "/" + whole) && link_exists(f.get(), "/time") &&
      link_exists(f.get(), "/time/step")) {
    hsize_t t = dataset_shape(f.get(), "/time/step").at(0);
    // A file left by a killed run may hold rows that steps_written does not
    // vouch for yet: they are not shown.
    if (!complete && has_attr(r, "steps_written"))
      t = std::min<hsize_t>(t, static_cast<hsize_t>(std::max<std::int64_t>(0, read_attr_int(r, "steps_written"))));
    Group total(check(H5Gopen2(f.get(), ("/" + whole).c_str(), H5P_DEFAULT), "cannot open group '/" + whole + "'"));
    if (t > 0) {
      const auto step = static_cast<long long>(read_element(f.get(), "/time/step", t - 1, 0));
      const auto year = static_cast<int>(read_element(f.get(), "/time/year", t - 1, 0));
      const auto month = static_cast<int>(read_element(f.get(), "/time/month", t - 1, 0));
      char when[32];
      std::snprintf(when, sizeof when, "%04d-%02d", year, month);
      o << "\n" << whole << " at step " << step << " (" << when << "):\n";
      std::vector<std::array<std::string, 3>> vals;
      for (const std::string& name : members_in_order(total.get())) {
        const std::string p = "/" + whole + "/" + name;
        const auto shape = dataset_shape(f.get(), p);
        if (shape.size() != 2 || shape[0] < t || shape[1] < 1) continue;
        Dataset d(check(H5Dopen2(f.get(), p.c_str(), H5P_DEFAULT), "cannot open dataset '" + p + "'"));
        std::string units = attr_text(d.get(), "units");
        vals.push_back({name, format_number(read_element(f.get(), p, t - 1, 0)), units == "-" ? "" : units});
      }
      std::size_t wn = 0, wv = 0;
      for (const auto& v : vals) {
        wn = std::max(wn, v[0].size());
        wv = std::max(wv, v[1].size());
      }
      for (const auto& v : vals)
        o << "  " << v[0] << std::string(wn - v[0].size() + 2, ' ') << std::string(wv - v[1].size(), ' ') << v[1]
          << (v[2].empty() ? "" : "  " + v[2]) << "\n";
    } else {
      o << "\n" << whole << ": no steps written\n";
    }
  }
  return o.str();
}

std::string content_hash(const std::string& path, HashScope scope) {
  Group root;
  File f = open_output(path, root);
  root.reset();
  Feeder h;
  h.text(scope == HashScope::data ? "ruralsim data hash 1" : "ruralsim content hash 1");
  for (const ObjectEntry& e : detail::list_objects(f.get())) {
    if (scope == HashScope::data) {
      if (!e.dataset) continue;
      Dataset d(check(H5Dopen2(f.get(), e.path.c_str(), H5P_DEFAULT), "cannot open '" + e.path + "'"));
      h.text(e.path);
      feed_value(h, d.get(), false, "'" + e.path + "'");
      continue;
    }
    Handle<H5Oclose> obj(check(H5Oopen(f.get(), e.path.c_str(), H5P_DEFAULT), "cannot open '" + e.path + "'"));
    h.text(e.dataset ? "dataset" : "group");
    h.text(e.path);
    std::vector<std::string> names = detail::attribute_names(obj.get());
    if (e.path == "/") std::erase_if(names, volatile_root_attr);
    h.u64(names.size());
    for (const std::string& name : names) {
      Attribute attr(check(H5Aopen(obj.get(), name.c_str(), H5P_DEFAULT), "cannot open attribute '" + name + "'"));
      h.text(name);
      feed_value(h, attr.get(), true, "attribute '" + name + "' of '" + e.path + "'");
    }
    if (e.dataset) feed_value(h, obj.get(), false, "'" + e.path + "'");
  }
  return h.hex();
}

}  // namespace sim::io
