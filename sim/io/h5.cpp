#include "sim/io/h5.hpp"

#include <algorithm>
#include <cstring>

#include "sim/io/h5_internal.hpp"

namespace sim::io {
namespace {

// HDF5 1.10 frees a file whose close fails (a full disk) but keeps its ID, and
// the cleanup it registers with atexit() then closes that ID again and
// crashes (fixed upstream in HDFGroup/hdf5#2291). Every file of ours is closed
// by its owner, so the cleanup is skipped: a run that could not write must
// exit with Status::io, not SIGSEGV. Effective only before HDF5's first use,
// hence a static initializer.
[[maybe_unused]] const bool kNoAtexitCleanup = (H5dont_atexit(), true);

herr_t innermost_error(unsigned n, const H5E_error2_t* e, void* data) {
  if (n == 0 && e->desc && *e->desc) *static_cast<std::string*>(data) = e->desc;
  return 0;
}

// The most specific message of HDF5's error stack; for a failed system call
// just the OS's words ("No space left on device"), which tell a user what to
// fix, rather than HDF5's long description with buffer addresses.
std::string hdf5_reason() {
  std::string reason;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_error, &reason);
  H5Eclear2(H5E_DEFAULT);
  const std::string key = "error message = '";
  if (const auto at = reason.find(key); at != std::string::npos) {
    const auto end = reason.find('\'', at + key.size());
    if (end != std::string::npos) reason = reason.substr(at + key.size(), end - at - key.size());
  }
  return reason.empty() ? std::string() : " (" + reason + ")";
}

Attribute open_attr(hid_t obj, const std::string& name) {
  if (!has_attr(obj, name)) throw Error(Status::invalid_input, "attribute '" + name + "' not found");
  return Attribute(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "cannot open attribute '" + name + "'"));
}

// Opens `name` for rewriting when it already has a compatible scalar type (so
// that per-step updates such as steps_written stay cheap), else recreates it.
Attribute scalar_attr_for_write(hid_t obj, const std::string& name, hid_t file_type) {
  if (has_attr(obj, name)) {
    Attribute a(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "cannot open attribute '" + name + "'"));
    Datatype t(check(H5Aget_type(a.get()), "cannot read type of attribute '" + name + "'"));
    Dataspace s(check(H5Aget_space(a.get()), "cannot read shape of attribute '" + name + "'"));
    const bool same = H5Tget_class(t.get()) == H5Tget_class(file_type) &&
                      H5Tis_variable_str(t.get()) == H5Tis_variable_str(file_type) &&
                      H5Tget_size(t.get()) == H5Tget_size(file_type) &&
                      H5Sget_simple_extent_type(s.get()) == H5S_SCALAR;
    if (same) return a;
    a.reset();
    check(H5Adelete(obj, name.c_str()), "cannot replace attribute '" + name + "'");
  }
  Dataspace space(check(H5Screate(H5S_SCALAR), "cannot create dataspace"));
  return Attribute(check(H5Acreate2(obj, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                         "cannot create attribute '" + name + "'"));
}

template <class T>
void write_scalar(hid_t obj, const std::string& name, hid_t file_type, hid_t mem_type, T value) {
  Attribute a = scalar_attr_for_write(obj, name, file_type);
  check(H5Awrite(a.get(), mem_type, &value), "cannot write attribute '" + name + "'");
}

template <class T>
T read_scalar(hid_t obj, const std::string& name, hid_t mem_type) {
  Attribute a = open_attr(obj, name);
  Datatype t(check(H5Aget_type(a.get()), "cannot read type of attribute '" + name + "'"));
  const H5T_class_t c = H5Tget_class(t.get());
  if (c != H5T_INTEGER && c != H5T_FLOAT) throw Error(Status::invalid_input, "attribute '" + name + "' is not a number");
  Dataspace s(check(H5Aget_space(a.get()), "cannot read shape of attribute '" + name + "'"));
  if (H5Sget_simple_extent_npoints(s.get()) != 1)
    throw Error(Status::invalid_input, "attribute '" + name + "' is not a single value");
  T value{};
  check(H5Aread(a.get(), mem_type, &value), "cannot read attribute '" + name + "'");
  return value;
}

