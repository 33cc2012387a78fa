#!/usr/bin/python3
"""Writes a synthetic fundgap scenario of any size, for benchmarks.

    bench/generate.py [--services 200] [--partners 10] [--schemes 60] [--pools 4]
                      [--uncertain 100] [--correlated 20] [--years 10] [--seed 1] > scenario.yaml

The defaults are the reference size of docs/performance.md. The scenario is balanced in
its base year; services are funded by one partner or split between two; every pool holds
some services and is funded by two partners; schemes save a share or an amount, ramp up,
re-provide part of their saving and carry investment. Uncertain inputs are spread over
service demand, inflation and base spend, partner funding growth and scheme confidence,
using every distribution fundgap reads; the first `--correlated` uncertain demand rates
form one correlated block (all pairs at 0.3).
"""
import argparse
import random


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--services", type=int, default=200)
    ap.add_argument("--partners", type=int, default=10)
    ap.add_argument("--schemes", type=int, default=60)
    ap.add_argument("--pools", type=int, default=4)
    ap.add_argument("--uncertain", type=int, default=100)
    ap.add_argument("--correlated", type=int, default=20)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    S, P, K, Q = a.services, a.partners, a.schemes, a.pools
    out = ["fundgap: 1", f"name: Synthetic {S} services, {P} partners, {K} schemes, {Q} pools",
           f"period: {{base: 2024/25, to: {2024 + a.years}/{(2025 + a.years) % 100:02d}}}"]

    # Services: the first Q x 10 (at most half) are pooled, ten to a pool.
    per_pool = min(10, S // (2 * max(Q, 1))) if Q else 0
    pooled = {s: s // per_pool for s in range(per_pool * Q)} if per_pool else {}
    base = [round(rng.uniform(5, 80), 1) for _ in range(S)]
    funder = {}
    spend = [0.0] * P
    for s in range(S):
        if s in pooled:
            continue
        p = rng.randrange(P)
        if rng.random() < 0.3:
            q = (p + 1) % P
            w = rng.choice([60, 70, 80, 90])
            funder[s] = f"{{p{p}: {w}%, p{q}: {100 - w}%}}"
            spend[p] += base[s] * w / 100
            spend[q] += base[s] * (100 - w) / 100
        else:
            funder[s] = f"p{p}"
            spend[p] += base[s]
    contributions = []
    for q in range(Q):
        total = sum(base[s] for s, qq in pooled.items() if qq == q)
        a1, a2 = rng.sample(range(P), 2)
        share = rng.choice([0.4, 0.5, 0.6])
        contributions.append((a1, round(total * share, 1), a2, round(total * (1 - share), 1)))
        spend[a1] += round(total * share, 1)
        spend[a2] += round(total * (1 - share), 1)

    # Uncertain inputs: which (kind, index) get a distribution.
    kinds = ["demand"] * 40 + ["inflation"] * 20 + ["base"] * 10 + ["growth"] * 10 + ["confidence"] * 20
    slots = {"demand": list(range(S)), "inflation": list(range(S)), "base": list(range(S)),
             "growth": list(range(P)), "confidence": list(range(K))}
    for v in slots.values():
        rng.shuffle(v)
    uncertain = {}
    for i in range(a.uncertain):
        kind = kinds[i % len(kinds)]
        if slots[kind]:
            uncertain[(kind, slots[kind].pop())] = True
    correlated = [s for (kind, s) in uncertain if kind == "demand"][:a.correlated]

    def dist(kind, mean):
        """A distribution around `mean` (a percentage or £m), choosing among all forms."""
        r = rng.random()
        if kind == "base":
            return f"{{lognormal: {{median: {mean}m, sd_log: 0.1}}}}"
        if kind == "confidence":
            return f"{{uniform: [{max(mean - 20, 0)}%, {min(mean + 20, 100)}%]}}"
        if r < 0.25:
            return f"{{normal: {{mean: {mean}%, sd: 0.5%}}}}"
        if r < 0.5:
            return f"{{triangular: [{mean - 1}%, {mean}%, {mean + 2}%]}}"
        if r < 0.75:
            return f"{{pert: [{mean - 1}%, {mean}%, {mean + 2}%]}}"
        return f"{{interval: [{mean - 1}%, {mean + 1}%]}}"

    out.append("partners:")
    for p in range(P):
        g = round(rng.uniform(1, 4), 1)
        growth = dist("growth", g) if ("growth", p) in uncertain else f"{g}%"
        out.append(f"  p{p}: {{name: Partner {p}, funding: {{base: {round(spend[p], 1)}m, growth: {growth}}}}}")
    out.append("services:")
    for s in range(S):
        d, i = round(rng.uniform(1, 5), 1), round(rng.uniform(1.5, 3.5), 1)
        demand = dist("demand", d) if ("demand", s) in uncertain else f"{d}%"
        inflation = dist("inflation", i) if ("inflation", s) in uncertain else f"{i}%"
        b = dist("base", base[s]) if ("base", s) in uncertain else f"{base[s]}m"
        f = f"funder: {funder[s]}, " if s in funder else ""
        out.append(f"  s{s}: {{{f}base: {b}, demand: {demand}, inflation: {inflation}}}")
    out.append("schemes:")
    for k in range(K):
        s = rng.randrange(S)
        target = (s + 1 + rng.randrange(S - 1)) % S
        c = rng.choice([50, 60, 70, 80])
        confidence = dist("confidence", c) if ("confidence", k) in uncertain else f"{c}%"
        saving = f"{rng.choice([2, 3, 5, 8])}%" if rng.random() < 0.7 else f"{round(base[s] * 0.02, 2)}m"
        start = 2025 + rng.randrange(max(1, a.years // 2))
        out.append(f"  k{k}: {{service: s{s}, saving: {saving}, start: {start}/{(start + 1) % 100:02d}, "
                   f"ramp: [25%, 50%, 100%], confidence: {confidence}, "
                   f"reprovide: {{service: s{target}, share: 30%}}, "
                   f"investment: {{service: s{target}, amount: {round(base[s] * 0.005, 3)}m}}}}")
    if Q:
        out.append("pools:")
        rules = ["proportional", "host", "{p%d: 50%%, p%d: 50%%}"]
        for q, (a1, c1, a2, c2) in enumerate(contributions):
            rule = rules[q % 3]
            if "%" in rule:
                rule = rule % (a1, a2)
            services = ", ".join(f"s{s}" for s, qq in pooled.items() if qq == q)
            out.append(f"  q{q}: {{host: p{a1}, services: [{services}], contributions: {{p{a1}: {c1}m, p{a2}: {c2}m}}, "
                       f"growth: 2%, risk_share: {rule}}}")
    if len(correlated) >= 2:
        out.append("correlations:")
        out.append(f"  - parameters: [{', '.join(f'services.s{s}.demand' for s in correlated)}]")
        out.append("    correlation: 0.3")
    print("\n".join(out))


if __name__ == "__main__":
    main()
