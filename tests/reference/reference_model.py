#!/usr/bin/python3
"""Independent reference implementation of the fundgap v1 projection model.

Written from the specification in MISSION.md ("The projection model") and the test
brief only -- deliberately NOT from the C++ engine -- so that the test suite can
cross-check `fundgap run FILE --view all --format csv` against it.

Usage:
    /usr/bin/python3 tests/reference/reference_model.py SCENARIO.yaml

prints CSV (`entity,measure,year,value`) with the partners, services, schemes and
pools views in that order; the partners and services views end with a `system` entity
(the sum over the view); schemes and pools have none.

Plain Python floats, no numpy. Needs PyYAML (python3-yaml).
"""

import math
import os
import re
import sys

import yaml


class ModelError(Exception):
    """The scenario is not valid for the v1 model."""


# ---------------------------------------------------------------------------
# Scalars: years, money, rates
# ---------------------------------------------------------------------------

_YEAR_RE = re.compile(r"^\s*(\d{4})(?:\s*/\s*(\d{2}|\d{4}))?\s*$")


def parse_year(v, what="year"):
    """`2019/20` or `2019` (string or int) -> 2019 (the calendar year the FY starts)."""
    if isinstance(v, bool):
        raise ModelError(f"{what}: not a year: {v!r}")
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str):
        m = _YEAR_RE.match(v)
        if m:
            y = int(m.group(1))
            if m.group(2) is not None:
                nxt = int(m.group(2))
                ok = (nxt == (y + 1) % 100) if len(m.group(2)) == 2 else (nxt == y + 1)
                if not ok:
                    raise ModelError(f"{what}: {v!r} is not a financial year")
            return y
    raise ModelError(f"{what}: not a year: {v!r}")


def year_label(y):
    return f"{y}/{(y + 1) % 100:02d}"


_NUM = r"(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_MONEY_RE = re.compile(
    r"^\s*([+-]?)\s*£?\s*([+-]?)\s*(" + _NUM + r")\s*(k|m|bn)?\s*$", re.IGNORECASE
)
_MULT = {None: 1.0, "k": 1e3, "m": 1e6, "bn": 1e9}


def parse_money(v, what="money"):
    if isinstance(v, bool) or v is None:
        raise ModelError(f"{what}: not an amount of money: {v!r}")
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        m = _MONEY_RE.match(v)
        if m and not (m.group(1) and m.group(2)):
            sign = -1.0 if "-" in (m.group(1) + m.group(2)) else 1.0
            num = float(m.group(3).replace(",", ""))
            mult = _MULT[m.group(4).lower() if m.group(4) else None]
            return sign * num * mult
    raise ModelError(f"{what}: not an amount of money: {v!r}")


_RATE_RE = re.compile(r"^\s*([+-]?" + _NUM + r")\s*(%?)\s*$")


def parse_rate(v, what="rate"):
    """`3.5%` -> 0.035; 0.035 -> 0.035."""
    if isinstance(v, bool) or v is None:
        raise ModelError(f"{what}: not a rate: {v!r}")
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        m = _RATE_RE.match(v)
        if m:
            x = float(m.group(1).replace(",", ""))
            return x / 100.0 if m.group(2) else x
    raise ModelError(f"{what}: not a rate: {v!r}")


def is_percent(v):
    return isinstance(v, str) and v.strip().endswith("%")


# ---------------------------------------------------------------------------
# Time-varying inputs
# ---------------------------------------------------------------------------


class Period:
    def __init__(self, base, to):
        if to < base:
            raise ModelError("period: `to` is before `base`")
        self.base = base
        self.T = to - base
        self.years = [base + t for t in range(self.T + 1)]

    def index(self, v, what):
        return parse_year(v, what) - self.base


def rate_series(v, period, what):
    """Per-year rate: scalar, list (one per projected year) or map year -> value.

    Returns a list of length T+1; entry 0 (the base year) is unused and set to 0.
    """
    n = period.T + 1
    out = [0.0] * n
    if v is None:
        return out
    if isinstance(v, list):
        if len(v) != period.T:
            raise ModelError(
                f"{what}: {len(v)} values given for {period.T} projected years")
        for i, x in enumerate(v):
            out[i + 1] = parse_rate(x, what)
        return out
    if isinstance(v, dict):
        keyed = sorted((parse_year(k, what), parse_rate(x, what)) for k, x in v.items())
        for t in range(1, n):
            y = period.years[t]
            cur = 0.0
            for ky, kv in keyed:
                if ky <= y:
                    cur = kv
                else:
                    break
            out[t] = cur
        return out
    r = parse_rate(v, what)
    for t in range(1, n):
        out[t] = r
    return out


