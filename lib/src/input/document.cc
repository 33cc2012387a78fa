#include "document.h"

#include <algorithm>
#include <unordered_map>
#include <string_view>
#include <optional>

#include <yaml.h>

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

// Builds fundgap's tree from libyaml's events. libyaml (C) is used for its speed: it
// reads a scenario in about a sixth of the instructions yaml-cpp took, which had been
// two-thirds of a deterministic `run` (docs/performance.md). The events are turned into Nodes with an explicit stack (no
// recursion, whatever the input), and an alias is expanded by copying the value its
// anchor names: the copy is refused when the anchor's value is still open (the alias is
// inside it and the tree would be endless) and when it would take the document past
// kMaxNodes values or kMaxExpandedText bytes (a few hundred bytes of nested aliases
// would otherwise expand to billions), before anything is copied.
class Builder {
 public:
  explicit Builder(const std::shared_ptr<const SourceFile>& file) : file_(file) {
    if (!yaml_parser_initialize(&parser_)) throw InputError(SourceLocation{file, 1, 1}, "out of memory reading YAML");
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(file->text.data()),
                                 file->text.size());
    // No encoding is set: check_text has made sure the text is UTF-8, and libyaml's own
    // detection is what drops a byte-order mark before the first key.
  }
  ~Builder() { yaml_parser_delete(&parser_); }
  Builder(const Builder&) = delete;
  Builder& operator=(const Builder&) = delete;

  Node build() {
    for (;;) {
      Event e(parser_);
      if (!e.ok) throw syntax_error();
      switch (e.event.type) {
        case YAML_SCALAR_EVENT: scalar(e.event); break;
        case YAML_SEQUENCE_START_EVENT: open(e.event, Node::Kind::sequence, e.event.data.sequence_start.anchor); break;
        case YAML_MAPPING_START_EVENT: open(e.event, Node::Kind::map, e.event.data.mapping_start.anchor); break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: close(); break;
        case YAML_ALIAS_EVENT: alias(e.event); break;
        case YAML_DOCUMENT_END_EVENT: return end();
        case YAML_STREAM_END_EVENT:
        case YAML_NO_EVENT: return std::move(root_);
        default: break;  // stream and document starts
      }
    }
  }

 private:
  // One event, freed when it goes out of scope.
  struct Event {
    explicit Event(yaml_parser_t& p) : ok(yaml_parser_parse(&p, &event) != 0) {}
    ~Event() {
      if (ok) yaml_event_delete(&event);
    }
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
    yaml_event_t event{};  // declared first: it is filled in while `ok` is initialised
    bool ok;
  };
  // A sequence or map not yet ended, and the anchor it defines.
  struct Open {
    Node node;
    std::string anchor;
    std::size_t first_count, first_text;  // values_ and bytes_ when it started
    Node key;                             // a map's key that waits for its value
    bool has_key = false;
  };
  struct Anchored {
    Node node;
    std::size_t count = 0, text = 0;  // values and text bytes the node holds
    int height = 0;                   // levels of nesting inside it
    bool complete = false;
  };

  // After the document: only the end of the stream may follow. check_one_document finds
  // a second document in the text; this catches the rest (a first key indented more than
  // the ones after it, say, which ends the document early), and reads what follows to
  // its first syntax error.
  Node end() {
    for (;;) {
      Event e(parser_);
      if (!e.ok) throw syntax_error();
      if (e.event.type == YAML_STREAM_END_EVENT || e.event.type == YAML_NO_EVENT) return std::move(root_);
      throw InputError(at(e.event.start_mark), "a second YAML document starts here; a scenario file holds one");
    }
  }

  SourceLocation at(const yaml_mark_t& m) const {
    return {file_, static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1};
  }

  InputError syntax_error() const {
    const char* problem = parser_.problem ? parser_.problem : "the YAML parser failed";
    SourceLocation where = at(parser_.problem_mark);
    // A reader error is located by its byte offset, not by a mark; and at the end of a text
    // with no final line break, libyaml's mark is on a line it adds: both are located by
    // the text before them.
    const std::string& text = file_->text;
    const bool past_end = !text.empty() && text.back() != '\n' &&
                          parser_.problem_mark.line > static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    if (parser_.error == YAML_READER_ERROR || past_end) {
      const std::string_view before =
          std::string_view(text).substr(0, past_end ? text.size() : std::min(parser_.problem_offset, text.size()));
      const std::size_t nl = before.rfind('\n');
      where = {file_, static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1,
               utf8_length(before.substr(nl == std::string_view::npos ? 0 : nl + 1)) + 1};
    }
    std::string message = std::string("invalid YAML: ") + problem;
    if (parser_.error == YAML_READER_ERROR && parser_.problem_value >= 0)  // U+FFFE, say: not "a control character"
      message = fmt::format("invalid YAML: the character U+{:04X} is not allowed in a YAML file",
                            static_cast<unsigned>(parser_.problem_value));
    if (parser_.context) {  // "while parsing a flow mapping", and its line when that is another one
      message += std::string(" (") + parser_.context;
      if (static_cast<int>(parser_.context_mark.line) + 1 != where.line)
        message += fmt::format(" that starts on line {}", parser_.context_mark.line + 1);
      message += ")";
    }
    return InputError(where, message);
  }

  // Counts `values` values and `text` bytes of text against the limits, at `where`, the
  // deepest `height` levels below the current depth; `in_tree` unless they are an
  // anchor's copy, which is charged but is not in the tree.
  void count(const SourceLocation& where, std::size_t values, std::size_t text, int height, bool in_tree = true) {
    if (in_tree) {
      values_ += values;
      bytes_ += text;
    }
    if (open_.size() + static_cast<std::size_t>(height) >= static_cast<std::size_t>(kMaxDepth))
      throw InputError(where, fmt::format("values are nested more than {} levels deep (the limit)", kMaxDepth));
    if ((count_ += values) > kMaxNodes)
      throw InputError(where, fmt::format("the document has more than {} values once its aliases are "
                                          "expanded (the limit)", kMaxNodes));
    if ((text_ += text) > kMaxExpandedText)
      throw InputError(where, fmt::format("the document has more than {} MiB of text once its aliases are "
                                          "expanded (the limit)", kMaxExpandedText >> 20));
  }

  void scalar(const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    Node out;
    out.where = at(e.start_mark);
    count(out.where, 1, s.length, 0);
    out.text.assign(reinterpret_cast<const char*>(s.value), s.length);
    for (std::size_t i = 0; i < out.text.size();) {  // as written in quotes ("\e", "\n") or a block
      const std::size_t len = std::max<std::size_t>(1, utf8_char_size(std::string_view(out.text).substr(i)));
      if (auto c = control_character(std::string_view(out.text).substr(i, len)))
        throw InputError(out.where, control_message(*c));
      i += len;
    }
    // As yaml-cpp read them: null is `!!null`, or a plain, untagged `~`, `null`, `Null`,
    // `NULL` or nothing; quoted is written in quotes or as a block, or tagged `!`.
    const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
    const std::string_view tag = s.tag ? reinterpret_cast<const char*>(s.tag) : "";
    if (tag == "tag:yaml.org,2002:null" ||
        (plain && s.tag == nullptr &&
         (out.text.empty() || out.text == "~" || out.text == "null" || out.text == "Null" || out.text == "NULL"))) {
      out.kind = Node::Kind::null;
      out.text.clear();
    } else {
      out.kind = Node::Kind::scalar;
      out.quoted = (!plain && s.tag == nullptr) || tag == "!";
    }
    if (s.anchor) define(reinterpret_cast<const char*>(s.anchor), out, 1, s.length, 0);
    attach(std::move(out));
  }

  void open(const yaml_event_t& e, Node::Kind kind, const yaml_char_t* anchor) {
    Open o;
    o.node.kind = kind;
    o.node.where = at(e.start_mark);
    count(o.node.where, 1, 0, 0);
    o.first_count = values_ - 1;
    o.first_text = bytes_;
    if (anchor) {
      o.anchor = reinterpret_cast<const char*>(anchor);
      Anchored& a = anchors_[o.anchor];
      a = Anchored{};
      a.node.where = o.node.where;  // where an alias inside it is reported
    }
    open_.push_back(std::move(o));
  }

  void close() {
    Open o = std::move(open_.back());
    open_.pop_back();
    if (!o.anchor.empty()) define(o.anchor, o.node, values_ - o.first_count, bytes_ - o.first_text, height(o.node));
    attach(std::move(o.node));
  }

  static int height(const Node& n) {
    int h = 0;
    for (const Node& item : n.items) h = std::max(h, 1 + height(item));
    for (const auto& [k, v] : n.pairs) h = std::max({h, 1 + height(k), 1 + height(v)});
    return h;
  }

  // Keeps a copy of the anchored value `n` for the aliases that may follow. The copy
  // counts against the limits as an expansion would: anchors nested 60 deep around a
  // long list would otherwise hold 60 copies of it, unbounded by the limits.
  void define(const std::string& name, const Node& n, std::size_t values, std::size_t text, int height) {
    count(n.where, values, text, 0, false);
    Anchored& a = anchors_[name];
    a.node = n;
    a.count = values;
    a.text = text;
    a.height = height;
    a.complete = true;
  }

  void alias(const yaml_event_t& e) {
    const SourceLocation where = at(e.start_mark);
    const auto it = anchors_.find(reinterpret_cast<const char*>(e.data.alias.anchor));
    if (it == anchors_.end()) {
      std::string name = reinterpret_cast<const char*>(e.data.alias.anchor);
      std::size_t cut = 0;  // a name that long is cut to its first 40 characters
      for (int chars = 0; cut < name.size() && chars < 40; ++chars)
        cut += std::max<std::size_t>(1, utf8_char_size(std::string_view(name).substr(cut)));
      if (cut < name.size()) name = name.substr(0, cut) + "…";
      throw InputError(where, fmt::format("invalid YAML: the alias '*{}' names no anchor defined before it", name));
    }
    const Anchored& a = it->second;
    if (!a.complete)
      throw InputError(a.node.where, "an alias in this value refers back to the value itself, which would make it "
                                     "endless");
    count(a.node.where, a.count, a.text, a.height);
    attach(Node(a.node));
  }

  void attach(Node&& n) {
    if (open_.empty()) {
      root_ = std::move(n);
      return;
    }
    Open& parent = open_.back();
    if (parent.node.kind == Node::Kind::sequence) {
      parent.node.items.push_back(std::move(n));
    } else if (!parent.has_key) {
      parent.key = std::move(n);
      parent.has_key = true;
    } else {
      if (n.IsNull()) n.where = parent.key.where;  // a value left empty is located at its key
      parent.node.pairs.emplace_back(std::move(parent.key), std::move(n));
      parent.has_key = false;
    }
  }

  std::shared_ptr<const SourceFile> file_;
  yaml_parser_t parser_{};
  std::vector<Open> open_;
  std::unordered_map<std::string, Anchored> anchors_;
  Node root_;
  std::size_t count_ = 0, text_ = 0;    // values and bytes charged against the limits
  std::size_t values_ = 0, bytes_ = 0;  // values and bytes in the tree (anchors' copies not counted)
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
    // Line breaks are LF or CRLF only: YAML also breaks lines at a lone CR and at U+2028
    // and U+2029, which would put the parser's lines out of step with the file's.
    const bool lone_cr = text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n');
    const bool separator = n == 3 && text.substr(i, 2) == "\xE2\x80" && (text[i + 2] == '\xA8' || text[i + 2] == '\xA9');
    const auto here = [&] { return SourceLocation{file, line, utf8_length(text.substr(line_start, i - line_start)) + 1}; };
    if (lone_cr || separator) {
      const SourceLocation at = here();
      if (lone_cr)
        throw InputError(at, "a carriage return (U+000D) not followed by a line feed; YAML would take it for a line "
                             "break: save the file with LF or CRLF line endings");
      throw InputError(at, fmt::format("U+{} ({}), which YAML takes for a line break; names and values hold only "
                                       "printable text", text[i + 2] == '\xA8' ? "2028" : "2029",
                                       text[i + 2] == '\xA8' ? "a line separator" : "a paragraph separator"));
    }
    if (n == 0 || (control && *control != '\t' && *control != '\n' && *control != '\r')) {
      const SourceLocation at = here();
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

// A second YAML document in the file, found in its text before it is parsed (so the
// message and its line do not depend on the parser): a `---` line after content, or
// content after a `...` line. Document markers cannot occur inside a scalar, so this is
// exact. Throws at its line.
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
  // YAML forbids tabs in indentation; the parser's own message for one does not say so.
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
  Node out = Builder(file).build();
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
