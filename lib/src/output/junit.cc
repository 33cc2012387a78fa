// Apache Ant JUnit XML: testsuites > testsuite (one per file) > testcase (one per check).
#include <fmt/format.h>

#include "writers.h"

namespace fundgap::output {

std::string xml_escape(std::string_view s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&apos;"; break;
      case '\n': o += "&#10;"; break;
      case '\r': o += "&#13;"; break;
      case '\t': o += "&#9;"; break;
      default:
        // XML 1.0 has no way to write the other control characters, even as &#N;.
        if (static_cast<unsigned char>(c) < 0x20) o += fmt::format("\\x{:02X}", static_cast<unsigned char>(c));
        else o += c;
    }
  }
  return o;
}

void checks_junit(std::ostream& out, const CheckRun& run, const WriteOptions&) {
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
        xml_escape(f.path), i, n, f.failures(), f.input_error ? 1 : 0, f.seconds, xml_escape(run.timestamp), xml_escape(run.hostname));
    out << "    <properties>\n"
        << fmt::format("      <property name=\"scenario\" value=\"{}\"/>\n", xml_escape(f.scenario)) << "    </properties>\n";
    const std::string classname = xml_escape(f.path);
    if (f.input_error) {
      out << fmt::format("    <testcase name=\"read scenario\" classname=\"{}\" time=\"{:.3f}\">\n", classname,
                         f.seconds);
      out << fmt::format("      <error message=\"{}\" type=\"BadInput\">{}</error>\n", xml_escape(first_line(*f.input_error)),
                         xml_escape(f.input_error->render_all()));
      out << "    </testcase>\n";
    }
    const double per = f.results.empty() ? 0 : f.seconds / static_cast<double>(f.results.size());
    for (const CheckResult& r : f.results) {
      out << fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3f}\"", xml_escape(r.check.name), classname, per);
      if (r.passed) {
        out << "/>\n";
        continue;
      }
      const std::string message = fmt::format("{}: expected {}, actual {}", r.check.expression, r.expected, r.actual_text);
      out << ">\n"
          << fmt::format("      <failure message=\"{}\" type=\"CheckFailed\">{}:{}:{}: {}</failure>\n", xml_escape(message),
                         xml_escape(r.check.where.path()), r.check.where.line, r.check.where.column, xml_escape(message))
          << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace fundgap::output
