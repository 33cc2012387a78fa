// Inline SVG charts: a value axis with round ticks, and marks in viewBox units.
#include "svg.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "fundgap/base/money.h"

namespace fundgap::output::svg {

namespace {

constexpr double kWidth = 480;
constexpr double kFont = 12;

// A value axis: [lo, hi] widened to round ticks `step` apart, always including zero.
struct Axis {
  double lo = 0, hi = 1, step = 1;
  double p0 = 0, p1 = 1;  // the pixels lo and hi map to

  double at(double v) const { return p0 + (v - lo) / (hi - lo) * (p1 - p0); }
};

Axis make_axis(double lo, double hi, double p0, double p1) {
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  if (!(hi > lo)) hi = lo + 1e6;  // all zero: a £1m axis
  const double raw = (hi - lo) / 5;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  return {std::floor(lo / step) * step, std::ceil(hi / step) * step, step, p0, p1};
}

std::string num(double v) { return fmt::format("{:.1f}", v); }

std::string axis_label(double v, double step, std::string_view symbol) {
  const int decimals = step >= 1e6 ? 0 : step >= 1e5 ? 1 : 2;
  return format_money(v, symbol, {MoneyUnit::millions, decimals, false});
}

std::string open_svg(std::string_view title, double height) {
  return fmt::format(R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" )"
                     R"(xmlns="http://www.w3.org/2000/svg" font-size="{}"><title>{}</title>)",
                     kWidth, num(height), escape(title), kFont, escape(title));
}

// A line of the grid; the zero line stands out.
std::string grid_line(bool zero, double x1, double x2, double y1, double y2) {
  return fmt::format(R"(<line class="{}" x1="{}" x2="{}" y1="{}" y2="{}"/>)", zero ? "zero" : "grid", num(x1), num(x2),
                     num(y1), num(y2));
}

// Horizontal grid lines and labels of a vertical value axis, from x0 to x1.
std::string value_grid_y(const Axis& a, double x0, double x1, std::string_view symbol) {
  std::string out;
  for (double v = a.lo; v <= a.hi + a.step / 2; v += a.step) {
    const double y = a.at(v);
    out += grid_line(std::abs(v) < a.step / 2, x0, x1, y, y);
    out += fmt::format(R"(<text class="tick" x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>)",
                       num(x0 - 4), num(y), escape(axis_label(std::abs(v) < a.step / 2 ? 0 : v, a.step, symbol)));
  }
  return out;
}

// The categories along the bottom, centred on `x(i)`.
template <typename X>
std::string category_labels(const std::vector<std::string>& categories, X x, double y) {
  std::string out;
  for (std::size_t i = 0; i < categories.size(); ++i)
    out += fmt::format(R"(<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>)", num(x(i)), num(y),
                       escape(categories[i]));
  return out;
}

struct Plot {
  static constexpr double left = 62, right = 12, top = 12, bottom = 28, height = 250;
  double x0() const { return left; }
  double x1() const { return kWidth - right; }
  double y0() const { return height - bottom; }  // the bottom of the plot area
  double y1() const { return top; }
};

std::pair<double, double> range_of(std::initializer_list<const std::vector<double>*> all) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const std::vector<double>* v : all)
    for (double x : *v) {
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
  if (lo > hi) return {0, 0};
  return {lo, hi};
}

// The value axis of a plot for every value of `series`.
Axis series_axis(const std::vector<Series>& series, const Plot& p) {
  double lo = 0, hi = 0;
  for (const Series& s : series) {
    auto [l, h] = range_of({&s.values});
    lo = std::min(lo, l);
    hi = std::max(hi, h);
  }
  return make_axis(lo, hi, p.y0(), p.y1());
}

// Where the i-th of n points stands across a plot: evenly spread, inset from the edges.
double point_x(const Plot& p, std::size_t n, std::size_t i) {
  if (n <= 1) return (p.x0() + p.x1()) / 2;
  return p.x0() + 8 + static_cast<double>(i) / static_cast<double>(n - 1) * (p.x1() - p.x0() - 16);
}

std::string polyline(const std::vector<double>& v, const Axis& a, auto x, const std::string& cls) {
  std::string points;
  for (std::size_t i = 0; i < v.size(); ++i) points += fmt::format("{}{},{}", i ? " " : "", num(x(i)), num(a.at(v[i])));
  return fmt::format(R"(<polyline class="mark {}" fill="none" points="{}"/>)", cls, points);
}

// A point per value, so a one-year series still shows; each has its value as a tooltip.
std::string dots(const std::vector<double>& v, const Axis& a, auto x, const std::string& cls,
                 const std::vector<std::string>& categories, std::string_view name, std::string_view symbol) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i)
    out += fmt::format(R"(<circle class="mark dot {}" cx="{}" cy="{}" r="3"><title>{} {}: {}</title></circle>)", cls,
                       num(x(i)), num(a.at(v[i])), escape(name), escape(categories[i]),
                       escape(format_money(v[i], symbol, {MoneyUnit::millions, 1, false})));
  return out;
}

}  // namespace

std::string line_chart(std::string_view title, const std::vector<std::string>& categories,
                       const std::vector<Series>& series, std::string_view symbol) {
  const Plot p;
  const Axis a = series_axis(series, p);
  auto x = [&](std::size_t i) { return point_x(p, categories.size(), i); };
  std::string out = open_svg(title, Plot::height) + value_grid_y(a, p.x0(), p.x1(), symbol);
  for (const Series& s : series) {
    const std::string cls = fmt::format("c{}{}", s.colour, s.dashed ? " dashed" : "");
    out += polyline(s.values, a, x, cls);
    out += dots(s.values, a, x, fmt::format("c{}", s.colour), categories, s.name, symbol);
  }
  return out + category_labels(categories, x, Plot::height - 8) + "</svg>";
}

