// Reading an input file whole, whatever it is: a regular file, standard input, a pipe
// or process substitution (`<(cmd)`), a device; never more than a limit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "fundgap/base/diagnostic.h"

namespace fundgap {

// The name a diagnostic gives standard input: "<stdin>:3:5: error: ...".
inline constexpr std::string_view kStdinName = "<stdin>";

// The bytes of `path`, or of standard input when `path` is "-". Reads at most `limit`
// bytes: a larger file (or an endless one, like /dev/zero) is an error saying so.
// Throws InputError located at `named_at`, with " (named by NAMED_BY)" appended when
// `named_by` is not empty, on every failure: the system's reason (no such file, a loop
// of symbolic links, permission), a directory, or the limit.
std::string read_input_file(const std::string& path, std::size_t limit, const SourceLocation& named_at = {},
                            std::string_view named_by = {});

}  // namespace fundgap
