// JSON documents, each with "format" and "version" (docs/output.md).
#include <nlohmann/json.hpp>

#include "writers.h"

namespace fundgap::output {

using nlohmann::ordered_json;

namespace {

ordered_json years_of(const std::vector<FinancialYear>& years) {
  ordered_json out = ordered_json::array();
  for (FinancialYear y : years) out.push_back(y.label());
  return out;
}

}  // namespace

void report_json(std::ostream& out, const Report& r, const WriteOptions&) {
  ordered_json j;
  j["format"] = "fundgap-result";
  j["version"] = 1;
  j["scenario"] = r.scenario;
  j["currency"] = r.currency;
  j["years"] = years_of(r.years);
  ordered_json views = ordered_json::object();
  for (const ReportSection& s : r.sections) {
    ordered_json entities = ordered_json::array();
    for (const ReportEntity& e : s.entities) {
      ordered_json measures = ordered_json::object();
      for (const Series& m : e.measures) {
        ordered_json values = ordered_json::array();
        for (double v : m.values) values.push_back(v == 0 ? 0.0 : v);
        measures[m.name] = values;
      }
      entities.push_back({{"id", e.id}, {"kind", kind_name(e.kind)}, {"name", e.name}, {"measures", measures}});
    }
    views[std::string(view_name(s.view))] = entities;
  }
  j["views"] = views;
  if (!r.notes.empty()) j["notes"] = r.notes;
  out << j.dump(2) << '\n';
}

void checks_json(std::ostream& out, const CheckRun& run, const WriteOptions&) {
  ordered_json j;
  j["format"] = "fundgap-checks";
  j["version"] = 1;
  j["checks"] = run.checks();
  j["failures"] = run.failures();
  ordered_json files = ordered_json::array();
  for (const FileChecks& f : run.files) {
    ordered_json jf;
    jf["path"] = f.path;
    if (f.input_error) {
      ordered_json errors = ordered_json::array();
      for (const Diagnostic& d : f.input_error->sorted())
        errors.push_back({{"file", d.where.path()}, {"line", d.where.line}, {"column", d.where.column},
                          {"message", d.message}});
      jf["errors"] = errors;
    } else {
      jf["scenario"] = f.scenario;
      ordered_json results = ordered_json::array();
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

void comparison_json(std::ostream& out, const Comparisons& cs, const WriteOptions&) {
  ordered_json j;
  j["format"] = "fundgap-compare";
  j["version"] = 1;
  if (!cs.comparisons.empty()) {
    j["base"] = {{"file", cs.comparisons.front().base_file}, {"scenario", cs.comparisons.front().base_name}};
    j["measure"] = cs.comparisons.front().measure;
  }
  ordered_json comparisons = ordered_json::array();
  for (const Comparison& c : cs.comparisons) {
    ordered_json jc;
    jc["file"] = c.other_file;
    jc["scenario"] = c.other_name;
    jc["years"] = years_of(c.years);
    ordered_json entities = ordered_json::array();
    for (const ComparedEntity& e : c.entities) {
      ordered_json b = ordered_json::array(), o = b, d = b, p = b;
      for (std::size_t t = 0; t < c.years.size(); ++t) {
        auto value = [](const std::optional<double>& v) { return v ? ordered_json(*v) : nullptr; };
        b.push_back(value(e.base[t]));
        o.push_back(value(e.other[t]));
        d.push_back(e.base[t] && e.other[t] ? ordered_json(*e.other[t] - *e.base[t]) : nullptr);
        p.push_back(value(change_fraction(e.base[t], e.other[t])));
      }
      entities.push_back({{"id", e.id}, {"base", b}, {"other", o}, {"change", d}, {"change_pct", p}});
    }
    jc["entities"] = entities;
    comparisons.push_back(jc);
  }
  j["comparisons"] = comparisons;
  ordered_json gates = ordered_json::array();
  for (const GateResult& g : cs.gates)
    gates.push_back({{"gate", g.gate.text}, {"file", g.other_file}, {"passed", g.passed}, {"year", g.year.label()},
                     {"base", g.base}, {"other", g.other}, {"increase", g.other - g.base}, {"allowed", g.allowed}});
  j["gates"] = gates;
  out << j.dump(2) << '\n';
}

void bridge_json(std::ostream& out, const Bridge& b, const WriteOptions&) {
  ordered_json j;
  j["format"] = "fundgap-bridge";
  j["version"] = 1;
  j["scenario"] = b.scenario;
  j["currency"] = b.currency;
  j["entity"] = b.entity;
  j["from"] = b.from_year.label();
  j["to"] = b.to_year.label();
  j["start"] = b.start;
  ordered_json steps = ordered_json::array();
  for (const BridgeStep& s : b.steps) {
    ordered_json step{{"step", s.name}, {"kind", s.kind}, {"value", s.value}};
    if (!s.id.empty()) step["id"] = s.id;
    steps.push_back(step);
  }
  j["steps"] = steps;
  j["end"] = b.end;
  out << j.dump(2) << '\n';
}

namespace {

ordered_json explanation_node(const Explanation& e, int level, int depth) {
  using Unit = Explanation::Unit;
  using Op = Explanation::Op;
  ordered_json j;
  j["label"] = e.label;
  j["value"] = e.value;
  j["unit"] = e.unit == Unit::money ? "money" : e.unit == Unit::share ? "share" : "factor";
  j["op"] = e.op == Op::leaf ? "leaf" : e.op == Op::sum ? "sum" : "product";
  j["coefficient"] = e.coefficient;
  if (!e.formula.empty()) j["formula"] = e.formula;
  if (e.where.known()) j["source"] = {{"file", e.where.path()}, {"line", e.where.line}, {"column", e.where.column}};
  if (!e.children.empty() && (depth < 0 || level < depth)) {
    ordered_json children = ordered_json::array();
    for (const Explanation& c : e.children) children.push_back(explanation_node(c, level + 1, depth));
    j["children"] = children;
  }
  return j;
}

}  // namespace

void explanation_json(std::ostream& out, const Explanation& e, const WriteOptions& o) {
  out << explanation_node(e, 0, o.depth).dump(2) << '\n';
}

void tornado_json(std::ostream& out, const Tornado& t, const WriteOptions&) {
  ordered_json j;
  j["format"] = "fundgap-sensitivity";
  j["version"] = 1;
  j["figure"] = t.figure;
  j["base"] = t.base;
  ordered_json rows = ordered_json::array();
  for (const Swing& s : t.swings)
    rows.push_back({{"input", s.path},
                    {"line", s.where.line},
                    {"basis", s.basis},
                    {"low", s.low},
                    {"high", s.high},
                    {"at_low", s.at_low},
                    {"at_high", s.at_high},
                    {"range", s.size()}});
  j["swings"] = rows;
  out << j.dump(2) << '\n';
}

void solution_json(std::ostream& out, const SolveResult& r, const WriteOptions&) {
  const Solution& s = r.solution;
  const char* kind = r.kind == ValueKind::rate ? "rate" : r.kind == ValueKind::share ? "share"
                     : r.kind == ValueKind::factor                                 ? "factor"
                                                                                   : "money";
  ordered_json j{{"format", "fundgap-solve"},  {"version", 1},          {"vary", r.vary},
                 {"kind", kind},               {"currency", r.currency},
                 {"target", r.figure},         {"goal", r.goal},        {"found", s.found},
                 {"original", s.original},     {"original_figure", s.original_figure},
                 {"low", s.low},               {"high", s.high}};
  if (s.found) {
    j["value"] = s.value;
    j["achieved"] = s.achieved;
  } else {
    j["figure_low"] = s.figure_low;
    j["figure_high"] = s.figure_high;
  }
  out << j.dump(2) << '\n';
}

}  // namespace fundgap::output
