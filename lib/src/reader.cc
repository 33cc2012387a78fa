#include "fundgap/reader.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <map>
#include <sstream>

#include <Eigen/Cholesky>

#include "check_parser.h"
#include "document.h"
#include "values.h"

namespace fundgap {

namespace {

using detail::NumberError;
using detail::parse_quantity;
using detail::percent_text;

// One key/value pair of a YAML map, with the key's text and where the value is.
struct Entry {
  std::string key;
  const detail::Node& key_node;
  const detail::Node& value;
};

using detail::Node;
using Kind = detail::Node::Kind;

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

class Reader {
 public:
  explicit Reader(std::shared_ptr<const SourceFile> file) : file_(std::move(file)) {}

  Scenario read(const Node& root);
  Diagnostics& diagnostics() { return diags_; }

 private:
  // ---- locations and structure -------------------------------------------------
  static SourceLocation at(const Node& n) { return n.where; }
  static SourceLocation at(const Entry& e) { return e.value.where; }

  void record(const std::string& path, const Entry& e) { sc_.origins[path] = at(e); }

  // The pairs of `map`, reporting duplicate and non-scalar keys. `where` names the map.
  std::vector<Entry> entries(const Node& map, const std::string& where) {
    std::vector<Entry> out;
    std::map<std::string, SourceLocation> first;
    for (const auto& [key_node, value] : map.pairs) {
      if (!key_node.IsScalar()) {
        diags_.error(at(key_node), "expected a name as a key in {}, found {}", where, describe(key_node));
        continue;
      }
      const std::string& key = key_node.Scalar();
      auto [pos, inserted] = first.emplace(key, at(key_node));
      if (!inserted) {
        diags_.error(at(key_node), "duplicate key '{}' in {} (first at {})", key, where, line_ref(pos->second));
        continue;
      }
      out.push_back({key, key_node, value});
    }
    return out;
  }

  // "line 12", or "base.yaml:12" when the place is in another file than the one read.
  std::string line_ref(const SourceLocation& loc) const {
    if (loc.file && loc.file != file_) return fmt::format("{}:{}", loc.file->path, loc.line);
    return fmt::format("line {}", loc.line);
  }

  void check_keys(const std::vector<Entry>& es, std::initializer_list<const char*> allowed,
                  const std::string& where) {
    std::vector<std::string> names(allowed.begin(), allowed.end());
    for (const Entry& e : es) {
      if (std::find(names.begin(), names.end(), e.key) == names.end())
        diags_.error(at(e.key_node), "unknown key '{}' in {}{}", e.key, where, did_you_mean(e.key, names));
    }
  }

  static const Entry* find(const std::vector<Entry>& es, std::string_view key) {
    for (const Entry& e : es)
      if (e.key == key) return &e;
    return nullptr;
  }

  const Entry* require(const std::vector<Entry>& es, const char* key, const std::string& where,
                       const SourceLocation& where_loc, std::string_view hint = {}) {
    const Entry* e = find(es, key);
    if (!e) diags_.error(where_loc, "missing required key '{}' in {}{}", key, where, hint);
    return e;
  }

  bool expect(const Entry& e, Kind type, const char* expected, const std::string& where) {
    if (e.value.kind == type) return true;
    diags_.error(at(e), "expected {} for '{}' in {}, found {}", expected, e.key, where, describe(e.value));
    return false;
  }

  // ---- scalar values ----------------------------------------------------------------
  std::optional<std::string> text(const Entry& e, const std::string& where) {
    if (!expect(e, Kind::scalar, "text", where)) return std::nullopt;
    return e.value.Scalar();
  }

  // The parameter the next number() reads, if it is to be registered: its path and target.
  struct Pending {
    std::string path;
    ParameterTarget target;
  };

  // Registers the next number() read as a parameter at `path` (file order).
  void will_read(std::string path, ParameterTarget::Field field, int entity, int index = 0, int first = 0,
                 int last = 0) {
    pending_ = Pending{std::move(path), {field, entity, index, first, last}};
  }


  // A distribution `{normal: {mean: 3%, sd: 0.5%}}` etc., its parameters read as `kind`,
  // truncated to the kind's valid range. Reports problems; nothing on error.
  std::optional<Distribution> distribution(const Node& n, std::string_view kind, const std::string& label) {
    const std::string& name = n.pairs[0].first.text;
    const Node& args = n.pairs[0].second;
    const std::string lbl = fmt::format("the {} distribution for {}", name, label);
    auto value = [&](const Node& v, std::string_view k) -> std::optional<double> {
      auto x = number(v, at(v), k, lbl);
      // As for a single rate: a bare 3 is 300%, almost always meant as 3%.
      if (x && k == "rate" && v.IsScalar() && std::fabs(*x) >= 1 && !parse_quantity(v.text).percent) {
        diags_.error(at(v), "rate {} in {} has no '%' and so means {}; write {}% if that is meant", v.text, lbl,
                     percent_text(*x), v.text);
        return std::nullopt;
      }
      return x;
    };
    auto list = [&](std::size_t size, const char* example) -> std::optional<std::vector<double>> {
      if (!args.IsSequence() || args.size() != size) {
        diags_.error(at(args), "expected {} values like {} for {}, found {}", size, example, lbl, describe(args));
        return std::nullopt;
      }
      std::vector<double> out;
      for (const Node& item : args.items)
        if (auto v = value(item, kind)) out.push_back(*v);
      if (out.size() != size) return std::nullopt;
      return out;
    };
    auto fields = [&](const char* first, const char* second, std::string_view second_kind)
        -> std::optional<std::pair<double, double>> {
      if (!args.IsMap()) {
        diags_.error(at(args), "expected a map with '{}' and '{}' for {}, found {}", first, second, lbl, describe(args));
        return std::nullopt;
      }
      std::vector<Entry> es = entries(args, lbl);
      check_keys(es, {first, second}, lbl);
      const Entry* a = require(es, first, lbl, at(args));
      const Entry* b = require(es, second, lbl, at(args));
      std::optional<double> x = a ? value(a->value, kind) : std::nullopt;
      std::optional<double> y = b ? value(b->value, second_kind) : std::nullopt;
      if (!x || !y) return std::nullopt;
      if (*y < 0) {
        diags_.error(at(b->value), "'{}' of {} cannot be negative", second, lbl);
        return std::nullopt;
      }
      return std::make_pair(*x, *y);
    };
    auto ordered = [&](const std::vector<double>& v) {
      if (std::is_sorted(v.begin(), v.end())) return true;
      diags_.error(at(args), "the values of {} must be in order: low, {}high", lbl, v.size() == 3 ? "mode, " : "");
      return false;
    };
    std::optional<Distribution> d;
    if (name == "normal") {
      if (auto f = fields("mean", "sd", kind)) d = Distribution::normal(f->first, f->second);
    } else if (name == "lognormal") {
      if (auto f = fields("median", "sd_log", "factor")) {
        if (f->first <= 0) {
          diags_.error(at(args), "the median of {} must be above zero", lbl);
          return std::nullopt;
        }
        d = Distribution::lognormal(f->first, f->second);
      }
    } else if (name == "uniform" || name == "interval") {
      if (auto v = list(2, "[1%, 5%]"); v && ordered(*v))
        d = name == "uniform" ? Distribution::uniform((*v)[0], (*v)[1]) : Distribution::interval((*v)[0], (*v)[1]);
    } else if (auto v = list(3, "[1%, 3%, 6%]"); v && ordered(*v)) {
      d = name == "pert" ? Distribution::pert((*v)[0], (*v)[1], (*v)[2])
                         : Distribution::triangular((*v)[0], (*v)[1], (*v)[2]);
    }
    if (!d) return std::nullopt;
    // Draws outside the valid range are redrawn from the truncated distribution.
    const double low = kind == "rate" ? -1 : 0, high = kind == "share" ? 1 : INFINITY;
    if (!d->truncate(low, high)) {
      diags_.error(at(n), "{} has no probability {}", lbl, kind == "rate" ? "above -100%"
                   : kind == "share" ? "between 0% and 100%" : "at or above zero");
      return std::nullopt;
    }
    return d;
  }

