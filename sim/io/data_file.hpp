#pragma once
// A small HDF5 file of datasets and attributes, written or read whole: the
// sweep's plan and index, and reading back what a run recorded. Every HDF5
// call of the engine stays in sim/io; other components use this class.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/io/h5.hpp"

namespace sim::io {

// Files are made exclusively (O_EXCL): a symbolic link at `path` is refused
// with Error(io), never followed, and a regular file there is removed first.
void prepare_new_file(const std::filesystem::path& path);
// Writes `text` to a new file at `path` (as above); Error(io) on failure.
void write_new_text_file(const std::filesystem::path& path, const std::string& text);

class DataFile {
 public:
  static DataFile create(const std::filesystem::path& path);  // replaces an existing file, never a link
  static DataFile open(const std::filesystem::path& path);    // read-only; Error(io) if missing or not HDF5
  DataFile(DataFile&&) noexcept = default;
  DataFile& operator=(DataFile&&) noexcept = default;
  ~DataFile() = default;

  const std::string& path() const { return path_; }

  // Attributes of an object: "/" for the root, or a group's or dataset's path.
  void set(const std::string& object, const std::string& name, const std::string& value);
  void set(const std::string& object, const std::string& name, const char* value) { set(object, name, std::string(value)); }
  void set(const std::string& object, const std::string& name, std::int64_t value);
  void set(const std::string& object, const std::string& name, std::uint64_t value);
  void set(const std::string& object, const std::string& name, double value);
  bool has(const std::string& object, const std::string& name) const;
  std::string text(const std::string& object, const std::string& name) const;  // "" if absent
  std::int64_t integer(const std::string& object, const std::string& name) const;
  std::uint64_t unsigned_integer(const std::string& object, const std::string& name) const;
  // Copies every scalar attribute of `object` in `from` to the same object here.
  void copy_attributes(const DataFile& from, const std::string& object);

  // Datasets, created whole with their parent groups; numeric ones of 4096
  // or more elements are chunked and compressed. `dims` empty: one dimension.
  void write(const std::string& path, const std::vector<double>& v, const std::vector<std::size_t>& dims = {});
  void write(const std::string& path, const std::vector<std::int64_t>& v, const std::vector<std::size_t>& dims = {});
  void write(const std::string& path, const std::vector<std::uint64_t>& v, const std::vector<std::size_t>& dims = {});
  void write(const std::string& path, const std::vector<std::string>& v, const std::vector<std::size_t>& dims = {});
  // Sets a dataset's `description` and `units` attributes.
  void describe(const std::string& path, const std::string& description, const std::string& units = "");
  // Copies a group with everything below it from another file.
  void copy(const DataFile& from, const std::string& group);

  bool exists(const std::string& path) const;
  // Members of a group, in creation order where the file tracks it, else by name.
  std::vector<std::string> children(const std::string& group) const;
  std::vector<double> read_doubles(const std::string& path) const;  // any numeric dataset, as doubles
  std::vector<std::string> read_strings(const std::string& path) const;
  std::vector<std::size_t> shape(const std::string& path) const;
  // Stored type of a dataset: "float64", "uint32", "string", ...
  std::string type(const std::string& path) const;

  // Closes the file, reporting a failed write-out as Error(io).
  void close();

 private:
  DataFile(File f, std::string path) : file_(std::move(f)), path_(std::move(path)) {}
  Handle<H5Oclose> object(const std::string& path) const;
  template <class T>
  void write_numeric(const std::string& path, const std::vector<T>& v, const std::vector<std::size_t>& dims, hid_t file_type,
                     hid_t mem_type);

  File file_;
  std::string path_;
};

}  // namespace sim::io
