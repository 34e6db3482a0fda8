#include "sim/io/data_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sim/io/h5_internal.hpp"

namespace sim::io {

namespace {

std::pair<Group, std::string> parent_of(hid_t file, const std::string& path) {
  const std::size_t slash = path.rfind('/');
  const std::string parent = slash == std::string::npos ? std::string() : path.substr(0, slash);
  return {create_groups(file, parent.empty() ? "/" : parent), path.substr(slash == std::string::npos ? 0 : slash + 1)};
}

std::vector<hsize_t> dims_of(std::size_t n, const std::vector<std::size_t>& dims) {
  if (dims.empty()) return {static_cast<hsize_t>(n)};
  return std::vector<hsize_t>(dims.begin(), dims.end());
}

Dataset create_dataset(hid_t file, const std::string& path, hid_t type, const std::vector<hsize_t>& dims) {
  auto [group, name] = parent_of(file, path);
  Dataspace space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "cannot create dataspace"));
  PropList props(check(H5Pcreate(H5P_DATASET_CREATE), "cannot create property list"));
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
  return Dataset(check(H5Dcreate2(group.get(), name.c_str(), type, space.get(), H5P_DEFAULT, props.get(), H5P_DEFAULT),
                       "cannot create dataset '" + path + "'"));
}

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

}  // namespace

void prepare_new_file(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return;
  if (S_ISLNK(st.st_mode))
    throw Error(Status::io, "'" + path.string() + "' is a symbolic link; files are never written through a link "
                                "(remove it)");
  if (S_ISDIR(st.st_mode)) throw Error(Status::io, "'" + path.string() + "' is a directory; not replacing it");
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    throw Error(Status::io, "cannot replace '" + path.string() + "': " + std::strerror(errno));
}

void write_new_text_file(const std::filesystem::path& path, const std::string& text) {
  prepare_new_file(path);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(Status::io, "cannot create '" + path.string() + "': " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      throw Error(Status::io, "cannot write '" + path.string() + "': " + std::strerror(n < 0 ? err : ENOSPC));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw Error(Status::io, "cannot write '" + path.string() + "': " + std::strerror(errno));
}

DataFile DataFile::create(const std::filesystem::path& path) {
  detail::quiet_errors();
  prepare_new_file(path);
  return DataFile(File(check(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT), "cannot create " + path.string())),
                  path.string());
}

DataFile DataFile::open(const std::filesystem::path& path) { return DataFile(open_read_only(path.string()), path.string()); }

Handle<H5Oclose> DataFile::object(const std::string& path) const {
  return Handle<H5Oclose>(check(H5Oopen(file_.get(), path.c_str(), H5P_DEFAULT), "cannot open '" + path + "' in " + path_));
}

void DataFile::set(const std::string& object_path, const std::string& name, const std::string& value) {
  write_attr(object(object_path).get(), name, value);
}
void DataFile::set(const std::string& object_path, const std::string& name, std::int64_t value) {
  write_attr(object(object_path).get(), name, value);
}
void DataFile::set(const std::string& object_path, const std::string& name, std::uint64_t value) {
  write_attr(object(object_path).get(), name, value);
}
void DataFile::set(const std::string& object_path, const std::string& name, double value) {
  write_attr(object(object_path).get(), name, value);
}

bool DataFile::has(const std::string& object_path, const std::string& name) const {
  return exists(object_path) && has_attr(object(object_path).get(), name);
}

std::string DataFile::text(const std::string& object_path, const std::string& name) const {
  if (!has(object_path, name)) return "";
  return read_attr_string(object(object_path).get(), name);
}

std::int64_t DataFile::integer(const std::string& object_path, const std::string& name) const {
  return read_attr_int(object(object_path).get(), name);
}

std::uint64_t DataFile::unsigned_integer(const std::string& object_path, const std::string& name) const {
  return read_attr_uint(object(object_path).get(), name);
}

void DataFile::copy_attributes(const DataFile& from, const std::string& object_path) {
  const Handle<H5Oclose> src = from.object(object_path);
  const Handle<H5Oclose> dst = object(object_path);
  for (const std::string& name : detail::attribute_names(src.get())) {
    Attribute a(check(H5Aopen(src.get(), name.c_str(), H5P_DEFAULT), "cannot open attribute '" + name + "'"));
    Datatype t(check(H5Aget_type(a.get()), "cannot read attribute type"));
    a.reset();
    switch (H5Tget_class(t.get())) {
      case H5T_STRING: write_attr(dst.get(), name, read_attr_string(src.get(), name)); break;
      case H5T_INTEGER:
        if (H5Tget_sign(t.get()) == H5T_SGN_NONE) write_attr(dst.get(), name, read_attr_uint(src.get(), name));
        else write_attr(dst.get(), name, read_attr_int(src.get(), name));
        break;
      case H5T_FLOAT: write_attr(dst.get(), name, read_attr_double(src.get(), name)); break;
      default: break;
    }
  }
}

