// Funding: a partner's F_p(t), either format 1's single line compounded from growth or
// the sum of its named streams (format 1.1) — grants that grow, change by amounts, end or
// come once, and council tax (tax base x Band D); the council tax measures; their
// explanations and the funding steps of the bridge.
#include <fmt/format.h>

#include "fundgap/base/quantity.h"
#include "stages.h"

namespace fundgap::stages {

using Eigen::Index;
using Kind = FundingStream::Kind;

namespace {

// The rows a stream writes: its value, and for council tax its tax base and Band D, for a
// stream with a target its target, distance and convergence adjustment.
struct StreamRows {
  Table::RowXpr out;
  Table* tax_base = nullptr;  // partners x years, with `row`
  Table* band_d = nullptr;
  Index row = 0;
  Table* target = nullptr;    // streams x years, with `stream`
  Table* distance = nullptr;
  Table* distance_pct = nullptr;
  Table* convergence = nullptr;
  Index stream = 0;
};

// Towards the target (pace of change): within the band only the uniform growth; below it a
// share `close` of what is left between the uniform-grown allocation and the target;
// above it the same taken off (pace_of_change, never below min_growth) or nothing
// (level_up: nobody loses).
double converge(const FundingStream& st, double last, double last_target, double uniform, double target) {
  if (st.convergence == FundingStream::Convergence::none || last_target <= 0) return uniform;
  const double distance = (last - last_target) / last_target;
  if (distance < -st.band && uniform < target) return uniform + st.close * (target - uniform);
  if (distance > st.band && uniform > target && st.convergence == FundingStream::Convergence::pace_of_change)
    return std::max(last * (1 + st.min_growth), uniform - st.close * (uniform - target));
  return uniform;
}

void stream_series(const FundingStream& st, Index Y, StreamRows r) {
  double level = st.base, tb = st.tax_base, bd = st.band_d;
  double quantum = st.quantum, last_target = 0;
  for (Index t = 0; t < Y; ++t) {
    if (st.kind == Kind::council_tax) {
      if (t > 0) {
        tb *= 1 + st.tax_base_growth(t);
        bd *= 1 + st.core(t) + st.precept(t);
      }
      (*r.tax_base)(r.row, t) = tb;
      (*r.band_d)(r.row, t) = bd;
      level = tb * bd;
    } else if (st.has_target) {
      if (t > 0) quantum *= 1 + st.quantum_growth(t);
      const double target = quantum * st.weighted_population / st.national_weighted_population;
      double adjustment = 0;
      if (t > 0) {
        const double uniform = level * (1 + st.growth(t));
        const double next = converge(st, level, last_target, uniform, target);
        adjustment = next - uniform;
        level = next;
      }
      (*r.target)(r.stream, t) = target;
      (*r.distance)(r.stream, t) = level - target;
      (*r.distance_pct)(r.stream, t) = target != 0 ? (level - target) / target : 0;
      (*r.convergence)(r.stream, t) = adjustment;
      last_target = target;
    } else if (t > 0) {
      level = st.has_amounts ? st.amounts(t) : level * (1 + st.growth(t));
    }
    r.out(t) = st.until >= 0 && t > st.until ? 0.0 : level;
  }
}

}  // namespace

void funding(const Scenario& sc, Projection& p) {
  const Index P = static_cast<Index>(sc.partners.size()), Y = sc.years();
  for (Index i = 0; i < P; ++i) {
    const Partner& pt = sc.partners[static_cast<std::size_t>(i)];
    if (pt.streams.empty()) {
      // F_p(t) = F_p(t-1) (1 + growth).
      double f = pt.funding_base;
      p.funding(i, 0) = f;
      for (Index t = 1; t < Y; ++t) {
        f = grown_by(f, pt.growth(t));
        p.funding(i, t) = f;
      }
      continue;
    }
    const auto pi = static_cast<std::size_t>(i);
    const Index K = static_cast<Index>(pt.streams.size());
    Table& s = p.stream_funding[pi];
    s.resize(K, Y);
    for (auto* a : {&p.stream_target, &p.stream_distance, &p.stream_distance_pct, &p.stream_convergence})
      (*a)[pi].setZero(K, Y);
    for (Index k = 0; k < K; ++k)
      stream_series(pt.streams[static_cast<std::size_t>(k)], Y,
                    {s.row(k), &p.tax_base, &p.band_d, i, &p.stream_target[pi], &p.stream_distance[pi],
                     &p.stream_distance_pct[pi], &p.stream_convergence[pi], k});
    for (Index t = 0; t < Y; ++t) {
      double total = 0;
      for (Index k = 0; k < s.rows(); ++k) total += s(k, t);
      p.funding(i, t) = total;
    }
  }
}

FUNDGAP_LANES void funding_lanes(const std::vector<PartnerLanes>& rows, const LaneStore& in, LaneTable& funding) {
  const Index Y = funding.years;
  const LaneStore::Rows inputs = in.rows();
  for (const PartnerLanes& r : rows) {
    Lanes f = load(inputs.at(r.base));
    store(funding.at(r.partner, 0), f);
    for (Index t = 1; t < Y; ++t) {
      f = grown_by(f, load(inputs.at(r.growth[static_cast<std::size_t>(t)])));
      store(funding.at(r.partner, t), f);
    }
  }
}

void council_tax_measures(const Scenario& sc, Projection& p) {
  const Index Y = p.gap.cols();
  for (std::size_t i = 0; i < sc.partners.size(); ++i) {
    if (sc.partners[i].council_tax < 0) continue;
    const Index pi = static_cast<Index>(i);
    for (Index t = 0; t < Y; ++t) {
      // What 1% more on last year's Band D raises from this year's tax base.
      p.ct_per_1pct(pi, t) = 0.01 * p.tax_base(pi, t) * p.band_d(pi, t > 0 ? t - 1 : 0);
      p.gap_ct_equivalent(pi, t) = p.ct_per_1pct(pi, t) > 0 ? p.gap(pi, t) / (100 * p.ct_per_1pct(pi, t)) : 0;
    }
  }
}

namespace {

using Unit = Explainer::Unit;

std::string stream_path(const Scenario& sc, int partner, int k) {
  const Partner& pt = sc.partners[static_cast<std::size_t>(partner)];
  return fmt::format("partners.{}.funding.{}", pt.id, pt.streams[static_cast<std::size_t>(k)].id);
}

Explanation tax_base_of(Explainer& ex, int i, int t) {
  const Partner& pt = ex.sc.partners[static_cast<std::size_t>(i)];
  const FundingStream& st = pt.streams[static_cast<std::size_t>(pt.council_tax)];
  const std::string path = stream_path(ex.sc, i, pt.council_tax) + ".tax_base";
  Explanation e = ex.compounded(ex.ref({Measure::tax_base, EntityKind::partner, i}, t), st.tax_base, path + ".base",
                                {{path + ".growth", &st.tax_base_growth}}, t);
  // Dwellings, not money.
  e.unit = Unit::factor;
  for (Explanation& c : e.children) c.unit = Unit::factor;
  return Explainer::pinned(std::move(e), ex.p.tax_base(i, t));
}

Explanation band_d_of(Explainer& ex, int i, int t) {
  const Partner& pt = ex.sc.partners[static_cast<std::size_t>(i)];
  const FundingStream& st = pt.streams[static_cast<std::size_t>(pt.council_tax)];
  const std::string path = stream_path(ex.sc, i, pt.council_tax);
  Explanation e = Explainer::product(ex.ref({Measure::band_d, EntityKind::partner, i}, t),
                                     "base-year Band D x (1 + core increase + ASC precept) each year");
  e.children.push_back(ex.leaf("base-year Band D", st.band_d, Unit::money, path + ".band_d"));
  for (int y = 1; y <= t; ++y) {
    const double core = st.core(y), precept = st.precept(y);
    if (core == 0 && precept == 0) continue;
    e.children.push_back(ex.leaf(fmt::format("1 + increase {} ({} core + {} ASC precept)", ex.sc.year(y),
                                             percent_text(core), percent_text(precept)),
                                 1 + core + precept, Unit::factor,
                                 fmt::format("{}.increase.core[{}]", path, ex.sc.year(y))));
  }
  return Explainer::pinned(std::move(e), ex.p.band_d(i, t));
}

Explanation stream_of(Explainer& ex, int i, int k, int t) {
  const FundingStream& st = ex.sc.partners[static_cast<std::size_t>(i)].streams[static_cast<std::size_t>(k)];
  const std::string path = stream_path(ex.sc, i, k);
  const Figure f{Measure::stream_funding, EntityKind::partner, i, k};
  const double value = ex.p.stream_funding[static_cast<std::size_t>(i)](k, t);
  if (st.until >= 0 && t > st.until) {
    Explanation e = ex.leaf(ex.ref(f, t), 0, Unit::money, path + ".until");
    e.formula = fmt::format("0: the stream ends after {}", ex.sc.year(st.until));
    return e;
  }
  if (st.kind == Kind::council_tax) {
    Explanation e = Explainer::product(ex.ref(f, t), "tax base x Band D");
    e.children.push_back(tax_base_of(ex, i, t));
    e.children.push_back(band_d_of(ex, i, t));
    return Explainer::pinned(std::move(e), value);
  }
  if (st.has_target && t > 0) {
    Explanation e = Explainer::sum(ex.ref(f, t), "last year's grown at the uniform rate + the convergence adjustment");
    Explanation grown = Explainer::product("last year's, grown at the uniform rate", "last year's x (1 + growth)");
    grown.children.push_back(stream_of(ex, i, k, t - 1));
    grown.children.push_back(ex.leaf(fmt::format("1 + growth {} ({})", percent_text(st.growth(t)), ex.sc.year(t)),
                                     1 + st.growth(t), Unit::factor, fmt::format("{}.growth[{}]", path, ex.sc.year(t))));
    e.children.push_back(Explainer::total(std::move(grown)));
    e.children.push_back(explain_stream_target(ex, {Measure::stream_convergence, EntityKind::partner, i, k}, t));
    return Explainer::pinned(std::move(e), value);
  }
  if (t == 0 || !st.has_amounts) {
    if (t == 0 || st.growth.tail(t).isZero()) {
      Explanation e = ex.leaf(ex.ref(f, t), value, Unit::money, path + ".base");
      e.formula = t == 0 ? "the base year's amount" : "the base year's amount, unchanged";
      return e;
    }
    return Explainer::pinned(ex.compounded(ex.ref(f, t), st.base, path + ".base", {{path + ".growth", &st.growth}}, t),
                             value);
  }
  Explanation e = ex.leaf(ex.ref(f, t), value, Unit::money, fmt::format("{}.amounts[{}]", path, ex.sc.year(t)));
  e.formula = st.one_off ? "a one-off amount in this year (0 in the others)" : "the amount given for this year";
  return e;
}

}  // namespace

Explanation explain_funding(Explainer& ex, const Figure& f, int t) {
  const Partner& pt = ex.sc.partners[static_cast<std::size_t>(f.entity)];
  const std::string path = "partners." + pt.id + ".funding";
  if (pt.streams.empty())
    return Explainer::pinned(ex.compounded(ex.ref(f, t), pt.funding_base, path + ".base",
                                           {{path + ".growth", &pt.growth}}, t),
                             ex.p.funding(f.entity, t));
  Explanation e = Explainer::sum(ex.ref(f, t), "the sum of its funding streams");
  for (std::size_t k = 0; k < pt.streams.size(); ++k) e.children.push_back(stream_of(ex, f.entity, static_cast<int>(k), t));
  return Explainer::pinned(std::move(e), ex.p.funding(f.entity, t));
}

Explanation explain_stream(Explainer& ex, const Figure& f, int t) { return stream_of(ex, f.entity, f.sub, t); }

Explanation explain_council_tax(Explainer& ex, const Figure& f, int t) {
  const int i = f.entity;
  switch (f.measure) {
    case Measure::tax_base: return tax_base_of(ex, i, t);
    case Measure::band_d: return band_d_of(ex, i, t);
    case Measure::ct_per_1pct: {
      Explanation e = Explainer::product(ex.ref(f, t), "1% x this year's tax base x last year's Band D");
      e.children.push_back(ex.leaf("1%", 0.01, Unit::share, ""));
      e.children.push_back(tax_base_of(ex, i, t));
      e.children.push_back(band_d_of(ex, i, t > 0 ? t - 1 : 0));
      return Explainer::pinned(std::move(e), ex.p.ct_per_1pct(i, t));
    }
    default: {
      Explanation e = Explainer::product(ex.ref(f, t), "gap / (100 x what 1% of council tax raises)");
      e.children.push_back(ex.figure(Measure::gap, i, t));
      e.children.push_back(ex.leaf("1 / (100 x what 1% raises)",
                                   ex.p.ct_per_1pct(i, t) > 0 ? 1 / (100 * ex.p.ct_per_1pct(i, t)) : 0, Unit::factor, ""));
      return Explainer::pinned(std::move(e), ex.p.gap_ct_equivalent(i, t));
    }
  }
}

void bridge_funding(const BridgeContext& b, std::vector<BridgeStep>& steps) {
  // Format 1's single funding lines make one step, "funding growth"; each named stream
  // is a step of its own.
  bool single_lines = false, streams = false;
  for (const Partner& pt : b.sc.partners) (pt.streams.empty() ? single_lines : streams) = true;
  auto change = [&](int i) { return b.p.funding(i, b.to) - b.p.funding(i, b.from); };
  if (!streams) {
    auto funding = [&](int t) { return b.partner < 0 ? b.p.system(static_cast<Index>(Measure::funding), t)
                                                     : b.p.funding(b.partner, t); };
    steps.push_back({"funding growth", "funding", "", -(funding(b.to) - funding(b.from))});
    return;
  }
  if (single_lines && (b.partner < 0 || b.sc.partners[static_cast<std::size_t>(b.partner)].streams.empty())) {
    double v = 0;
    for (std::size_t i = 0; i < b.sc.partners.size(); ++i)
      if (b.sc.partners[i].streams.empty() && (b.partner < 0 || b.partner == static_cast<int>(i)))
        v += change(static_cast<int>(i));
    steps.push_back({"funding growth", "funding", "", -v});
  }
  for (std::size_t i = 0; i < b.sc.partners.size(); ++i) {
    const Partner& pt = b.sc.partners[i];
    if (pt.streams.empty() || (b.partner >= 0 && b.partner != static_cast<int>(i))) continue;
    const Table& s = b.p.stream_funding[i];
    for (std::size_t k = 0; k < pt.streams.size(); ++k) {
      const Index ki = static_cast<Index>(k);
      const std::string id = b.partner < 0 ? pt.id + "." + pt.streams[k].id : pt.streams[k].id;
      steps.push_back({"funding: " + id, "funding", id, -(s(ki, b.to) - s(ki, b.from))});
    }
  }
}

}  // namespace fundgap::stages