Dataset open_dataset(hid_t file, const std::string& path) {
  return Dataset(check(H5Dopen2(file, path.c_str(), H5P_DEFAULT), "cannot open dataset '" + path + "'"));
}

}  // namespace

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) throw Error(Status::io, what + hdf5_reason());
  return id;
}

void check(herr_t status, const std::string& what) {
  if (status < 0) throw Error(Status::io, what + hdf5_reason());
}

hid_t native_type(DType t) {
  switch (t) {
    case DType::u8: return H5T_NATIVE_UINT8;
    case DType::u16: return H5T_NATIVE_UINT16;
    case DType::u32: return H5T_NATIVE_UINT32;
    case DType::i32: return H5T_NATIVE_INT32;
    case DType::i64: return H5T_NATIVE_INT64;
    case DType::f32: return H5T_NATIVE_FLOAT;
    case DType::f64: return H5T_NATIVE_DOUBLE;
    case DType::str: break;
  }
  throw Error(Status::failure, "native_type: strings have no native HDF5 type");
}

void write_attr(hid_t obj, const std::string& name, const std::string& value) {
  Datatype t = detail::vl_string_type();
  Attribute a = scalar_attr_for_write(obj, name, t.get());
  const char* p = value.c_str();
  check(H5Awrite(a.get(), t.get(), &p), "cannot write attribute '" + name + "'");
}

void write_attr(hid_t obj, const std::string& name, double value) {
  write_scalar(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, value);
}

void write_attr(hid_t obj, const std::string& name, std::int64_t value) {
  write_scalar(obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, value);
}

void write_attr(hid_t obj, const std::string& name, std::uint64_t value) {
  write_scalar(obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, value);
}

bool has_attr(hid_t obj, const std::string& name) {
  const htri_t r = H5Aexists(obj, name.c_str());
  check(r, "cannot look up attribute '" + name + "'");
  return r > 0;
}

std::string read_attr_string(hid_t obj, const std::string& name) {
  Attribute a = open_attr(obj, name);
  Datatype t(check(H5Aget_type(a.get()), "cannot read type of attribute '" + name + "'"));
  if (H5Tget_class(t.get()) != H5T_STRING) throw Error(Status::invalid_input, "attribute '" + name + "' is not a string");
  Dataspace s(check(H5Aget_space(a.get()), "cannot read shape of attribute '" + name + "'"));
  if (H5Sget_simple_extent_npoints(s.get()) != 1)
    throw Error(Status::invalid_input, "attribute '" + name + "' is not a single string");
  return detail::read_string_values(a.get(), t.get(), 1, true).front();
}

double read_attr_double(hid_t obj, const std::string& name) { return read_scalar<double>(obj, name, H5T_NATIVE_DOUBLE); }

std::int64_t read_attr_int(hid_t obj, const std::string& name) {
  return read_scalar<std::int64_t>(obj, name, H5T_NATIVE_INT64);
}

std::uint64_t read_attr_uint(hid_t obj, const std::string& name) {
  return read_scalar<std::uint64_t>(obj, name, H5T_NATIVE_UINT64);
}

Group create_groups(hid_t file, const std::string& path) {
  Group current(check(H5Gopen2(file, path.starts_with('/') ? "/" : ".", H5P_DEFAULT), "cannot open group"));
  std::size_t pos = 0;
  while (pos < path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    const std::string part = path.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty()) continue;
    const htri_t exists = H5Lexists(current.get(), part.c_str(), H5P_DEFAULT);
    check(exists, "cannot look up group '" + path + "'");
    Group next(exists > 0 ? check(H5Gopen2(current.get(), part.c_str(), H5P_DEFAULT), "cannot open group '" + path + "'")
                          : check(H5Gcreate2(current.get(), part.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                                  "cannot create group '" + path + "'"));
    current = std::move(next);
  }
  return current;
}

