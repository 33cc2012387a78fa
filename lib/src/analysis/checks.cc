#include "fundgap/analysis/checks.h"

#include <cmath>

#include "fundgap/base/money.h"
#include "fundgap/base/quantity.h"

namespace fundgap {

namespace {

std::string_view op_text(CompareOp op) {
  switch (op) {
    case CompareOp::le: return "<=";
    case CompareOp::lt: return "<";
    case CompareOp::ge: return ">=";
    case CompareOp::gt: return ">";
    case CompareOp::eq: return "==";
    case CompareOp::ne: return "!=";
  }
  return "?";
}

// The figure a percentage in a check is a share of: the `share_of` measure of the same
// entity (of the system, for a system figure).
Figure reference_figure(const Check& c) {
  return {info(c.figure.measure).share_of, c.figure.kind, c.figure.entity, -1};
}

// How far a value is from failing, in pennies: positive passes. Values are compared in
// whole pennies, so float noise far below a penny never decides a check.
double margin(const Check& c, double actual, double target, double tolerance) {
  const double a = std::round(actual * 100), t = std::round(target * 100), tol = std::round(tolerance * 100);
  switch (c.op) {
    case CompareOp::le: return t - a + 0.5;
    case CompareOp::lt: return t - a;
    case CompareOp::ge: return a - t + 0.5;
    case CompareOp::gt: return a - t;
    case CompareOp::eq: return tol - std::fabs(a - t) + 0.5;
    case CompareOp::ne: return std::fabs(a - t) - tol;
  }
  return 0;
}

// The decimals of a million it takes to show `amount` exactly, or 7 when it has a part of
// a pound.
int decimals_to_show(double amount) {
  int d = 1;
  while (d <= 6 && std::fabs(std::round(amount / 1e6 * std::pow(10.0, d)) - amount / 1e6 * std::pow(10.0, d)) > 1e-6) ++d;
  return d;
}

// The money style of one file's checks: millions with enough decimals that every
// expectation and actual figure that differ to the penny differ as shown, by no more than
// the last decimal shown beyond their real difference, and that every tolerance is shown
// exactly; pounds and pence when that would take finer than a pound.
MoneyStyle checks_style(const std::vector<CheckResult>& results) {
  int decimals = 1;
  for (const CheckResult& r : results) {
    const double difference = std::fabs(r.actual - r.target);
    if (std::round(r.actual * 100) != std::round(r.target * 100)) {
      int d = 1;
      while (d <= 6 && std::pow(10.0, 6 - d) > difference) ++d;
      decimals = std::max(decimals, d);
    }
    if ((r.check.op == CompareOp::eq || r.check.op == CompareOp::ne) && r.tolerance > 0)
      decimals = std::max(decimals, std::min(6, decimals_to_show(r.tolerance)));
  }
  if (decimals > 6) return {MoneyUnit::pounds, 2, false};
  return {MoneyUnit::millions, decimals, false};
}

}  // namespace

std::vector<CheckResult> evaluate_checks(const Scenario& sc, const Projection& p) {
  const std::string symbol = currency_symbol(sc.currency);
  std::vector<CheckResult> out;
  for (const Check& c : sc.checks) {
    const Figure reference = reference_figure(c);
    CheckResult r{c, true, 0, 0, 0, 0, {}, {}};
    double worst = HUGE_VAL;
    // sum(): one value, every year added; change(): each year less the one before (from
    // the first projected year); otherwise the figure in each year.
    int first = c.year ? *c.year : 0, last = c.year ? *c.year : sc.projected_years;
    if (c.aggregate == Aggregate::sum) first = last = sc.projected_years;
    if (c.aggregate == Aggregate::change && !c.year) first = 1;
    for (int t = first; t <= last; ++t) {
      double actual = figure_value(p, c.figure, t);
      if (c.aggregate == Aggregate::sum) {
        actual = 0;
        for (int u = 0; u <= sc.projected_years; ++u) actual += figure_value(p, c.figure, u);
      } else if (c.aggregate == Aggregate::change) {
        actual -= figure_value(p, c.figure, t - 1);
      }
      const double target = c.relative ? c.value * figure_value(p, reference, t) : c.value;
      const double tolerance = c.tolerance_relative ? c.tolerance * std::fabs(target) : c.tolerance;
      const double mg = margin(c, actual, target, tolerance);
      const bool pass = mg > 0;
      // Show the worst year: the furthest past failing, or the closest to it.
      if (mg < worst) {
        worst = mg;
        r.year = t;
        r.actual = actual;
        r.target = target;
        r.tolerance = tolerance;
      }
      if (!pass) r.passed = false;
    }
    out.push_back(std::move(r));
  }
  const MoneyStyle style = checks_style(out);
  auto money = [&](double v) { return format_money(v, symbol, style); };
  for (CheckResult& r : out) {
    const Check& c = r.check;
    const std::string actual = money(r.actual), target = money(r.target);
    r.expected = fmt::format("{} {}", op_text(c.op), target);
    if (c.relative)
      r.expected = fmt::format("{} {} of {} ({})", op_text(c.op), percent_text(c.value),
                               info(reference_figure(c).measure).name, target);
    if ((c.op == CompareOp::eq || c.op == CompareOp::ne) && r.tolerance > 0)
      r.expected += fmt::format(" \xC2\xB1 {}", money(r.tolerance));
    r.actual_text = c.aggregate == Aggregate::sum ? fmt::format("{} over {} to {}", actual, sc.year(0), sc.year(r.year))
                    : c.aggregate == Aggregate::change ? fmt::format("{} on the year before, in {}", actual, sc.year(r.year))
                                                       : fmt::format("{} in {}", actual, sc.year(r.year));
  }
  return out;
}

int FileChecks::failures() const {
  int n = 0;
  for (const CheckResult& r : results) n += r.passed ? 0 : 1;
  return n;
}

int CheckRun::checks() const {
  int n = 0;
  for (const FileChecks& f : files) n += static_cast<int>(f.results.size());
  return n;
}

int CheckRun::failures() const {
  int n = 0;
  for (const FileChecks& f : files) n += f.failures();
  return n;
}

bool CheckRun::any_input_error() const {
  for (const FileChecks& f : files)
    if (f.input_error) return true;
  return false;
}

std::string CheckRun::summary() const {
  int bad = 0;
  for (const FileChecks& f : files) bad += f.input_error ? 1 : 0;
  std::string s = fmt::format("{} check{}: {} passed, {} failed", checks(), checks() == 1 ? "" : "s",
                              checks() - failures(), failures());
  if (bad) s += fmt::format("; {} file{} with bad input", bad, bad == 1 ? "" : "s");
  return s;
}

}  // namespace fundgap
