// libFuzzer target: the text a user types on the command line. The input's lines are a
// `--set PATH=VALUE`, a check expression and a figure reference, applied to a small
// scenario with a pool and a scheme. Bad input must end as InputError.
#include <cstdint>
#include <sstream>
#include <string>

#include "fundgap/analysis/checks.h"
#include "fundgap/input/reader.h"
#include "fundgap/input/references.h"
#include "fundgap/model/projection.h"

namespace {

constexpr const char* kScenario = R"(fundgap: 1
name: Fuzz
period: {base: 2020/21, to: 2023/24}
partners:
  council: {funding: {base: 100m, growth: 1%}}
  ccg: {funding: {base: 200m, growth: 3%}}
services:
  acute: {funder: ccg, base: 150m, demand: {normal: {mean: 3%, sd: 1%}}}
  care: {base: 90m, demand: 4%}
  community: {funder: {council: 60%, ccg: 40%}, base: 60m, inflation: [2%, 2%, 3%]}
schemes:
  avoid: {service: acute, saving: 5%, ramp: [50%, 100%], confidence: 70%, reprovide: {service: community, share: 40%}}
pools:
  pool: {host: council, services: [care], contributions: {council: 40m, ccg: 50m}, risk_share: proportional}
)";

std::string yaml_single_quoted(std::string text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fundgap;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t a = input.find('\n'), b = a == std::string::npos ? a : input.find('\n', a + 1);
  const std::string set = input.substr(0, a);
  const std::string check = a == std::string::npos ? "" : input.substr(a + 1, b == std::string::npos ? b : b - a - 1);
  const std::string figure = b == std::string::npos ? "" : input.substr(b + 1);
  static const MemorySources no_files({});
  LoadOptions options;
  options.sources = &no_files;
  options.overrides = {set};
  std::string text = kScenario;
  if (!check.empty() && check.find_first_of("\r\n") == std::string::npos)
    text += "checks:\n  - " + yaml_single_quoted(check) + "\n";
  try {
    check_override_form(set);
  } catch (const InputError&) {
  }
  try {
    const Scenario sc = load_scenario_text("fuzz.yaml", text, options);
    const Projection p = project(sc);
    evaluate_checks(sc, p);
    const FigureRef ref = parse_figure(sc, figure, "--figure");
    (void)figure_value(p, ref.figure, ref.year);
  } catch (const InputError&) {
  }
  return 0;
}
