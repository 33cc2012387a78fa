// Writing output files so that a reader never sees half of one.
#pragma once

#include <string>

namespace fundgap {

// Writes `content` to `path` by way of a temporary file in the same directory and a
// rename, so `path` holds either its old content or all of the new.
// Throws InputError (no location) naming the path and the system's reason on failure;
// the temporary file is removed.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace fundgap
