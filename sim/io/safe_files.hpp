#pragma once
// The file-system rules every file the engine writes follows (outputs,
// their temporary files, checkpoints): never through a symbolic link, on
// disk before a rename makes it look complete.
#include <filesystem>

namespace sim::io {

// Throws Error(io) if `p` is a symbolic link: an output and its temporary
// files are never written through a link, wherever it points.
void refuse_symlink(const std::filesystem::path& p);
// fsync of a file: its data is on disk before a rename publishes it.
void sync_file(const std::filesystem::path& p);
// fsync of a directory (best effort): a rename in it is on disk.
void sync_directory(const std::filesystem::path& dir);

}  // namespace sim::io
