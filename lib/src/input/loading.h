// Building the document a scenario is read from: the file, the files it extends, and
// the command line's overrides. Private to the library.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "document.h"
#include "fundgap/input/reader.h"

namespace fundgap::input {

// Parses `file` and, when it has `extends: BASE`, merges it over BASE (read from
// `sources` relative to the file, recursively). `chain` holds the identities of the files
// being read, to catch cycles.
Node load_document(const SourceReader& sources, const std::shared_ptr<const SourceFile>& file,
                   std::vector<std::string>& chain);

// Applies one `--set PATH=VALUE` to the document. Diagnostics point into the override
// text itself, shown as the file "--set".
void apply_override(Node& root, const std::string& spec);

// The keys a scenario may have at its top level.
const std::vector<std::string>& top_level_keys();

}  // namespace fundgap::input
