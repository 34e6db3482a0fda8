#pragma once
// Helpers shared by the recorder, the readers and the content hash; not part
// of the engine's public interface.
#include <hdf5.h>

#include <string>
#include <vector>

#include "sim/core/columns.hpp"
#include "sim/io/h5.hpp"

namespace sim::io::detail {

// HDF5 prints its error stack to stderr by default, and in a thread-safe
// build that setting is per thread, so every thread that calls HDF5 must
// switch it off before its first call.
void quiet_errors();

// Little-endian standard file type for a numeric column type.
hid_t file_type(DType t);
// A variable-length UTF-8 string type (memory and file).
Datatype vl_string_type();

// Every group and dataset below the root (and the root itself as "/"),
// sorted by path so that listings and hashes do not depend on HDF5's order.
struct ObjectEntry {
  std::string path;
  bool dataset = false;
};
std::vector<ObjectEntry> list_objects(hid_t file);

// Attribute names of an object, sorted.
std::vector<std::string> attribute_names(hid_t obj);


// Strings of a string dataset or attribute (variable or fixed length).
std::vector<std::string> read_string_values(hid_t obj, hid_t type, hsize_t count, bool attribute);

}  // namespace sim::io::detail
