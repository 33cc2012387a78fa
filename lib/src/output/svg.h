// Inline SVG charts for the HTML report: each a self-contained <svg class="chart"> whose
// data marks (lines, bars, bands) carry class "mark", sized by its viewBox so that it
// scales to the page, on a phone and in print. Private to the library.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "writers.h"

namespace fundgap::output::svg {

// `text` for HTML and SVG text and attribute values (writers.h's xml_escape).
inline std::string escape(std::string_view text) { return xml_escape(text); }

// One series of a line or bar chart: a value per category (year).
struct Series {
  std::string name;
  std::vector<double> values;
  int colour = 0;       // an index into the palette (CSS classes c0, c1, ...)
  bool dashed = false;
};

// A row of a waterfall or tornado: its label, its bars on the value axis, a note after them.
struct Segment {
  double from = 0, to = 0;
  std::string kind;     // CSS class: "total", "up", "down", "low", "high"
};
struct Row {
  std::string label;
  std::vector<Segment> segments;
  std::string note;     // printed after the row's bars ("+£1.2m"); may be empty
};

// Lower and upper edges of a band, one value per category.
struct Band {
  std::vector<double> low, high;
};

// Lines over the categories (years), with the zero line drawn when the range spans it.
std::string line_chart(std::string_view title, const std::vector<std::string>& categories,
                       const std::vector<Series>& series, std::string_view symbol);
// Bars side by side in each category, one per series.
std::string bar_chart(std::string_view title, const std::vector<std::string>& categories,
                      const std::vector<Series>& series, std::string_view symbol);
// A fan: the outer band, the inner band, the median line, and a reference line (the
// deterministic figure) dashed.
std::string fan_chart(std::string_view title, const std::vector<std::string>& categories, const Band& outer,
                      const Band& inner, const std::vector<double>& median, const std::vector<double>& reference,
                      std::string_view symbol);
// Horizontal bars, one row each, labels to the left: a waterfall or a tornado; a vertical
// line at `base` unless it is NaN.
std::string row_chart(std::string_view title, const std::vector<Row>& rows, double base, std::string_view symbol);

}  // namespace fundgap::output::svg
