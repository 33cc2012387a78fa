#!/usr/bin/python3
"""Independent reference implementation of the fundgap projection model, formats 1 and 1.1.

Written from the specification in MISSION.md ("The projection model") and the test
brief only -- deliberately NOT from the C++ engine -- so that the test suite can
cross-check `fundgap run FILE --view all --format csv` against it. Format 1.1 (money
lines: funding streams, council tax, pressures, reserves, scheme money savings,
efficiency, ramp profiles, one-off costs and scheme economics) is written from
docs/money-lines.md only.

Usage:
    /usr/bin/python3 tests/reference/reference_model.py SCENARIO.yaml

prints CSV (`entity,measure,year,value`) with the partners, services, schemes and
pools views in that order; the partners and services views end with a `system` entity
(the sum over the view of each summed measure that some entity has); schemes and pools
have none. Format 1.1's measure order: a partner has funding, funding.STREAM (file
order), spend, gap, gap_do_nothing, gap_annual, reserves_used, reserves,
reserves_minimum, reserves_headroom, gap_after_reserves, tax_base, band_d, ct_per_1pct,
gap_ct_equivalent; a service baseline, pressures, savings, reprovided, investment, net;
a scheme saving, reprovided, investment, one_off_cost, net_benefit, npv, roi (each only
where the entity has it).

Where docs/money-lines.md is silent, the readings taken are marked "Reading:" below.

Plain Python floats, no numpy. Needs PyYAML (python3-yaml).
"""

import math
import os
import re
import sys

import yaml


class ModelError(Exception):
    """The scenario is not valid for the model."""


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
# Format 1.1 inputs (docs/money-lines.md)
# ---------------------------------------------------------------------------


def is_format_11(doc):
    """`fundgap: 1.1` (YAML reads it as the float 1.1) or the text '1.1'."""
    v = doc.get("fundgap")
    if isinstance(v, bool):
        raise ModelError(f"unsupported format version {v!r}")
    if isinstance(v, (int, float)) and v == 1.1:
        return True
    if isinstance(v, str) and v.strip() == "1.1":
        return True
    if v is None or v == 1 or (isinstance(v, str) and v.strip() == "1"):
        return False
    raise ModelError(f"unsupported format version {v!r}; this fundgap reads versions 1 and 1.1")


def needs_11(is11, what):
    if not is11:
        raise ModelError(f"{what} is part of format 1.1; write 'fundgap: 1.1' at the top "
                         "of the file to use it")


def money_by_year(v, period, what, hold, before=0.0, negative_ok=True):
    """Money per projected year: a list (one per projected year), a map from year to
    amount, or one amount for every projected year.

    In a map, with `hold` each amount holds until the next listed year and the years
    before the first listed one are `before`; without `hold` the unlisted years are 0.
    Returns a list of length T+1 whose entry 0 (the base year) is 0.
    """
    n = period.T + 1
    out = [0.0] * n
    if v is None:
        return out
    if isinstance(v, list):
        if len(v) != period.T:
            raise ModelError(
                f"{what} has {len(v)} values but the period has {period.T} projected years")
        for i, x in enumerate(v):
            out[i + 1] = parse_money(x, what)
    elif isinstance(v, dict):
        keyed = {}
        for k, x in v.items():
            t = period.index(k, what)
            if t < 1 or t > period.T:
                raise ModelError(f"{what}: year {k} is outside the projected years")
            if t in keyed:
                raise ModelError(f"{what}: year {k} given twice")
            keyed[t] = parse_money(x, what)
        if hold:
            cur = before
            for t in range(1, n):
                if t in keyed:
                    cur = keyed[t]
                out[t] = cur
        else:
            for t, x in keyed.items():
                out[t] = x
    else:
        x = parse_money(v, what)
        for t in range(1, n):
            out[t] = x
    if not negative_ok:
        for t in range(1, n):
            if out[t] < 0:
                raise ModelError(f"{what} in {year_label(period.years[t])} is "
                                 f"{out[t]!r}, but it cannot be negative")
    return out


_PROFILES = ("linear", "front_loaded", "back_loaded", "step")


