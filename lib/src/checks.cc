#include "fundgap/checks.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "values.h"

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

// The measure a percentage in a check is a share of.
std::string reference_measure(const Check& c) {
  if (c.kind == "pool") return "contributions";
  if (c.kind == "service") return "baseline";
  if (c.kind == "system") {
    static const std::vector<std::string> service = {"baseline", "savings", "reprovided", "investment", "net"};
    if (std::find(service.begin(), service.end(), c.measure) != service.end()) return "baseline";
  }
  return "funding";
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

std::string pounds(double v, const std::string& symbol) { return detail::money_pounds(v, symbol); }

std::string money(double v, const std::string& symbol, int decimals = 1) {
  return detail::money_millions(v, symbol, decimals);
}

}  // namespace

std::vector<CheckResult> evaluate_checks(const Scenario& sc, const Report& report) {
  const std::string symbol = detail::currency_symbol(sc.currency);
  std::vector<CheckResult> out;
  for (const Check& c : sc.checks) {
    const Measure* m = find_measure(report, c.entity, c.measure);
    const Measure* ref = c.relative || c.tolerance_relative ? find_measure(report, c.entity, reference_measure(c))
                                                            : nullptr;
    CheckResult r{c, true, 0, 0, 0, 0, {}, {}};
    double worst = INFINITY;
    const int first = c.year ? *c.year : 0, last = c.year ? *c.year : sc.projected_years;
    for (int t = first; t <= last; ++t) {
      const double actual = m->values(t);
      const double target = c.relative ? c.value * ref->values(t) : c.value;
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
    // Enough decimals that a near miss does not read as equal figures: more decimals of a
    // million, or, for a miss of pence, whole pounds and pence.
    int decimals = 1;
    const bool differ = std::round(r.actual * 100) != std::round(r.target * 100);
    if (differ)
      while (decimals < 3 && money(r.actual, symbol, decimals) == money(r.target, symbol, decimals)) ++decimals;
    std::string actual = money(r.actual, symbol, decimals), target = money(r.target, symbol, decimals);
    if (differ && actual == target) {
      actual = pounds(r.actual, symbol);
      target = pounds(r.target, symbol);
    }
    r.expected = fmt::format("{} {}", op_text(c.op), target);
    if (c.relative)
      r.expected = fmt::format("{} {} of {} ({})", op_text(c.op), detail::percent_text(c.value),
                               reference_measure(c), target);
    if ((c.op == CompareOp::eq || c.op == CompareOp::ne) && r.tolerance > 0) {
      int tolerance_decimals = 1;  // as few as show it exactly (to a pound)
      while (tolerance_decimals < 6 && std::fabs(std::round(r.tolerance / 1e6 * std::pow(10.0, tolerance_decimals)) -
                                                 r.tolerance / 1e6 * std::pow(10.0, tolerance_decimals)) > 1e-6)
        ++tolerance_decimals;
      r.expected += fmt::format(" \xC2\xB1 {}", money(r.tolerance, symbol, tolerance_decimals));
    }
    r.actual_text = fmt::format("{} in {}", actual, sc.year(r.year));
    out.push_back(std::move(r));
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

namespace {

std::string actual_text(const FileChecks&, const CheckResult& r) { return r.actual_text; }

std::string summary(const CheckRun& run) {
  int bad = 0;
  for (const FileChecks& f : run.files) bad += f.input_error ? 1 : 0;
  std::string s = fmt::format("{} check{}: {} passed, {} failed", run.checks(), run.checks() == 1 ? "" : "s",
                              run.checks() - run.failures(), run.failures());
  if (bad) s += fmt::format("; {} file{} with bad input", bad, bad == 1 ? "" : "s");
  return s;
}

std::string first_line(const Diagnostics& d) {
  const Diagnostic first = d.sorted().front();  // a copy: sorted() returns a temporary
  std::string r = render(first);
  return r.substr(0, r.find('\n'));
}

}  // namespace

void write_check_table(std::ostream& out, const CheckRun& run, bool color) {
  auto paint = [&](const char* code, const std::string& s) {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
  };
  for (const FileChecks& f : run.files) {
    if (f.input_error) {
      out << fmt::format("{}: {}\n", f.path, paint("31", "bad input (see the errors above)"));
      continue;
    }
    out << fmt::format("{}: {}\n", f.path, f.scenario);
    if (f.results.empty()) out << "  (no checks)\n";
    std::size_t width = 0;
    for (const CheckResult& r : f.results) width = std::max(width, r.check.name.size());
    for (const CheckResult& r : f.results) {
      out << fmt::format("  {}  {:<{}}  expected {}, actual {}\n", r.passed ? paint("32", "PASS") : paint("31", "FAIL"),
                         r.check.name, width, r.expected, actual_text(f, r));
    }
  }
  out << summary(run) << '\n';
}

void write_check_markdown(std::ostream& out, const CheckRun& run) {
  const bool ok = run.failures() == 0 && !run.any_input_error();
  out << fmt::format("### fundgap checks: {}\n\n{}\n\n", ok ? "all passed" : "failing", summary(run));
  auto cell = [](std::string s) {
    std::string o;
    for (char c : s) o += c == '|' ? std::string("\\|") : std::string(1, c);
    return o;
  };
  for (const FileChecks& f : run.files) {
    if (f.input_error) {
      out << fmt::format("#### `{}`\n\n:x: bad input: `{}`\n\n", f.path, first_line(*f.input_error));
      continue;
    }
    out << fmt::format("#### {} (`{}`)\n\n", cell(f.scenario), f.path);
    if (f.results.empty()) {
      out << "No checks.\n\n";
      continue;
    }
    out << "| | Check | Expression | Expected | Actual |\n|---|---|---|---|---|\n";
    for (const CheckResult& r : f.results)
      out << fmt::format("| {} | {} | `{}` | {} | {} |\n", r.passed ? ":white_check_mark:" : ":x:",
                         cell(r.check.name), cell(r.check.expression), cell(r.expected), actual_text(f, r));
    out << '\n';
  }
}

void write_check_json(std::ostream& out, const CheckRun& run) {
  nlohmann::ordered_json j;
  j["format"] = "fundgap-checks";
  j["version"] = 1;
  j["checks"] = run.checks();
  j["failures"] = run.failures();
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const FileChecks& f : run.files) {
    nlohmann::ordered_json jf;
    jf["path"] = f.path;
    if (f.input_error) {
      nlohmann::ordered_json errors = nlohmann::ordered_json::array();
      for (const Diagnostic& d : f.input_error->sorted())
        errors.push_back({{"file", d.where.path()}, {"line", d.where.line}, {"column", d.where.column},
                          {"message", d.message}});
      jf["errors"] = errors;
    } else {
      jf["scenario"] = f.scenario;
      nlohmann::ordered_json results = nlohmann::ordered_json::array();
      for (const CheckResult& r : f.results)
        results.push_back({{"name", r.check.name},
                           {"expression", r.check.expression},
                           {"line", r.check.where.line},
                           {"column", r.check.where.column},
                           {"passed", r.passed},
                           {"year", f.years[static_cast<std::size_t>(r.year)].label()},
                           {"actual", r.actual},
                           {"target", r.target},
                           {"tolerance", r.tolerance},
                           {"expected", r.expected}});
      jf["results"] = results;
    }
    files.push_back(jf);
  }
  j["files"] = files;
  out << j.dump(2) << '\n';
}

namespace {
std::string xml(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&apos;"; break;
      case '\n': o += "&#10;"; break;
      default: o += c;
    }
  }
  return o;
}
}  // namespace

