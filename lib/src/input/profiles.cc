// Format 1.1 ramps by name: `ramp: {profile: linear, years: 3}`, front_loaded,
// back_loaded, or `{profile: step, at: 2026/27}`. See docs/format.md for the fractions.
#include <algorithm>
#include <cmath>

#include "reading.h"

namespace fundgap::input {

std::vector<double> read_ramp_profile(Reading& r, const Entry& e, const std::string& where, int start, int* step_at) {
  const std::string rwhere = "'ramp' of " + where;
  std::vector<Entry> es = r.entries(e.value, rwhere);
  r.check_keys(es, {"profile", "years", "at"}, rwhere);
  static const std::vector<std::string> profiles = {"linear", "front_loaded", "back_loaded", "step"};
  const Entry* pe = r.require(es, "profile", rwhere, Reading::at(e), " (linear, front_loaded, back_loaded or step)");
  if (!pe) return {};
  const std::string name = pe->value.IsScalar() ? pe->value.Scalar() : "";
  if (std::find(profiles.begin(), profiles.end(), name) == profiles.end()) {
    r.diags.error(Reading::at(*pe), "unknown ramp profile {} in {}; expected linear, front_loaded, back_loaded or step{}",
                  describe(pe->value), where, did_you_mean(name, profiles));
    return {};
  }
  const Entry* years = Reading::find(es, "years");
  const Entry* at = Reading::find(es, "at");
  if (name == "step") {
    if (years) r.diags.error(Reading::at(years->key_node), "a step ramp in {} takes 'at' (the year of full effect), not "
                             "'years'", where);
    if (!at) {
      r.diags.error(Reading::at(*pe), "a step ramp in {} needs 'at': the year it reaches full effect", where);
      return {};
    }
    auto t = r.projected_year(at->value, Reading::at(*at), "'at' of " + rwhere);
    if (!t) return {};
    if (step_at) *step_at = *t;
    // A step at or before the start is full effect from the start.
    std::vector<double> ramp(static_cast<std::size_t>(std::max(0, *t - start)), 0.0);
    ramp.push_back(1.0);
    return ramp;
  }
  if (at) r.diags.error(Reading::at(at->key_node), "'at' is for a step ramp; a {} ramp in {} takes 'years'", name, where);
  if (!years) {
    r.diags.error(Reading::at(*pe), "a {} ramp in {} needs 'years': how many years it takes to reach full effect", name,
                  where);
    return {};
  }
  auto n = r.plain_number(years->value, Reading::at(*years), ValueKind::factor, Reading::label(*years, rwhere));
  if (!n) return {};
  if (*n < 1 || *n > 100 || std::floor(*n) != *n) {
    r.diags.error(Reading::at(*years), "'years' of {} is {}; it is a whole number of years from 1 to 100", rwhere,
                  years->value.Scalar());
    return {};
  }
  const int N = static_cast<int>(*n);
  std::vector<double> ramp;
  for (int k = 1; k <= N; ++k) {
    const double x = static_cast<double>(k) / N;
    ramp.push_back(name == "linear" ? x : name == "back_loaded" ? x * x : 1 - (1 - x) * (1 - x));
  }
  return ramp;
}

}  // namespace fundgap::input
