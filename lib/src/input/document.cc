#include "document.h"

#include <algorithm>
#include <string_view>
#include <optional>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

namespace fundgap::input {

const Node* Node::find(const std::string& key) const {
  for (const auto& [k, v] : pairs)
    if (k.text == key) return &v;
  return nullptr;
}

Node::Node() = default;
Node::~Node() = default;
Node::Node(const Node&) = default;
Node::Node(Node&&) noexcept = default;
Node& Node::operator=(const Node&) = default;
Node& Node::operator=(Node&&) noexcept = default;

std::size_t Node::size() const { return kind == Kind::map ? pairs.size() : items.size(); }

Node* Node::find(const std::string& key) {
  return const_cast<Node*>(static_cast<const Node*>(this)->find(key));
}

namespace {

// The control character (C0, DEL or C1) that the UTF-8 character `c` is, if it is one.
std::optional<char32_t> control_character(std::string_view c) {
  const auto b0 = static_cast<unsigned char>(c[0]);
  if (b0 < 0x20 || b0 == 0x7F) return b0;
  if (b0 == 0xC2 && c.size() == 2 && static_cast<unsigned char>(c[1]) <= 0x9F)
    return static_cast<char32_t>(static_cast<unsigned char>(c[1]));  // U+0080 to U+009F
  return std::nullopt;
}

// Text is printed to terminals, CI logs and reports: a control character in it could
// move the cursor, retitle the terminal or start a line a CI runner takes as a command.
std::string control_message(char32_t c) {
  return fmt::format("control character U+{:04X}{}; names and values are printed, so they hold only printable text",
                     static_cast<unsigned>(c), c == '\n' ? " (a line break)" : c == '\t' ? " (a tab)" : "");
}

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
        for (std::size_t i = 0; i < out.text.size();) {  // as written in quotes ("\e", "\n") or a block
          const std::size_t len = std::max<std::size_t>(1, utf8_char_size(std::string_view(out.text).substr(i)));
          if (auto c = control_character(std::string_view(out.text).substr(i, len)))
            throw InputError(out.where, control_message(*c));
          i += len;
        }
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

// A scenario is UTF-8 text: the first NUL byte or byte that is not UTF-8 is an error
// at its line and column (names would otherwise reach the table, CSV and JSON raw).
void check_text(const std::shared_ptr<const SourceFile>& file) {
  const std::string_view text = file->text;
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = text[i] == '\0' ? 0 : utf8_char_size(text.substr(i));
    const std::optional<char32_t> control = n == 0 ? std::nullopt : control_character(text.substr(i, n));
    if (n == 0 || (control && *control != '\t' && *control != '\n' && *control != '\r')) {
      const SourceLocation at{file, line, utf8_length(text.substr(line_start, i - line_start)) + 1};
      if (text[i] == '\0') throw InputError(at, "a NUL byte; a scenario file is text");
      if (control) throw InputError(at, control_message(*control));
      throw InputError(at, fmt::format("byte 0x{:02X} is not UTF-8; save the file as UTF-8",
                                       static_cast<unsigned char>(text[i])));
    }
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
    i += n;
  }
}

// A second YAML document in the file, found in its text (yaml-cpp's LoadAll can loop on
// malformed input): a `---` line after content, or content after a `...` line. Document
// markers cannot occur inside a scalar, so this is exact. Throws at its line.
void check_one_document(const std::shared_ptr<const SourceFile>& file) {
  bool content = false, ended = false;
  int number = 1;
  for (std::size_t start = 0; start < file->text.size(); ++number) {
    std::size_t end = file->text.find('\n', start);
    if (end == std::string::npos) end = file->text.size();
    const std::string_view l = std::string_view(file->text).substr(start, end - start);
    start = end + 1;
    auto marker = [&](std::string_view m) {
      return l.substr(0, 3) == m && (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
    };
    const std::size_t first = l.find_first_not_of(" \t\r");
    const bool blank = first == std::string_view::npos || l[first] == '#';
    if (marker("---") ? content || ended : !blank && ended && !marker("..."))
      throw InputError(SourceLocation{file, number, 1}, "a second YAML document starts here; a scenario file holds one");
    if (marker("...")) ended = true;
    else if (marker("---")) content = true;  // what follows it is the one document
    else if (!blank && l[0] != '%') content = true;
  }
}

}  // namespace

Node parse_yaml(const std::shared_ptr<const SourceFile>& file) {
  check_text(file);
  check_one_document(file);
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
  for (const auto& pair : overlay.pairs) {
    const Node& key = pair.first;  // named, not bound: the lambda below captures it
    const Node& value = pair.second;
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
