// Reading scenario files: value forms, and every diagnostic with its exact wording and
// position (line:col, 1-based).
#include "test_support.h"

#include <algorithm>

using namespace fundgap;
using fundgap::testing::errors_of;
using fundgap::testing::scenario;
using Errors = std::vector<std::string>;

namespace {
// A valid scenario; tests below vary one thing at a time. Line numbers are shown so
// the expected positions can be checked by eye.
const char* const kHeader =
    "fundgap: 1\n"                               // 1
    "name: T\n"                                  // 2
    "period: {base: 2019/20, to: 2021/22}\n"     // 3
    "partners:\n"                                // 4
    "  council: {funding: {base: 100m}}\n"       // 5
    "  ccg: {funding: {base: 200m}}\n";          // 6
}  // namespace

TEST_CASE("value forms: money suffixes and pound sign, rates, shares, years") {
  Scenario sc = scenario(std::string(kHeader) +
                         "services:\n"
                         "  a: {funder: ccg, base: £1.5bn, demand: 0.035, inflation: 2.1%}\n"
                         "  b: {funder: {ccg: 0.25, council: 75%}, base: 250k}\n"
                         "  c: {funder: ccg, base: 1234567}\n");
  CHECK(sc.base_year.start == 2019);
  CHECK(sc.projected_years == 2);
  CHECK(sc.currency == "GBP");
  CHECK(sc.services[0].base == 1.5e9);
  CHECK(sc.services[0].demand(1) == doctest::Approx(0.035));
  CHECK(sc.services[0].inflation(2) == doctest::Approx(0.021));
  CHECK(sc.services[0].demand(0) == 0);  // the base year has no rate
  CHECK(sc.services[1].base == 250e3);
  CHECK(sc.services[1].funders[0].share == doctest::Approx(0.25));
  CHECK(sc.services[2].base == 1234567);
  CHECK(FinancialYear::parse("2019").value().start == 2019);
  CHECK(FinancialYear::parse("2019/20").value().label() == "2019/20");
  CHECK(FinancialYear::parse("1999/00").value().label() == "1999/00");
  CHECK_FALSE(FinancialYear::parse("2019/21"));
  CHECK_FALSE(FinancialYear::parse("19/20"));
}

TEST_CASE("defaults: name is the id, rates 0, confidence 100%, ramp [100%], start the first projected year") {
  Scenario sc = scenario(std::string(kHeader) +
                         "services:\n"
                         "  a: {funder: ccg, base: 10m}\n"
                         "schemes:\n"
                         "  s: {service: a, saving: 10%}\n");
  CHECK(sc.partners[0].name == "council");
  CHECK((sc.services[0].demand == 0).all());
  CHECK(sc.schemes[0].confidence == 1);
  CHECK(sc.schemes[0].ramp == std::vector<double>{1.0});
  CHECK(sc.schemes[0].start == 1);
  CHECK_FALSE(sc.schemes[0].absolute);
}

TEST_CASE("error: YAML syntax, at the place the parser stopped") {
  CHECK(errors_of("fundgap: 1\nname: {a: 1\nperiod: x\n") ==
        Errors{"3:7: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping that starts on line 2)"});
  // At the end of a file with no final line break: after its last character.
  CHECK(errors_of("fundgap: 1\nname: [a") ==
        Errors{"2:9: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"});
  CHECK(errors_of("fundgap: 1\nname: *nope\n") ==
        Errors{"2:7: invalid YAML: the alias '*nope' names no anchor defined before it"});
  // A first key indented more than the next ends the document early: what follows is an
  // error, not silently dropped.
  CHECK(errors_of("  fundgap: 1\nname: [unclosed\n") ==
        Errors{"2:1: invalid YAML: did not find expected <document start>"});
  // A long alias name is cut in the message.
  CHECK(errors_of("fundgap: 1\nname: *" + std::string(100, 'a') + "\n") ==
        Errors{"2:7: invalid YAML: the alias '*" + std::string(40, 'a') + "\u2026' names no anchor defined before it"});
  // A character YAML does not allow (here U+FFFE, a noncharacter), at its column.
  CHECK(errors_of("fundgap: 1\nname: \xC3\xA9\xEF\xBF\xBE\n") ==
        Errors{"2:8: invalid YAML: the character U+FFFE is not allowed in a YAML file"});
}

