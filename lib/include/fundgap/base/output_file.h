// Writing output files so that a reader never sees half of one.
#pragma once

#include <string>

namespace fundgap {

// Writes `content` to `path` by way of a temporary file in the same directory and a
// rename, so `path` holds either its old content or all of the new. Through a symbolic
// link, the file the link names is replaced that way and the link stays. A path that is
// not a regular file (a device such as /dev/null, a FIFO) or that names an open
// descriptor (/dev/stdout, /dev/fd/N) is written straight to, and is never replaced.
// Throws InputError (no location) naming the path and the system's reason on failure;
// the temporary file is removed.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace fundgap
