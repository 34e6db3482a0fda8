#pragma once
// RAII owners of HDF5 handles, and the few typed helpers the recorder and the
// readers need. HDF5 is not thread-safe: only one thread may call into it.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/columns.hpp"
#include "sim/core/error.hpp"

namespace sim::io {

// Owns one hid_t and closes it with the matching H5*close function.
template <herr_t (*Close)(hid_t)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  ~Handle() { reset(); }
  void reset() {
    if (id_ >= 0) Close(id_);
    id_ = H5I_INVALID_HID;
  }
  hid_t get() const { return id_; }
  // Gives up ownership, for a close whose result must be checked (a file).
  hid_t release() { return std::exchange(id_, H5I_INVALID_HID); }
  explicit operator bool() const { return id_ >= 0; }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using File = Handle<H5Fclose>;
using Group = Handle<H5Gclose>;
using Dataset = Handle<H5Dclose>;
using Dataspace = Handle<H5Sclose>;
using Datatype = Handle<H5Tclose>;
using PropList = Handle<H5Pclose>;
using Attribute = Handle<H5Aclose>;

// Throws Error(io) naming `what` when id < 0; returns the handle otherwise.
hid_t check(hid_t id, const std::string& what);
void check(herr_t status, const std::string& what);

hid_t native_type(DType t);  // H5T_NATIVE_* for numeric types
// "float64", "uint32", "string", ... for a stored type.
std::string type_name(hid_t type);

// Attributes on any object (file, group or dataset).
void write_attr(hid_t obj, const std::string& name, const std::string& value);
void write_attr(hid_t obj, const std::string& name, double value);
void write_attr(hid_t obj, const std::string& name, std::int64_t value);
void write_attr(hid_t obj, const std::string& name, std::uint64_t value);  // seeds use all 64 bits
bool has_attr(hid_t obj, const std::string& name);
std::string read_attr_string(hid_t obj, const std::string& name);
double read_attr_double(hid_t obj, const std::string& name);
std::int64_t read_attr_int(hid_t obj, const std::string& name);
std::uint64_t read_attr_uint(hid_t obj, const std::string& name);  // e.g. seed

// Creates every missing group along a path, "/a/b/c" from the file's root or
// "a/b/c" below the group `file`; returns the last.
Group create_groups(hid_t file, const std::string& path);

// Whole-dataset readers (for `info`, tests and analysis helpers).
std::vector<double> read_doubles(hid_t file, const std::string& path);
std::vector<std::string> read_strings(hid_t file, const std::string& path);
std::vector<hsize_t> dataset_shape(hid_t file, const std::string& path);

File open_read_only(const std::string& path);

// A whole array as one dataset (dims: its shape, row-major `data` of
// `mem_type`), stored as `file_type`, chunked and gzip-compressed at `gzip`
// (0: contiguous).
void write_array(hid_t loc, const std::string& name, hid_t file_type, hid_t mem_type,
                 const std::vector<hsize_t>& dims, const void* data, int gzip);
// A whole dataset read as `mem_type` (elements of `elem` bytes): its shape
// and its values. Throws Error(invalid_input) naming `path` if it is missing.
struct RawArray {
  std::vector<hsize_t> dims;
  std::vector<unsigned char> bytes;
};
RawArray read_array(hid_t file, const std::string& path, hid_t mem_type);  // throws Error(io) with the path

}  // namespace sim::io
