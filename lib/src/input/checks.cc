// `checks:` a list of expressions, or of maps {name, check}.
#include "check_expression.h"
#include "reading.h"

namespace fundgap::input {

void read_checks(Reading& r, const Entry& section) {
  r.sc.origins["checks"] = Reading::at(section.key_node);
  if (section.value.IsNull()) return;
  if (!r.expect(section, Kind::sequence, "a list of checks", "the scenario")) return;
  for (const Node& item : section.value.items) {
    Check c;
    const Node* expr = nullptr;
    if (item.IsScalar()) {
      expr = &item;
    } else if (item.IsMap()) {
      const std::string where = "a check";
      std::vector<Entry> es = r.entries(item, where);
      r.check_keys(es, {"name", "check"}, where);
      if (const Entry* n = Reading::find(es, "name"))
        if (auto t = r.text(*n, where)) c.name = *t;
      if (const Entry* e = r.require(es, "check", where, Reading::at(item), " (like 'check: system.gap[2021/22] <= 0')")) {
        if (e->value.IsScalar())
          expr = &e->value;
        else
          r.expect(*e, Kind::scalar, "an expression", where);
      }
    } else {
      r.diags.error(Reading::at(item), "expected a check expression (like system.gap[2021/22] <= 0) or a map with "
                    "'check', found {}", describe(item));
    }
    if (!expr) continue;
    c.expression = expr->text;
    c.where = Reading::at(*expr);
    if (expr->quoted) ++c.where.column;  // past the opening quote
    if (c.name.empty()) c.name = c.expression;
    if (parse_check(r.sc, c, r.diags)) r.sc.checks.push_back(std::move(c));
  }
}

}  // namespace fundgap::input
