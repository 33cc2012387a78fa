// The fingerprint of a scenario: shards of different scenarios (or --set values) do not merge.
#include <fmt/format.h>

#include "fundgap/uncertainty/simulation.h"
#include "hash.h"

namespace fundgap {

std::uint64_t scenario_fingerprint(const Scenario& sc) {
  TextHash hash;
  auto mix = [&](std::string_view text) { hash.mix(text); };
  mix(sc.name);
  mix(sc.base_year.label());
  mix(std::to_string(sc.projected_years));
  for (const Parameter& p : sc.parameters) {
    mix(p.path);
    mix(fmt::format("{}", p.value));
    if (p.distribution) mix(fmt::format("{}:{}:{}", p.distribution->name(), p.distribution->quantile(0.25),
                                        p.distribution->quantile(0.75)));
  }
  for (const CorrelationGroup& g : sc.correlations)
    for (Eigen::Index i = 0; i < g.cholesky.size(); ++i) mix(fmt::format("{}", g.cholesky.data()[i]));
  // The structure too: who funds what, what schemes act on, how pools are shared.
  for (const Service& sv : sc.services) {
    mix(fmt::format("{}:{}", sv.id, sv.pool));
    for (const FundingShare& f : sv.funders) mix(fmt::format("{}:{}", f.partner, f.share));
  }
  for (const Scheme& k : sc.schemes)
    mix(fmt::format("{}:{}:{}:{}:{}:{}", k.id, k.service, k.absolute, k.start, k.reprovide_service,
                    k.investment_service));
  for (const Pool& q : sc.pools) {
    mix(fmt::format("{}:{}:{}", q.id, q.host, static_cast<int>(q.risk_rule)));
    for (int s : q.services) mix(std::to_string(s));
    for (Eigen::Index i = 0; i < q.fixed_shares.size(); ++i) mix(fmt::format("{}", q.fixed_shares(i)));
  }
  return hash.value();
}

}  // namespace fundgap