def make_ramp(v, period, what):
    """A ramp as a function (t, t0) -> fraction of full effect, for t >= t0.

    Format 1: a list of shares (or one share) counted from t0, the last persisting.
    Format 1.1: {profile: linear|front_loaded|back_loaded, years: N} (year k = t - t0 + 1
    of N; full effect from year N on) or {profile: step, at: YEAR}.
    """
    if not isinstance(v, dict):
        lst = ramp_list(v, what)
        return lambda t, t0: ramp_at(lst, t - t0)
    profile = v.get("profile")
    if profile not in _PROFILES:
        raise ModelError(f"unknown ramp profile {profile!r} in {what}; expected linear, "
                         "front_loaded, back_loaded or step")
    if profile == "step":
        if "at" not in v:
            raise ModelError(f"a step ramp in {what} needs 'at': the year it reaches full effect")
        at = period.index(v["at"], f"{what}.at")
        if not 1 <= at <= period.T:
            raise ModelError(f"year {v['at']} for 'at' of {what} is outside the projected years")
        # Reading: `at` is a year, so it stays that year whatever the ramp counts from
        # (an investment with its own start that inherits the scheme's step included).
        return lambda t, t0: 1.0 if t >= at else 0.0
    if "years" not in v:
        raise ModelError(f"a {profile} ramp in {what} needs 'years'")
    N = v["years"]
    if isinstance(N, bool) or not isinstance(N, (int, float)) or N != int(N) \
            or not 1 <= N <= 100:
        raise ModelError(f"'years' of {what} is {N!r}; it is a whole number of years "
                         "from 1 to 100")
    N = int(N)

    def f(t, t0):
        k = t - t0 + 1
        if k >= N:
            return 1.0
        x = k / N
        if profile == "linear":
            return x
        if profile == "front_loaded":
            return 1.0 - (1.0 - x) ** 2
        return x * x  # back_loaded
    return f