std::vector<double> read_doubles(hid_t file, const std::string& path) {
  Dataset d = open_dataset(file, path);
  Datatype t(check(H5Dget_type(d.get()), "cannot read type of '" + path + "'"));
  const H5T_class_t c = H5Tget_class(t.get());
  if (c != H5T_INTEGER && c != H5T_FLOAT) throw Error(Status::invalid_input, "dataset '" + path + "' is not numeric");
  Dataspace s(check(H5Dget_space(d.get()), "cannot read shape of '" + path + "'"));
  std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(s.get())));
  if (!values.empty())
    check(H5Dread(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "cannot read '" + path + "'");
  return values;
}

std::vector<std::string> read_strings(hid_t file, const std::string& path) {
  Dataset d = open_dataset(file, path);
  Datatype t(check(H5Dget_type(d.get()), "cannot read type of '" + path + "'"));
  if (H5Tget_class(t.get()) != H5T_STRING) throw Error(Status::invalid_input, "dataset '" + path + "' is not a string dataset");
  Dataspace s(check(H5Dget_space(d.get()), "cannot read shape of '" + path + "'"));
  return detail::read_string_values(d.get(), t.get(), static_cast<hsize_t>(H5Sget_simple_extent_npoints(s.get())), false);
}

std::vector<hsize_t> dataset_shape(hid_t file, const std::string& path) {
  Dataset d = open_dataset(file, path);
  Dataspace s(check(H5Dget_space(d.get()), "cannot read shape of '" + path + "'"));
  const int rank = H5Sget_simple_extent_ndims(s.get());
  check(rank, "cannot read rank of '" + path + "'");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0) H5Sget_simple_extent_dims(s.get(), dims.data(), nullptr);
  return dims;
}

std::string type_name(hid_t type) {
  const std::size_t bytes = H5Tget_size(type);
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
      return std::string(H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + std::to_string(bytes * 8);
    case H5T_FLOAT: return "float" + std::to_string(bytes * 8);
    case H5T_STRING: return "string";
    default: return "other";
  }
}

File open_read_only(const std::string& path) {
  detail::quiet_errors();
  return File(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "cannot open HDF5 file '" + path + "'"));
}