def ramp_list(v, what):
    if v is None:
        return [1.0]
    if isinstance(v, list):
        if not v:
            raise ModelError(f"{what}: empty ramp")
        return [parse_rate(x, what) for x in v]
    return [parse_rate(v, what)]


def ramp_at(ramp, i):
    return ramp[min(i, len(ramp) - 1)]


def grow(base, rates):
    out = [0.0] * len(rates)
    out[0] = base
    for t in range(1, len(rates)):
        out[t] = out[t - 1] * (1.0 + rates[t])
    return out


# ---------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------


def _mapping(d, what):
    if d is None:
        return {}
    if not isinstance(d, dict):
        raise ModelError(f"{what}: expected a mapping")
    return d


def project(doc, check_savings=True):
    """Project a parsed scenario document.

    Returns a list of (entity, measure, year_label, value) rows in output order.
    """
    if not isinstance(doc, dict):
        raise ModelError("scenario: expected a mapping at the top level")
    per = _mapping(doc.get("period"), "period")
    period = Period(parse_year(per.get("base"), "period.base"),
                    parse_year(per.get("to"), "period.to"))
    n = period.T + 1
    zeros = lambda: [0.0] * n  # noqa: E731

    # Partners ------------------------------------------------------------
    partners = _mapping(doc.get("partners"), "partners")
    pids = [str(p) for p in partners]
    F = {}
    for p in pids:
        pd = _mapping(partners[p], f"partners.{p}")
        fd = _mapping(pd.get("funding"), f"partners.{p}.funding")
        base = parse_money(fd.get("base", 0), f"partners.{p}.funding.base")
        F[p] = grow(base, rate_series(fd.get("growth"), period,
                                      f"partners.{p}.funding.growth"))

    # Services: baselines -------------------------------------------------
    services = _mapping(doc.get("services"), "services")
    sids = [str(s) for s in services]
    X = {}
    W = {}  # service -> {partner: share}; absent for pooled services
    for s in sids:
        sd = _mapping(services[s], f"services.{s}")
        base = parse_money(sd.get("base", 0), f"services.{s}.base")
        d = rate_series(sd.get("demand"), period, f"services.{s}.demand")
        i = rate_series(sd.get("inflation"), period, f"services.{s}.inflation")
        x = zeros()
        x[0] = base
        for t in range(1, n):
            x[t] = x[t - 1] * (1.0 + d[t]) * (1.0 + i[t])
        X[s] = x
        funder = sd.get("funder")
        if funder is None:
            continue
        if isinstance(funder, dict):
            W[s] = {str(p): parse_rate(v, f"services.{s}.funder.{p}")
                    for p, v in funder.items()}
        else:
            W[s] = {str(funder): 1.0}
        for p in W[s]:
            if p not in partners:
                raise ModelError(f"services.{s}.funder: unknown partner {p}")

    # Schemes -------------------------------------------------------------
    schemes = _mapping(doc.get("schemes"), "schemes")
    kids = [str(k) for k in schemes]
    S, R, I = {}, {}, {}
    sav_on = {s: zeros() for s in sids}
    rep_into = {s: zeros() for s in sids}
    inv_into = {s: zeros() for s in sids}
    for k in kids:
        kd = _mapping(schemes[k], f"schemes.{k}")
        svc = str(kd.get("service"))
        if svc not in X:
            raise ModelError(f"schemes.{k}.service: unknown service {svc}")
        t0 = period.index(kd["start"], f"schemes.{k}.start") if "start" in kd else 1
        ramp = ramp_list(kd.get("ramp"), f"schemes.{k}.ramp")
        conf = parse_rate(kd.get("confidence", 1.0), f"schemes.{k}.confidence")
        sv = kd.get("saving")
        if is_percent(sv):
            frac, amount = parse_rate(sv, f"schemes.{k}.saving"), None
        else:
            frac, amount = None, parse_money(sv, f"schemes.{k}.saving")
        s_k = zeros()
        for t in range(n):
            if t >= t0:
                full = frac * X[svc][t] if frac is not None else amount
                s_k[t] = conf * ramp_at(ramp, t - t0) * full
        S[k] = s_k
        for t in range(n):
            sav_on[svc][t] += s_k[t]

        r_k = zeros()
        rp = kd.get("reprovide")
        if rp is not None:
            rp = _mapping(rp, f"schemes.{k}.reprovide")
            rs = str(rp.get("service"))
            if rs not in X:
                raise ModelError(f"schemes.{k}.reprovide.service: unknown service {rs}")
            phi = parse_rate(rp.get("share", 0), f"schemes.{k}.reprovide.share")
            r_k = [phi * v for v in s_k]
            for t in range(n):
                rep_into[rs][t] += r_k[t]
        R[k] = r_k

        i_k = zeros()
        inv = kd.get("investment")
        if inv is not None:
            inv = _mapping(inv, f"schemes.{k}.investment")
            isvc = str(inv.get("service"))
            if isvc not in X:
                raise ModelError(f"schemes.{k}.investment.service: unknown service {isvc}")
            amt = parse_money(inv.get("amount", 0), f"schemes.{k}.investment.amount")
            iramp = (ramp_list(inv.get("ramp"), f"schemes.{k}.investment.ramp")
                     if "ramp" in inv else ramp)
            for t in range(n):
                if t >= t0:
                    i_k[t] = ramp_at(iramp, t - t0) * amt
            for t in range(n):
                inv_into[isvc][t] += i_k[t]
        I[k] = i_k

    if check_savings:
        for s in sids:
            for t in range(n):
                if sav_on[s][t] > X[s][t] * (1 + 1e-12) + 1e-9:
                    raise ModelError(
                        f"services.{s}: savings {sav_on[s][t]} exceed spend "
                        f"{X[s][t]} in {year_label(period.years[t])}")

    N = {s: [X[s][t] - sav_on[s][t] + rep_into[s][t] + inv_into[s][t]
             for t in range(n)] for s in sids}

    # Pools ---------------------------------------------------------------
    pools = _mapping(doc.get("pools"), "pools")
    qids = [str(q) for q in pools]
    pooled = set()
    pool_rows = {}
    E = {p: zeros() for p in pids}
    E0 = {p: zeros() for p in pids}  # do-nothing
    for q in qids:
        qd = _mapping(pools[q], f"pools.{q}")
        qsvcs = [str(s) for s in (qd.get("services") or [])]
        for s in qsvcs:
            if s not in X:
                raise ModelError(f"pools.{q}.services: unknown service {s}")
            if s in pooled:
                raise ModelError(f"pools.{q}.services: {s} is already pooled")
            pooled.add(s)
        g = rate_series(qd.get("growth"), period, f"pools.{q}.growth")
        contrib = _mapping(qd.get("contributions"), f"pools.{q}.contributions")
        K = {}
        for p in pids:
            base = parse_money(contrib[p], f"pools.{q}.contributions.{p}") if p in contrib else 0.0
            K[p] = grow(base, g)
        for p in contrib:
            if str(p) not in partners:
                raise ModelError(f"pools.{q}.contributions: unknown partner {p}")
        Ktot = [sum(K[p][t] for p in pids) for t in range(n)]
        P = [sum(N[s][t] for s in qsvcs) for t in range(n)]
        P0 = [sum(X[s][t] for s in qsvcs) for t in range(n)]
        V = [Ktot[t] - P[t] for t in range(n)]
        V0 = [Ktot[t] - P0[t] for t in range(n)]

        rs = qd.get("risk_share", "proportional")
        rho = {}
        if isinstance(rs, dict):
            fixed = {str(p): parse_rate(v, f"pools.{q}.risk_share.{p}") for p, v in rs.items()}
            for p in fixed:
                if p not in partners:
                    raise ModelError(f"pools.{q}.risk_share: unknown partner {p}")
            for p in pids:
                rho[p] = [fixed.get(p, 0.0)] * n
        elif rs == "host":
            host = str(qd.get("host"))
            if host not in partners:
                raise ModelError(f"pools.{q}.host: unknown partner {host}")
            for p in pids:
                rho[p] = [1.0 if p == host else 0.0] * n
        elif rs == "proportional":
            if any(v == 0 for v in Ktot):
                raise ModelError(f"pools.{q}: risk shared in proportion to contributions, "
                                 "but the contributions total zero")
            for p in pids:
                rho[p] = [K[p][t] / Ktot[t] if Ktot[t] != 0 else 0.0 for t in range(n)]
        else:
            raise ModelError(f"pools.{q}.risk_share: unknown risk share {rs!r}")

        rows = [("contributions", Ktot), ("spend", P), ("balance", V)]
        for p in pids:
            share = [rho[p][t] * V[t] for t in range(n)]
            cost = [K[p][t] - share[t] for t in range(n)]
            cost0 = [K[p][t] - rho[p][t] * V0[t] for t in range(n)]
            for t in range(n):
                E[p][t] += cost[t]
                E0[p][t] += cost0[t]
            if any(v != 0 for v in K[p]) or any(v != 0 for v in rho[p]):
                rows += [(f"contribution_{p}", K[p]), (f"balance_share_{p}", share),
                         (f"cost_{p}", cost)]
        pool_rows[q] = rows

    for s in sids:
        if s in pooled:
            continue
        for p, w in W.get(s, {}).items():
            for t in range(n):
                E[p][t] += w * N[s][t]
                E0[p][t] += w * X[s][t]

    # Output --------------------------------------------------------------
    labels = [year_label(y) for y in period.years]
    out = []

    def emit(view_entities, measures):
        system = {m: zeros() for m in measures}
        for ent, series in view_entities:
            for m, vals in series:
                for t in range(n):
                    out.append((ent, m, labels[t], vals[t]))
                if m in system:
                    for t in range(n):
                        system[m][t] += vals[t]
        for m in measures:
            for t in range(n):
                out.append(("system", m, labels[t], system[m][t]))

    emit([(p, [("funding", F[p]), ("spend", E[p]),
               ("gap", [E[p][t] - F[p][t] for t in range(n)]),
               ("gap_do_nothing", [E0[p][t] - F[p][t] for t in range(n)])])
          for p in pids],
         ["funding", "spend", "gap", "gap_do_nothing"])
    emit([(s, [("baseline", X[s]), ("savings", sav_on[s]), ("reprovided", rep_into[s]),
               ("investment", inv_into[s]), ("net", N[s])]) for s in sids],
         ["baseline", "savings", "reprovided", "investment", "net"])
    emit([(k, [("saving", S[k]), ("reprovided", R[k]), ("investment", I[k])])
          for k in kids],
         [])  # no system total for schemes: it would repeat the services view's keys
    emit([(q, pool_rows[q]) for q in qids], [])  # nor for pools: system,spend is the partners' total
    return out


