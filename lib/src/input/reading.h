// Reading one scenario document: the state shared by the section readers, the schema
// toolkit they check shapes with (schema.cc), and the value readers that turn scalars
// into numbers and register them as parameters (values.cc). One reader per section
// (partners.cc, services.cc, ...). Private to the library.
#pragma once

#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "document.h"
#include "fundgap/model/scenario.h"

namespace fundgap::input {

using Kind = Node::Kind;

// One key/value pair of a YAML map, with the key's text and where the value is.
struct Entry {
  std::string key;
  const Node& key_node;
  const Node& value;
};

// "nothing", "a list", "a map", "'text'": what a node is, for messages.
std::string describe(const Node& n);

// Whether a value is written as a percentage: `40%`, or a distribution of them
// (`{uniform: [40%, 60%]}`).
bool written_as_share(const Node& n);

// Whether `id` is well formed: a letter, then letters, digits and '_'.
bool valid_id(const std::string& id);

// The parameter a value read registers: its YAML path and where it lands.
struct ParameterSpec {
  std::string path;
  ParameterTarget target;
  bool signed_money = false;  // money that may be negative (its range is then unbounded)
};

// The most entries a section may have once `extends` is applied (docs/format.md#limits):
// 100,000 services and schemes, 10,000 partners, places, pools and delegations. Far above
// any real plan; they bound what one scenario can make a projection hold.
std::size_t section_limit(std::string_view section);

class Reading {
 public:
  explicit Reading(std::shared_ptr<const SourceFile> file) : file_(std::move(file)) {}

  // Reads the whole document (scenario.cc) and moves the scenario out: a Reading reads one
  // document. Problems go to diagnostics().
  Scenario read(const Node& root);
  Diagnostics& diagnostics() { return diags; }

  // ---- shared state --------------------------------------------------------------
  std::shared_ptr<const SourceFile> file_;
  Diagnostics diags;
  Scenario sc;
  bool period_ok = false;
  std::map<std::string, std::pair<std::string, SourceLocation>> ids;  // id -> (kind, where)
  std::vector<SourceLocation> funder_loc;   // per service: its `funder` value, if any
  std::vector<SourceLocation> service_loc;  // per service: its key

  // ---- the schema toolkit (schema.cc) --------------------------------------------
  static SourceLocation at(const Node& n) { return n.where; }
  static SourceLocation at(const Entry& e) { return e.value.where; }
  // Records where the value at `path` came from (Scenario::origins).
  void record(const std::string& path, const Entry& e) { sc.origins[path] = at(e); }
  // The pairs of `map`, reporting duplicate and non-scalar keys. `where` names the map.
  std::vector<Entry> entries(const Node& map, const std::string& where);
  // The pairs of a section (`partners:` ...), which must be a map by id (or empty).
  // Throws InputError at the first entry past the section's limit (section_limit).
  std::vector<Entry> section_entries(const Entry& section, const char* what);
  // "line 12", or "base.yaml:12" when the place is in another file than the one read.
  std::string line_ref(const SourceLocation& loc) const;
  void check_keys(const std::vector<Entry>& es, const std::vector<std::string>& allowed, const std::string& where);
  void check_keys(const std::vector<Entry>& es, std::initializer_list<const char*> allowed, const std::string& where) {
    check_keys(es, std::vector<std::string>(allowed.begin(), allowed.end()), where);
  }
  static const Entry* find(const std::vector<Entry>& es, std::string_view key);
  const Entry* require(const std::vector<Entry>& es, const char* key, const std::string& where,
                       const SourceLocation& where_loc, std::string_view hint = {});
  bool expect(const Entry& e, Kind type, const char* expected, const std::string& where);
  std::optional<std::string> text(const Entry& e, const std::string& where);
  // "'key' in WHERE".
  static std::string label(const Entry& e, const std::string& where);
  // Checks that `e.key` is a well-formed id not already used; records it.
  void register_id(const Entry& e, const char* kind);
  // Resolves a reference to a partner or service id; -1 (and an error) when unknown.
  int reference(const Node& n, const SourceLocation& loc, EntityKind kind, const std::string& label);

