// `extends: BASE`: a scenario written as changes to another.
#include <algorithm>
#include <filesystem>

#include "loading.h"
#include "reading.h"

namespace fundgap::input {

Node load_document(const SourceReader& sources, const std::shared_ptr<const SourceFile>& file,
                   std::vector<std::string>& chain) {
  Node doc = parse_yaml(file);
  if (!doc.IsMap()) return doc;
  auto ext = std::find_if(doc.pairs.begin(), doc.pairs.end(), [](const auto& p) { return p.first.text == "extends"; });
  if (ext == doc.pairs.end()) return doc;
  // A scenario extends one base: a second 'extends' is the duplicate the reader would
  // report for any other key (it cannot, once the first is merged away).
  auto again = std::find_if(ext + 1, doc.pairs.end(), [](const auto& p) { return p.first.text == "extends"; });
  if (again != doc.pairs.end())
    throw InputError(again->first.where, fmt::format("duplicate key 'extends' in the scenario (first at line {})",
                                                     ext->first.where.line));
  const Node& value = ext->second;
  if (!value.IsScalar() || value.text.empty())
    throw InputError(value.where, fmt::format("expected a file name for 'extends', found {}", describe(value)));
  namespace fs = std::filesystem;
  const fs::path base = fs::path(file->path).parent_path() / value.text;
  const std::string identity = sources.identity(base.string());
  if (std::find(chain.begin(), chain.end(), identity) != chain.end()) {
    std::string cycle;
    for (const std::string& c : chain) cycle += fs::path(c).filename().string() + " -> ";
    throw InputError(value.where, fmt::format("'extends' makes a cycle: {}{}", cycle, base.filename().string()));
  }
  auto base_file = std::make_shared<SourceFile>(
      SourceFile{base.lexically_normal().string(), sources.read(base.string(), value.where, "'extends'")});
  const SourceLocation named_at = value.where;  // `value` goes with the key below
  chain.push_back(identity);
  Node merged = load_document(sources, base_file, chain);
  chain.pop_back();
  doc.pairs.erase(ext);
  if (!merged.IsMap())
    throw InputError(named_at, fmt::format("'{}' (named by 'extends') is not a scenario map", base_file->path));
  merge_into(merged, doc);
  return merged;
}

}  // namespace fundgap::input