  // A number of the given kind: a scalar, or a distribution whose mean is returned.
  // `kind` is "money", "rate", "share" or "factor" (a plain number). Registers it as a
  // parameter when will_read() announced one.
  std::optional<double> number(const Node& n, const SourceLocation& loc, std::string_view kind,
                               const std::string& label) {
    std::optional<Pending> pending = std::exchange(pending_, std::nullopt);
    if (detail::is_distribution(n)) {
      if (!pending) {
        diags_.error(loc, "{} must be a plain number, not a distribution", label);
        return std::nullopt;
      }
      auto d = distribution(n, kind, label);
      if (!d) return std::nullopt;
      sc_.parameters.push_back({pending->path, loc, d->mean(), d, pending->target});
      return d->mean();
    }
    auto v = plain_number(n, loc, kind, label);
    if (v && pending) sc_.parameters.push_back({pending->path, loc, *v, std::nullopt, pending->target});
    return v;
  }

  std::optional<double> plain_number(const Node& n, const SourceLocation& loc, std::string_view kind,
                                     const std::string& label) {
    const char* example = kind == "money" ? "money (like 120m, \xC2\xA3" "1.5bn or 250000)"
                          : kind == "rate" ? "a rate (like 3.5% or 0.035)"
                          : kind == "share" ? "a share (like 40% or 0.4)"
                                            : "a number (like 0.2)";
    if (!n.IsScalar()) {
      diags_.error(loc, "expected {} for {}, found {}", example, label, describe(n));
      return std::nullopt;
    }
    detail::Parsed p = parse_quantity(n.Scalar());
    if (p.error == NumberError::not_finite) {
      diags_.error(loc, "'{}' is not a finite number ({})", n.Scalar(), label);
      return std::nullopt;
    }
    bool wrong_kind = (kind == "money" && p.percent) || (kind != "money" && p.money) || (kind == "factor" && p.percent);
    if (p.error == NumberError::malformed || wrong_kind) {
      diags_.error(loc, "expected {} for {}, found {}", example, label, describe(n));
      return std::nullopt;
    }
    return p.value;
  }

  std::optional<double> money(const Entry& e, const std::string& where) {
    auto v = number(e.value, at(e), "money", label(e, where));
    if (v && *v < 0) {
      diags_.error(at(e), "'{}' in {} cannot be negative", e.key, where);
      return std::nullopt;
    }
    return v;
  }

  // A share in [0, 1]; `what` names it in the range message ("confidence").
  std::optional<double> share(const Node& n, const SourceLocation& loc, const std::string& label) {
    auto v = number(n, loc, "share", label);
    if (v && (*v < 0 || *v > 1)) {
      diags_.error(loc, "{} is {}, outside 0% to 100%", label, percent_text(*v));
      return std::nullopt;
    }
    return v;
  }

  static std::string label(const Entry& e, const std::string& where) {
    return fmt::format("'{}' in {}", e.key, where);
  }

  std::optional<FinancialYear> year(const Node& n, const SourceLocation& loc, const std::string& label) {
    if (n.IsScalar())
      if (auto y = FinancialYear::parse(n.Scalar())) return y;
    diags_.error(loc, "expected a financial year (like 2019/20) for {}, found {}", label, describe(n));
    return std::nullopt;
  }

  // A year that must be one of the projected years; returns its index t.
  std::optional<int> projected_year(const Node& n, const SourceLocation& loc, const std::string& label) {
    auto y = year(n, loc, label);
    if (!y || !period_ok_) return std::nullopt;
    int t = *y - sc_.base_year;
    if (t < 1 || t > sc_.projected_years) {
      diags_.error(loc, "year {} for {} is outside the projected years {} to {}", *y, label,
                   sc_.year(1), sc_.year(sc_.projected_years));
      return std::nullopt;
    }
    return t;
  }

