// Reading scenario files (format v1, see docs/format.md).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fundgap/model/scenario.h"

namespace fundgap {

// Where scenario files come from: the file system, or memory (tests, embedding).
class SourceReader {
 public:
  virtual ~SourceReader() = default;
  // The text of the file at `path`. Throws InputError located at `named_at` (which names
  // the file; `named_by` says how, like "'extends'", or is empty) when it cannot be read.
  virtual std::string read(const std::string& path, const SourceLocation& named_at, std::string_view named_by) const = 0;
  // A name for the file at `path` that every path to the same file shares, to tell
  // when `extends` comes back to a file it is already reading.
  virtual std::string identity(const std::string& path) const = 0;
};

// Files on disk, "-" being standard input; `identity` is the canonical path.
class FileSystemSources final : public SourceReader {
 public:
  std::string read(const std::string& path, const SourceLocation& named_at, std::string_view named_by) const override;
  std::string identity(const std::string& path) const override;
};

// Files held in memory, by their path as named (normalised lexically: a/../b is b).
class MemorySources final : public SourceReader {
 public:
  explicit MemorySources(std::map<std::string, std::string> files);
  std::string read(const std::string& path, const SourceLocation& named_at, std::string_view named_by) const override;
  std::string identity(const std::string& path) const override;

 private:
  std::map<std::string, std::string> files_;
};

struct LoadOptions {
  // Overrides, each "PATH=VALUE" as given to `--set`: the path is the YAML path
  // (services.acute.demand) and the value is YAML read by the file's own rules.
  // Applied in order, after `extends`. Default: none.
  std::vector<std::string> overrides;
  // Where the file and any it extends are read from. Default: the file system.
  const SourceReader* sources = nullptr;
};

// Checks that `spec` has the form of an override, PATH=VALUE; throws InputError located in
// it (shown as the file `--set`) with the fix when it has not: `--set PATH VALUE` gives
// "write PATH=VALUE, with no space".
void check_override_form(const std::string& spec);

// Reads and checks the scenario in `path`.
// On success returns it; on bad input throws InputError carrying every problem found,
// each located at its file, line and column. A file that cannot be read gives one
// diagnostic without a line.
// A file with `extends: BASE` is BASE (relative to the file, itself possibly extending
// another) with the file's keys deep-merged over it; see docs/format.md.
Scenario load_scenario_file(const std::string& path, const LoadOptions& options = {});

// The same for text already in memory; `path` is used only in diagnostics (and to find
// the files it extends).
Scenario load_scenario_text(const std::string& path, std::string text, const LoadOptions& options = {});

}  // namespace fundgap
