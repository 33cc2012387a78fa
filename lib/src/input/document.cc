#include "document.h"

#include <algorithm>
#include <string_view>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

namespace fundgap::input {

const Node* Node::find(const std::string& key) const {
  for (const auto& [k, v] : pairs)
    if (k.text == key) return &v;
  return nullptr;
}

Node* Node::find(const std::string& key) {
  return const_cast<Node*>(static_cast<const Node*>(this)->find(key));
}

namespace {

// Where each line of a file starts, so columns convert without rescanning the file.
class Lines {
 public:
  explicit Lines(const std::shared_ptr<const SourceFile>& file) : file_(file) {
    starts_.push_back(0);
    for (std::size_t i = file->text.find('\n'); i != std::string::npos; i = file->text.find('\n', i + 1))
      starts_.push_back(i + 1);
  }
  // yaml-cpp's 0-based line and byte column, as a 1-based line and character column.
  SourceLocation at(int line, int byte_column) const {
    if (line < 0 || static_cast<std::size_t>(line) >= starts_.size()) return {file_, line + 1, byte_column + 1};
    const std::size_t start = starts_[static_cast<std::size_t>(line)];
    const std::size_t bytes = std::min(static_cast<std::size_t>(std::max(byte_column, 0)), file_->text.size() - start);
    return {file_, line + 1, utf8_length(std::string_view(file_->text).substr(start, bytes)) + 1};
  }
  SourceLocation at(const YAML::Node& n) const {
    YAML::Mark m = n.Mark();
    if (m.line < 0) return {file_, 1, 1};
    return at(m.line, m.column);
  }

 private:
  std::shared_ptr<const SourceFile> file_;
  std::vector<std::size_t> starts_;
};

// Turns yaml-cpp's graph into fundgap's tree. yaml-cpp shares the node an alias names,
// so the walk copies it once per alias: it stops at an alias that refers back to a value
// it is inside (the tree would be endless) and at kMaxNodes nodes (a few hundred bytes of
// nested aliases would otherwise expand to billions).
class Converter {
 public:
  explicit Converter(const Lines& lines) : lines_(lines) {}

  Node convert(const YAML::Node& n) {
    Node out;
    out.where = lines_.at(n);
    for (const YAML::Node& a : ancestors_)
      if (a.is(n))
        throw InputError(out.where, "an alias in this value refers back to the value itself, which would make it "
                                    "endless");
    if (++count_ > kMaxNodes)
      throw InputError(out.where, fmt::format("the document has more than {} values once its aliases are "
                                              "expanded (the limit)", kMaxNodes));
    if (ancestors_.size() >= static_cast<std::size_t>(kMaxDepth))
      throw InputError(out.where, fmt::format("values are nested more than {} levels deep (the limit)", kMaxDepth));
    ancestors_.push_back(n);
    switch (n.Type()) {
      case YAML::NodeType::Scalar:
        out.kind = Node::Kind::scalar;
        out.text = n.Scalar();
        if ((text_ += out.text.size()) > kMaxExpandedText)
          throw InputError(out.where, fmt::format("the document has more than {} MiB of text once its aliases are "
                                                  "expanded (the limit)", kMaxExpandedText >> 20));
        out.quoted = n.Tag() == "!";
        break;
      case YAML::NodeType::Sequence:
        out.kind = Node::Kind::sequence;
        for (const YAML::Node& item : n) out.items.push_back(convert(item));
        break;
      case YAML::NodeType::Map:
        out.kind = Node::Kind::map;
        for (auto it = n.begin(); it != n.end(); ++it) {
          Node key = convert(it->first);
          Node value = convert(it->second);
          if (value.IsNull()) value.where = key.where;  // yaml-cpp marks the next token
          out.pairs.emplace_back(std::move(key), std::move(value));
        }
        break;
      default:
        out.kind = Node::Kind::null;
    }
    ancestors_.pop_back();
    return out;
  }

 private:
  const Lines& lines_;
  std::vector<YAML::Node> ancestors_;
  std::size_t count_ = 0, text_ = 0;
};

}  // namespace

Node parse_yaml(const std::shared_ptr<const SourceFile>& file) {
  // YAML forbids tabs in indentation; yaml-cpp's own message for one does not say so.
  Diagnostics tabs;
  const std::string& text = file->text;
  for (std::size_t start = 0, line = 1; start < text.size(); ++line) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::size_t indent = text.find_first_not_of(" \t", start);
    // Looked for in the indentation only: a search to the end of the text for every line
    // made reading quadratic in the file's size.
    const std::size_t tab = indent < end ? std::string_view(text).substr(start, indent - start).find('\t')
                                         : std::string_view::npos;
    if (indent < end && text[indent] != '#' && tab != std::string_view::npos)
      tabs.error(SourceLocation{file, static_cast<int>(line), static_cast<int>(tab) + 1},
                 "a tab is used for indentation; YAML indents with spaces only: replace it with spaces");
    start = end + 1;
  }
  if (!tabs.empty()) throw InputError(tabs);
  YAML::Node root;
  try {
    root = YAML::Load(file->text);
  } catch (const YAML::DeepRecursion& e) {
    throw InputError(Lines(file).at(e.mark.line, e.mark.column),
                     fmt::format("values are nested more than {} levels deep (the limit)", kMaxDepth));
  } catch (const YAML::ParserException& e) {
    throw InputError(Lines(file).at(e.mark.line, e.mark.column), "invalid YAML: " + e.msg);
  }
  const Lines lines(file);
  Node out = Converter(lines).convert(root);
  if (out.IsNull()) out.where = {file, 1, 1};
  return out;
}

namespace {

const std::pair<Node, Node>* find_distribution_entry(const Node& n) {
  static const std::vector<std::string> names = {"normal", "lognormal", "uniform", "triangular", "pert", "interval"};
  if (!n.IsMap()) return nullptr;
  for (const auto& pair : n.pairs)
    if (pair.first.IsScalar() && std::find(names.begin(), names.end(), pair.first.text) != names.end()) return &pair;
  return nullptr;
}

}  // namespace

bool is_distribution(const Node& n) { return find_distribution_entry(n) != nullptr; }

const std::pair<Node, Node>& distribution_entry(const Node& n) { return *find_distribution_entry(n); }

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

}  // namespace fundgap::input
