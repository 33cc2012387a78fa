// Excel workbooks, through libxlsxwriter. It writes only to a named file, so each
// workbook is built in a temporary file, read back into the stream and the file removed:
// the bytes then reach --output through the same atomic write as every other format.
//
// Every workbook has a cover sheet (what it holds and where it came from), the document
// laid out as the table lays it out, and a tidy sheet with one value per row. Numbers are
// stored at full precision; only their number format follows --units and --decimals.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <dlfcn.h>
#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "fundgap/base/diagnostic.h"
#include "fundgap/base/money.h"
#include "fundgap/version.h"
#include "writers.h"

namespace fundgap::output {

namespace {

[[noreturn]] void fail(const std::string& why) {
  throw InputError(SourceLocation{}, fmt::format("cannot write the workbook: {}", why));
}

// libxlsxwriter is loaded when the first workbook is written, not when fundgap starts:
// linked, it and the libraries under it (libcrypto, minizip, zlib) cost every command,
// workbook or not, about 6 ms of dynamic loading. The functions fundgap calls:
#define FUNDGAP_XLSXWRITER_FUNCTIONS(X)                                                                      \
  X(workbook_new) X(workbook_add_format) X(workbook_add_worksheet) X(workbook_set_properties) X(workbook_close) \
  X(lxw_workbook_free) X(format_set_bold) X(format_set_font_size) X(format_set_num_format)                 \
  X(worksheet_write_string) X(worksheet_write_number) X(worksheet_set_column) X(worksheet_freeze_panes)     \
  X(lxw_strerror)

struct XlsxWriter {
#define FUNDGAP_DECLARE(name) decltype(&::name) name = nullptr;
  FUNDGAP_XLSXWRITER_FUNCTIONS(FUNDGAP_DECLARE)
#undef FUNDGAP_DECLARE
};

// The library, loaded on first use; throws InputError when it cannot be (and tries again
// on the next call). FUNDGAP_XLSXWRITER is the file name of the library fundgap was built
// against, e.g. libxlsxwriter.so.4, found on the loader's usual path.
const XlsxWriter& lxw() {
  static const XlsxWriter library = [] {
    void* handle = ::dlopen(FUNDGAP_XLSXWRITER, RTLD_NOW | RTLD_LOCAL);
    if (!handle) fail(fmt::format("cannot load {}: {}", FUNDGAP_XLSXWRITER, ::dlerror()));
    XlsxWriter x;
#define FUNDGAP_RESOLVE(name)                                                        \
  x.name = reinterpret_cast<decltype(x.name)>(::dlsym(handle, #name));               \
  if (!x.name) fail(fmt::format("{} has no function {}", FUNDGAP_XLSXWRITER, #name));
    FUNDGAP_XLSXWRITER_FUNCTIONS(FUNDGAP_RESOLVE)
#undef FUNDGAP_RESOLVE
    return x;  // the handle stays open for the life of the process
  }();
  return library;
}

// A worksheet and the width each of its columns needs to show its widest cell.
class Sheet {
 public:
  explicit Sheet(lxw_worksheet* ws) : ws_(ws) {}

  void text(int row, int col, const std::string& s, lxw_format* f = nullptr) {
    check(lxw().worksheet_write_string(ws_, row_(row), col_(col), s.c_str(), f));
    fit(col, s, f != nullptr);
  }
  // `shown`: the figure as Excel shows it in format `f`, for the column's width.
  void number(int row, int col, double v, lxw_format* f, const std::string& shown) {
    check(lxw().worksheet_write_number(ws_, row_(row), col_(col), v, f));
    fit(col, shown, false);
  }
  // A title in the first row, allowed to run over the columns to its right.
  void title(const std::string& s, lxw_format* f) { check(lxw().worksheet_write_string(ws_, 0, 0, s.c_str(), f)); }
  void freeze(int rows, int cols) { lxw().worksheet_freeze_panes(ws_, row_(rows), col_(cols)); }
  // Sets every column's width; call once all its cells are written.
  void finish() {
    for (std::size_t c = 0; c < widths_.size(); ++c)
      check(lxw().worksheet_set_column(ws_, col_(static_cast<int>(c)), col_(static_cast<int>(c)), widths_[c], nullptr));
  }

 private:
  static lxw_row_t row_(int r) { return static_cast<lxw_row_t>(r); }
  static lxw_col_t col_(int c) { return static_cast<lxw_col_t>(c); }
  static void check(lxw_error e) {
    if (e != LXW_NO_ERROR) fail(lxw().lxw_strerror(e));
  }
  void fit(int col, const std::string& s, bool bold) {
    const auto c = static_cast<std::size_t>(col);
    if (widths_.size() <= c) widths_.resize(c + 1, 8.43);  // Excel's default width
    const double chars = utf8_length(s) * (bold ? 1.1 : 1.0) + 2;
    widths_[c] = std::max(widths_[c], std::min(chars, 80.0));
  }

  lxw_worksheet* ws_;
  std::vector<double> widths_;
};

// A workbook being built in a temporary file; removed however the writing ends.
class Book {
 public:
  Book(std::string_view currency, const WriteOptions& o) : options_(o), symbol_(currency_symbol(currency)) {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    if (ec) dir = "/tmp";
    path_ = (dir / "fundgap-XXXXXX.xlsx").string();
    const int fd = ::mkstemps(path_.data(), 5);
    if (fd < 0) fail(fmt::format("cannot create a temporary file in '{}': {}", dir.string(), std::strerror(errno)));
    ::close(fd);
    book_ = lxw().workbook_new(path_.c_str());
    if (!book_) {
      ::unlink(path_.c_str());
      fail("libxlsxwriter could not start it");
    }
    bold_ = lxw().workbook_add_format(book_);
    lxw().format_set_bold(bold_);
    title_ = lxw().workbook_add_format(book_);
    lxw().format_set_bold(title_);
    lxw().format_set_font_size(title_, 14);
    // Money as the tables show it: `"£"#,##0.0,,"m"` scales by a thousand per trailing comma.
    const MoneyStyle& m = o.money;
    const std::size_t commas = m.unit == MoneyUnit::thousands ? 1 : m.unit == MoneyUnit::millions ? 2
                       : m.unit == MoneyUnit::billions ? 3 : 0;
    money_ = number_format(fmt::format("\"{}\"#,##0{}{}{}", symbol_, decimals(m.decimals), std::string(commas, ','),
                                       commas ? fmt::format("\"{}\"", unit_suffix(m.unit)) : ""));
    percent_ = number_format("0.0%");
    pounds_ = number_format(fmt::format("\"{}\"#,##0.00", symbol_));
    count_ = number_format("#,##0.0");
  }
  ~Book() {
    if (book_) lxw().lxw_workbook_free(book_);
    ::unlink(path_.c_str());
  }
  Book(const Book&) = delete;
  Book& operator=(const Book&) = delete;

  // A new worksheet named `name`, made a valid and unique sheet name.
  Sheet sheet(const std::string& name) {
    std::string clean;
    int chars = 0;
    for (std::size_t i = 0; i < name.size() && chars < 28; ++chars) {  // room for " 99"
      const auto byte = static_cast<unsigned char>(name[i]);
      const std::size_t len = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;  // one UTF-8 character
      const std::string ch = name.substr(i, len);
      clean += ch.find_first_of("[]:*?/\\'") == std::string::npos ? ch : "_";
      i += len;
    }
    if (clean.empty()) clean = "sheet";
    std::string unique = clean;
    for (int k = 2; taken(unique); ++k) unique = fmt::format("{} {}", clean, k);
    names_.push_back(unique);
    lxw_worksheet* ws = lxw().workbook_add_worksheet(book_, unique.c_str());
    if (!ws) fail(fmt::format("cannot add a sheet named '{}'", unique));
    return Sheet(ws);
  }

  // The cover sheet: a title, then one row for each (label, value).
  void cover(const std::string& heading, const std::vector<std::pair<std::string, std::string>>& rows) {
    Sheet s = sheet("cover");
    s.title(heading, title_);
    int r = 2;
    for (const auto& [label, value] : rows) {
      s.text(r, 0, label, bold_);
      s.text(r++, 1, value);
    }
    s.text(r + 1, 0, "Made by", bold_);
    s.text(r + 1, 1, "fundgap " FUNDGAP_VERSION_STRING);
    s.finish();
  }
  // The money rows of a cover sheet: the currency and how money is shown.
  std::vector<std::pair<std::string, std::string>> money_rows(const std::string& currency) const {
    const MoneyStyle& m = options_.money;
    return {{"Currency", currency},
            {"Money shown in", fmt::format("{}{}, {} decimal{} (the cells hold full precision)", symbol_,
                                           unit_suffix(m.unit), m.decimals, m.decimals == 1 ? "" : "s")}};
  }

  // A figure as a number cell in the format of its unit.
  void figure(Sheet& s, int row, int col, double v, Unit unit) {
    switch (unit) {
      case Unit::money: return money(s, row, col, v);
      case Unit::probability:
      case Unit::share: return s.number(row, col, v, percent_, fmt::format("{:.1f}%", v * 100));
      case Unit::pounds: return s.number(row, col, v, pounds_, fmt::format("{:.2p}", Money{v, symbol_}));
      case Unit::count: return s.number(row, col, v, count_, fmt::format("{:.1p}", Money{v}));
    }
  }
  void money(Sheet& s, int row, int col, double v) {
    s.number(row, col, v, money_, format_money(v, symbol_, options_.money));
  }
  void percent(Sheet& s, int row, int col, double v) { s.number(row, col, v, percent_, fmt::format("{:.1f}%", v * 100)); }
  // A row of column headings in bold.
  void header(Sheet& s, int row, const std::vector<std::string>& names) {
    for (std::size_t c = 0; c < names.size(); ++c) s.text(row, static_cast<int>(c), names[c], bold_);
  }
  lxw_format* title_format() const { return title_; }
  std::string heading_unit() const { return symbol_ + std::string(unit_suffix(options_.money.unit)); }

  // Closes the workbook and copies its bytes to `out`.
  void finish(std::ostream& out, const std::string& title) {
    lxw_doc_properties properties{};
    properties.title = const_cast<char*>(title.c_str());
    std::string comments = "fundgap " FUNDGAP_VERSION_STRING;
    if (!options_.source.empty()) comments += ", from " + options_.source;
    properties.comments = comments.data();
    properties.created = static_cast<time_t>(options_.created);
    lxw().workbook_set_properties(book_, &properties);
    const lxw_error e = lxw().workbook_close(book_);  // frees the workbook, whatever it returns
    book_ = nullptr;
    if (e != LXW_NO_ERROR) fail(lxw().lxw_strerror(e));
    std::ifstream in(path_, std::ios::binary);
    if (!in) fail(fmt::format("cannot read back '{}': {}", path_, std::strerror(errno)));
    out << in.rdbuf();
  }

 private:
  static std::string decimals(int n) { return n > 0 ? "." + std::string(static_cast<std::size_t>(n), '0') : ""; }
  lxw_format* number_format(const std::string& code) {
    lxw_format* f = lxw().workbook_add_format(book_);
    lxw().format_set_num_format(f, code.c_str());
    return f;
  }
  bool taken(const std::string& name) const {
    auto lower = [](std::string s) {
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    for (const std::string& n : names_)
      if (lower(n) == lower(name)) return true;
    return false;
  }

  const WriteOptions& options_;
  std::string symbol_;
  std::string path_;
  lxw_workbook* book_ = nullptr;
  lxw_format *bold_ = nullptr, *title_ = nullptr, *money_ = nullptr, *percent_ = nullptr, *pounds_ = nullptr,
             *count_ = nullptr;
  std::vector<std::string> names_;
};

std::string source_or_none(const WriteOptions& o) { return o.source.empty() ? "(not given)" : o.source; }

}  // namespace

void report_xlsx(std::ostream& out, const Report& r, const WriteOptions& o) {
  Book book(r.currency, o);
  std::vector<std::pair<std::string, std::string>> rows = {{"Scenario", r.scenario}, {"Source file", source_or_none(o)}};
  for (auto& row : book.money_rows(r.currency)) rows.push_back(std::move(row));
  std::string sheets;
  for (const ReportSection& s : r.sections) sheets += fmt::format("{}{}", sheets.empty() ? "" : ", ", view_name(s.view));
  rows.emplace_back("Sheets", sheets + ", and data (one value per row: entity, measure, year, value)");
  for (const std::string& note : r.notes) rows.emplace_back("Note", note);
  book.cover(r.scenario, rows);

  for (const ReportSection& s : r.sections) {
    Sheet sheet = book.sheet(std::string(view_name(s.view)));
    sheet.title(fmt::format("{}: {} ({})", r.scenario, view_name(s.view), book.heading_unit()), book.title_format());
    if (s.entities.empty() || s.entities.front().kind == EntityKind::system) {
      sheet.text(2, 0, fmt::format("(this scenario has no {})", view_name(s.view)));
      sheet.finish();
      continue;
    }
    std::vector<std::string> names = {"entity", "name", "measure"};
    for (FinancialYear y : r.years) names.push_back(y.label());
    book.header(sheet, 1, names);
    int row = 2;
    for (const ReportEntity& e : s.entities)
      for (const Series& m : e.measures) {
        sheet.text(row, 0, e.id);
        sheet.text(row, 1, e.name);
        sheet.text(row, 2, m.label);
        for (std::size_t t = 0; t < r.years.size(); ++t)
          book.figure(sheet, row, 3 + static_cast<int>(t), m.values(static_cast<Eigen::Index>(t)), m.unit);
        ++row;
      }
    sheet.freeze(2, 3);
    sheet.finish();
  }

  Sheet data = book.sheet("data");
  book.header(data, 0, {"entity", "measure", "year", "value"});
  int row = 1;
  for (const ReportSection& s : r.sections)
    for (const ReportEntity& e : s.entities)
      for (const Series& m : e.measures)
        for (std::size_t t = 0; t < r.years.size(); ++t) {
          data.text(row, 0, e.id);
          data.text(row, 1, m.name);
          data.text(row, 2, r.years[t].label());
          book.figure(data, row++, 3, m.values(static_cast<Eigen::Index>(t)), m.unit);
        }
  data.freeze(1, 0);
  data.finish();
  book.finish(out, r.scenario);
}

void comparison_xlsx(std::ostream& out, const Comparisons& cs, const WriteOptions& o) {
  const std::string currency = cs.comparisons.empty() ? "GBP" : cs.comparisons.front().currency;
  Book book(currency, o);
  std::vector<std::pair<std::string, std::string>> rows;
  if (!cs.comparisons.empty())
    rows = {{"Base scenario", cs.comparisons.front().base_name}, {"Base file", cs.comparisons.front().base_file}};
  for (const Comparison& c : cs.comparisons) rows.emplace_back("Compared with", fmt::format("{} ({})", c.other_name, c.other_file));
  for (auto& row : book.money_rows(currency)) rows.push_back(std::move(row));
  rows.emplace_back("Sheets", fmt::format("one per scenario compared, {}and data (one value per row)",
                                          cs.gates.empty() ? "" : "gates, "));
  book.cover(cs.comparisons.empty() ? "Comparison" : "Comparison: " + cs.comparisons.front().base_name, rows);

  for (const Comparison& c : cs.comparisons) {
    Sheet sheet = book.sheet(std::filesystem::path(c.other_file).stem().string());
    sheet.title(fmt::format("{} ({}): {} -> {}", c.measure, book.heading_unit(), c.base_name, c.other_name),
                book.title_format());
    std::vector<std::string> names = {"entity", "row"};
    for (FinancialYear y : c.years) names.push_back(y.label());
    book.header(sheet, 1, names);
    int row = 2;
    for (const ComparedEntity& e : c.entities) {
      for (const char* label : {"base", "other", "change", "change %"}) {
        sheet.text(row, 0, e.id);
        sheet.text(row, 1, label);
        for (std::size_t t = 0; t < c.years.size(); ++t) {
          const int col = 2 + static_cast<int>(t);
          const std::string_view l = label;
          if (l == "change %") {
            const auto p = change_fraction(e.base[t], e.other[t]);
            if (p) book.percent(sheet, row, col, *p);
            else sheet.text(row, col, change_percent_text(p));
            continue;
          }
          std::optional<double> v = l == "base" ? e.base[t] : e.other[t];
          if (l == "change") v = e.base[t] && e.other[t] ? std::optional(*e.other[t] - *e.base[t]) : std::nullopt;
          if (v) book.money(sheet, row, col, *v);
          else sheet.text(row, col, "n/a");
        }
        ++row;
      }
    }
    sheet.freeze(2, 2);
    sheet.finish();
  }

  if (!cs.gates.empty()) {
    Sheet gates = book.sheet("gates");
    book.header(gates, 0, {"result", "gate", "scenario", "year", "increase", "allowed"});
    int row = 1;
    for (const GateResult& g : cs.gates) {
      gates.text(row, 0, g.passed ? "PASS" : "FAIL");
      gates.text(row, 1, g.gate.text);
      gates.text(row, 2, g.other_file);
      gates.text(row, 3, fmt::format("{}", g.year));
      book.money(gates, row, 4, g.other - g.base);
      book.money(gates, row++, 5, g.allowed);
    }
    gates.freeze(1, 0);
    gates.finish();
  }

  Sheet data = book.sheet("data");
  book.header(data, 0, {"scenario", "entity", "measure", "year", "base", "other", "change", "change_pct"});
  int row = 1;
  for (const Comparison& c : cs.comparisons)
    for (const ComparedEntity& e : c.entities)
      for (std::size_t t = 0; t < c.years.size(); ++t) {
        data.text(row, 0, c.other_file);
        data.text(row, 1, e.id);
        data.text(row, 2, c.measure);
        data.text(row, 3, c.years[t].label());
        if (e.base[t]) book.money(data, row, 4, *e.base[t]);
        if (e.other[t]) book.money(data, row, 5, *e.other[t]);
        if (e.base[t] && e.other[t]) book.money(data, row, 6, *e.other[t] - *e.base[t]);
        if (const auto p = change_fraction(e.base[t], e.other[t])) book.percent(data, row, 7, *p);
        ++row;
      }
  data.freeze(1, 0);
  data.finish();
  book.finish(out, "fundgap comparison");
}

void checks_xlsx(std::ostream& out, const CheckRun& run, const WriteOptions& o) {
  const std::string currency = run.files.empty() ? "GBP" : run.files.front().currency;
  Book book(currency, o);
  std::vector<std::pair<std::string, std::string>> rows;
  for (const FileChecks& f : run.files)
    rows.emplace_back("Scenario", f.input_error ? fmt::format("{} (bad input)", f.path)
                                                : fmt::format("{} ({})", f.scenario, f.path));
  rows.emplace_back("Result", run.summary());
  rows.emplace_back("Checked at", run.timestamp + " UTC");
  for (auto& row : book.money_rows(currency)) rows.push_back(std::move(row));
  rows.emplace_back("Sheets", "checks (one check per row)");
  book.cover("fundgap checks", rows);

  Sheet sheet = book.sheet("checks");
  book.header(sheet, 0, {"file", "scenario", "result", "check", "expression", "year", "actual", "target",
                         "tolerance", "expected", "actual (as shown)"});
  int row = 1;
  for (const FileChecks& f : run.files) {
    if (f.input_error) {
      sheet.text(row, 0, f.path);
      sheet.text(row, 2, "bad input");
      sheet.text(row++, 3, first_line(*f.input_error));
      continue;
    }
    for (const CheckResult& r : f.results) {
      sheet.text(row, 0, f.path);
      sheet.text(row, 1, f.scenario);
      sheet.text(row, 2, r.passed ? "PASS" : "FAIL");
      sheet.text(row, 3, r.check.name);
      sheet.text(row, 4, r.check.expression);
      if (r.year >= 0 && static_cast<std::size_t>(r.year) < f.years.size())
        sheet.text(row, 5, f.years[static_cast<std::size_t>(r.year)].label());
      book.money(sheet, row, 6, r.actual);
      book.money(sheet, row, 7, r.target);
      book.money(sheet, row, 8, r.tolerance);
      sheet.text(row, 9, r.expected);
      sheet.text(row++, 10, r.actual_text);
    }
  }
  sheet.freeze(1, 0);
  sheet.finish();
  book.finish(out, "fundgap checks");
}

void bridge_xlsx(std::ostream& out, const Bridge& b, const WriteOptions& o) {
  Book book(b.currency, o);
  const std::string from = b.from_year.label(), to = b.to_year.label();
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Scenario", b.scenario}, {"Source file", source_or_none(o)}, {"Gap of", b.entity}, {"From", from}, {"To", to}};
  for (auto& row : book.money_rows(b.currency)) rows.push_back(std::move(row));
  rows.emplace_back("Sheets", "bridge (the steps, as the table shows them) and data (one step per row)");
  book.cover(b.scenario, rows);

  Sheet sheet = book.sheet("bridge");
  sheet.title(fmt::format("Gap bridge: {}, {} to {} ({})", b.entity, from, to, book.heading_unit()), book.title_format());
  book.header(sheet, 1, {"step", "kind", "value"});
  Sheet data = book.sheet("data");
  book.header(data, 0, {"entity", "step", "kind", "from", "to", "value"});
  int n = 0;  // each step: a row of the bridge as the table shows it, and a tidy row
  auto step = [&](const std::string& name, const std::string& kind, double v) {
    sheet.text(n + 2, 0, name);
    sheet.text(n + 2, 1, kind);
    book.money(sheet, n + 2, 2, v);
    for (int c = 0; const std::string& text : {b.entity, name, kind, from, to}) data.text(n + 1, c++, text);
    book.money(data, ++n, 5, v);
  };
  step("gap " + from, "start", b.start);
  for (const BridgeStep& s : b.steps) step(s.name, s.kind, s.value);
  step("gap " + to, "end", b.end);
  sheet.freeze(2, 1);
  sheet.finish();
  data.freeze(1, 0);
  data.finish();
  book.finish(out, b.scenario);
}

void tornado_xlsx(std::ostream& out, const Tornado& t, const WriteOptions& o) {
  Book book(t.currency, o);
  std::vector<std::pair<std::string, std::string>> rows = {{"Figure", t.figure}, {"Source file", source_or_none(o)}};
  for (auto& row : book.money_rows(t.currency)) rows.push_back(std::move(row));
  rows.emplace_back("Sheets", "sensitivity (one input per row, largest swing first)");
  book.cover(fmt::format("Sensitivity of {}", t.figure), rows);

  Sheet sheet = book.sheet("sensitivity");
  sheet.title(fmt::format("Sensitivity of {} ({} as run), one input at a time", t.figure,
                          format_money(t.base, currency_symbol(t.currency), o.money)),
              book.title_format());
  book.header(sheet, 1, {"input", "swing", "low", "high", "at low", "at high", "range"});
  int row = 2;
  for (const Swing& s : t.swings) {
    for (int c = 0; const std::string& text : {s.path, s.basis, s.low_text, s.high_text}) sheet.text(row, c++, text);
    book.money(sheet, row, 4, s.at_low);
    book.money(sheet, row, 5, s.at_high);
    book.money(sheet, row++, 6, s.size());
  }
  if (t.swings.empty()) sheet.text(row, 0, "(no uncertain inputs; name certain ones with --input PATH)");
  sheet.freeze(2, 1);
  sheet.finish();
  book.finish(out, "fundgap sensitivity");
}

}  // namespace fundgap::output