def funding_streams(fd, period, what):
    """A partner's named funding streams, in file order.

    Returns [(id, S, council_tax_or_None)], where council_tax is a dict of the
    tax base and Band D series when the stream is of kind council_tax.
    """
    n = period.T + 1
    out = []
    for sid, sd in fd.items():
        sid = str(sid)
        w = f"funding stream '{sid}' of {what}"
        sd = _mapping(sd, w)
        default_kind = {"council_tax": "council_tax",
                        "collection_fund": "signed"}.get(sid, "money")
        kind = sd.get("kind", default_kind)
        if kind not in ("money", "signed", "council_tax"):
            raise ModelError(f"{w}: unknown kind {kind!r}; expected money, signed or council_tax")
        ct = None
        if kind == "council_tax":
            tb = _mapping(sd.get("tax_base"), f"'tax_base' in {w}")
            tbase = grow(parse_money(tb.get("base", 0), f"'tax_base' in {w}"),
                         rate_series(tb.get("growth"), period, f"'tax_base.growth' in {w}"))
            inc = _mapping(sd.get("increase"), f"'increase' in {w}")
            core = rate_series(inc.get("core"), period, f"'increase.core' in {w}")
            asc = rate_series(inc.get("asc_precept"), period, f"'increase.asc_precept' in {w}")
            ref = sd.get("referendum")
            if ref is not None:
                ref = _mapping(ref, f"'referendum' in {w}")
                if not ref.get("bespoke", False):
                    # The principles are one rate each (the increases are per-year rates).
                    for key in ("core", "asc_precept"):
                        if isinstance(ref.get(key), (list, dict)):
                            raise ModelError(f"expected a rate for '{key}' in 'referendum' "
                                             f"of {w}")
                    pc = rate_series(ref.get("core"), period, f"'referendum.core' in {w}")
                    pa = rate_series(ref.get("asc_precept"), period,
                                     f"'referendum.asc_precept' in {w}")
                    # "At or above" and "above" as decimals: a part in a billion absorbs
                    # binary rounding (2.01% + 1.99% is at 4%), as format.md's share sums do.
                    tol = 1e-9
                    for t in range(1, n):
                        y = year_label(period.years[t])
                        if core[t] + asc[t] >= pc[t] + pa[t] - tol:
                            raise ModelError(
                                f"a council tax increase of {core[t] + asc[t]!r} in {y} is at "
                                f"or above the referendum limit of {pc[t] + pa[t]!r}")
                        if asc[t] > pa[t] + tol:
                            raise ModelError(f"the ASC precept of {asc[t]!r} in {y} is above "
                                             f"the referendum principle's {pa[t]!r}")
            bd = [0.0] * n
            bd[0] = parse_money(sd.get("band_d", 0), f"'band_d' in {w}")
            for t in range(1, n):
                bd[t] = bd[t - 1] * (1.0 + core[t] + asc[t])
            S = [tbase[t] * bd[t] for t in range(n)]
            ct = {"tax_base": tbase, "band_d": bd}
        else:
            base = parse_money(sd.get("base", 0), f"'base' in {w}")
            if "growth" in sd and "amounts" in sd:
                raise ModelError(f"{w} has both 'growth' and 'amounts'; give one")
            one_off = sd.get("one_off", False)
            if one_off and "amounts" not in sd:
                raise ModelError(f"'one_off' in {w} needs 'amounts'")
            if "amounts" in sd:
                # Reading: `amounts` are the projected years' levels (a list is "one per
                # projected year"); the base year is always `base`, with one amount too.
                S = money_by_year(sd["amounts"], period, f"'amounts' in {w}",
                                  hold=not one_off, before=base)
                S[0] = base
            else:
                S = grow(base, rate_series(sd.get("growth"), period, f"'growth' in {w}"))
            if kind == "money":
                for t in range(n):
                    if S[t] < 0:
                        raise ModelError(f"{w} in {year_label(period.years[t])} is {S[t]!r}, "
                                         "but it cannot be negative (use 'kind: signed')")
        if "until" in sd:
            tu = period.index(sd["until"], f"'until' in {w}")
            if tu < 0 or tu > period.T:
                raise ModelError(f"'until' in {w} is outside the period")
            for t in range(tu + 1, n):
                S[t] = 0.0
        out.append((sid, S, ct))
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
    is11 = is_format_11(doc)
    per = _mapping(doc.get("period"), "period")
    period = Period(parse_year(per.get("base"), "period.base"),
                    parse_year(per.get("to"), "period.to"))
    n = period.T + 1
    zeros = lambda: [0.0] * n  # noqa: E731
    for key in ("discount", "prices"):
        if key in doc:
            needs_11(is11, f"'{key}'")
    discount = parse_rate(doc.get("discount", "3.5%"), "discount")
    if not 0 <= discount < 1:
        raise ModelError(f"'discount' is {discount!r}; a discount rate is from 0% to below 100%")

    # Partners ------------------------------------------------------------
    partners = _mapping(doc.get("partners"), "partners")
    pids = [str(p) for p in partners]
    F = {}
    streams = {}   # partner -> [(stream id, S)]; only partners with named streams
    ctax = {}      # partner -> {"tax_base", "band_d"}; only partners with council tax
    for p in pids:
        pd = _mapping(partners[p], f"partners.{p}")
        fd = _mapping(pd.get("funding"), f"partners.{p}.funding")
        if set(fd) <= {"base", "growth"}:  # format 1's {base, growth}
            base = parse_money(fd.get("base", 0), f"partners.{p}.funding.base")
            F[p] = grow(base, rate_series(fd.get("growth"), period,
                                          f"partners.{p}.funding.growth"))
            continue
        needs_11(is11, f"funding streams of partner '{p}'")
        sl = funding_streams(fd, period, f"partner '{p}'")
        streams[p] = [(sid, S) for sid, S, _ in sl]
        F[p] = [sum(S[t] for _, S, _ in sl) for t in range(n)]
        cts = [ct for _, _, ct in sl if ct is not None]
        if len(cts) > 1:
            raise ModelError(f"partner '{p}' has more than one council tax stream")
        if cts:
            ctax[p] = cts[0]

    # Services: baselines -------------------------------------------------
    services = _mapping(doc.get("services"), "services")
    sids = [str(s) for s in services]
    X = {}
    PR = {}  # service -> its pressures' money each year; only services with pressures
    W = {}  # service -> {partner: share}; absent for pooled services
    for s in sids:
        sd = _mapping(services[s], f"services.{s}")
        base = parse_money(sd.get("base", 0), f"services.{s}.base")
        d = rate_series(sd.get("demand"), period, f"services.{s}.demand")
        i = rate_series(sd.get("inflation"), period, f"services.{s}.inflation")
        rec, once = zeros(), zeros()
        if "pressures" in sd:
            needs_11(is11, f"'pressures' of service '{s}'")
            prs = _mapping(sd.get("pressures"), f"services.{s}.pressures")
            for pr, prd in prs.items():
                w = f"pressure '{pr}' of service '{s}'"
                prd = _mapping(prd, w)
                if "amounts" not in prd:
                    raise ModelError(f"{w} needs 'amounts'")
                a = money_by_year(prd["amounts"], period, f"'amounts' in {w}", hold=False)
                tgt = once if prd.get("one_off", False) else rec
                for t in range(1, n):
                    tgt[t] += a[t]
            if prs:  # Reading: `pressures: {}` is no pressures, and no `pressures` measure
                PR[s] = [rec[t] + once[t] for t in range(n)]
        x = zeros()
        b = base
        x[0] = base
        for t in range(1, n):
            b = b * (1.0 + d[t]) * (1.0 + i[t]) + rec[t]
            x[t] = b + once[t]
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
    OC = {}      # scheme -> one-off costs; only schemes with 'one_off_cost'
    # Reading: a scheme "with a cost" has a `reprovide`, `investment` or `one_off_cost` key,
    # whatever the amounts; "with one-off costs" has a `one_off_cost` key.
    costly = set()  # schemes with a cost: re-provision, investment or a one-off cost
    for k in kids:
        kd = _mapping(schemes[k], f"schemes.{k}")
        svc = str(kd.get("service"))
        if svc not in X:
            raise ModelError(f"schemes.{k}.service: unknown service {svc}")
        t0 = period.index(kd["start"], f"schemes.{k}.start") if "start" in kd else 1
        if isinstance(kd.get("ramp"), dict):
            needs_11(is11, f"a ramp profile in scheme '{k}'")
        ramp = make_ramp(kd.get("ramp"), period, f"schemes.{k}.ramp")
        conf = parse_rate(kd.get("confidence", 1.0), f"schemes.{k}.confidence")
        sv = kd.get("saving")
        frac = amount = amounts = eff = None
        if "efficiency" in kd:
            needs_11(is11, f"'efficiency' of scheme '{k}'")
            if "saving" in kd:
                raise ModelError(f"scheme '{k}' has both 'saving' and 'efficiency'; give one")
            eff = parse_rate(kd["efficiency"], f"schemes.{k}.efficiency")
        elif isinstance(sv, (list, dict)):
            needs_11(is11, f"'saving' year by year in scheme '{k}'")
            amounts = money_by_year(sv, period, f"'saving' in scheme '{k}'", hold=True,
                                    negative_ok=False)
        elif is_percent(sv):
            frac = parse_rate(sv, f"schemes.{k}.saving")
        else:
            amount = parse_money(sv, f"schemes.{k}.saving")
        s_k = zeros()
        for t in range(n):
            if t >= t0:
                if eff is not None:
                    full = (1.0 - (1.0 - eff) ** (t - t0 + 1)) * X[svc][t]
                elif amounts is not None:
                    full = amounts[t]
                else:
                    full = frac * X[svc][t] if frac is not None else amount
                s_k[t] = conf * ramp(t, t0) * full
        S[k] = s_k
        for t in range(n):
            sav_on[svc][t] += s_k[t]

        r_k = zeros()
        rp = kd.get("reprovide")
        if rp is not None:
            costly.add(k)
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
            costly.add(k)
            inv = _mapping(inv, f"schemes.{k}.investment")
            isvc = str(inv.get("service"))
            if isvc not in X:
                raise ModelError(f"schemes.{k}.investment.service: unknown service {isvc}")
            amt = parse_money(inv.get("amount", 0), f"schemes.{k}.investment.amount")
            if isinstance(inv.get("ramp"), dict):
                needs_11(is11, f"a ramp profile in the investment of scheme '{k}'")
            iramp = (make_ramp(inv.get("ramp"), period, f"schemes.{k}.investment.ramp")
                     if "ramp" in inv else ramp)
            ti = t0
            if "start" in inv:
                needs_11(is11, f"'start' of the investment of scheme '{k}'")
                ti = period.index(inv["start"], f"schemes.{k}.investment.start")
            for t in range(n):
                if t >= ti:
                    i_k[t] = iramp(t, ti) * amt
            for t in range(n):
                inv_into[isvc][t] += i_k[t]
        I[k] = i_k

        if "one_off_cost" in kd:
            needs_11(is11, f"'one_off_cost' of scheme '{k}'")
            costly.add(k)
            oc = money_by_year(kd["one_off_cost"], period, f"'one_off_cost' of scheme '{k}'",
                               hold=False, negative_ok=False)
            OC[k] = oc
            for t in range(n):
                inv_into[svc][t] += oc[t]

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

    # Gaps, reserves, council tax ------------------------------------------
    G = {p: [E[p][t] - F[p][t] for t in range(n)] for p in pids}
    G0 = {p: [E0[p][t] - F[p][t] for t in range(n)] for p in pids}
    extra = {p: [] for p in pids}  # the 1.1 partner measures after gap_do_nothing
    for p in pids:
        if is11:
            extra[p].append(("gap_annual", [G[p][0]] + [G[p][t] - G[p][t - 1]
                                                        for t in range(1, n)]))
        pd = _mapping(partners[p], f"partners.{p}")
        if "reserves" in pd:
            needs_11(is11, f"'reserves' of partner '{p}'")
            rd = _mapping(pd["reserves"], f"partners.{p}.reserves")
            w = f"'reserves' of partner '{p}'"
            opening = parse_money(rd.get("opening", 0), f"'opening' in {w}")
            policy = rd.get("policy")
            if policy is not None and policy != "cover_gap":
                raise ModelError(f"unknown policy {policy!r} in {w}; expected cover_gap")
            if policy is not None and "use" in rd:
                raise ModelError(f"{w} has both 'use' and 'policy'; give one")
            # Reading: a map of planned drawdowns lists the years with a drawdown (0 in
            # the others, like pressures and one-off costs); nothing is drawn in the base
            # year, whose closing balance is `opening`, even under cover_gap.
            use = money_by_year(rd.get("use"), period, f"'use' in {w}", hold=False)
            used, bal = zeros(), zeros()
            bal[0] = opening
            for t in range(1, n):
                if policy == "cover_gap":
                    used[t] = min(max(G[p][t], 0.0), bal[t - 1])
                else:
                    used[t] = use[t]
                bal[t] = bal[t - 1] - used[t]
                if bal[t] < 0:
                    raise ModelError(f"planned use of {p}'s reserves in "
                                     f"{year_label(period.years[t])} takes them to "
                                     f"{bal[t]!r}, below zero")
            mn = rd.get("minimum", 0)
            if is_percent(mn):  # Reading: a plain number is money, as for any amount
                share = parse_rate(mn, f"'minimum' in {w}")
                minimum = [share * E[p][t] for t in range(n)]
            else:
                minimum = [parse_money(mn, f"'minimum' in {w}")] * n
            extra[p] += [("reserves_used", used), ("reserves", bal),
                         ("reserves_minimum", minimum),
                         ("reserves_headroom", [bal[t] - minimum[t] for t in range(n)]),
                         ("gap_after_reserves", [G[p][t] - used[t] for t in range(n)])]
        if p in ctax:
            # Reading: `until` ends the yield only; the tax base, Band D and the yield of
            # 1% follow their formulas in every year.
            tb, bd = ctax[p]["tax_base"], ctax[p]["band_d"]
            per1 = [0.01 * tb[t] * bd[max(t - 1, 0)] for t in range(n)]
            if any(v == 0 for v in per1):
                raise ModelError(f"partner '{p}': 1% of council tax raises nothing, so the "
                                 "gap has no council tax equivalent")
            extra[p] += [("tax_base", tb), ("band_d", bd), ("ct_per_1pct", per1),
                         ("gap_ct_equivalent", [G[p][t] / (100.0 * per1[t])
                                                for t in range(n)])]

    # Scheme economics (every scheme of a 1.1 file) ---------------------------
    econ = {k: [] for k in kids}
    if is11:
        for k in kids:
            oc = OC.get(k, zeros())
            net = [S[k][t] - R[k][t] - I[k][t] - oc[t] for t in range(n)]
            nb, npv, roi = zeros(), zeros(), zeros()
            acc = pv = cost = 0.0
            for t in range(n):
                acc += net[t]
                pv += net[t] / (1.0 + discount) ** t
                cost += R[k][t] + I[k][t] + oc[t]
                nb[t], npv[t] = acc, pv
                roi[t] = acc / cost if cost != 0 else 0.0
            if k in OC:
                econ[k].append(("one_off_cost", oc))
            econ[k] += [("net_benefit", nb), ("npv", npv)]
            if k in costly:
                econ[k].append(("roi", roi))

    # Output --------------------------------------------------------------
    labels = [year_label(y) for y in period.years]
    out = []

    def emit(view_entities, measures):
        """`measures`: the summed measures, in report order; `system` has those that at
        least one entity of the view has."""
        system = {m: zeros() for m in measures}
        seen = set()
        for ent, series in view_entities:
            for m, vals in series:
                for t in range(n):
                    out.append((ent, m, labels[t], vals[t]))
                if m in system:
                    seen.add(m)
                    for t in range(n):
                        system[m][t] += vals[t]
        for m in measures:
            if m not in seen:
                continue
            for t in range(n):
                out.append(("system", m, labels[t], system[m][t]))

    emit([(p, [("funding", F[p])]
           + [(f"funding.{sid}", S) for sid, S in streams.get(p, [])]
           + [("spend", E[p]), ("gap", G[p]), ("gap_do_nothing", G0[p])] + extra[p])
          for p in pids],
         ["funding", "spend", "gap", "gap_do_nothing", "gap_annual", "reserves_used",
          "reserves", "reserves_minimum", "reserves_headroom", "gap_after_reserves"])
    emit([(s, [("baseline", X[s])] + ([("pressures", PR[s])] if s in PR else [])
           + [("savings", sav_on[s]), ("reprovided", rep_into[s]),
              ("investment", inv_into[s]), ("net", N[s])]) for s in sids],
         ["baseline", "pressures", "savings", "reprovided", "investment", "net"])
    emit([(k, [("saving", S[k]), ("reprovided", R[k]), ("investment", I[k])] + econ[k])
          for k in kids],
         [])  # no system total for schemes: it would repeat the services view's keys
    emit([(q, pool_rows[q]) for q in qids], [])  # nor for pools: system,spend is the partners' total
    return out