_DISTRIBUTIONS = ("normal", "lognormal", "uniform", "triangular", "pert", "interval")


def _is_distribution(v):
    return isinstance(v, dict) and len(v) == 1 and next(iter(v)) in _DISTRIBUTIONS


def _number(v):
    """A distribution parameter in base units, and whether it was a percentage."""
    if is_percent(v):
        return parse_rate(v), True
    return parse_money(v), False


def _mean(dist):
    """The mean of a distribution as written: what `fundgap run` uses (docs/uncertainty.md)."""
    (kind, args), = dist.items()
    if kind in ("normal", "lognormal"):
        first, second = ("mean", "sd") if kind == "normal" else ("median", "sd_log")
        x, pct = _number(args[first])
        if kind == "lognormal":
            x *= math.exp(float(args[second]) ** 2 / 2)
        return x, pct
    values = [_number(a) for a in args]
    xs, pct = [x for x, _ in values], values[0][1]
    if kind in ("uniform", "interval"):
        return (xs[0] + xs[1]) / 2, pct
    if kind == "triangular":
        return sum(xs) / 3, pct
    return (xs[0] + 4 * xs[1] + xs[2]) / 6, pct  # pert


def _at_means(v):
    """Replaces every distribution by its mean, keeping a percentage a percentage."""
    if _is_distribution(v):
        x, pct = _mean(v)
        return f"{x * 100!r}%" if pct else x
    if isinstance(v, dict):
        return {k: _at_means(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_at_means(x) for x in v]
    return v


def _merge(base, overlay):
    """`extends`: maps merge, scalars and lists replace, null removes, a distribution replaces."""
    if not isinstance(base, dict) or not isinstance(overlay, dict) or _is_distribution(base) \
            or _is_distribution(overlay):
        return overlay
    out = dict(base)
    for k, v in overlay.items():
        if v is None:
            out.pop(k, None)
        elif k in out:
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _load_tree(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    if isinstance(doc, dict) and "extends" in doc:
        base = _load_tree(os.path.join(os.path.dirname(path), doc.pop("extends")))
        doc = _merge(base, doc)
    return doc


def load(path):
    doc = _load_tree(path)
    if isinstance(doc, dict):
        doc.pop("correlations", None)
        doc.pop("checks", None)
        doc = _at_means(doc)
    return doc


def run_file(path, check_savings=True):
    return project(load(path), check_savings=check_savings)


def to_csv(rows):
    lines = ["entity,measure,year,value"]
    for e, m, y, v in rows:
        lines.append(f"{e},{m},{y},{v!r}")
    return "\n".join(lines) + "\n"


def main(argv):
    if len(argv) != 2:
        print("usage: reference_model.py SCENARIO.yaml", file=sys.stderr)
        return 64
    try:
        rows = run_file(argv[1])
    except (ModelError, KeyError, TypeError, ValueError, yaml.YAMLError) as e:
        print(f"{argv[1]}: error: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(to_csv(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