void write_array(hid_t loc, const std::string& name, hid_t file_type, hid_t mem_type,
                 const std::vector<hsize_t>& dims, const void* data, int gzip) {
  const int rank = static_cast<int>(dims.size());
  Dataspace space(check(H5Screate_simple(rank, dims.data(), nullptr), "cannot create dataspace for '" + name + "'"));
  hsize_t points = 1;
  for (hsize_t d : dims) points *= d;
  PropList dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "cannot create property list"));
  if (gzip > 0 && points > 0) {
    // Chunks of about 1 MiB along the first dimension.
    std::vector<hsize_t> chunk = dims;
    const hsize_t row = std::max<hsize_t>(1, points / std::max<hsize_t>(dims[0], 1) * H5Tget_size(mem_type));
    chunk[0] = std::clamp<hsize_t>((hsize_t{1} << 20) / row, 1, dims[0]);
    check(H5Pset_chunk(dcpl.get(), rank, chunk.data()), "cannot set chunks of '" + name + "'");
    check(H5Pset_shuffle(dcpl.get()), "cannot set shuffle filter on '" + name + "'");
    check(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(gzip)), "cannot set deflate filter on '" + name + "'");
  }
  Dataset d(check(H5Dcreate2(loc, name.c_str(), file_type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                  "cannot create dataset '" + name + "'"));
  if (points > 0) check(H5Dwrite(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "cannot write '" + name + "'");
}

RawArray read_array(hid_t file, const std::string& path, hid_t mem_type) {
  if (H5Lexists(file, path.c_str(), H5P_DEFAULT) <= 0)
    throw Error(Status::invalid_input, "'" + path + "' is missing");
  Dataset d = open_dataset(file, path);
  RawArray out;
  out.dims = dataset_shape(file, path);
  hsize_t points = 1;
  for (hsize_t x : out.dims) points *= x;
  out.bytes.resize(static_cast<std::size_t>(points * H5Tget_size(mem_type)));
  if (points > 0)
    check(H5Dread(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.bytes.data()), "cannot read '" + path + "'");
  return out;
}

namespace detail {

void quiet_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

hid_t file_type(DType t) {
  switch (t) {
    case DType::u8: return H5T_STD_U8LE;
    case DType::u16: return H5T_STD_U16LE;
    case DType::u32: return H5T_STD_U32LE;
    case DType::i32: return H5T_STD_I32LE;
    case DType::i64: return H5T_STD_I64LE;
    case DType::f32: return H5T_IEEE_F32LE;
    case DType::f64: return H5T_IEEE_F64LE;
    case DType::str: break;
  }
  throw Error(Status::failure, "file_type: strings have no fixed HDF5 type");
}

Datatype vl_string_type() {
  Datatype t(check(H5Tcopy(H5T_C_S1), "cannot create string type"));
  check(H5Tset_size(t.get(), H5T_VARIABLE), "cannot create string type");
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "cannot create string type");
  return t;
}

namespace {
herr_t collect_link(hid_t group, const char* name, const H5L_info_t*, void* data) {
  auto* out = static_cast<std::vector<ObjectEntry>*>(data);
  const hid_t obj = H5Oopen(group, name, H5P_DEFAULT);
  if (obj < 0) return -1;
  const H5I_type_t type = H5Iget_type(obj);
  H5Oclose(obj);
  if (type == H5I_GROUP || type == H5I_DATASET) out->push_back({"/" + std::string(name), type == H5I_DATASET});
  return 0;
}

herr_t collect_attr(hid_t, const char* name, const H5A_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}
}  // namespace

std::vector<ObjectEntry> list_objects(hid_t file) {
  std::vector<ObjectEntry> out{{"/", false}};
  check(H5Lvisit(file, H5_INDEX_NAME, H5_ITER_INC, collect_link, &out), "cannot list the objects of the file");
  std::sort(out.begin(), out.end(), [](const ObjectEntry& a, const ObjectEntry& b) { return a.path < b.path; });
  return out;
}

std::vector<std::string> attribute_names(hid_t obj) {
  std::vector<std::string> names;
  hsize_t idx = 0;
  check(H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr, &names), "cannot list attributes");
  std::sort(names.begin(), names.end());
  return names;
}


std::vector<std::string> read_string_values(hid_t obj, hid_t type, hsize_t count, bool attribute) {
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(count));
  if (count == 0) return out;
  const auto read = [&](hid_t mem, void* buf) {
    check(attribute ? H5Aread(obj, mem, buf) : H5Dread(obj, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf),
          "cannot read strings");
  };
  if (H5Tis_variable_str(type) > 0) {
    Datatype mem = vl_string_type();
    check(H5Tset_cset(mem.get(), H5Tget_cset(type)), "cannot create string type");
    std::vector<char*> ptrs(static_cast<std::size_t>(count), nullptr);
    read(mem.get(), ptrs.data());
    for (char* p : ptrs) {
      out.emplace_back(p ? p : "");
      if (p) H5free_memory(p);
    }
    return out;
  }
  const std::size_t size = H5Tget_size(type);
  Datatype mem(check(H5Tcopy(type), "cannot copy string type"));
  std::vector<char> buf(size * static_cast<std::size_t>(count));
  read(mem.get(), buf.data());
  const bool space_padded = H5Tget_strpad(type) == H5T_STR_SPACEPAD;
  for (std::size_t i = 0; i < count; ++i) {
    const char* p = buf.data() + i * size;
    std::size_t n = strnlen(p, size);
    if (space_padded)
      while (n > 0 && p[n - 1] == ' ') --n;
    out.emplace_back(p, n);
  }
  return out;
}

}  // namespace detail
}  // namespace sim::io