std::string bar_chart(std::string_view title, const std::vector<std::string>& categories,
                      const std::vector<Series>& series, std::string_view symbol) {
  const Plot p;
  const Axis a = series_axis(series, p);
  const double group = (p.x1() - p.x0()) / static_cast<double>(std::max<std::size_t>(1, categories.size()));
  const double bar = group * 0.8 / static_cast<double>(std::max<std::size_t>(1, series.size()));
  auto centre = [&](std::size_t i) { return p.x0() + (static_cast<double>(i) + 0.5) * group; };
  std::string out = open_svg(title, Plot::height) + value_grid_y(a, p.x0(), p.x1(), symbol);
  for (std::size_t k = 0; k < series.size(); ++k) {
    const Series& s = series[k];
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      const double y = a.at(std::max(0.0, s.values[i])), h = std::abs(a.at(s.values[i]) - a.at(0));
      out += fmt::format(R"(<rect class="mark c{}" x="{}" y="{}" width="{}" height="{}"><title>{} {}: {}</title></rect>)",
                         s.colour, num(centre(i) - group * 0.4 + static_cast<double>(k) * bar), num(y), num(bar),
                         num(std::max(h, 0.5)), escape(s.name), escape(categories[i]),
                         escape(format_money(s.values[i], symbol, {MoneyUnit::millions, 1, false})));
    }
  }
  return out + category_labels(categories, centre, Plot::height - 8) + "</svg>";
}

std::string fan_chart(std::string_view title, const std::vector<std::string>& categories, const Band& outer,
                      const Band& inner, const std::vector<double>& median, const std::vector<double>& reference,
                      std::string_view symbol) {
  const Plot p;
  auto [lo, hi] = range_of({&outer.low, &outer.high, &median, &reference});
  const Axis a = make_axis(lo, hi, p.y0(), p.y1());
  auto x = [&](std::size_t i) { return point_x(p, categories.size(), i); };
  auto band = [&](const Band& b, const char* cls) {
    std::string points;
    for (std::size_t i = 0; i < b.high.size(); ++i) points += fmt::format("{},{} ", num(x(i)), num(a.at(b.high[i])));
    for (std::size_t i = b.low.size(); i-- > 0;) points += fmt::format("{},{} ", num(x(i)), num(a.at(b.low[i])));
    if (!points.empty()) points.pop_back();
    return fmt::format(R"(<polygon class="mark {}" points="{}"/>)", cls, points);
  };
  std::string out = open_svg(title, Plot::height) + value_grid_y(a, p.x0(), p.x1(), symbol);
  out += band(outer, "band-outer") + band(inner, "band-inner");
  out += polyline(reference, a, x, "c1 dashed") + polyline(median, a, x, "c0");
  out += dots(median, a, x, "c0", categories, "median", symbol);
  return out + category_labels(categories, x, Plot::height - 8) + "</svg>";
}

std::string row_chart(std::string_view title, const std::vector<Row>& rows, double base, std::string_view symbol) {
  constexpr double label_width = 178, row = 24, top = 6, axis = 22;
  std::size_t longest = 0;  // the notes' room: about 6.6 units a character at 12 units
  for (const Row& r : rows) longest = std::max(longest, r.note.size());
  const double note_width = 10 + 6.6 * static_cast<double>(longest);
  const double height = top + row * static_cast<double>(rows.size()) + axis;
  double lo = std::isnan(base) ? 0 : base, hi = lo;
  for (const Row& r : rows)
    for (const Segment& s : r.segments) {
      lo = std::min({lo, s.from, s.to});
      hi = std::max({hi, s.from, s.to});
    }
  const Axis a = make_axis(lo, hi, label_width, kWidth - note_width);
  std::string out = open_svg(title, height);
  const double bottom = top + row * static_cast<double>(rows.size());
  for (double v = a.lo; v <= a.hi + a.step / 2; v += a.step) {
    const double px = a.at(v);
    out += grid_line(std::abs(v) < a.step / 2, px, px, top, bottom);
    out += fmt::format(R"(<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>)", num(px), num(bottom + 15),
                       escape(axis_label(std::abs(v) < a.step / 2 ? 0 : v, a.step, symbol)));
  }
  if (!std::isnan(base))
    out += fmt::format(R"(<line class="base" x1="{}" x2="{}" y1="{}" y2="{}"/>)", num(a.at(base)), num(a.at(base)),
                       num(top - 2), num(bottom));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    const double y = top + row * static_cast<double>(i);
    std::string label = r.label;
    if (label.size() > 28) label = label.substr(0, 27) + "\u2026";
    out += fmt::format(R"(<text class="label" x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}<title>{}</title></text>)",
                       num(label_width - 6), num(y + row / 2), escape(label), escape(r.label));
    double right = a.p0;
    for (const Segment& s : r.segments) {
      const double x0 = a.at(std::min(s.from, s.to)), x1 = a.at(std::max(s.from, s.to));
      right = std::max(right, x1);
      out += fmt::format(R"(<rect class="mark {}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>)", s.kind,
                         num(x0), num(y + 4), num(std::max(x1 - x0, 1.0)), num(row - 8),
                         escape(r.label + (r.note.empty() ? "" : ": " + r.note)));
    }
    if (!r.note.empty())
      out += fmt::format(R"(<text class="note" x="{}" y="{}" dominant-baseline="middle">{}</text>)", num(right + 4),
                         num(y + row / 2), escape(r.note));
  }
  return out + "</svg>";
}

}  // namespace fundgap::output::svg