TEST_CASE("error: line breaks other than LF and CRLF, which YAML and fundgap's lines would count apart") {
  CHECK(errors_of("fundgap: 1\nname: a\rb: 1\n") ==
        Errors{"2:8: a carriage return (U+000D) not followed by a line feed; YAML would take it for a line break: "
               "save the file with LF or CRLF line endings"});
  CHECK(errors_of("fundgap: 1\n# one\u2028two\n") ==
        Errors{"2:6: U+2028 (a line separator), which YAML takes for a line break; names and values hold only "
               "printable text"});
  CHECK(errors_of("fundgap: 1\nname: \"a\u2029b\"\n") ==
        Errors{"2:9: U+2029 (a paragraph separator), which YAML takes for a line break; names and values hold only "
               "printable text"});
}

TEST_CASE("a byte-order mark before the first key is not part of it") {
  // With the mark counted as a column, the first key sat deeper than the next and the
  // document ended after line 1: 'name' would be missing, not misspelt.
  const Errors e = errors_of("\xEF\xBB\xBF" "fundgap: 1\nnme: x\n");
  CHECK(std::any_of(e.begin(), e.end(), [](const std::string& m) {
    return m.rfind("2:1: unknown key 'nme' in the scenario", 0) == 0;
  }));
}

TEST_CASE("anchors nested in anchors are counted once each, not doubled at every level") {
  // 22 anchors nested around one value: 45 values, 90 with the anchors' copies. Doubling
  // the inner copies at each level would pass the 2,000,000 limit.
  std::string value;
  for (int i = 0; i < 22; ++i) value += "&a" + std::to_string(i) + " [";
  value += "x" + std::string(22, ']');
  const Errors e = errors_of("fundgap: 1\nname: " + value + "\n");
  CHECK(std::none_of(e.begin(), e.end(), [](const std::string& m) { return m.find("more than") != std::string::npos; }));
  CHECK(std::any_of(e.begin(), e.end(), [](const std::string& m) {
    return m.rfind("2:7: expected text for 'name'", 0) == 0;
  }));
}

TEST_CASE("error: empty file") {
  CHECK(errors_of("") == Errors{"1:1: the file is empty; a scenario starts with 'fundgap: 1'"});
  CHECK(errors_of("# only a comment\n") == Errors{"1:1: the file is empty; a scenario starts with 'fundgap: 1'"});
}

TEST_CASE("error: missing file, without a location") {
  try {
    load_scenario_file("no/such/file.yaml");
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(e.diagnostics().render_all() ==
          "fundgap: error: cannot open 'no/such/file.yaml': No such file or directory\n");
  }
}

TEST_CASE("error: not a map at the top level") {
  CHECK(errors_of("- a\n- b\n") == Errors{"1:1: expected a map of scenario keys at the top level, found a list"});
}

TEST_CASE("error: missing required keys and an unsupported version") {
  CHECK(errors_of("fundgap: 2\n") ==
        Errors{"1:1: missing required key 'name' in the scenario",
               "1:1: missing required key 'period' in the scenario (like 'period: {base: 2018/19, to: 2021/22}')",
               "1:1: missing required key 'partners' in the scenario",
               "1:1: missing required key 'services' in the scenario",
               "1:10: unsupported format version '2'; this fundgap reads versions 1 and 1.1"});
  CHECK(errors_of("name: x\n")[0] == "1:1: missing required key 'fundgap' in the scenario (the format version: 'fundgap: 1')");
}