  // A value given per projected year: a scalar, a list of one value per projected
  // year, or a map from year to value (each holds until the next listed year).
  // `kind` is "rate"; every value must be above -100%.
  YearValues per_year_rate(const Entry& e, const std::string& where, const std::string& path,
                           ParameterTarget::Field field, int entity) {
    const int T = period_ok_ ? sc_.projected_years : 0;
    YearValues out = YearValues::Zero(T + 1);
    record(path, e);
    const std::string lbl = label(e, where);
    auto one = [&](const Node& n, const SourceLocation& loc) -> std::optional<double> {
      auto v = number(n, loc, "rate", lbl);
      // A bare 3.5 is a fraction (350%), almost always meant as 3.5%: make the user say.
      if (v && n.IsScalar() && std::fabs(*v) >= 1 && !parse_quantity(n.Scalar()).percent) {
        diags_.error(loc, "rate {} for {} has no '%' and so means {}; write {}% if that is meant", n.Scalar(), lbl,
                     percent_text(*v), n.Scalar());
        return std::nullopt;
      }
      if (v && *v <= -1) {
        diags_.error(loc, "{} for {} is at or below -100%", percent_text(*v), lbl);
        return std::nullopt;
      }
      return v;
    };
    // A distribution is one value for every year, like a scalar.
    switch (detail::is_distribution(e.value) ? Kind::scalar : e.value.kind) {
      case Kind::scalar: {
        will_read(path, field, entity, 0, 1, T);
        if (auto v = one(e.value, at(e))) out.tail(T) = *v;
        break;
      }
      case Kind::sequence: {
        int n = static_cast<int>(e.value.size());
        if (period_ok_ && n != T) {
          diags_.error(at(e), "{} has {} value{} but the period has {} projected year{} ({} to {})", lbl, n,
                       n == 1 ? "" : "s", T, T == 1 ? "" : "s", sc_.year(1), sc_.year(T));
        }
        for (int i = 0; i < n; ++i) {
          const Node& item = e.value.items[static_cast<std::size_t>(i)];
          if (i < T) will_read(fmt::format("{}[{}]", path, sc_.year(i + 1)), field, entity, 0, i + 1, i + 1);
          auto v = one(item, at(item));
          if (v && i < T) {
            out(i + 1) = *v;
            sc_.origins[fmt::format("{}[{}]", path, sc_.year(i + 1))] = at(item);
          }
        }
        break;
      }
      case Kind::map: {
        int previous = 0;
        bool first = true;
        std::size_t previous_parameter = SIZE_MAX;
        for (const Entry& ye : entries(e.value, lbl)) {
          auto t = projected_year(ye.key_node, at(ye.key_node), fmt::format("a key of {}", lbl));
          if (t) will_read(fmt::format("{}[{}]", path, sc_.year(*t)), field, entity, 0, *t, T);
          const std::size_t registered = sc_.parameters.size();
          auto v = one(ye.value, at(ye));
          if (v && t && sc_.parameters.size() > registered) {
            // Each value holds until the next key: end the previous one's years there.
            if (previous_parameter != SIZE_MAX) sc_.parameters[previous_parameter].target.last = *t - 1;
            previous_parameter = registered;
          }
          if (!t) {
            first = false;
            continue;
          }
          if (first && *t != 1) {
            diags_.error(at(ye.key_node), "{} starts at {}; a per-year map must start at the first projected year {}",
                         lbl, sc_.year(*t), sc_.year(1));
          } else if (!first && *t <= previous) {
            diags_.error(at(ye.key_node), "years in {} must increase: {} follows {}", lbl, sc_.year(*t),
                         sc_.year(previous));
            continue;
          }
          first = false;
          previous = *t;
          if (v) out.tail(T - *t + 1) = *v;
          sc_.origins[fmt::format("{}[{}]", path, sc_.year(*t))] = at(ye);
        }
        break;
      }
      default:
        diags_.error(at(e), "expected a rate, a list of rates or a map from year to rate for {}, found nothing",
                     lbl);
    }
    return out;
  }

  // ---- ids ----------------------------------------------------------------------------
  // Checks that `e.key` is a well-formed id not already used; records it.
  void register_id(const Entry& e, const char* kind) {
    const std::string& id = e.key;
    if (id == "system") {
      diags_.error(at(e.key_node), "'system' is reserved for the whole-system totals; choose another id for this {}",
                   kind);
      return;
    }
    if (!valid_id(id)) {
      diags_.error(at(e.key_node),
                   "invalid {} id '{}': an id starts with a letter and has only letters, digits and '_'", kind, id);
      return;
    }
    auto [it, inserted] = ids_.emplace(id, std::make_pair(std::string(kind), at(e.key_node)));
    if (!inserted)
      diags_.error(at(e.key_node), "id '{}' is already used by a {} ({}); ids are unique across partners, "
                   "services, schemes and pools", id, it->second.first, line_ref(it->second.second));
  }

  // Resolves a reference to a partner or service id; -1 (and an error) when unknown.
  int reference(const Node& n, const SourceLocation& loc, bool partner, const std::string& label) {
    const char* kind = partner ? "partner" : "service";
    if (!n.IsScalar()) {
      diags_.error(loc, "expected a {} id for {}, found {}", kind, label, describe(n));
      return -1;
    }
    std::string id = n.Scalar();
    int i = partner ? sc_.partner_index(id) : sc_.service_index(id);
    if (i < 0) {
      std::vector<std::string> known;
      if (partner)
        for (const Partner& p : sc_.partners) known.push_back(p.id);
      else
        for (const Service& s : sc_.services) known.push_back(s.id);
      diags_.error(loc, "unknown {} '{}' in {}{}", kind, id, label, did_you_mean(id, known));
    }
    return i;
  }

  // ---- sections -----------------------------------------------------------------------
  void read_period(const Entry& e);
  void read_partners(const Entry& section);
  void read_services(const Entry& section);
  void read_schemes(const Entry& section);
  void read_pools(const Entry& section);
  void check_funders();
  void read_checks(const Entry& section);
  void read_correlations(const Entry& section);
  std::optional<Pending> pending_;
  std::vector<Entry> section_entries(const Entry& section, const char* what);

