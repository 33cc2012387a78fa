// libFuzzer target: any bytes as a scenario file. It is read, projected, its checks
// evaluated, and every view written in every format. Bad input must end as InputError;
// a crash, a sanitizer report, a hang or any other exception is a finding.
#include <cstdint>
#include <sstream>
#include <string>

#include "fundgap/analysis/checks.h"
#include "fundgap/analysis/report.h"
#include "fundgap/input/reader.h"
#include "fundgap/model/projection.h"
#include "fundgap/output/format.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fundgap;
  static const MemorySources no_files({});  // `extends` finds nothing: no disk reads
  LoadOptions options;
  options.sources = &no_files;
  try {
    const Scenario sc = load_scenario_text("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size), options);
    const Projection p = project(sc);
    const Report report = make_report(sc, p, View::all);
    for (const OutputFormat* f : formats_for(Document::report)) {
      std::ostringstream out;
      write(out, *f, report);
    }
    FileChecks file;
    file.path = "fuzz.yaml";
    file.scenario = sc.name;
    file.currency = sc.currency;
    for (int t = 0; t < sc.years(); ++t) file.years.push_back(sc.year(t));
    file.results = evaluate_checks(sc, p);
    const CheckRun run{{file}, "2020-01-01T00:00:00", "fuzz"};
    for (const OutputFormat* f : formats_for(Document::checks)) {
      std::ostringstream out;
      write(out, *f, run);
    }
  } catch (const InputError&) {
  }
  return 0;
}
