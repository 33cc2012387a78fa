// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=T::MESSAGE` for
// each failed check and each bad input.
#include <fmt/format.h>

#include "writers.h"

namespace fundgap::output {

namespace {

// Properties escape % \r \n : , and messages % \r \n.
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

void checks_github(std::ostream& out, const CheckRun& run, const WriteOptions&) {
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
                                               r.actual_text),
                                   false));
    }
  }
}

}  // namespace fundgap::output