  // ---- value readers (values.cc) -------------------------------------------------
  // A number of `kind`: a scalar, or a distribution whose mean is returned (then only
  // when `param` says which parameter it is). Registers it as `param` when given.
  std::optional<double> number(const Node& n, const SourceLocation& loc, ValueKind kind, const std::string& label,
                               const ParameterSpec* param = nullptr);
  // A scalar number of `kind`, never a distribution.
  std::optional<double> plain_number(const Node& n, const SourceLocation& loc, ValueKind kind,
                                     const std::string& label);
  // Money that cannot be negative.
  std::optional<double> money(const Entry& e, const std::string& where, const ParameterSpec* param = nullptr);
  // A share in [0, 1].
  std::optional<double> share(const Node& n, const SourceLocation& loc, const std::string& label,
                              const ParameterSpec* param = nullptr);
  std::optional<FinancialYear> year(const Node& n, const SourceLocation& loc, const std::string& label);
  // A year that must be one of the projected years; returns its index t.
  std::optional<int> projected_year(const Node& n, const SourceLocation& loc, const std::string& label);
  // A rate given per projected year: a scalar, a list of one value per projected year,
  // or a map from year to value (each holds until the next listed year). Every value must
  // be above -100%; each becomes a parameter at `path` (or `path[YEAR]`).
  YearValues per_year_rate(const Entry& e, const std::string& where, const std::string& path,
                           ParameterTarget::Field field, int entity, int index = 0);
  // Money given per projected year: a scalar (the same every year), a list of one value
  // per projected year, or a map from year to value. `hold`: a map's value holds until the
  // next listed year (a level), and `fallback` stands before the first; otherwise a map's
  // values count in their years only (0 in the others). Each value is a parameter at
  // `path[YEAR]` (a scalar: at `path`). Negative values are an error unless
  // `signed_money`; `sign_hint` is added to that error.
  struct MoneyPerYear {
    std::string where, path;
    ParameterTarget::Field field;
    int entity = 0, index = 0;
    bool hold = false;
    double fallback = 0;
    bool signed_money = false;
    std::string sign_hint;
  };
  YearValues per_year_money(const Entry& e, const MoneyPerYear& spec);
  // "'{what}' needs format 1.1" at `e` unless the file declares `fundgap: 1.1`.
  bool needs_format_1_1(const Entry& e, const std::string& what);
  // "LABEL has N values but the period has T projected years (Y1 to YT)" when the list's
  // length is not T; returns whether it is.
  bool list_fits_period(const Entry& e, const std::string& label);

  // A distribution `{normal: {mean: 3%, sd: 0.5%}}` etc., its parameters read as `kind`,
  // truncated to `range`. Reports problems; nothing on error.
  std::optional<Distribution> distribution(const Node& n, ValueKind kind, const std::string& label,
                                           std::pair<double, double> range);
};

// The sections, each in its own file, in the order Reading::read calls them.
void read_period(Reading& r, const Entry& e);
void read_prices(Reading& r, const Entry& e);  // format 1.1
void read_partners(Reading& r, const Entry& section);
void read_services(Reading& r, const Entry& section);
void read_schemes(Reading& r, const Entry& section);
void read_pools(Reading& r, const Entry& section);
// Every service is funded either by named partners or by exactly one pool.
void check_funders(Reading& r);
void read_correlations(Reading& r, const Entry& section);
void read_checks(Reading& r, const Entry& section);
// Format 1.1, called by the readers above.
void read_funding_streams(Reading& r, const Entry& funding, Partner& p, int partner);  // funding.cc
void read_reserves(Reading& r, const Entry& e, Partner& p, int partner);               // reserves.cc
void read_pressures(Reading& r, const Entry& e, Service& s, int service);              // pressures.cc
void read_places(Reading& r, const Entry& section);                                   // places.cc
void read_service_places(Reading& r, const Entry& e, Service& s, int service);
void read_scheme_places(Reading& r, const Entry& e, Scheme& k);
void read_delegations(Reading& r, const Entry& section);                              // delegations.cc
// A ramp given as a named profile: {profile: linear, years: 3} and the like (profiles.cc).
// Returns the ramp by year from the start (empty after reporting a problem); a step's year
// goes to `step_at` when given.
std::vector<double> read_ramp_profile(Reading& r, const Entry& e, const std::string& where, int start,
                                      int* step_at = nullptr);

}  // namespace fundgap::input
