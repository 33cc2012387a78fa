// The public entry points: a file (or text), the files it extends, the overrides, read.
#include "fundgap/input/reader.h"

#include "loading.h"
#include "reading.h"

namespace fundgap {

namespace {

Scenario read_document(const std::shared_ptr<const SourceFile>& file, const LoadOptions& options) {
  static const FileSystemSources file_system;
  const SourceReader& sources = options.sources ? *options.sources : file_system;
  std::vector<std::string> chain{sources.identity(file->path)};
  input::Node root = input::load_document(sources, file, chain);
  for (const std::string& spec : options.overrides) input::apply_override(root, spec);
  input::Reading reading(file);
  Scenario sc = reading.read(root);
  if (!reading.diagnostics().empty()) throw InputError(reading.diagnostics());
  return sc;
}

}  // namespace

Scenario load_scenario_text(const std::string& path, std::string text, const LoadOptions& options) {
  return read_document(std::make_shared<SourceFile>(SourceFile{path, std::move(text)}), options);
}

Scenario load_scenario_file(const std::string& path, const LoadOptions& options) {
  static const FileSystemSources file_system;
  const SourceReader& sources = options.sources ? *options.sources : file_system;
  std::string text = sources.read(path, SourceLocation{}, "");
  return read_document(std::make_shared<SourceFile>(SourceFile{path, std::move(text)}), options);
}

}  // namespace fundgap