TEST_CASE("error: unknown keys, with a suggestion when one is close") {
  CHECK(errors_of(std::string(kHeader) + "services:\n  acute: {funder: ccg, base: 1m, demnad: 2%}\n") ==
        Errors{"8:34: unknown key 'demnad' in service 'acute' (did you mean 'demand'?)"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  acute: {funder: ccg, base: 1m, colour: red}\n") ==
        Errors{"8:34: unknown key 'colour' in service 'acute'"});
  CHECK(errors_of(std::string(kHeader) + "servics:\n  acute: {funder: ccg, base: 1m}\n") ==
        Errors{"1:1: missing required key 'services' in the scenario",
               "7:1: unknown key 'servics' in the scenario (did you mean 'services'?)"});
}

TEST_CASE("error: duplicate keys, naming the first") {
  CHECK(errors_of(std::string(kHeader) +
                  "services:\n"
                  "  acute: {funder: ccg, base: 1m}\n"
                  "  acute: {funder: ccg, base: 2m}\n") ==
        Errors{"9:3: duplicate key 'acute' in 'services' (first at line 8)"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  acute: {funder: ccg, base: 1m, base: 2m}\n") ==
        Errors{"8:34: duplicate key 'base' in service 'acute' (first at line 8)"});
}

TEST_CASE("error: wrong types say what was expected") {
  CHECK(errors_of(std::string(kHeader) + "services:\n  acute: {funder: ccg, base: lots}\n") ==
        Errors{"8:30: expected money (like 120m, £1.5bn or 250000) for 'base' in service 'acute', found 'lots'"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  acute: {funder: ccg, base: 5%}\n") ==
        Errors{"8:30: expected money (like 120m, £1.5bn or 250000) for 'base' in service 'acute', found '5%'"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  acute: {funder: ccg, base: 1m, demand: 3m}\n") ==
        Errors{"8:42: expected a rate (like 3.5% or 0.035) for 'demand' in service 'acute', found '3m'"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  acute: 12\n") ==
        Errors{"8:10: expected a map with 'base' for 'acute' in 'services', found '12'"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  acute: {funder: [ccg], base: 1m}\n") ==
        Errors{"8:19: expected a partner id or a map of partner shares for 'funder' of service 'acute', found a list"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  acute: {funder: ccg, base: -1m}\n") ==
        Errors{"8:30: 'base' in service 'acute' cannot be negative"});
}

TEST_CASE("error: unknown partner and service references") {
  CHECK(errors_of(std::string(kHeader) + "services:\n  acute: {funder: cgg, base: 1m}\n") ==
        Errors{"8:19: unknown partner 'cgg' in 'funder' of service 'acute' (did you mean 'ccg'?)"});
  CHECK(errors_of(std::string(kHeader) +
                  "services:\n  acute: {funder: ccg, base: 1m}\n"
                  "schemes:\n  s: {service: acuet, saving: 1%}\n") ==
        Errors{"10:16: unknown service 'acuet' in 'service' of scheme 's' (did you mean 'acute'?)"});
  CHECK(errors_of(std::string(kHeader) +
                  "services:\n  acute: {funder: ccg, base: 1m}\n  care: {base: 1m}\n"
                  "pools:\n  p: {host: counci, services: [care, caer], contributions: {council: 1m, nhs: 1m}}\n") ==
        Errors{"11:13: unknown partner 'counci' in 'host' of pool 'p' (did you mean 'council'?)",
               "11:38: unknown service 'caer' in 'services' of pool 'p' (did you mean 'care'?)",
               "11:74: unknown partner 'nhs' in 'contributions' of pool 'p'"});
}

TEST_CASE("error: ids unique across sections; 'system' reserved; id syntax") {
  CHECK(errors_of(std::string(kHeader) + "services:\n  ccg: {funder: ccg, base: 1m}\n") ==
        Errors{"8:3: id 'ccg' is already used by a partner (line 6); ids are unique across partners, services, "
               "schemes and pools"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  system: {funder: ccg, base: 1m}\n") ==
        Errors{"8:3: 'system' is reserved for the whole-system totals; choose another id for this service"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  a-e: {funder: ccg, base: 1m}\n") ==
        Errors{"8:3: invalid service id 'a-e': an id starts with a letter and has only letters, digits and '_'"});
}

TEST_CASE("error: funding shares must sum to 100%") {
  CHECK(errors_of(std::string(kHeader) + "services:\n  p: {funder: {ccg: 90%, council: 5%}, base: 1m}\n") ==
        Errors{"8:15: funding shares of service 'p' sum to 95%, not 100%"});
}

TEST_CASE("error: a service in two pools; a pooled service with a funder; an unfunded service") {
  CHECK(errors_of(std::string(kHeader) +
                  "services:\n  care: {base: 1m}\n"
                  "pools:\n"
                  "  p: {host: council, services: [care], contributions: {council: 1m}}\n"
                  "  q: {host: council, services: [care], contributions: {council: 1m}}\n") ==
        Errors{"11:33: service 'care' is already in pool 'p' (line 10); a service can be in at most one pool"});
  CHECK(errors_of(std::string(kHeader) +
                  "services:\n  care: {funder: ccg, base: 1m}\n"
                  "pools:\n  p: {host: council, services: [care], contributions: {council: 1m}}\n") ==
        Errors{"8:18: service 'care' is in pool 'p' and so cannot have a funder; the pool's contributions fund it"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  care: {base: 1m}\n") ==
        Errors{"8:3: service 'care' has no funder and is in no pool; add 'funder: PARTNER'"});
}

TEST_CASE("error: rates at or below -100%") {
  CHECK(errors_of(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 1m, demand: -100%}\n") ==
        Errors{"8:38: -100% for 'demand' in service 'a' is at or below -100%"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 1m, inflation: [1%, -150%]}\n") ==
        Errors{"8:46: -150% for 'inflation' in service 'a' is at or below -100%"});
}

TEST_CASE("error: confidence, shares and ramp values outside 0-100%") {
  std::string services = "services:\n  a: {funder: ccg, base: 10m}\n  b: {funder: ccg, base: 1m}\nschemes:\n";
  CHECK(errors_of(std::string(kHeader) + services + "  s: {service: a, saving: 1%, confidence: 120%}\n") ==
        Errors{"11:43: confidence of scheme 's' is 120%, outside 0% to 100%"});
  CHECK(errors_of(std::string(kHeader) + services + "  s: {service: a, saving: 1%, ramp: [50%, -10%]}\n") ==
        Errors{"11:43: ramp value in scheme 's' is -10%, outside 0% to 100%"});
  CHECK(errors_of(std::string(kHeader) + services +
                  "  s: {service: a, saving: 1%, reprovide: {service: b, share: 1.5}}\n") ==
        Errors{"11:62: re-provided share of scheme 's' is 150%, outside 0% to 100%; write 1.5% if that is meant"});
}

TEST_CASE("error: a list of the wrong length") {
  CHECK(errors_of("fundgap: 1\nname: T\nperiod: {base: 2019/20, to: 2021/22}\n"
                  "partners:\n  ccg: {funding: {base: 1m, growth: [1%, 2%, 3%]}}\n"
                  "services:\n  a: {funder: ccg, base: 1m}\n") ==
        Errors{"5:37: 'growth' in funding of partner 'ccg' has 3 values but the period has 2 projected years "
               "(2020/21 to 2021/22)"});
}

TEST_CASE("error: years outside the period, and year maps that do not start at the first projected year") {
  std::string services = "services:\n  a: {funder: ccg, base: 10m}\nschemes:\n";
  CHECK(errors_of(std::string(kHeader) + services + "  s: {service: a, saving: 1%, start: 2023/24}\n") ==
        Errors{"10:38: year 2023/24 for 'start' of scheme 's' is outside the projected years 2020/21 to 2021/22"});
  CHECK(errors_of(std::string(kHeader) + services + "  s: {service: a, saving: 1%, start: 2019/20}\n") ==
        Errors{"10:38: year 2019/20 for 'start' of scheme 's' is outside the projected years 2020/21 to 2021/22"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 1m, demand: {2021/22: 1%}}\n") ==
        Errors{"8:39: 'demand' in service 'a' starts at 2021/22; a per-year map must start at the first projected "
               "year 2020/21"});
  CHECK(errors_of(std::string(kHeader) +
                  "services:\n  a: {funder: ccg, base: 1m, demand: {2020/21: 1%, 2025/26: 2%}}\n") ==
        Errors{"8:52: year 2025/26 for a key of 'demand' in service 'a' is outside the projected years 2020/21 to "
               "2021/22"});
  CHECK(errors_of(std::string(kHeader) + services + "  s: {service: a, saving: 1%, start: soon}\n") ==
        Errors{"10:38: expected a financial year (like 2019/20) for 'start' of scheme 's', found 'soon'"});
  CHECK(errors_of("fundgap: 1\nname: T\nperiod: {base: 2021/22, to: 2021/22}\npartners:\n"
                  "  ccg: {funding: {base: 1m}}\nservices:\n  a: {funder: ccg, base: 1m}\n") ==
        Errors{"3:29: the period must end after its base year: 'to' is 2021/22 and 'base' is 2021/22"});
}

TEST_CASE("error: NaN and infinity") {
  CHECK(errors_of(std::string(kHeader) + "services:\n  a: {funder: ccg, base: .nan}\n") ==
        Errors{"8:26: '.nan' is not a finite number ('base' in service 'a')"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 1m, demand: -.inf}\n") ==
        Errors{"8:38: '-.inf' is not a finite number ('demand' in service 'a')"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 1e999}\n") ==
        Errors{"8:26: '1e999' is too large to compute with (beyond about 1.8e308) ('base' in service 'a')"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 1e-999}\n") ==
        Errors{"8:26: '1e-999' is too close to zero to compute with (nearer than about 2.2e-308); write 0 if that "
               "is meant ('base' in service 'a')"});
}

TEST_CASE("error: scheme and pool rules") {
  std::string services = "services:\n  a: {funder: ccg, base: 10m}\n  care: {base: 1m}\n";
  CHECK(errors_of(std::string(kHeader) + services +
                  "schemes:\n  s: {service: a, saving: 1%, reprovide: {service: a, share: 10%}}\n"
                  "pools:\n  p: {host: council, services: [care], contributions: {council: 1m}}\n") ==
        Errors{"11:52: scheme 's' re-provides into its own service 'a'; name another service"});
  CHECK(errors_of(std::string(kHeader) + services + "schemes:\n  s: {service: a, saving: -1m}\n"
                  "pools:\n  p: {host: council, services: [care], contributions: {council: 1m}}\n") ==
        Errors{"11:27: 'saving' in scheme 's' cannot be negative (a cost belongs in 'investment')"});
  CHECK(errors_of(std::string(kHeader) + services +
                  "pools:\n  p: {host: council, services: [care], contributions: {council: 1m},"
                  " risk_share: {council: 50%}}\n") ==
        Errors{"11:82: risk shares of pool 'p' sum to 50%, not 100%"});
  CHECK(errors_of(std::string(kHeader) + services +
                  "pools:\n  p: {host: council, services: [care], contributions: {council: 0}}\n") ==
        Errors{"11:3: pool 'p' shares risk in proportion to contributions but has none; give contributions or use "
               "'risk_share: host'"});
  CHECK(errors_of(std::string(kHeader) + services +
                  "pools:\n  p: {host: council, services: [care], contributions: {council: 1m}, risk_share: hots}\n") ==
        Errors{"11:82: expected 'proportional', 'host' or a map of partner shares for 'risk_share' of pool 'p', "
               "found 'hots' (did you mean 'host'?)"});
}

TEST_CASE("every error in a file is reported, in file order") {
  auto errors = errors_of(std::string(kHeader) +
                          "services:\n"
                          "  a: {funder: ccg, base: 1m, demnad: 2%}\n"
                          "  b: {funder: nobody, base: x}\n");
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].rfind("8:30: unknown key 'demnad'", 0) == 0);
  CHECK(errors[1].rfind("9:15: unknown partner 'nobody'", 0) == 0);
  CHECK(errors[2].rfind("9:29: expected money", 0) == 0);
}

TEST_CASE("a rendered diagnostic quotes the line with a caret under the column") {
  try {
    load_scenario_text("plan.yaml", std::string(kHeader) + "services:\n  a: {funder: cgg, base: 1m}\n");
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(e.diagnostics().render_all() ==
          "plan.yaml:8:15: error: unknown partner 'cgg' in 'funder' of service 'a' (did you mean 'ccg'?)\n"
          "    a: {funder: cgg, base: 1m}\n"
          "                ^\n");
  }
}

TEST_CASE("error: bare numbers that are probably a slip") {
  // demand: 3.5 would be 350% a year; saving: 0.2 would be 20 pence.
  CHECK(errors_of(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 1m, demand: 3.5}\n") ==
        Errors{"8:38: rate 3.5 for 'demand' in service 'a' has no '%' and so means 350%; write 3.5% if that is "
               "meant"});
  CHECK(errors_of(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 1m}\nschemes:\n"
                  "  s: {service: a, saving: 0.2}\n") ==
        Errors{"10:27: 'saving' 0.2 in scheme 's' is ambiguous: write 20% for a share of spend or £0.2 for money"});
  // A fraction below 1 is a rate as documented; 150% written with '%' is accepted.
  CHECK(errors_of(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 1m, demand: [0.035, 150%]}\n").empty());
}

TEST_CASE("error: a pool with no services; no second error after a bad risk_share") {
  std::string services = "services:\n  a: {funder: ccg, base: 10m}\n";
  CHECK(errors_of(std::string(kHeader) + services +
                  "pools:\n  p: {host: council, services: [], contributions: {council: 1m}}\n") ==
        Errors{"10:32: pool 'p' pools no services; list at least one"});
  CHECK(errors_of(std::string(kHeader) + services + "  care: {base: 1m}\n" +
                  "pools:\n  p: {host: council, services: [care], contributions: {council: 0}, risk_share: Host}\n") ==
        Errors{"11:81: expected 'proportional', 'host' or a map of partner shares for 'risk_share' of pool 'p', "
               "found 'Host' (did you mean 'host'?)"});
}

TEST_CASE("error: a share saving above 100%; an empty ramp") {
  std::string services = "services:\n  a: {funder: ccg, base: 10m}\nschemes:\n";
  CHECK(errors_of(std::string(kHeader) + services + "  s: {service: a, saving: 150%, confidence: 50%}\n") ==
        Errors{"10:27: 'saving' 150% in scheme 's' is more than the whole spend of its service"});
  CHECK(errors_of(std::string(kHeader) + services + "  s: {service: a, saving: 10%, ramp: []}\n") ==
        Errors{"10:38: expected a list of shares (like [25%, 50%, 100%]) for 'ramp' in scheme 's', found an empty "
               "list"});
}

TEST_CASE("columns count characters, not bytes, and the caret lines up under them") {
  try {
    load_scenario_text("plan.yaml", std::string(kHeader) + "services:\n  a: {name: Café £, funder: cgg, base: 1m}\n");
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(e.diagnostics().render_all() ==
          "plan.yaml:8:29: error: unknown partner 'cgg' in 'funder' of service 'a' (did you mean 'ccg'?)\n"
          "    a: {name: Café £, funder: cgg, base: 1m}\n"
          "                              ^\n");
  }
}

namespace {
// Each warning of reading `yaml`, as "line:col: message".
std::vector<std::string> warnings_of(const std::string& yaml) {
  std::vector<std::string> out;
  for (const Diagnostic& d : scenario(yaml).warnings.sorted()) {
    CHECK(d.warning);
    out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " + d.message);
  }
  return out;
}
}  // namespace

TEST_CASE("warnings: a ramp longer than the years from its start, and a base year that does not balance") {
  const std::string services = "services:\n"                                 // 7
                               "  a: {funder: ccg, base: 200m}\n"            // 8
                               "  b: {funder: council, base: 100m}\n";       // 9
  CHECK(warnings_of(std::string(kHeader) + services).empty());
  // From 2021/22, the last of two projected years, a ramp has one year: 50% and 100% never apply.
  CHECK(warnings_of(std::string(kHeader) + services + "schemes:\n"
                    "  s: {service: a, saving: 10%, start: 2021/22, ramp: [25%, 50%, 100%]}\n") ==
        Errors{"11:54: 'ramp' in scheme 's' has 3 values but only 1 year from its start in 2021/22 to the end of the "
               "period (2021/22): 50%, 100% never apply"});
  CHECK(warnings_of(std::string(kHeader) + services + "schemes:\n"
                    "  s: {service: a, saving: 10%, ramp: [50%, 100%]}\n").empty());
  // The investment's ramp too, from the scheme's start (2020/21): two years.
  CHECK(warnings_of(std::string(kHeader) + services + "schemes:\n"
                    "  s: {service: a, saving: 10%, investment: {service: b, amount: 1m, ramp: [10%, 50%, 100%]}}\n") ==
        Errors{"11:75: 'ramp' in 'investment' of scheme 's' has 3 values but only 2 years from its start in 2020/21 to "
               "the end of the period (2021/22): 100% never applies"});
  // council spends 100,000,001 against funding of 100m: a pound out in the base year.
  CHECK(warnings_of(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 200m}\n"
                    "  b: {funder: council, base: 100000001}\n") ==
        Errors{"5:29: partner 'council' does not balance in the base year 2019/20: spend £100.000001m against funding "
               "£100.000000m, a gap of +£1.00 that every projected year carries"});
  // Warnings are not errors: the scenario projects.
  CHECK(errors_of(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 150m}\n  b: {funder: council, base: 1m}\n")
            .empty());
}

TEST_CASE("hints for the slips people make, each at its place with the fix") {
  auto one_error = [](const std::string& yaml) {
    const std::vector<std::string> e = errors_of(yaml);
    REQUIRE(e.size() == 1);
    return e.front();
  };
  const std::string services = "services:\n  a: {funder: ccg, base: 10m}\nschemes:\n";  // 7, 8, 9
  // A share without '%'.
  CHECK(one_error(std::string(kHeader) + services + "  s: {service: a, saving: 10%, confidence: 70}\n") ==
        "10:44: confidence of scheme 's' is 7000%, outside 0% to 100%; write 70% if that is meant");
  CHECK(errors_of(std::string(kHeader) + services + "  s: {service: a, saving: 10%, confidence: {uniform: [50, 90]}}\n") ==
        Errors{"10:55: share 50 in the uniform distribution for confidence of scheme 's' has no '%' and so means "
               "5000%; write 50% if that is meant",
               "10:59: share 90 in the uniform distribution for confidence of scheme 's' has no '%' and so means "
               "9000%; write 90% if that is meant"});
  // Money with separators, a space, a unit in words; a rate with a space.
  CHECK(one_error(std::string(kHeader) + "services:\n  a:\n    funder: ccg\n    base: £206,999,000\n") ==
        "10:11: expected money (like 120m, £1.5bn or 250000) for 'base' in service 'a', found '£206,999,000'; write "
        "£206999000");
  CHECK(one_error(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 5 m}\n") ==
        "8:26: expected money (like 120m, £1.5bn or 250000) for 'base' in service 'a', found '5 m'; write 5m");
  CHECK(one_error(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 5.2 million}\n") ==
        "8:26: expected money (like 120m, £1.5bn or 250000) for 'base' in service 'a', found '5.2 million'; write 5.2m");
  CHECK(one_error(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 1m, demand: 2 %}\n") ==
        "8:38: expected a rate (like 3.5% or 0.035) for 'demand' in service 'a', found '2 %'; write 2%");
  CHECK(one_error(std::string(kHeader) + services + "  s: {service: a, saving: '1,500,000'}\n") ==
        "10:27: expected a share of spend (like 20%) or money (like 5m) for 'saving' in scheme 's', found "
        "'1,500,000'; write 1500000");
  // Years: 2019-20 is read as NHS papers write it; 2019/2020 gets the fix.
  CHECK(scenario("fundgap: 1\nname: T\nperiod: {base: 2019-20, to: 2021-22}\npartners:\n  c: {funding: {base: 1m}}\n"
                 "services:\n  a: {funder: c, base: 1m}\n").projected_years == 2);
  CHECK(one_error("fundgap: 1\nname: T\nperiod: {base: 2019/2020, to: 2021/22}\npartners:\n  c: {funding: {base: 1m}}\n"
                  "services:\n  a: {funder: c, base: 1m}\n") ==
        "3:16: expected a financial year (like 2019/20) for 'base' in 'period', found '2019/2020'; write 2019/20");
  CHECK(FinancialYear::suggestion("2019/2020") == "2019/20");
  CHECK(FinancialYear::suggestion("2019 - 20") == "2019/20");
  CHECK(FinancialYear::suggestion("2019/2021").empty());
  CHECK(FinancialYear::suggestion("soon").empty());
  // A tab in the indentation.
  CHECK(one_error(std::string(kHeader) + "services:\n\ta: {funder: ccg, base: 1m}\n") ==
        "8:1: a tab is used for indentation; YAML indents with spaces only: replace it with spaces");
}

TEST_CASE("limits: the period and each section's entries, each at the place it is passed") {
  // 100 projected years are read; 101 are an error at `to`.
  CHECK(scenario("fundgap: 1\nname: T\nperiod: {base: 2019/20, to: 2119/20}\npartners:\n"
                 "  ccg: {funding: {base: 1m}}\nservices:\n  a: {funder: ccg, base: 1m}\n")
            .projected_years == 100);
  CHECK(errors_of("fundgap: 1\nname: T\nperiod: {base: 2019/20, to: 2120/21}\npartners:\n"
                  "  ccg: {funding: {base: 1m}}\nservices:\n  a: {funder: ccg, base: 1m}\n") ==
        Errors{"3:29: the period runs 101 years past its base; at most 100 are projected"});

  // A section of `n` entries `{prefix}0:` ... as lines of their own, each `entry`.
  auto section = [](const char* name, const char* prefix, int n, const std::string& entry) {
    std::string s = std::string(name) + ":\n";
    for (int i = 0; i < n; ++i) s += fmt::format("  {}{}: {}\n", prefix, i, entry);
    return s;
  };
  const std::string head = "fundgap: 1.1\nname: T\nperiod: {base: 2019/20, to: 2021/22}\n";  // lines 1-3
  const std::string partner = "partners:\n  ccg: {funding: {base: 1m}}\n";                    // lines 4-5
  const std::string service = "services:\n  a: {funder: ccg, base: 1m}\n";                    // lines 6-7
  // 10,000 partners and 100,000 services are read.
  CHECK(scenario(head + section("partners", "p", 10'000, "{funding: {base: 1m}}") + "services:\n  a: {funder: p0, base: 1m}\n")
            .partners.size() == 10'000);
  CHECK(scenario(head + partner + section("services", "s", 100'000, "{funder: ccg, base: 1m}")).services.size() ==
        100'000);
  // One more is an error at its key, line (the section's line) + 10,001 or 100,001; the
  // section's line is 4 for partners, 6 after partners, 8 after partners and services.
  CHECK(errors_of(head + section("partners", "p", 10'001, "")) == Errors{"10005:3: more than 10000 partners (the limit)"});
  CHECK(errors_of(head + partner + section("services", "s", 100'001, "")) ==
        Errors{"100007:3: more than 100000 services (the limit)"});
  CHECK(errors_of(head + partner + service + section("schemes", "k", 100'001, "")) ==
        Errors{"100009:3: more than 100000 schemes (the limit)"});
  CHECK(errors_of(head + partner + service + section("pools", "q", 10'001, "")) ==
        Errors{"10009:3: more than 10000 pools (the limit)"});
  CHECK(errors_of(head + partner + section("places", "l", 10'001, "") + service) ==
        Errors{"10007:3: more than 10000 places (the limit)"});
  CHECK(errors_of(head + partner + "places:\n  north: {population: 1}\n" + service +
                  section("delegations", "d", 10'001, "")) == Errors{"10011:3: more than 10000 delegations (the limit)"});
}
