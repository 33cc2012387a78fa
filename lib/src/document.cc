#include "document.h"

#include <yaml-cpp/yaml.h>

namespace fundgap::detail {

const Node* Node::find(const std::string& key) const {
  for (const auto& [k, v] : pairs)
    if (k.text == key) return &v;
  return nullptr;
}

Node* Node::find(const std::string& key) {
  return const_cast<Node*>(static_cast<const Node*>(this)->find(key));
}

namespace {

SourceLocation location(const std::shared_ptr<const SourceFile>& file, int line, int byte_column) {
  return {file, line + 1, character_column(file->line_text(line + 1), byte_column + 1)};
}

SourceLocation location(const std::shared_ptr<const SourceFile>& file, const YAML::Node& n) {
  YAML::Mark m = n.Mark();
  if (m.line < 0) return {file, 1, 1};
  return location(file, m.line, m.column);
}

Node convert(const std::shared_ptr<const SourceFile>& file, const YAML::Node& n) {
  Node out;
  out.where = location(file, n);
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      out.kind = Node::Kind::scalar;
      out.text = n.Scalar();
      out.quoted = n.Tag() == "!";
      break;
    case YAML::NodeType::Sequence:
      out.kind = Node::Kind::sequence;
      for (const YAML::Node& item : n) out.items.push_back(convert(file, item));
      break;
    case YAML::NodeType::Map:
      out.kind = Node::Kind::map;
      for (auto it = n.begin(); it != n.end(); ++it) {
        Node key = convert(file, it->first);
        Node value = convert(file, it->second);
        if (value.IsNull()) value.where = key.where;  // yaml-cpp marks the next token
        out.pairs.emplace_back(std::move(key), std::move(value));
      }
      break;
    default:
      out.kind = Node::Kind::null;
  }
  return out;
}

}  // namespace

Node parse_yaml(const std::shared_ptr<const SourceFile>& file) {
  YAML::Node root;
  try {
    root = YAML::Load(file->text);
  } catch (const YAML::ParserException& e) {
    throw InputError(location(file, e.mark.line, e.mark.column), "invalid YAML: " + e.msg);
  }
  Node out = convert(file, root);
  if (out.IsNull()) out.where = {file, 1, 1};
  return out;
}

bool is_distribution(const Node& n) {
  static const std::vector<std::string> names = {"normal", "lognormal", "uniform", "triangular", "pert", "interval"};
  return n.IsMap() && n.pairs.size() == 1 && n.pairs[0].first.IsScalar() &&
         std::find(names.begin(), names.end(), n.pairs[0].first.text) != names.end();
}

void merge_into(Node& base, const Node& overlay) {
  if (!base.IsMap() || !overlay.IsMap() || is_distribution(base) || is_distribution(overlay)) {
    base = overlay;
    return;
  }
  std::vector<std::string> seen;
  for (const auto& [key, value] : overlay.pairs) {
    // A key the overlay repeats stays repeated, so the reader reports the duplicate.
    if (std::find(seen.begin(), seen.end(), key.text) != seen.end()) {
      base.pairs.emplace_back(key, value);
      continue;
    }
    seen.push_back(key.text);
    auto it = std::find_if(base.pairs.begin(), base.pairs.end(),
                           [&](const auto& p) { return p.first.text == key.text; });
    if (value.IsNull()) {
      if (it != base.pairs.end()) base.pairs.erase(it);
    } else if (it == base.pairs.end()) {
      base.pairs.emplace_back(key, value);
    } else {
      merge_into(it->second, value);
      if (!value.IsMap()) it->first = key;  // a replaced value is located by its new key
    }
  }
}

}  // namespace fundgap::detail
