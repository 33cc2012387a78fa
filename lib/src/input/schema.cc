// The schema toolkit: the shapes of maps, keys and ids, each problem reported at its place.
#include <algorithm>
#include <cctype>

#include "reading.h"

namespace fundgap::input {

std::string describe(const Node& n) {
  switch (n.kind) {
    case Kind::null: return "nothing";
    case Kind::sequence: return n.size() == 0 ? "an empty list" : "a list";
    case Kind::map: return "a map";
    case Kind::scalar: return fmt::format("'{}'", n.Scalar());
  }
  return "nothing";
}

bool valid_id(const std::string& id) {
  if (id.empty() || !std::isalpha(static_cast<unsigned char>(id[0]))) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

std::vector<Entry> Reading::entries(const Node& map, const std::string& where) {
  std::vector<Entry> out;
  std::map<std::string, SourceLocation> first;
  for (const auto& [key_node, value] : map.pairs) {
    if (!key_node.IsScalar()) {
      diags.error(at(key_node), "expected a name as a key in {}, found {}", where, describe(key_node));
      continue;
    }
    const std::string& key = key_node.Scalar();
    auto [pos, inserted] = first.emplace(key, at(key_node));
    if (!inserted) {
      diags.error(at(key_node), "duplicate key '{}' in {} (first at {})", key, where, line_ref(pos->second));
      continue;
    }
    out.push_back({key, key_node, value});
  }
  return out;
}

std::size_t section_limit(std::string_view section) {
  return section == "services" || section == "schemes" ? 100'000 : 10'000;
}

std::vector<Entry> Reading::section_entries(const Entry& section, const char* what) {
  if (section.value.IsNull()) return {};
  if (!expect(section, Kind::map, fmt::format("a map of {} by id", what).c_str(), "the scenario")) return {};
  const std::size_t limit = section_limit(what);
  if (section.value.pairs.size() > limit) {
    diags.error(at(section.value.pairs[limit].first), "more than {} {} (the limit)", limit, what);
    throw InputError(diags);
  }
  return entries(section.value, fmt::format("'{}'", section.key));
}

std::string Reading::line_ref(const SourceLocation& loc) const {
  if (loc.file && loc.file != file_) return fmt::format("{}:{}", loc.file->path, loc.line);
  return fmt::format("line {}", loc.line);
}

void Reading::check_keys(const std::vector<Entry>& es, const std::vector<std::string>& names,
                         const std::string& where) {
  for (const Entry& e : es) {
    if (std::find(names.begin(), names.end(), e.key) == names.end())
      diags.error(at(e.key_node), "unknown key '{}' in {}{}", e.key, where, did_you_mean(e.key, names));
  }
}

const Entry* Reading::find(const std::vector<Entry>& es, std::string_view key) {
  for (const Entry& e : es)
    if (e.key == key) return &e;
  return nullptr;
}

const Entry* Reading::require(const std::vector<Entry>& es, const char* key, const std::string& where,
                              const SourceLocation& where_loc, std::string_view hint) {
  const Entry* e = find(es, key);
  if (!e) diags.error(where_loc, "missing required key '{}' in {}{}", key, where, hint);
  return e;
}

bool Reading::expect(const Entry& e, Kind type, const char* expected, const std::string& where) {
  if (e.value.kind == type) return true;
  diags.error(at(e), "expected {} for '{}' in {}, found {}", expected, e.key, where, describe(e.value));
  return false;
}

std::optional<std::string> Reading::text(const Entry& e, const std::string& where) {
  if (!expect(e, Kind::scalar, "text", where)) return std::nullopt;
  return e.value.Scalar();
}

std::string Reading::label(const Entry& e, const std::string& where) { return fmt::format("'{}' in {}", e.key, where); }

void Reading::register_id(const Entry& e, const char* kind) {
  const std::string& id = e.key;
  if (id == "system") {
    diags.error(at(e.key_node), "'system' is reserved for the whole-system totals; choose another id for this {}",
                kind);
    return;
  }
  if (!valid_id(id)) {
    diags.error(at(e.key_node),
                "invalid {} id '{}': an id starts with a letter and has only letters, digits and '_'", kind, id);
    return;
  }
  auto [it, inserted] = ids.emplace(id, std::make_pair(std::string(kind), at(e.key_node)));
  if (!inserted)
    diags.error(at(e.key_node), "id '{}' is already used by a {} ({}); ids are unique across partners, "
                "services, schemes and pools", id, it->second.first, line_ref(it->second.second));
}

int Reading::reference(const Node& n, const SourceLocation& loc, EntityKind kind, const std::string& label) {
  const std::string_view name = kind_name(kind);
  if (!n.IsScalar()) {
    diags.error(loc, "expected a {} id for {}, found {}", name, label, describe(n));
    return -1;
  }
  const std::string& id = n.Scalar();
  const int i = sc.index_of(kind, id);
  if (i < 0) {
    std::vector<std::string> known;
    for (int k = 0; k < sc.count(kind); ++k) known.push_back(sc.id_of(kind, k));
    diags.error(loc, "unknown {} '{}' in {}{}", name, id, label, did_you_mean(id, known));
  }
  return i;
}

}  // namespace fundgap::input
