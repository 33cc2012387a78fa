// `fundgap check FILE...`: evaluate each scenario's checks, for people and for CI.
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <sstream>

#include <unistd.h>

#include "commands.h"
#include "output.h"
#include "scenario_options.h"

#include "fundgap/analysis/checks.h"
#include "fundgap/base/output_file.h"
#include "fundgap/model/projection.h"

namespace fundgap::cli {

namespace {

struct CheckOptions {
  std::vector<std::string> files;
  ScenarioOptions scenario;
  OutputOptions out;
  std::string junit;
};

std::string now_iso8601() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  return buffer;
}

std::string host_name() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return "localhost";
  return buffer;
}

int check(const CheckOptions& o) {
  const OutputFormat& format = o.out.resolved_format();
  // Both outputs are checked before the work and written together after it.
  OutputFiles files;
  const std::size_t junit = o.junit.empty() ? 0 : files.add(o.junit);
  o.out.reserve(files);
  CheckRun run{{}, now_iso8601(), host_name()};
  for (const std::string& file : o.files) {
    const auto start = std::chrono::steady_clock::now();
    FileChecks f;
    f.path = file;
    try {
      const Scenario sc = o.scenario.load(file);
      const Projection p = project(sc);
      f.scenario = sc.name;
      f.currency = sc.currency;
      for (int t = 0; t < sc.years(); ++t) f.years.push_back(sc.year(t));
      f.results = evaluate_checks(sc, p);
    } catch (const InputError& e) {
      std::cerr << e.diagnostics().render_all();
      f.input_error = e.diagnostics();
    }
    f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    run.files.push_back(std::move(f));
  }

  std::ostringstream text;
  write(text, format, run, o.out.write_options(fmt::format("{}", fmt::join(o.files, ", "))));
  if (!o.junit.empty()) write(files.stream(junit), *find_format("junit"), run);
  const char* gha = std::getenv("GITHUB_ACTIONS");
  if (gha && std::string_view(gha) == "true") {
    // Workflow commands are read from the job's log; keep Markdown and JSON on stdout
    // clean (so `>> $GITHUB_STEP_SUMMARY` gets only the summary).
    std::ostringstream annotations;
    write(annotations, *find_format("github"), run);
    (format.name != "table" && o.out.output.empty() ? std::cerr : std::cout) << annotations.str();
  }
  // Files first: standard output is not written when a file cannot be.
  if (!o.out.output.empty()) o.out.emit(text.str());
  files.commit();
  if (o.out.output.empty()) o.out.emit(text.str());
  if (run.any_input_error()) return 2;
  return run.failures() > 0 ? 1 : 0;
}

}  // namespace

void setup_check(CLI::App& sub, Action& action) {
  auto o = std::make_shared<CheckOptions>();
  sub.add_option("files", o->files, "Scenario files (YAML) with a 'checks:' list")->required();
  o->scenario.add_to(sub);
  o->out.add_to(sub, Document::checks);
  sub.add_option("--junit", o->junit, "Also write JUnit XML (Apache Ant form) to FILE, for CI dashboards");
  sub.footer(R"(Examples:
  fundgap check plans/*.yaml
  fundgap check plan.yaml --junit reports/fundgap.xml
  fundgap check plan.yaml --format markdown >> "$GITHUB_STEP_SUMMARY"
  fundgap check plan.yaml --set services.acute.demand=4%

A check is ENTITY.MEASURE[YEAR] OP VALUE [± TOLERANCE], e.g. 'council.gap[*] <= 5m' or
'system.gap_do_nothing[2021/22] == 60m ± 2%' (see docs/checks.md).
Under GitHub Actions (GITHUB_ACTIONS=true) each failing check is also annotated at its
line. Exit 0 when every check passes, 1 when any fails, 2 on bad input.)");
  sub.callback([o, &action] { action = [o] { return check(*o); }; });
}

}  // namespace fundgap::cli