  std::shared_ptr<const SourceFile> file_;
  Diagnostics diags_;
  Scenario sc_;
  bool period_ok_ = false;
  std::map<std::string, std::pair<std::string, SourceLocation>> ids_;  // id -> (kind, where)
  std::vector<SourceLocation> funder_loc_;                   // per service: its `funder` value, if any
  std::vector<SourceLocation> service_loc_;                  // per service: its key
};

Scenario Reader::read(const Node& root) {
  if (root.IsNull()) {
    diags_.error({file_, 1, 1}, "the file is empty; a scenario starts with 'fundgap: 1'");
    return sc_;
  }
  if (!root.IsMap()) {
    diags_.error(at(root), "expected a map of scenario keys at the top level, found {}", describe(root));
    return sc_;
  }
  const std::string top = "the scenario";
  std::vector<Entry> es = entries(root, top);
  check_keys(es, {"fundgap", "name", "description", "currency", "period", "partners", "services", "schemes", "pools",
                  "checks", "correlations"},
             top);
  SourceLocation start{file_, 1, 1};
  if (const Entry* e = require(es, "fundgap", top, start, " (the format version: 'fundgap: 1')")) {
    if (!e->value.IsScalar() || e->value.Scalar() != "1")
      diags_.error(at(*e), "unsupported format version {}; this fundgap reads version 1", describe(e->value));
  }
  if (const Entry* e = require(es, "name", top, start))
    if (auto s = text(*e, top)) sc_.name = *s;
  if (const Entry* e = find(es, "description")) text(*e, top);
  if (const Entry* e = find(es, "currency")) {
    if (auto s = text(*e, top)) {
      bool ok = s->size() == 3 && std::all_of(s->begin(), s->end(), [](char c) { return c >= 'A' && c <= 'Z'; });
      if (ok)
        sc_.currency = *s;
      else
        diags_.error(at(*e), "expected a three-letter currency code (like GBP) for 'currency', found '{}'", *s);
    }
  }
  if (const Entry* e = require(es, "period", top, start, " (like 'period: {base: 2018/19, to: 2021/22}')"))
    read_period(*e);
  if (const Entry* e = require(es, "partners", top, start)) read_partners(*e);
  if (const Entry* e = require(es, "services", top, start)) read_services(*e);
  if (const Entry* e = find(es, "schemes")) read_schemes(*e);
  if (const Entry* e = find(es, "pools")) read_pools(*e);
  check_funders();
  if (const Entry* e = find(es, "correlations")) read_correlations(*e);
  // Checks name entities and years, so they are read last, and only when those are sound.
  if (const Entry* e = find(es, "checks"); e && diags_.empty()) read_checks(*e);
  return sc_;
}

void Reader::read_period(const Entry& e) {
  const std::string where = "'period'";
  if (!expect(e, Kind::map, "a map like {base: 2018/19, to: 2021/22}", "the scenario")) return;
  std::vector<Entry> es = entries(e.value, where);
  check_keys(es, {"base", "to"}, where);
  const Entry* base = require(es, "base", where, at(e));
  const Entry* to = require(es, "to", where, at(e));
  std::optional<FinancialYear> b, t;
  if (base) b = year(base->value, at(*base), "'base' in 'period'");
  if (to) t = year(to->value, at(*to), "'to' in 'period'");
  if (!b || !t) return;
  if (*t <= *b) {
    diags_.error(at(*to), "the period must end after its base year: 'to' is {} and 'base' is {}", *t, *b);
    return;
  }
  if (*t - *b > 100) {
    diags_.error(at(*to), "the period runs {} years past its base; at most 100 are projected", *t - *b);
    return;
  }
  sc_.base_year = *b;
  sc_.projected_years = *t - *b;
  period_ok_ = true;
  record("period", e);
}

std::vector<Entry> Reader::section_entries(const Entry& section, const char* what) {
  if (section.value.IsNull()) return {};
  if (!expect(section, Kind::map, fmt::format("a map of {} by id", what).c_str(), "the scenario"))
    return {};
  std::vector<Entry> es = entries(section.value, fmt::format("'{}'", section.key));
  return es;
}

void Reader::read_partners(const Entry& section) {
  sc_.origins["partners"] = at(section.key_node);
  for (const Entry& pe : section_entries(section, "partners")) {
    register_id(pe, "partner");
    const std::string where = fmt::format("partner '{}'", pe.key);
    const std::string path = "partners." + pe.key;
    Partner p;
    p.id = pe.key;
    p.name = pe.key;
    p.growth = YearValues::Zero(sc_.projected_years + 1);
    sc_.origins[path] = at(pe.key_node);
    if (expect(pe, Kind::map, "a map with 'funding'", "'partners'")) {
      std::vector<Entry> es = entries(pe.value, where);
      check_keys(es, {"name", "funding"}, where);
      if (const Entry* e = find(es, "name"))
        if (auto s = text(*e, where)) p.name = *s;
      if (const Entry* f = require(es, "funding", where, at(pe.key_node), " (like 'funding: {base: 300m}')")) {
        const std::string fwhere = "funding of " + where;
        if (expect(*f, Kind::map, "a map like {base: 300m, growth: 2%}", where)) {
          std::vector<Entry> fs = entries(f->value, fwhere);
          check_keys(fs, {"base", "growth"}, fwhere);
          if (const Entry* b = require(fs, "base", fwhere, at(*f))) {
            record(path + ".funding.base", *b);
            will_read(path + ".funding.base", ParameterTarget::Field::funding_base, static_cast<int>(sc_.partners.size()));
            if (auto v = money(*b, fwhere)) p.funding_base = *v;
          }
          if (const Entry* g = find(fs, "growth")) p.growth = per_year_rate(*g, fwhere, path + ".funding.growth", ParameterTarget::Field::funding_growth,
                                    static_cast<int>(sc_.partners.size()));
        }
      }
    }
    sc_.partners.push_back(std::move(p));
  }
  if (sc_.partners.empty()) diags_.error(at(section), "a scenario needs at least one partner");
}

void Reader::read_services(const Entry& section) {
  sc_.origins["services"] = at(section.key_node);
  for (const Entry& se : section_entries(section, "services")) {
    register_id(se, "service");
    const std::string where = fmt::format("service '{}'", se.key);
    const std::string path = "services." + se.key;
    Service s;
    s.id = se.key;
    s.name = se.key;
    s.demand = YearValues::Zero(sc_.projected_years + 1);
    s.inflation = s.demand;
    sc_.origins[path] = at(se.key_node);
    service_loc_.push_back(at(se.key_node));
    funder_loc_.emplace_back();
    const bool is_map = expect(se, Kind::map, "a map with 'base'", "'services'");
    if (!is_map) service_loc_.back() = {};  // already reported; no second error about its funder
    if (is_map) {
      std::vector<Entry> es = entries(se.value, where);
      check_keys(es, {"name", "funder", "base", "demand", "inflation"}, where);
      if (const Entry* e = find(es, "name"))
        if (auto t = text(*e, where)) s.name = *t;
      if (const Entry* b = require(es, "base", where, at(se.key_node))) {
        record(path + ".base", *b);
        will_read(path + ".base", ParameterTarget::Field::service_base, static_cast<int>(sc_.services.size()));
        if (auto v = money(*b, where)) s.base = *v;
      }
      const int index = static_cast<int>(sc_.services.size());
      if (const Entry* d = find(es, "demand"))
        s.demand = per_year_rate(*d, where, path + ".demand", ParameterTarget::Field::demand, index);
      if (const Entry* i = find(es, "inflation"))
        s.inflation = per_year_rate(*i, where, path + ".inflation", ParameterTarget::Field::inflation, index);
      if (const Entry* f = find(es, "funder")) {
        record(path + ".funder", *f);
        funder_loc_.back() = at(*f);
        const std::string lbl = "'funder' of " + where;
        if (f->value.IsScalar()) {
          int p = reference(f->value, at(*f), true, lbl);
          if (p >= 0) s.funders.push_back({p, 1.0});
        } else if (f->value.IsMap()) {
          double total = 0;
          bool all_ok = true;
          for (const Entry& fe : entries(f->value, lbl)) {
            int p = reference(fe.key_node, at(fe.key_node), true, lbl);
            auto w = share(fe.value, at(fe), fmt::format("share of '{}' in {}", fe.key, lbl));
            if (p < 0 || !w) {
              all_ok = false;
              continue;
            }
            total += *w;
            s.funders.push_back({p, *w});
          }
          if (all_ok && std::fabs(total - 1) > 1e-9)
            diags_.error(at(*f), "funding shares of {} sum to {}, not 100%", where, percent_text(total));
        } else {
          diags_.error(at(*f), "expected a partner id or a map of partner shares for {}, found {}", lbl,
                       describe(f->value));
        }
      }
    }
    sc_.services.push_back(std::move(s));
  }
  if (sc_.services.empty()) diags_.error(at(section), "a scenario needs at least one service");
}

void Reader::read_schemes(const Entry& section) {
  sc_.origins["schemes"] = at(section.key_node);
  for (const Entry& ke : section_entries(section, "schemes")) {
    register_id(ke, "scheme");
    const std::string where = fmt::format("scheme '{}'", ke.key);
    const std::string path = "schemes." + ke.key;
    sc_.origins[path] = at(ke.key_node);
    Scheme k;
    k.id = ke.key;
    k.name = ke.key;
    bool ok = true;
    const int scheme_index = static_cast<int>(sc_.schemes.size());
    const std::size_t first_parameter = sc_.parameters.size();
    if (!expect(ke, Kind::map, "a map with 'service' and 'saving'", "'schemes'")) continue;
    std::vector<Entry> es = entries(ke.value, where);
    check_keys(es, {"name", "service", "saving", "start", "ramp", "confidence", "reprovide", "investment"}, where);
    if (const Entry* e = find(es, "name"))
      if (auto t = text(*e, where)) k.name = *t;
    if (const Entry* e = require(es, "service", where, at(ke.key_node))) {
      record(path + ".service", *e);
      k.service = reference(e->value, at(*e), false, "'service' of " + where);
      ok = ok && k.service >= 0;
    }
    if (const Entry* e = require(es, "saving", where, at(ke.key_node), " (a share like 20% or money like 5m)")) {
      record(path + ".saving", *e);
      detail::Parsed q = e->value.IsScalar() ? parse_quantity(e->value.Scalar()) : detail::Parsed{};
      if (detail::is_distribution(e->value)) {
        // A share when the distribution's values are percentages, otherwise money.
        const Node& args = e->value.pairs[0].second;
        const Node* first = args.IsSequence() && args.size() ? &args.items[0]
                            : args.IsMap() && args.size()     ? &args.pairs[0].second
                                                              : nullptr;
        k.absolute = !(first && first->IsScalar() && parse_quantity(first->text).percent);
        will_read(path + ".saving", ParameterTarget::Field::saving, scheme_index);
        const bool bare = first && first->IsScalar() && !parse_quantity(first->text).money &&
                          parse_quantity(first->text).value > 0 && parse_quantity(first->text).value < 1;
        if (k.absolute && bare) {
          diags_.error(at(*first), "'saving' in {} is ambiguous: write percentages for a share of spend or "
                       "\xC2\xA3 amounts for money", where);
          ok = false;
        } else if (auto v = number(e->value, at(*e), k.absolute ? "money" : "share", label(*e, where))) {
          k.saving = *v;
          if (*v < 0) {
            diags_.error(at(*e), "'saving' in {} has a negative mean (a cost belongs in 'investment')", where);
            ok = false;
          } else if (!k.absolute && *v > 1) {
            diags_.error(at(*e), "'saving' in {} has a mean of {}, more than the whole spend of its service", where,
                         percent_text(*v));
            ok = false;
          }
        } else {
          ok = false;
        }
      } else if (e->value.IsScalar() && q.error == NumberError::none) {
        sc_.parameters.push_back({path + ".saving", at(*e), q.value, std::nullopt,
                                  {ParameterTarget::Field::saving, scheme_index, 0, 0, 0}});
        k.absolute = !q.percent;
        k.saving = q.value;
        if (!q.percent && !q.money && q.value > 0 && q.value < 1) {
          diags_.error(at(*e), "'saving' {} in {} is ambiguous: write {} for a share of spend or "
                       "\xC2\xA3{} for money", e->value.Scalar(), where, percent_text(q.value), e->value.Scalar());
          ok = false;
        } else if (q.percent && q.value > 1) {
          diags_.error(at(*e), "'saving' {} in {} is more than the whole spend of its service", e->value.Scalar(),
                       where);
          ok = false;
        } else if (q.value < 0) {
          diags_.error(at(*e), "'saving' in {} cannot be negative (a cost belongs in 'investment')", where);
          ok = false;
        }
      } else if (q.error == NumberError::not_finite) {
        diags_.error(at(*e), "'{}' is not a finite number ({})", e->value.Scalar(), label(*e, where));
        ok = false;
      } else {
        diags_.error(at(*e), "expected a share of spend (like 20%) or money (like 5m) for 'saving' in {}, found {}",
                     where, describe(e->value));
        ok = false;
      }
    }
    if (const Entry* e = find(es, "start")) {
      record(path + ".start", *e);
      if (auto t = projected_year(e->value, at(*e), "'start' of " + where)) k.start = *t;
    }
    auto read_ramp = [&](const Entry& e, const std::string& rwhere, std::vector<double>& out,
                         ParameterTarget::Field field, const std::string& rpath) {
      std::vector<const Node*> items;
      if (e.value.IsSequence())
        for (const Node& item : e.value.items) items.push_back(&item);
      else if (e.value.IsScalar())
        items.push_back(&e.value);
      if (items.empty()) {
        diags_.error(at(e), "expected a list of shares (like [25%, 50%, 100%]) for 'ramp' in {}, found {}", rwhere,
                     describe(e.value));
        return;
      }
      out.clear();
      for (const Node* n : items) {
        will_read(fmt::format("{}[{}]", rpath, out.size() + 1), field, scheme_index, static_cast<int>(out.size()));
        if (auto v = share(*n, at(*n), fmt::format("ramp value in {}", rwhere))) out.push_back(*v);
      }
      if (out.size() != items.size()) out.clear();
    };
    if (const Entry* e = find(es, "ramp")) {
      record(path + ".ramp", *e);
      read_ramp(*e, where, k.ramp, ParameterTarget::Field::ramp, path + ".ramp");
      if (k.ramp.empty()) k.ramp = {1.0};
    }
    if (const Entry* e = find(es, "confidence")) {
      record(path + ".confidence", *e);
      will_read(path + ".confidence", ParameterTarget::Field::confidence, scheme_index);
      if (auto v = share(e->value, at(*e), "confidence of " + where)) k.confidence = *v;
    }
    if (const Entry* e = find(es, "reprovide")) {
      const std::string rwhere = "'reprovide' of " + where;
      record(path + ".reprovide", *e);
      if (expect(*e, Kind::map, "a map like {service: community, share: 40%}", where)) {
        std::vector<Entry> rs = entries(e->value, rwhere);
        check_keys(rs, {"service", "share"}, rwhere);
        if (const Entry* r = require(rs, "service", rwhere, at(*e))) {
          record(path + ".reprovide.service", *r);
          k.reprovide_service = reference(r->value, at(*r), false, rwhere);
          if (k.reprovide_service >= 0 && k.reprovide_service == k.service) {
            diags_.error(at(*r), "{} re-provides into its own service '{}'; name another service", where,
                         r->value.Scalar());
            k.reprovide_service = -1;
          }
        }
        if (const Entry* r = require(rs, "share", rwhere, at(*e))) {
          record(path + ".reprovide.share", *r);
          will_read(path + ".reprovide.share", ParameterTarget::Field::reprovide_share, scheme_index);
          if (auto v = share(r->value, at(*r), "re-provided share of " + where)) k.reprovide_share = *v;
        }
      }
    }
    if (const Entry* e = find(es, "investment")) {
      const std::string iwhere = "'investment' of " + where;
      record(path + ".investment", *e);
      if (expect(*e, Kind::map, "a map like {service: community, amount: 3m}", where)) {
        std::vector<Entry> is = entries(e->value, iwhere);
        check_keys(is, {"service", "amount", "ramp"}, iwhere);
        if (const Entry* r = require(is, "service", iwhere, at(*e))) {
          record(path + ".investment.service", *r);
          k.investment_service = reference(r->value, at(*r), false, iwhere);
        }
        if (const Entry* r = require(is, "amount", iwhere, at(*e))) {
          record(path + ".investment.amount", *r);
          will_read(path + ".investment.amount", ParameterTarget::Field::investment, scheme_index);
          if (auto v = money(*r, iwhere)) k.investment = *v;
        }
        if (const Entry* r = find(is, "ramp")) {
          record(path + ".investment.ramp", *r);
          read_ramp(*r, iwhere, k.investment_ramp, ParameterTarget::Field::investment_ramp, path + ".investment.ramp");
        }
      }
    }
    if (ok)
      sc_.schemes.push_back(std::move(k));
    else
      sc_.parameters.resize(first_parameter);  // a dropped scheme's inputs go with it
  }
}

void Reader::read_pools(const Entry& section) {
  sc_.origins["pools"] = at(section.key_node);
  const Eigen::Index P = static_cast<Eigen::Index>(sc_.partners.size());
  std::map<int, std::pair<std::string, SourceLocation>> pooled;  // service -> (pool id, where)
  for (const Entry& qe : section_entries(section, "pools")) {
    register_id(qe, "pool");
    const std::string where = fmt::format("pool '{}'", qe.key);
    const std::string path = "pools." + qe.key;
    sc_.origins[path] = at(qe.key_node);
    Pool q;
    q.id = qe.key;
    q.name = qe.key;
    q.contributions = Eigen::ArrayXd::Zero(P);
    q.fixed_shares = Eigen::ArrayXd::Zero(P);
    q.growth = YearValues::Zero(sc_.projected_years + 1);
    const int index = static_cast<int>(sc_.pools.size());
    if (!expect(qe, Kind::map, "a map with 'host', 'services' and 'contributions'", "'pools'")) continue;
    std::vector<Entry> es = entries(qe.value, where);
    check_keys(es, {"name", "host", "services", "contributions", "growth", "risk_share"}, where);
    if (const Entry* e = find(es, "name"))
      if (auto t = text(*e, where)) q.name = *t;
    if (const Entry* e = require(es, "host", where, at(qe.key_node))) {
      record(path + ".host", *e);
      q.host = std::max(0, reference(e->value, at(*e), true, "'host' of " + where));
    }
    if (const Entry* e = require(es, "services", where, at(qe.key_node))) {
      record(path + ".services", *e);
      std::vector<const Node*> items;
      if (e->value.IsSequence())
        for (const Node& item : e->value.items) items.push_back(&item);
      else if (e->value.IsScalar())
        items.push_back(&e->value);
      else
        diags_.error(at(*e), "expected a list of service ids for 'services' in {}, found {}", where,
                     describe(e->value));
      for (const Node* n : items) {
        int s = reference(*n, at(*n), false, "'services' of " + where);
        if (s < 0) continue;
        auto [it, inserted] = pooled.emplace(s, std::make_pair(q.id, at(*n)));
        if (!inserted) {
          diags_.error(at(*n), "service '{}' is already in pool '{}' ({}); a service can be in at most one pool",
                       n->Scalar(), it->second.first, line_ref(it->second.second));
          continue;
        }
        q.services.push_back(s);
        sc_.services[static_cast<std::size_t>(s)].pool = index;
      }
      if (items.empty() && e->value.IsSequence())
        diags_.error(at(*e), "{} pools no services; list at least one", where);
    }
    if (const Entry* e = require(es, "contributions", where, at(qe.key_node), " (like {council: 40m, ccg: 50m})")) {
      record(path + ".contributions", *e);
      const std::string cwhere = "'contributions' of " + where;
      if (expect(*e, Kind::map, "a map from partner to base-year amount", where)) {
        for (const Entry& ce : entries(e->value, cwhere)) {
          int p = reference(ce.key_node, at(ce.key_node), true, cwhere);
          if (p >= 0) will_read(fmt::format("{}.contributions.{}", path, ce.key), ParameterTarget::Field::contribution,
                                index, p);
          auto v = money(ce, cwhere);
          record(fmt::format("{}.contributions.{}", path, ce.key), ce);
          if (p >= 0 && v) q.contributions(p) = *v;
        }
      }
    }
    if (const Entry* e = find(es, "growth"))
      q.growth = per_year_rate(*e, where, path + ".growth", ParameterTarget::Field::pool_growth, index);
    bool risk_rule_ok = true;
    if (const Entry* e = find(es, "risk_share")) {
      record(path + ".risk_share", *e);
      const std::string rwhere = "'risk_share' of " + where;
      if (e->value.IsScalar() && e->value.Scalar() == "proportional") {
        q.risk_rule = RiskShareRule::proportional;
      } else if (e->value.IsScalar() && e->value.Scalar() == "host") {
        q.risk_rule = RiskShareRule::host;
      } else if (e->value.IsMap()) {
        q.risk_rule = RiskShareRule::fixed;
        double total = 0;
        bool all_ok = true;
        for (const Entry& re : entries(e->value, rwhere)) {
          int p = reference(re.key_node, at(re.key_node), true, rwhere);
          auto w = share(re.value, at(re), fmt::format("share of '{}' in {}", re.key, rwhere));
          if (p < 0 || !w) {
            all_ok = false;
            continue;
          }
          q.fixed_shares(p) = *w;
          total += *w;
        }
        if (all_ok && std::fabs(total - 1) > 1e-9)
          diags_.error(at(*e), "risk shares of {} sum to {}, not 100%", where, percent_text(total));
      } else {
        risk_rule_ok = false;
        std::string found = describe(e->value);
        diags_.error(at(*e), "expected 'proportional', 'host' or a map of partner shares for {}, found {}{}", rwhere,
                     found,
                     e->value.IsScalar() ? did_you_mean(e->value.Scalar(), {"proportional", "host"}) : std::string());
      }
    }
    if (q.risk_rule == RiskShareRule::proportional && risk_rule_ok && (q.contributions <= 0).all() &&
        find(es, "contributions"))
      diags_.error(at(qe.key_node), "{} shares risk in proportion to contributions but has none; "
                   "give contributions or use 'risk_share: host'", where);
    sc_.pools.push_back(std::move(q));
  }
}

// `correlations:` groups of uncertain parameters with a correlation matrix (or one
// coefficient for every pair), applied through a Gaussian copula.
void Reader::read_correlations(const Entry& section) {
  if (section.value.IsNull()) return;
  if (!expect(section, Kind::sequence, "a list of correlation groups", "the scenario")) return;
  std::map<int, SourceLocation> grouped;
  for (const Node& item : section.value.items) {
    const std::string where = "a correlation group";
    if (!item.IsMap()) {
      diags_.error(at(item), "expected a map with 'parameters' and 'matrix' (or 'correlation') for {}, found {}", where,
                   describe(item));
      continue;
    }
    std::vector<Entry> es = entries(item, where);
    check_keys(es, {"parameters", "matrix", "correlation"}, where);
    const Entry* params = require(es, "parameters", where, at(item), " (a list of uncertain inputs' paths)");
    const Entry* matrix = find(es, "matrix");
    const Entry* single = find(es, "correlation");
    if (!params) continue;
    if (!params->value.IsSequence() || params->value.size() < 2) {
      diags_.error(at(*params), "expected a list of at least two parameter paths for 'parameters' in {}, found {}",
                   where, params->value.IsSequence() ? std::string("only one") : describe(params->value));
      continue;
    }
    CorrelationGroup g;
    g.where = at(item);
    bool ok = true;
    std::vector<std::string> uncertain;
    for (const Parameter& p : sc_.parameters)
      if (p.distribution) uncertain.push_back(p.path);
    for (const Node& n : params->value.items) {
      auto it = std::find_if(sc_.parameters.begin(), sc_.parameters.end(),
                             [&](const Parameter& p) { return n.IsScalar() && p.path == n.text; });
      if (it == sc_.parameters.end()) {
        diags_.error(at(n), "unknown parameter {} in 'parameters'{}", describe(n),
                     n.IsScalar() ? did_you_mean(n.text, uncertain) : std::string());
        ok = false;
        continue;
      }
      if (!it->distribution) {
        diags_.error(at(n), "'{}' is certain; only inputs given as distributions can be correlated", n.text);
        ok = false;
        continue;
      }
      const int index = static_cast<int>(it - sc_.parameters.begin());
      auto [pos, inserted] = grouped.emplace(index, at(n));
      if (!inserted) {
        diags_.error(at(n), "'{}' is already in a correlation group ({}); a parameter can be in one only", n.text,
                     line_ref(pos->second));
        ok = false;
        continue;
      }
      g.parameters.push_back(index);
    }
    const Eigen::Index k = static_cast<Eigen::Index>(params->value.size());
    Eigen::MatrixXd r = Eigen::MatrixXd::Identity(k, k);
    if ((matrix == nullptr) == (single == nullptr)) {
      diags_.error(at(item), "give either 'matrix' or 'correlation' in {}", where);
      continue;
    }
    if (single) {
      auto v = plain_number(single->value, at(*single), "factor", "'correlation' in " + where);
      if (!v) continue;
      if (*v < -1 || *v > 1) {
        diags_.error(at(*single), "a correlation must be between -1 and 1, found {}", single->value.text);
        continue;
      }
      r = Eigen::MatrixXd::Constant(k, k, *v);
      r.diagonal().setOnes();
    } else {
      const Node& m = matrix->value;
      if (!m.IsSequence() || static_cast<Eigen::Index>(m.size()) != k) {
        diags_.error(at(*matrix), "expected {} rows of {} for 'matrix' in {}, one per parameter", k, k, where);
        continue;
      }
      for (Eigen::Index i = 0; i < k; ++i) {
        const Node& rowm = m.items[static_cast<std::size_t>(i)];
        if (!rowm.IsSequence() || static_cast<Eigen::Index>(rowm.size()) != k) {
          diags_.error(at(rowm), "expected a row of {} numbers in 'matrix', found {}", k, describe(rowm));
          ok = false;
          continue;
        }
        for (Eigen::Index j = 0; j < k; ++j) {
          const Node& cell = rowm.items[static_cast<std::size_t>(j)];
          auto v = plain_number(cell, at(cell), "factor", "a correlation");
          if (!v) {
            ok = false;
            continue;
          }
          if (*v < -1 || *v > 1 || (i == j && *v != 1)) {
            if (i == j)
              diags_.error(at(cell), "the diagonal of a correlation matrix must be 1, found {}", cell.text);
            else
              diags_.error(at(cell), "a correlation must be between -1 and 1, found {}", cell.text);
            ok = false;
          }
          r(i, j) = *v;
        }
      }
      if (ok && !r.isApprox(r.transpose(), 0)) {
        diags_.error(at(*matrix), "the correlation matrix must be symmetric");
        ok = false;
      }
    }
    if (!ok) continue;
    Eigen::LLT<Eigen::MatrixXd> llt(r);
    if (llt.info() != Eigen::Success) {
      diags_.error(at(matrix ? *matrix : *single), "the correlation matrix is not positive definite; no set of "
                   "inputs can be correlated like this");
      continue;
    }
    g.cholesky = llt.matrixL();
    sc_.correlations.push_back(std::move(g));
  }
}

// `checks:` a list of expressions, or of maps {name, check}.
void Reader::read_checks(const Entry& section) {
  sc_.origins["checks"] = at(section.key_node);
  if (section.value.IsNull()) return;
  if (!expect(section, Kind::sequence, "a list of checks", "the scenario")) return;
  for (const Node& item : section.value.items) {
    Check c;
    const Node* expr = nullptr;
    if (item.IsScalar()) {
      expr = &item;
    } else if (item.IsMap()) {
      const std::string where = "a check";
      std::vector<Entry> es = entries(item, where);
      check_keys(es, {"name", "check"}, where);
      if (const Entry* n = find(es, "name"))
        if (auto t = text(*n, where)) c.name = *t;
      if (const Entry* e = require(es, "check", where, at(item), " (like 'check: system.gap[2021/22] <= 0')")) {
        if (e->value.IsScalar())
          expr = &e->value;
        else
          expect(*e, Kind::scalar, "an expression", where);
      }
    } else {
      diags_.error(at(item), "expected a check expression (like system.gap[2021/22] <= 0) or a map with 'check', "
                   "found {}", describe(item));
    }
    if (!expr) continue;
    c.expression = expr->text;
    c.where = at(*expr);
    if (expr->quoted) ++c.where.column;  // past the opening quote
    if (c.name.empty()) c.name = c.expression;
    if (detail::parse_check(sc_, c, diags_)) sc_.checks.push_back(std::move(c));
  }
}

// Every service is funded either by named partners or by exactly one pool.
void Reader::check_funders() {
  for (std::size_t s = 0; s < sc_.services.size(); ++s) {
    const Service& sv = sc_.services[s];
    bool has_funder = funder_loc_[s].known();
    if (sv.pool >= 0 && has_funder)
      diags_.error(funder_loc_[s], "service '{}' is in pool '{}' and so cannot have a funder; the pool's "
                   "contributions fund it", sv.id, sc_.pools[static_cast<std::size_t>(sv.pool)].id);
    else if (sv.pool < 0 && !has_funder && service_loc_[s].known())
      diags_.error(service_loc_[s], "service '{}' has no funder and is in no pool; add 'funder: PARTNER'", sv.id);
  }
}

}  // namespace

namespace {

// Reads a whole file; throws InputError at `named_at` (or with no location) on failure.
std::string read_file(const std::string& path, const SourceLocation& named_at, std::string_view named_by) {
  auto fail = [&](const std::string& why) {
    throw InputError(named_at, named_by.empty() ? fmt::format("cannot {}", why)
                                                : fmt::format("cannot {} (named by {})", why, named_by));
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(fmt::format("read '{}': it is a directory", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(fmt::format("open '{}': {}", path, std::strerror(errno)));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) fail(fmt::format("read '{}': {}", path, std::strerror(errno)));
  return buffer.str();
}

// Parses `text` and, when it has `extends: BASE`, merges it over BASE (read relative to
// `path`, recursively). `chain` holds the canonical paths being read, to catch cycles.
Node load_document(const std::shared_ptr<const SourceFile>& file, std::vector<std::string>& chain) {
  Node doc = detail::parse_yaml(file);
  if (!doc.IsMap()) return doc;
  auto ext = std::find_if(doc.pairs.begin(), doc.pairs.end(), [](const auto& p) { return p.first.text == "extends"; });
  if (ext == doc.pairs.end()) return doc;
  const Node& value = ext->second;
  if (!value.IsScalar() || value.text.empty())
    throw InputError(value.where, fmt::format("expected a file name for 'extends', found {}", describe(value)));
  namespace fs = std::filesystem;
  fs::path base = fs::path(file->path).parent_path() / value.text;
  std::string canonical = fs::weakly_canonical(base).string();
  if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
    std::string cycle;
    for (const std::string& c : chain) cycle += fs::path(c).filename().string() + " -> ";
    throw InputError(value.where, fmt::format("'extends' makes a cycle: {}{}", cycle, base.filename().string()));
  }
  auto base_file = std::make_shared<SourceFile>(SourceFile{base.lexically_normal().string(),
                                                           read_file(base.string(), value.where, "'extends'")});
  chain.push_back(canonical);
  Node merged = load_document(base_file, chain);
  chain.pop_back();
  doc.pairs.erase(ext);
  if (!merged.IsMap())
    throw InputError(value.where, fmt::format("'{}' (named by 'extends') is not a scenario map", base_file->path));
  detail::merge_into(merged, doc);
  return merged;
}

void shift_columns(Node& n, int by) {
  if (n.where.line == 1) n.where.column += by;
  for (Node& item : n.items) shift_columns(item, by);
  for (auto& [k, v] : n.pairs) {
    shift_columns(k, by);
    shift_columns(v, by);
  }
}

const std::vector<std::string> kTopKeys = {"fundgap", "name", "description", "currency", "period",
                                           "partners", "services", "schemes", "pools", "checks", "correlations"};

// Applies one `--set PATH=VALUE` to the document. Diagnostics point into the override
// text itself, shown as the file "--set".
void apply_override(Node& root, const std::string& spec) {
  auto file = std::make_shared<SourceFile>(SourceFile{"--set", spec});
  const std::size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(SourceLocation{file, 1, 1},
                     fmt::format("expected PATH=VALUE (like services.acute.demand=4%), found '{}'", spec));
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
  Node value;
  try {
    value = detail::parse_yaml(value_file);
  } catch (const InputError& e) {
    const Diagnostic& d = e.diagnostics().list().front();
    throw InputError(SourceLocation{file, 1, d.where.column + value_offset}, d.message);
  }
  // Re-home the value's locations into the whole override text.
  std::function<void(Node&)> rehome = [&](Node& n) {
    n.where.file = file;
    for (Node& item : n.items) rehome(item);
    for (auto& [k, v] : n.pairs) {
      rehome(k);
      rehome(v);
    }
  };
  const std::string raw = spec.substr(eq + 1);
  static const std::vector<std::string> nulls = {"", "null", "Null", "NULL", "~"};
  if (value.IsNull() && std::find(nulls.begin(), nulls.end(), raw) == nulls.end())
    throw InputError(SourceLocation{file, 1, value_offset + 1},
                     fmt::format("'{}' is not a value (YAML reads it as nothing); quote it, or write null to "
                                 "remove the key", raw));
  shift_columns(value, value_offset);
  rehome(value);
  if (value.IsNull()) value.where = {file, 1, value_offset + 1};

  const std::string path = spec.substr(0, eq);
  if (!root.IsMap()) return;  // the reader reports a top level that is not a map
  Node* cur = &root;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& [seg, col] = segments[i];
    const SourceLocation here{file, 1, col};
    const bool last = i + 1 == segments.size();
    if (i == 0 && std::find(kTopKeys.begin(), kTopKeys.end(), seg) == kTopKeys.end())
      throw InputError(here, fmt::format("unknown key '{}' in --set path '{}'{}", seg, path, did_you_mean(seg, kTopKeys)));
    if (!cur->IsMap()) {
      std::string parent = path.substr(0, static_cast<std::size_t>(col) - 2);
      throw InputError(here, fmt::format("'{}' is {}, not a map, so '{}' cannot be set inside it", parent,
                                         describe(*cur), seg));
    }
    Node* child = cur->find(seg);
    if (i == 1 && !last && !child) {
      static const std::map<std::string, std::string> kinds = {
          {"partners", "partner"}, {"services", "service"}, {"schemes", "scheme"}, {"pools", "pool"}};
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
        Node key;
        key.kind = Node::Kind::scalar;
        key.text = seg;
        key.where = here;
        cur->pairs.emplace_back(std::move(key), value);
      }
      return;
    }
    if (!child) {
      Node key, map;
      key.kind = Node::Kind::scalar;
      key.text = seg;
      key.where = here;
      map.kind = Node::Kind::map;
      map.where = here;
      cur->pairs.emplace_back(std::move(key), std::move(map));
      child = &cur->pairs.back().second;
    }
    cur = child;
  }
}

Scenario read_document(const std::shared_ptr<const SourceFile>& file, const LoadOptions& options) {
  std::vector<std::string> chain{std::filesystem::weakly_canonical(file->path).string()};
  Node root = load_document(file, chain);
  for (const std::string& spec : options.overrides) apply_override(root, spec);
  Reader reader(file);
  Scenario sc = reader.read(root);
  if (!reader.diagnostics().empty()) throw InputError(reader.diagnostics());
  return sc;
}

}  // namespace

Scenario load_scenario_text(const std::string& path, std::string text, const LoadOptions& options) {
  return read_document(std::make_shared<SourceFile>(SourceFile{path, std::move(text)}), options);
}

Scenario load_scenario_file(const std::string& path, const LoadOptions& options) {
  std::string text = read_file(path, SourceLocation{}, "");
  return read_document(std::make_shared<SourceFile>(SourceFile{path, std::move(text)}), options);
}

}  // namespace fundgap
