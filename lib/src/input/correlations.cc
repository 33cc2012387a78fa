// `correlations:` groups of uncertain parameters with a correlation matrix (or one
// coefficient for every pair), applied through a Gaussian copula.
#include <Eigen/Cholesky>

#include "reading.h"

namespace fundgap::input {

namespace {

// The k x k correlation matrix of `matrix` (a list of rows) or of `single` (one
// coefficient for every pair); nothing after reporting a problem. `ok`: whether the
// group's parameters were sound (a matrix is only checked for symmetry then).
std::optional<Eigen::MatrixXd> correlation_matrix(Reading& r, const Entry* matrix, const Entry* single, Eigen::Index k,
                                                  const std::string& where, bool ok) {
  Eigen::MatrixXd m = Eigen::MatrixXd::Identity(k, k);
  if (single) {
    auto v = r.plain_number(single->value, Reading::at(*single), ValueKind::factor, "'correlation' in " + where);
    if (!v) return std::nullopt;
    if (*v < -1 || *v > 1) {
      r.diags.error(Reading::at(*single), "a correlation must be between -1 and 1, found {}", single->value.text);
      return std::nullopt;
    }
    m = Eigen::MatrixXd::Constant(k, k, *v);
    m.diagonal().setOnes();
    return m;
  }
  const Node& rows = matrix->value;
  if (!rows.IsSequence() || static_cast<Eigen::Index>(rows.size()) != k) {
    r.diags.error(Reading::at(*matrix), "expected {} rows of {} for 'matrix' in {}, one per parameter", k, k, where);
    return std::nullopt;
  }
  for (Eigen::Index i = 0; i < k; ++i) {
    const Node& row = rows.items[static_cast<std::size_t>(i)];
    if (!row.IsSequence() || static_cast<Eigen::Index>(row.size()) != k) {
      r.diags.error(Reading::at(row), "expected a row of {} numbers in 'matrix', found {}", k, describe(row));
      ok = false;
      continue;
    }
    for (Eigen::Index j = 0; j < k; ++j) {
      const Node& cell = row.items[static_cast<std::size_t>(j)];
      auto v = r.plain_number(cell, Reading::at(cell), ValueKind::factor, "a correlation");
      if (!v) {
        ok = false;
        continue;
      }
      if (*v < -1 || *v > 1 || (i == j && *v != 1)) {
        if (i == j)
          r.diags.error(Reading::at(cell), "the diagonal of a correlation matrix must be 1, found {}", cell.text);
        else
          r.diags.error(Reading::at(cell), "a correlation must be between -1 and 1, found {}", cell.text);
        ok = false;
      }
      m(i, j) = *v;
    }
  }
  if (ok && !m.isApprox(m.transpose(), 0)) {
    r.diags.error(Reading::at(*matrix), "the correlation matrix must be symmetric");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return m;
}

// Why `n` names no parameter, and what would: a per-year input's uncertain years, or a
// close path.
std::string not_a_parameter(const Reading& r, const Node& n, const std::vector<std::string>& uncertain) {
  if (!n.IsScalar()) return fmt::format("expected a parameter path in 'parameters', found {}", describe(n));
  const std::vector<const Parameter*> parts = parameters_within(r.sc, n.text);
  if (!parts.empty()) {
    std::vector<std::string> forms;
    for (const Parameter* p : parts)
      if (p->distribution) forms.push_back(fmt::format("'{}'", p->path));
    if (forms.empty())
      return fmt::format("'{}' is given {} and none of its values is uncertain; only inputs given as distributions can "
                         "be correlated: write one as a distribution, like {}, and name it as '{}'", n.text,
                         n.text.ends_with("ramp") ? "value by value" : "year by year",
                         distribution_example(parts.front()->kind), parts.front()->path);
    std::string list;
    for (std::size_t i = 0; i < forms.size(); ++i)
      list += (i == 0 ? "" : i + 1 == forms.size() ? " or " : ", ") + forms[i];
    return fmt::format("'{}' is given {}: name {} with its {}: {}", n.text,
                       n.text.ends_with("ramp") ? "value by value" : "year by year",
                       forms.size() == 1 ? "its uncertain value" : "each uncertain value",
                       n.text.ends_with("ramp") ? "position" : "year", list);
  }
  return fmt::format("unknown parameter {} in 'parameters'{}", describe(n), did_you_mean(n.text, uncertain));
}

}  // namespace

void read_correlations(Reading& r, const Entry& section) {
  if (section.value.IsNull()) return;
  if (!r.expect(section, Kind::sequence, "a list of correlation groups", "the scenario")) return;
  std::map<int, SourceLocation> grouped;
  for (const Node& item : section.value.items) {
    const std::string where = "a correlation group";
    if (!item.IsMap()) {
      r.diags.error(Reading::at(item), "expected a map with 'parameters' and 'matrix' (or 'correlation') for {}, found {}",
                    where, describe(item));
      continue;
    }
    std::vector<Entry> es = r.entries(item, where);
    r.check_keys(es, {"parameters", "matrix", "correlation"}, where);
    const Entry* params = r.require(es, "parameters", where, Reading::at(item), " (a list of uncertain inputs' paths)");
    const Entry* matrix = Reading::find(es, "matrix");
    const Entry* single = Reading::find(es, "correlation");
    if (!params) continue;
    if (!params->value.IsSequence() || params->value.size() < 2) {
      r.diags.error(Reading::at(*params),
                    "expected a list of at least two parameter paths for 'parameters' in {}, found {}", where,
                    params->value.IsSequence() ? std::string("only one") : describe(params->value));
      continue;
    }
    CorrelationGroup g;
    g.where = Reading::at(item);
    bool ok = true;
    std::vector<std::string> uncertain;
    for (const Parameter& p : r.sc.parameters)
      if (p.distribution) uncertain.push_back(p.path);
    for (const Node& n : params->value.items) {
      auto it = std::find_if(r.sc.parameters.begin(), r.sc.parameters.end(),
                             [&](const Parameter& p) { return n.IsScalar() && p.path == n.text; });
      if (it == r.sc.parameters.end()) {
        r.diags.error(Reading::at(n), "{}", not_a_parameter(r, n, uncertain));
        ok = false;
        continue;
      }
      if (!it->distribution) {
        r.diags.error(Reading::at(n), "'{}' is certain; only inputs given as distributions can be correlated: "
                      "write it as one, like {}", n.text, distribution_example(it->kind));
        ok = false;
        continue;
      }
      const int index = static_cast<int>(it - r.sc.parameters.begin());
      auto [pos, inserted] = grouped.emplace(index, Reading::at(n));
      if (!inserted) {
        r.diags.error(Reading::at(n), "'{}' is already in a correlation group ({}); a parameter can be in one only",
                      n.text, r.line_ref(pos->second));
        ok = false;
        continue;
      }
      g.parameters.push_back(index);
    }
    if ((matrix == nullptr) == (single == nullptr)) {
      r.diags.error(Reading::at(item), "give either 'matrix' or 'correlation' in {}", where);
      continue;
    }
    const auto k = static_cast<Eigen::Index>(params->value.size());
    auto m = correlation_matrix(r, matrix, single, k, where, ok);
    if (!ok || !m) continue;
    Eigen::LLT<Eigen::MatrixXd> llt(*m);
    if (llt.info() != Eigen::Success) {
      r.diags.error(Reading::at(matrix ? *matrix : *single), "the correlation matrix is not positive definite; no set "
                    "of inputs can be correlated like this");
      continue;
    }
    g.cholesky = llt.matrixL();
    r.sc.correlations.push_back(std::move(g));
  }
}

}  // namespace fundgap::input
