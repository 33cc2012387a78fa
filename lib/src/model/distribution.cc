#include "fundgap/model/distribution.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <thread>

#include "stages.h"

namespace fundgap {

namespace {

constexpr double kZ80 = 1.2815515655446004;  // the standard normal's 90th percentile
// PERT's quantile table: cells on an even grid of p, and the cells at each end where the
// quantile is too steep to interpolate and sample() solves exactly (docs/uncertainty.md).
constexpr int kPertCells = 1024;
constexpr int kPertEndCells = 2;

// The regularised incomplete beta function I_x(a, b), by its continued fraction
// (modified Lentz), using the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) where it converges
// faster.
// `log_beta` is ln B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b), computed once by callers.
double incomplete_beta(double x, double a, double b, double log_beta) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - incomplete_beta(1 - x, b, a, log_beta);
  const double log_front = -log_beta + a * std::log(x) + b * std::log1p(-x);
  const double tiny = 1e-300;
  double f = 1, c = 1, d = 0;
  for (int i = 0; i <= 300; ++i) {
    const int m = i / 2;
    double numerator;
    if (i == 0)
      numerator = 1;
    else if (i % 2 == 0)
      numerator = (m * (b - m) * x) / ((a + 2.0 * m - 1) * (a + 2.0 * m));
    else
      numerator = -((a + m) * (a + b + m) * x) / ((a + 2.0 * m) * (a + 2.0 * m + 1));
    d = 1 + numerator * d;
    d = std::fabs(d) < tiny ? tiny : d;
    d = 1 / d;
    c = 1 + numerator / c;
    c = std::fabs(c) < tiny ? tiny : c;
    const double cd = c * d;
    f *= cd;
    if (std::fabs(1 - cd) < 1e-15) break;
  }
  return std::exp(log_front) * (f - 1) / a;
}

double beta_density(double x, double a, double b, double log_beta) {
  if (x <= 0 || x >= 1) return 0;
  return std::exp(-log_beta + (a - 1) * std::log(x) + (b - 1) * std::log1p(-x));
}

}  // namespace

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

