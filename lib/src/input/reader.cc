// The public entry points: a file (or text), the files it extends, the overrides, read.
#include "fundgap/input/reader.h"

#include <cmath>

#include "fundgap/base/input_file.h"
#include "fundgap/base/money.h"
#include "fundgap/model/projection.h"
#include "loading.h"
#include "reading.h"

namespace fundgap {

namespace {

// A note for each partner whose base year does not balance to the pound: a plan usually
// starts balanced, and a gap there is carried into every projected year.
void note_unbalanced_base_year(Scenario& sc) {
  if (sc.partners.empty()) return;
  const Engine engine(sc);
  Projection p;
  if (!engine.run(sc, p, Detail::gaps).ok()) return;  // bad input, reported when projected
  const std::string symbol = currency_symbol(sc.currency);
  for (std::size_t i = 0; i < sc.partners.size(); ++i) {
    const auto e = static_cast<Eigen::Index>(i);
    const double spend = p.spend(e, 0), funding = p.funding(e, 0);
    if (std::round(std::fabs(spend - funding)) < 1) continue;
    const auto [spend_text, funding_text] = distinguishable(Money{spend, symbol}, Money{funding, symbol});
    sc.warnings.warn(sc.origin("partners." + sc.partners[i].id + ".funding.base"),
                     "partner '{}' does not balance in the base year {}: spend {} against funding {}, a gap of {} "
                     "that every projected year carries", sc.partners[i].id, sc.year(0), spend_text, funding_text,
                     fmt::format("{:+.2p}", Money{spend - funding, symbol}));
  }
}

Scenario read_document(const std::shared_ptr<const SourceFile>& file, const LoadOptions& options) {
  static const FileSystemSources file_system;
  const SourceReader& sources = options.sources ? *options.sources : file_system;
  std::vector<std::string> chain{sources.identity(file->path)};
  input::Node root = input::load_document(sources, file, chain);
  for (const std::string& spec : options.overrides) input::apply_override(root, spec);
  input::Reading reading(file);
  Scenario sc = reading.read(root);
  if (!reading.diagnostics().empty()) throw InputError(reading.diagnostics());
  note_unbalanced_base_year(sc);
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
  const std::string name = path == "-" ? std::string(kStdinName) : path;  // "-" is standard input
  return read_document(std::make_shared<SourceFile>(SourceFile{name, std::move(text)}), options);
}

}  // namespace fundgap
