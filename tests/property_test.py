"""Properties of the model on random scenarios (issue 12), checked through the command
line. Each scenario has random partners, services (funded by shares of partners or by a
pool), schemes and growth; the same seed gives the same scenarios.

- every penny of net service spend lands on exactly one partner:
  sum of partners' spend = sum of services' net spend, every year;
- money scales: doubling every money input doubles every money output (doubling is exact
  in binary, so the outputs agree to the rounding of their printing);
- a scheme with confidence 0 saves nothing: every gap equals its do-nothing gap;
- `--set` of a value to itself changes nothing: the same bytes.

Run: /usr/bin/python3 tests/property_test.py PATH/TO/fundgap   (CTest does this)
"""
import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import unittest

FUNDGAP = None
CASES = 25


def scenario(rng, scale=1, confidence=None):
    """A random scenario as YAML text, its money multiplied by `scale`; every scheme's
    confidence is `confidence` when given."""
    def money(x):
        return f"{x * scale}"  # plain numbers: scale 2 doubles them exactly
    P = rng.randint(1, 4)
    S = rng.randint(1, 6)
    partners = [f"p{i}" for i in range(P)]
    years = rng.randint(1, 8)
    out = ["fundgap: 1", "name: Random", f"period: {{base: 2020/21, to: {2020 + years}/{(21 + years) % 100:02d}}}",
           "partners:"]
    for p in partners:
        out.append(f"  {p}: {{funding: {{base: {money(rng.randint(10, 900) * 100000)}, "
                   f"growth: {rng.randint(-20, 80) / 10}%}}}}")
    out.append("services:")
    pooled = []
    for s in range(S):
        line = f"  s{s}: {{base: {money(rng.randint(1, 500) * 100000)}, demand: {rng.randint(-10, 60) / 10}%, " \
               f"inflation: {rng.randint(0, 40) / 10}%"
        if rng.random() < 0.3 and P > 1:
            pooled.append(f"s{s}")
        elif P > 1 and rng.random() < 0.5:
            a, b = rng.sample(partners, 2)
            share = rng.randint(1, 99)
            line += f", funder: {{{a}: {share}%, {b}: {100 - share}%}}"
        else:
            line += f", funder: {rng.choice(partners)}"
        out.append(line + "}")
    schemes = []
    for k in range(rng.randint(0, 3)):
        service = f"s{rng.randrange(S)}"
        c = confidence if confidence is not None else rng.randint(0, 100)
        saving = f"{rng.randint(1, 20)}%" if rng.random() < 0.5 else money(rng.randint(1, 50) * 1000)
        schemes.append(f"  k{k}: {{service: {service}, saving: {saving}, confidence: {c}%, "
                       f"ramp: [{rng.randint(10, 100)}%, 100%]}}")
    if schemes:
        out += ["schemes:"] + schemes
    if pooled:
        a, b = partners[0], partners[1]
        out += ["pools:", "  q:", f"    host: {a}", f"    services: [{', '.join(pooled)}]",
                f"    contributions: {{{a}: {money(rng.randint(1, 300) * 100000)}, "
                f"{b}: {money(rng.randint(1, 300) * 100000)}}}",
                f"    growth: {rng.randint(0, 30) / 10}%", "    risk_share: proportional"]
    return "\n".join(out) + "\n"


def figures(text):
    """{(entity, measure, year): value} from `run --view all -f csv`."""
    return {(r["entity"], r["measure"], r["year"]): float(r["value"]) for r in csv.DictReader(io.StringIO(text))}


class PropertyTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def run_on(self, text, *args):
        path = os.path.join(self.dir.name, "s.yaml")
        with open(path, "w") as f:
            f.write(text)
        r = subprocess.run([FUNDGAP, "run", path, "--view", "all", "-f", "csv", *args], capture_output=True,
                           text=True)
        self.assertEqual(r.returncode, 0, text + r.stderr)
        return r.stdout

    def cases(self):
        for case in range(CASES):
            yield case, random.Random(1000 + case)

    def test_partners_spend_adds_up_to_net_service_spend(self):
        for case, rng in self.cases():
            text = scenario(rng)
            f = figures(self.run_on(text))
            years = sorted({y for (_, _, y) in f})
            for y in years:
                partners = sum(v for (e, m, yy), v in f.items() if m == "spend" and yy == y and e[0] == "p" and e[1:].isdigit())
                services = sum(v for (e, m, yy), v in f.items() if m == "net" and yy == y and e[0] == "s" and e[1:].isdigit())
                self.assertAlmostEqual(partners, services, delta=0.01, msg=f"case {case}, {y}\n{text}")

    def test_doubling_every_money_input_doubles_every_money_output(self):
        for case, _ in self.cases():
            one = figures(self.run_on(scenario(random.Random(1000 + case))))
            two = figures(self.run_on(scenario(random.Random(1000 + case), scale=2)))
            self.assertEqual(one.keys(), two.keys())
            for key, v in one.items():
                self.assertAlmostEqual(two[key], 2 * v, delta=1e-9 * max(1.0, abs(v)) + 0.02, msg=f"case {case}, {key}")

    def test_confidence_zero_is_doing_nothing(self):
        for case, rng in self.cases():
            f = figures(self.run_on(scenario(rng, confidence=0)))
            for (e, m, y), v in f.items():
                if m == "gap":
                    self.assertAlmostEqual(v, f[(e, "gap_do_nothing", y)], delta=0.005, msg=f"case {case}, {e} {y}")

    def test_setting_a_value_to_itself_changes_nothing(self):
        for case, rng in self.cases():
            text = scenario(rng)
            plain = self.run_on(text)
            line = next(l for l in text.splitlines() if l.startswith("  s0: "))
            base = line.split("base: ")[1].split(",")[0]
            demand = line.split("demand: ")[1].split(",")[0]
            self.assertEqual(self.run_on(text, "--set", f"services.s0.base={base}", "--set",
                                         f"services.s0.demand={demand}"), plain, f"case {case}")


if __name__ == "__main__":
    FUNDGAP = os.path.abspath(sys.argv.pop(1))
    unittest.main()
