#pragma once

namespace sim {
const char* version();     // project version, e.g. "0.1.0"
const char* git_commit();  // commit the build came from, "-dirty" if modified, or "unknown"
}  // namespace sim