void write_junit(std::ostream& out, const CheckRun& run) {
  int tests = 0, failures = 0, errors = 0;
  double seconds = 0;
  for (const FileChecks& f : run.files) {
    tests += f.input_error ? 1 : static_cast<int>(f.results.size());
    failures += f.failures();
    errors += f.input_error ? 1 : 0;
    seconds += f.seconds;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"fundgap check\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
                     tests, failures, errors, seconds);
  for (std::size_t i = 0; i < run.files.size(); ++i) {
    const FileChecks& f = run.files[i];
    const int n = f.input_error ? 1 : static_cast<int>(f.results.size());
    out << fmt::format(
        "  <testsuite name=\"{}\" id=\"{}\" package=\"fundgap\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
        "skipped=\"0\" time=\"{:.3f}\" timestamp=\"{}\" hostname=\"{}\">\n",
        xml(f.path), i, n, f.failures(), f.input_error ? 1 : 0, f.seconds, xml(run.timestamp), xml(run.hostname));
    out << "    <properties>\n"
        << fmt::format("      <property name=\"scenario\" value=\"{}\"/>\n", xml(f.scenario)) << "    </properties>\n";
    const std::string classname = xml(f.path);
    if (f.input_error) {
      out << fmt::format("    <testcase name=\"read scenario\" classname=\"{}\" time=\"{:.3f}\">\n", classname,
                         f.seconds);
      out << fmt::format("      <error message=\"{}\" type=\"BadInput\">{}</error>\n", xml(first_line(*f.input_error)),
                         xml(f.input_error->render_all()));
      out << "    </testcase>\n";
    }
    const double per = f.results.empty() ? 0 : f.seconds / static_cast<double>(f.results.size());
    for (const CheckResult& r : f.results) {
      out << fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3f}\"", xml(r.check.name), classname, per);
      if (r.passed) {
        out << "/>\n";
        continue;
      }
      const std::string message = fmt::format("{}: expected {}, actual {}", r.check.expression, r.expected,
                                              actual_text(f, r));
      out << ">\n"
          << fmt::format("      <failure message=\"{}\" type=\"CheckFailed\">{}:{}:{}: {}</failure>\n", xml(message),
                         xml(r.check.where.path()), r.check.where.line, r.check.where.column, xml(message))
          << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

namespace {
// GitHub's workflow commands: properties escape % \r \n : , and messages % \r \n.
std::string gh_escape(const std::string& s, bool property) {
  std::string o;
  for (char c : s) {
    if (c == '%') o += "%25";
    else if (c == '\r') o += "%0D";
    else if (c == '\n') o += "%0A";
    else if (property && c == ':') o += "%3A";
    else if (property && c == ',') o += "%2C";
    else o += c;
  }
  return o;
}
}  // namespace

void write_github_annotations(std::ostream& out, const CheckRun& run) {
  for (const FileChecks& f : run.files) {
    if (f.input_error) {
      for (const Diagnostic& d : f.input_error->sorted()) {
        if (d.where.known())
          out << fmt::format("::error file={},line={},col={},title={}::{}\n", gh_escape(d.where.path(), true),
                             d.where.line, d.where.column, gh_escape("fundgap: bad input", true),
                             gh_escape(d.message, false));
        else
          out << fmt::format("::error title={}::{}\n", gh_escape("fundgap: bad input", true), gh_escape(d.message, false));
      }
      continue;
    }
    for (const CheckResult& r : f.results) {
      if (r.passed) continue;
      out << fmt::format("::error file={},line={},col={},title={}::{}\n", gh_escape(r.check.where.path(), true),
                         r.check.where.line, r.check.where.column,
                         gh_escape("fundgap check failed: " + r.check.name, true),
                         gh_escape(fmt::format("{}: expected {}, actual {}", r.check.expression, r.expected,
                                               actual_text(f, r)),
                                   false));
    }
  }
}

}  // namespace fundgap