template <class T>
void DataFile::write_numeric(const std::string& path, const std::vector<T>& v, const std::vector<std::size_t>& dims,
                             hid_t file_type, hid_t mem_type) {
  Dataset d = create_dataset(file_.get(), path, file_type, dims_of(v.size(), dims));
  if (!v.empty()) check(H5Dwrite(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "cannot write '" + path + "'");
}

void DataFile::write(const std::string& path, const std::vector<double>& v, const std::vector<std::size_t>& dims) {
  write_numeric(path, v, dims, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
}
void DataFile::write(const std::string& path, const std::vector<std::int64_t>& v, const std::vector<std::size_t>& dims) {
  write_numeric(path, v, dims, H5T_STD_I64LE, H5T_NATIVE_INT64);
}
void DataFile::write(const std::string& path, const std::vector<std::uint64_t>& v, const std::vector<std::size_t>& dims) {
  write_numeric(path, v, dims, H5T_STD_U64LE, H5T_NATIVE_UINT64);
}

void DataFile::write(const std::string& path, const std::vector<std::string>& v, const std::vector<std::size_t>& dims) {
  Datatype t = detail::vl_string_type();
  Dataset d = create_dataset(file_.get(), path, t.get(), dims_of(v.size(), dims));
  std::vector<const char*> ptrs;
  ptrs.reserve(v.size());
  for (const auto& s : v) ptrs.push_back(s.c_str());
  if (!v.empty()) check(H5Dwrite(d.get(), t.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "cannot write '" + path + "'");
}

void DataFile::describe(const std::string& path, const std::string& description, const std::string& units) {
  const Handle<H5Oclose> d = object(path);
  write_attr(d.get(), "description", description);
  write_attr(d.get(), "units", units);
}

void DataFile::copy(const DataFile& from, const std::string& group) {
  check(H5Ocopy(from.file_.get(), group.c_str(), file_.get(), group.c_str(), H5P_DEFAULT, H5P_DEFAULT),
        "cannot copy " + group + " from " + from.path_);
}

bool DataFile::exists(const std::string& path) const {
  if (path == "/") return true;
  // Each link along the path must exist before the next is asked about.
  std::size_t pos = 0;
  while ((pos = path.find('/', pos + 1)) != std::string::npos)
    if (H5Lexists(file_.get(), path.substr(0, pos).c_str(), H5P_DEFAULT) <= 0) return false;
  return H5Lexists(file_.get(), path.c_str(), H5P_DEFAULT) > 0;
}

std::vector<std::string> DataFile::children(const std::string& group) const {
  Group g(check(H5Gopen2(file_.get(), group.c_str(), H5P_DEFAULT), "cannot open group '" + group + "' in " + path_));
  std::vector<std::string> names;
  hsize_t idx = 0;
  if (H5Literate(g.get(), H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect_name, &names) >= 0) return names;
  H5Eclear2(H5E_DEFAULT);
  names.clear();
  idx = 0;
  check(H5Literate(g.get(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name, &names), "cannot list group '" + group + "'");
  return names;
}

std::vector<double> DataFile::read_doubles(const std::string& path) const { return io::read_doubles(file_.get(), path); }

std::vector<std::string> DataFile::read_strings(const std::string& path) const { return io::read_strings(file_.get(), path); }

std::vector<std::size_t> DataFile::shape(const std::string& path) const {
  const auto dims = dataset_shape(file_.get(), path);
  return std::vector<std::size_t>(dims.begin(), dims.end());
}

std::string DataFile::type(const std::string& path) const {
  Dataset d(check(H5Dopen2(file_.get(), path.c_str(), H5P_DEFAULT), "cannot open '" + path + "' in " + path_));
  Datatype t(check(H5Dget_type(d.get()), "cannot read the type of '" + path + "'"));
  return type_name(t.get());
}

void DataFile::close() {
  if (file_) check(H5Fclose(file_.release()), "cannot close " + path_);
}

}  // namespace sim::io
