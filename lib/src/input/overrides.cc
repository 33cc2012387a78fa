// `--set PATH=VALUE`: a change to one value of the document, from the command line.
#include <algorithm>
#include <functional>
#include <map>

#include "loading.h"
#include "reading.h"

namespace fundgap::input {

const std::vector<std::string>& top_level_keys() {
  static const std::vector<std::string> keys = {"fundgap",  "name",    "description", "currency", "period",
                                                "partners", "services", "schemes",    "pools",    "checks",
                                                "correlations", "prices", "discount", "places", "delegations"};
  return keys;
}

namespace {

void shift_columns(Node& n, int by) {
  if (n.where.line == 1) n.where.column += by;
  for (Node& item : n.items) shift_columns(item, by);
  for (auto& [k, v] : n.pairs) {
    shift_columns(k, by);
    shift_columns(v, by);
  }
}

// Re-homes the value's locations into the whole override text.
void rehome(Node& n, const std::shared_ptr<const SourceFile>& file) {
  n.where.file = file;
  for (Node& item : n.items) rehome(item, file);
  for (auto& [k, v] : n.pairs) {
    rehome(k, file);
    rehome(v, file);
  }
}

Node key_node(const std::string& text, const SourceLocation& where) {
  Node key;
  key.kind = Node::Kind::scalar;
  key.text = text;
  key.where = where;
  return key;
}

}  // namespace

}  // namespace fundgap::input

namespace fundgap {

void check_override_form(const std::string& spec) {
  auto file = std::make_shared<SourceFile>(SourceFile{"--set", spec});
  const std::size_t eq = spec.find('=');
  if (eq == std::string::npos && !spec.empty() && spec.front() != ' ') {
    // `--set PATH VALUE`, given as one argument or as the path alone.
    const std::size_t space = spec.find(' ');
    const std::size_t value = spec.find_first_not_of(' ', std::min(space, spec.size()));
    const std::string path = spec.substr(0, space);
    const std::string fix = value == std::string::npos ? path + "=VALUE" : path + "=" + spec.substr(value);
    throw InputError(SourceLocation{file, 1, utf8_length(path) + 1},
                     fmt::format("expected PATH=VALUE (like services.acute.demand=4%), found '{}' with no '='; "
                                 "write {}, with no space", spec, fix));
  }
  if (eq == std::string::npos || eq == 0)
    throw InputError(SourceLocation{file, 1, 1},
                     fmt::format("expected PATH=VALUE (like services.acute.demand=4%), found '{}'", spec));
}

}  // namespace fundgap

namespace fundgap::input {

void apply_override(Node& root, const std::string& spec) {
  check_override_form(spec);
  auto file = std::make_shared<SourceFile>(SourceFile{"--set", spec});
  const std::size_t eq = spec.find('=');
  // Path segments with the column each starts at.
  std::vector<std::pair<std::string, int>> segments;
  for (std::size_t start = 0; start <= eq;) {
    std::size_t dot = spec.find('.', start);
    if (dot == std::string::npos || dot > eq) dot = eq;
    segments.emplace_back(spec.substr(start, dot - start), utf8_length(std::string_view(spec).substr(0, start)) + 1);
    start = dot + 1;
  }
  for (const auto& [seg, col] : segments)
    if (seg.empty()) throw InputError(SourceLocation{file, 1, col}, "empty part in the --set path");
  auto value_file = std::make_shared<SourceFile>(SourceFile{"--set", spec.substr(eq + 1)});
  const int value_offset = utf8_length(std::string_view(spec).substr(0, eq)) + 1;  // characters before the value
  const std::string raw = spec.substr(eq + 1);
  if (!raw.empty() && raw.front() == '%')  // YAML takes it for a directive (`%YAML 1.2`), not a value
    throw InputError(SourceLocation{file, 1, value_offset + 1},
                     fmt::format("'{}' is not a value (YAML reads a '%' at the start as a directive); quote it: "
                                 "\"{}\"", raw, raw));
  Node value;
  try {
    value = parse_yaml(value_file);
  } catch (const InputError& e) {
    const Diagnostic& d = e.diagnostics().list().front();
    throw InputError(SourceLocation{file, 1, d.where.column + value_offset}, d.message);
  }
  static const std::vector<std::string> nulls = {"", "null", "Null", "NULL", "~"};
  if (value.IsNull() && std::find(nulls.begin(), nulls.end(), raw) == nulls.end())
    throw InputError(SourceLocation{file, 1, value_offset + 1},
                     fmt::format("'{}' is not a value (YAML reads it as nothing); quote it, or write null to "
                                 "remove the key", raw));
  shift_columns(value, value_offset);
  rehome(value, file);
  if (value.IsNull()) value.where = {file, 1, value_offset + 1};

  const std::string path = spec.substr(0, eq);
  if (!root.IsMap()) return;  // the reader reports a top level that is not a map
  const std::vector<std::string>& top = top_level_keys();
  Node* cur = &root;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& seg = segments[i].first;  // not a structured binding: a lambda below captures it
    const int col = segments[i].second;
    const SourceLocation here{file, 1, col};
    const bool last = i + 1 == segments.size();
    if (i == 0 && std::find(top.begin(), top.end(), seg) == top.end())
      throw InputError(here, fmt::format("unknown key '{}' in --set path '{}'{}", seg, path, did_you_mean(seg, top)));
    if (!cur->IsMap()) {
      std::string parent = path.substr(0, static_cast<std::size_t>(col) - 2);
      throw InputError(here, fmt::format("'{}' is {}, not a map, so '{}' cannot be set inside it", parent,
                                         describe(*cur), seg));
    }
    Node* child = cur->find(seg);
    if (i == 1 && !last && !child) {
      static const std::map<std::string, std::string> kinds = {
          {"partners", "partner"}, {"services", "service"}, {"schemes", "scheme"}, {"pools", "pool"},
          {"places", "place"},     {"delegations", "delegation"}};
      auto kind = kinds.find(segments[0].first);
      if (kind != kinds.end()) {
        std::vector<std::string> known;
        for (const auto& [k, v] : cur->pairs) known.push_back(k.text);
        throw InputError(here, fmt::format("unknown {} '{}' in --set path '{}'{}", kind->second, seg, path,
                                           did_you_mean(seg, known)));
      }
    }
    if (last) {
      if (value.IsNull()) {
        auto it = std::find_if(cur->pairs.begin(), cur->pairs.end(), [&](const auto& p) { return p.first.text == seg; });
        if (it != cur->pairs.end()) cur->pairs.erase(it);
      } else if (child) {
        *child = value;
      } else {
        cur->pairs.emplace_back(key_node(seg, here), value);
      }
      return;
    }
    if (!child) {
      Node map;
      map.kind = Node::Kind::map;
      map.where = here;
      cur->pairs.emplace_back(key_node(seg, here), std::move(map));
      child = &cur->pairs.back().second;
    }
    cur = child;
  }
}

}  // namespace fundgap::input