namespace fundgap::stages {

Explanation explain_stream_target(Explainer& ex, const Figure& f, int t) {
  const int i = f.entity, k = f.sub;
  const auto pi = static_cast<std::size_t>(i);
  const FundingStream& st = ex.sc.partners[pi].streams[static_cast<std::size_t>(k)];
  const std::string path = fmt::format("partners.{}.funding.{}.target", ex.sc.partners[pi].id, st.id);
  const Figure target{Measure::stream_target, EntityKind::partner, i, k};
  const Figure funding{Measure::stream_funding, EntityKind::partner, i, k};
  switch (f.measure) {
    case Measure::stream_target: {
      Explanation e = Explainer::product(ex.ref(f, t), "national quantum x weighted population / national weighted "
                                                       "population");
      Explanation q = ex.compounded("national quantum", st.quantum, path + ".share_of.base",
                                    {{path + ".share_of.growth", &st.quantum_growth}}, t);
      e.children.push_back(std::move(q));
      e.children.push_back(ex.leaf("weighted population", st.weighted_population, Unit::factor,
                                   path + ".weighted_population"));
      e.children.push_back(ex.leaf("1 / national weighted population", 1 / st.national_weighted_population,
                                   Unit::factor, path + ".national_weighted_population"));
      return Explainer::pinned(std::move(e), ex.p.stream_target[pi](k, t));
    }
    case Measure::stream_distance: {
      Explanation e = Explainer::sum(ex.ref(f, t), "allocation - target (positive: above target)");
      e.children.push_back(ex.figure(funding, t));
      e.children.push_back(Explainer::with(ex.figure(target, t), -1));
      return Explainer::pinned(std::move(e), ex.p.stream_distance[pi](k, t));
    }
    case Measure::stream_distance_pct: {
      Explanation e = Explainer::product(ex.ref(f, t), "distance / target");
      e.children.push_back(ex.figure({Measure::stream_distance, EntityKind::partner, i, k}, t));
      const double tv = ex.p.stream_target[pi](k, t);
      e.children.push_back(ex.leaf("1 / target", tv != 0 ? 1 / tv : 0, Unit::factor, ""));
      return Explainer::pinned(std::move(e), ex.p.stream_distance_pct[pi](k, t));
    }
    default: {
      Explanation e = ex.leaf(ex.ref(f, t), ex.p.stream_convergence[pi](k, t), Unit::money,
                              fmt::format("partners.{}.funding.{}.convergence", ex.sc.partners[pi].id, st.id));
      e.formula = t == 0 ? "none in the base year"
                         : "this year's allocation - last year's grown at the uniform rate (the pace-of-change rule)";
      return e;
    }
  }
}

}  // namespace fundgap::stages