_DISTRIBUTIONS = ("normal", "lognormal", "uniform", "triangular", "pert", "interval")


def _is_distribution(v):
    return isinstance(v, dict) and any(k in _DISTRIBUTIONS for k in v) \
        and all(k in _DISTRIBUTIONS or k == "plan" for k in v)


def _number(v):
    """A distribution parameter in base units, and whether it was a percentage."""
    if is_percent(v):
        return parse_rate(v), True
    return parse_money(v), False


def _plan(dist):
    """The value every command but `simulate` uses (docs/uncertainty.md, "What run uses"):
    `plan:` when given; else the mode of a triangular or PERT distribution; else the mean
    of the distribution as written."""
    kind = next(k for k in dist if k in _DISTRIBUTIONS)
    args = dist[kind]
    if kind in ("normal", "lognormal"):
        first, second = ("mean", "sd") if kind == "normal" else ("median", "sd_log")
        x, pct = _number(args[first])
        if kind == "lognormal":
            x *= math.exp(float(args[second]) ** 2 / 2)
    else:
        values = [_number(a) for a in args]
        xs, pct = [x for x, _ in values], values[0][1]
        if kind in ("uniform", "interval"):
            x = (xs[0] + xs[1]) / 2
        else:  # triangular, pert: the most likely value
            x = xs[1]
    if "plan" in dist:
        x = _number(dist["plan"])[0]
    return x, pct


def _at_plan(v):
    """Replaces every distribution by its plan value, keeping a percentage a percentage."""
    if _is_distribution(v):
        x, pct = _plan(v)
        return f"{x * 100!r}%" if pct else x
    if isinstance(v, dict):
        return {k: _at_plan(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_at_plan(x) for x in v]
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
        doc = _at_plan(doc)
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