namespace {

// Acklam's coefficients: the central region's, and the tails'.
constexpr double kAcklamA[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                               1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
constexpr double kAcklamB[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01,  -1.328068155288572e+01};
constexpr double kAcklamC[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
constexpr double kAcklamD[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
constexpr double kAcklamLow = 0.02425;  // the lower tail is below it; the upper, its mirror

// The central region's rational function, for one p or for a block's lanes of them.
template <class T>
FUNDGAP_INLINE T acklam_central(T p) {
  const auto& a = kAcklamA;
  const auto& b = kAcklamB;
  const T q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// The triangular's two sides at p, the numbers under the roots of its quantile: below the
// mode, p (c - a)(b - a); above it, (1 - p)(c - a)(c - b), for the low end a, the mode b
// and the high end c (wide = c - a, left = b - a, right = c - b). For one p, or for a
// block's lanes of them.
template <class T>
FUNDGAP_INLINE void triangular_sides(T p, double wide, double left, double right, T& below, T& above) {
  below = p * wide * left;
  above = (1 - p) * wide * right;
}

// Whether cell i of a PERT table is inside it, where sample() interpolates.
bool pert_inner(std::size_t i) { return i >= std::size_t{kPertEndCells} && i < std::size_t{kPertCells - kPertEndCells}; }

// The cubic Hermite between two nodes (x0, m0) and (x1, m1) of a PERT table, at s of the
// way from the first: for one p, or for a block's lanes of them.
template <class T>
FUNDGAP_INLINE T pert_hermite(T s, T x0, T m0, T x1, T m1) {
  const T r = 1 - s;
  return r * r * ((1 + 2 * s) * x0 + s * m0) + s * s * ((1 + 2 * r) * x1 - r * m1);
}

}  // namespace

double normal_quantile_fast(double p) {
  if (p <= 0) return -HUGE_VAL;
  if (p >= 1) return HUGE_VAL;
  const auto& c = kAcklamC;
  const auto& d = kAcklamD;
  // The lower tail, for p below kAcklamLow; the upper tail is its mirror.
  auto tail = [&](double q0) {
    const double q = std::sqrt(-2 * std::log(q0));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  };
  if (p < kAcklamLow) return tail(p);
  if (p > 1 - kAcklamLow) return -tail(1 - p);  // 1 - p is exact for p above one half
  return acklam_central(p);
}

FUNDGAP_LANES void normal_quantiles_fast(std::span<double> ps) {
  // Four at a time through the central region's formula, each lane as the double's; a lane
  // outside the central region (a tail, 0, 1 or NaN) is done again one by one.
  const std::size_t n = ps.size(), whole = n - n % kLanes;
  double* const v = ps.data();
  for (std::size_t i = 0; i < whole; i += kLanes) {
    const stages::Lanes p = stages::load(v + i);
    const stages::Lanes x = acklam_central(p);
    const auto central = p >= kAcklamLow && p <= 1 - kAcklamLow;
    stages::store(v + i, x);
    for (std::size_t j = 0; j < kLanes; ++j)
      if (!central[j]) v[i + j] = normal_quantile_fast(p[j]);
  }
  for (std::size_t i = whole; i < n; ++i) v[i] = normal_quantile_fast(v[i]);
}

// Acklam's rational approximation, then one Halley step on erfc: about 1e-15 relative.
double normal_quantile(double p) {
  const double x = normal_quantile_fast(p);
  if (!std::isfinite(x)) return x;
  const double e = normal_cdf(x) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

Distribution Distribution::normal(double mean, double sd) {
  Distribution d;
  d.kind_ = Kind::normal;
  d.a_ = mean;
  d.b_ = sd;
  return d;
}

Distribution Distribution::interval(double low, double high) {
  Distribution d = normal((low + high) / 2, (high - low) / (2 * kZ80));
  d.kind_ = Kind::interval;
  d.c_ = low;  // kept for name()
  return d;
}

Distribution Distribution::lognormal(double median, double sd_log) {
  Distribution d;
  d.kind_ = Kind::lognormal;
  d.a_ = median;
  d.b_ = sd_log;
  return d;
}

Distribution Distribution::uniform(double low, double high) {
  Distribution d;
  d.kind_ = Kind::uniform;
  d.a_ = low;
  d.b_ = high;
  return d;
}

Distribution Distribution::triangular(double low, double mode, double high) {
  Distribution d;
  d.kind_ = Kind::triangular;
  d.a_ = low;
  d.b_ = mode;
  d.c_ = high;
  return d;
}

Distribution Distribution::pert(double low, double mode, double high) {
  Distribution d;
  d.kind_ = Kind::pert;
  d.a_ = low;
  d.b_ = mode;
  d.c_ = high;
  if (high > low) {
    d.alpha_ = 1 + 4 * (mode - low) / (high - low);
    d.beta_ = 1 + 4 * (high - mode) / (high - low);
    d.log_beta_ = std::lgamma(d.alpha_) + std::lgamma(d.beta_) - std::lgamma(d.alpha_ + d.beta_);
  }
  return d;
}

namespace {

// The standard beta's quantile at p, by Newton on the exact CDF from `x`, inside a
// bracket that every evaluation tightens (bisecting when a step would leave it):
// converges even where the curve is steep.
double beta_quantile(double p, double x, double a, double b, double log_beta) {
  double lo = 0, hi = 1;
  for (int step = 0; step < 100; ++step) {
    const double f = incomplete_beta(x, a, b, log_beta) - p;
    if (std::fabs(f) < 1e-12) break;
    (f < 0 ? lo : hi) = x;
    const double density = beta_density(x, a, b, log_beta);
    double next = density > 0 ? x - f / density : (lo + hi) / 2;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (std::fabs(next - x) < 1e-13) return next;
    x = next;
  }
  return x;
}

// PERT's quantile table for the standard beta of shape (a, b), on an even grid of
// kPertCells cells in p: at each node the exact quantile and its slope dx/dp = 1/density
// (times the cell width), interleaved, for cubic Hermite interpolation in sample(). Each
// node is solved from the one before, so it takes two or three CDF evaluations.
std::shared_ptr<const std::vector<double>> pert_table(double a, double b, double log_beta) {
  const int n = kPertCells;
  auto table = std::make_shared<std::vector<double>>(2 * (n + 1));
  double x = 0;
  for (int i = 0; i <= n; ++i) {
    const double p = static_cast<double>(i) / n;
    if (i == n) x = 1;
    else if (i > 0) x = beta_quantile(p, std::clamp(x + (*table)[2 * static_cast<std::size_t>(i) - 1], 1e-300, 1 - 1e-16),
                                      a, b, log_beta);
    const double density = beta_density(x, a, b, log_beta);
    (*table)[2 * static_cast<std::size_t>(i)] = x;
    (*table)[2 * static_cast<std::size_t>(i) + 1] = density > 0 && std::isfinite(density) ? 1 / (density * n) : 0;
  }
  return table;
}

}  // namespace

void Distribution::prepare_for_drawing() { fundgap::prepare_for_drawing(std::vector<Distribution*>{this}, 1); }

void prepare_for_drawing(const std::vector<Distribution*>& distributions, int threads) {
  using Kind = Distribution::Kind;
  // One table per shape, in the order shapes are first seen.
  std::vector<Distribution*> shapes;
  std::vector<std::size_t> shape_of(distributions.size(), SIZE_MAX);
  for (std::size_t i = 0; i < distributions.size(); ++i) {
    const Distribution& d = *distributions[i];
    if (d.kind_ != Kind::pert || d.degenerate() || d.table_) continue;
    std::size_t k = 0;
    while (k < shapes.size() && !(shapes[k]->alpha_ == d.alpha_ && shapes[k]->beta_ == d.beta_)) ++k;
    if (k == shapes.size()) shapes.push_back(distributions[i]);
    shape_of[i] = k;
  }
  std::vector<std::shared_ptr<const std::vector<double>>> tables(shapes.size());
  std::atomic<std::size_t> next{0};
  auto build = [&] {
    for (std::size_t k = next++; k < shapes.size(); k = next++)
      tables[k] = pert_table(shapes[k]->alpha_, shapes[k]->beta_, shapes[k]->log_beta_);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < std::min<int>(threads, static_cast<int>(shapes.size())); ++t) pool.emplace_back(build);
  build();
  for (std::thread& t : pool) t.join();
  for (std::size_t i = 0; i < distributions.size(); ++i)
    if (shape_of[i] != SIZE_MAX) distributions[i]->table_ = tables[shape_of[i]];
}

std::string Distribution::name() const {
  switch (kind_) {
    case Kind::normal: return "normal";
    case Kind::lognormal: return "lognormal";
    case Kind::uniform: return "uniform";
    case Kind::triangular: return "triangular";
    case Kind::pert: return "pert";
    case Kind::interval: return "interval";
  }
  return "?";
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::normal:
    case Kind::interval: return a_;
    case Kind::lognormal: return a_ * std::exp(b_ * b_ / 2);
    case Kind::uniform: return (a_ + b_) / 2;
    case Kind::triangular: return (a_ + b_ + c_) / 3;
    case Kind::pert: return (a_ + 4 * b_ + c_) / 6;
  }
  return a_;
}

double Distribution::plan() const {
  if (plan_) return *plan_;
  if (kind_ == Kind::triangular || kind_ == Kind::pert) return b_;
  return mean();
}

double Distribution::lowest() const {
  switch (kind_) {
    case Kind::normal:
    case Kind::interval: return degenerate() ? a_ : -std::numeric_limits<double>::infinity();
    case Kind::lognormal: return degenerate() ? a_ : 0;
    case Kind::uniform:
    case Kind::triangular:
    case Kind::pert: return a_;
  }
  return a_;
}

double Distribution::highest() const {
  switch (kind_) {
    case Kind::normal:
    case Kind::interval:
    case Kind::lognormal: return degenerate() ? a_ : std::numeric_limits<double>::infinity();
    case Kind::uniform: return b_;
    case Kind::triangular:
    case Kind::pert: return c_;
  }
  return a_;
}

bool Distribution::degenerate() const {
  switch (kind_) {
    case Kind::normal:
    case Kind::interval:
    case Kind::lognormal: return b_ == 0;
    case Kind::uniform: return a_ == b_;
    case Kind::triangular:
    case Kind::pert: return a_ == c_;
  }
  return false;
}

double Distribution::cdf(double x) const {
  if (degenerate()) return x < mean() ? 0 : 1;
  switch (kind_) {
    case Kind::normal:
    case Kind::interval: return normal_cdf((x - a_) / b_);
    case Kind::lognormal: return x <= 0 ? 0 : normal_cdf(std::log(x / a_) / b_);
    case Kind::uniform: return std::clamp((x - a_) / (b_ - a_), 0.0, 1.0);
    case Kind::triangular:
      if (x <= a_) return 0;
      if (x >= c_) return 1;
      if (x <= b_) return (x - a_) * (x - a_) / ((c_ - a_) * (b_ - a_));
      return 1 - (c_ - x) * (c_ - x) / ((c_ - a_) * (c_ - b_));
    case Kind::pert: return incomplete_beta((x - a_) / (c_ - a_), alpha_, beta_, log_beta_);
  }
  return 0;
}

double Distribution::quantile(double p) const {
  if (degenerate()) return mean();
  switch (kind_) {
    case Kind::normal:
    case Kind::interval: return a_ + b_ * normal_quantile(p);
    case Kind::lognormal: return a_ * std::exp(b_ * normal_quantile(p));
    case Kind::uniform: return a_ + p * (b_ - a_);
    case Kind::triangular: {
      double below, above;
      triangular_sides(p, c_ - a_, b_ - a_, c_ - b_, below, above);
      return p < (b_ - a_) / (c_ - a_) ? a_ + std::sqrt(below) : c_ - std::sqrt(above);
    }
    case Kind::pert: {
      // From the table's node below p when there is one, else from the mean.
      const std::vector<double>* table = table_.get();
      const int below = std::min(static_cast<int>(std::clamp(p, 0.0, 1.0) * kPertCells), kPertCells - 1);
      const double x = table ? (*table)[2 * static_cast<std::size_t>(below)] : alpha_ / (alpha_ + beta_);
      return a_ + beta_quantile(p, std::max(x, 1e-300), alpha_, beta_, log_beta_) * (c_ - a_);
    }
  }
  return mean();
}

bool Distribution::truncate(double low, double high) {
  if (degenerate()) return mean() >= low && mean() <= high;
  p_low_ = std::isfinite(low) ? cdf(low) : 0;
  p_high_ = std::isfinite(high) ? cdf(high) : 1;
  return p_high_ > p_low_;
}

FUNDGAP_LANES void Distribution::sample(std::span<double> values) const {
  double* const v = values.data();
  const std::size_t n = values.size();
  if (degenerate()) {
    std::fill_n(v, n, mean());
    return;
  }
  // p, as sample(u) has it; then each kind's quantile, the same arithmetic in the same order.
  const double low = p_low_, width = p_high_ - p_low_;
  for (std::size_t i = 0; i < n; ++i) v[i] = low + v[i] * width;
  switch (kind_) {
    case Kind::normal:
    case Kind::interval:
      normal_quantiles_fast(values);
      for (std::size_t i = 0; i < n; ++i) v[i] = a_ + b_ * v[i];
      return;
    case Kind::lognormal:
      normal_quantiles_fast(values);
      for (std::size_t i = 0; i < n; ++i) v[i] = a_ * std::exp(b_ * v[i]);
      return;
    case Kind::uniform:
      for (std::size_t i = 0; i < n; ++i) v[i] = a_ + v[i] * (b_ - a_);
      return;
    case Kind::triangular: {
      const double f = (b_ - a_) / (c_ - a_);
      const std::size_t whole = n - n % kLanes;
      for (std::size_t i = 0; i < whole; i += kLanes) {
        const stages::Lanes p = stages::load(v + i);
        // Both sides' squares in every lane (for p in [0, 1] neither is negative), then the
        // root of each lane's side only.
        stages::Lanes below, above;
        triangular_sides(p, c_ - a_, b_ - a_, c_ - b_, below, above);
        const auto left = p < f;
        stages::Lanes root = left ? below : above;
        for (std::size_t j = 0; j < kLanes; ++j) root[j] = std::sqrt(root[j]);
        stages::store(v + i, left ? a_ + root : c_ - root);
      }
      for (std::size_t i = whole; i < n; ++i) v[i] = quantile(v[i]);
      return;
    }
    case Kind::pert: {
      // Four at a time through the table's Hermite, each lane's nodes loaded on its own; a
      // lane in an end cell is done again one by one.
      const double* t = table_ ? table_->data() : nullptr;
      const std::size_t whole = t ? n - n % kLanes : 0;
      for (std::size_t i = 0; i < whole; i += kLanes) {
        const stages::Lanes p = stages::load(v + i), pos = p * kPertCells;
        stages::Lanes s, x0, m0, x1, m1;
        bool inner = true;
        for (std::size_t j = 0; j < kLanes; ++j) {
          const auto cell = static_cast<std::size_t>(pos[j]);
          inner = inner && pert_inner(cell);
          const std::size_t at = pert_inner(cell) ? 2 * cell : 2 * kPertEndCells;  // a node to read, used or not
          s[j] = pos[j] - static_cast<double>(cell);
          x0[j] = t[at];
          m0[j] = t[at + 1];
          x1[j] = t[at + 2];
          m1[j] = t[at + 3];
        }
        stages::store(v + i, a_ + pert_hermite(s, x0, m0, x1, m1) * (c_ - a_));
        if (!inner)
          for (std::size_t j = 0; j < kLanes; ++j)
            if (!pert_inner(static_cast<std::size_t>(pos[j]))) v[i + j] = pert_sample(p[j]);
      }
      for (std::size_t i = whole; i < n; ++i) v[i] = pert_sample(v[i]);
      return;
    }
  }
}

double Distribution::sample(double u) const {
  if (degenerate()) return mean();
  const double p = p_low_ + u * (p_high_ - p_low_);
  switch (kind_) {
    case Kind::normal:
    case Kind::interval: return a_ + b_ * normal_quantile_fast(p);
    case Kind::lognormal: return a_ * std::exp(b_ * normal_quantile_fast(p));
    case Kind::pert: return pert_sample(p);
    default: return quantile(p);
  }
}

double Distribution::pert_sample(double p) const {
  // Inside the table the quantile is smooth: cubic Hermite between the two nodes around p,
  // from their values and slopes. In the end cells, where it is steep, solve exactly.
  if (const double* t = table_ ? table_->data() : nullptr) {
    const double pos = p * kPertCells;
    const auto i = static_cast<std::size_t>(pos);
    if (pert_inner(i)) {
      const double x = pert_hermite(pos - static_cast<double>(i), t[2 * i], t[2 * i + 1], t[2 * i + 2], t[2 * i + 3]);
      return a_ + x * (c_ - a_);
    }
  }
  return quantile(p);
}

}  // namespace fundgap
