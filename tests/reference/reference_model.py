#!/usr/bin/python3
"""Independent reference implementation of the fundgap projection model, formats 1 and 1.1.

Written from the specification in MISSION.md ("The projection model"), the docs and the
test brief only -- deliberately NOT from the C++ engine -- so that the test suite can
cross-check `fundgap run FILE --view all --format csv` against it. Format 1.1 (money
lines: funding streams, council tax, pressures, reserves, scheme money savings,
efficiency, ramp profiles, one-off costs and scheme economics) is written from
docs/money-lines.md only.

Usage:
    /usr/bin/python3 tests/reference/reference_model.py SCENARIO.yaml

prints CSV (`entity,measure,year,value`) with the partners, services, schemes, pools
and places views in that order; the partners and services views end with a `system` entity
(the sum over the view of each summed measure that some entity has); schemes and pools
have none. Format 1.1's measure order: a partner has funding, funding.STREAM (file
order), spend, gap, gap_do_nothing, gap_annual, reserves_used, reserves,
reserves_minimum, reserves_headroom, gap_after_reserves, tax_base, band_d, ct_per_1pct,
gap_ct_equivalent; a service baseline, pressures, savings, reprovided, investment, net;
a scheme saving, reprovided, investment, one_off_cost, net_benefit, npv, roi (each only
where the entity has it).

Format 1.1's places, delegations, stream targets and convergence, pools by source
(allocations, minimums, tiered and lead-commissioner risk shares, carry-forward) and
schemes rolled out by place are written from docs/places.md only (with semantics.md for
the pool and do-nothing rules). They add: after each `funding.S` of a stream with a
target, `target.S`, `distance.S`, `distance_pct.S`, `convergence.S`; `delegated` before
`spend` (summed in `system`); in a pool, `carried_forward` after the partners' rows,
then `source_S`, `unallocated_S` per source, `allocation_T` per target and `minimum_M`,
`minimum_headroom_M` per minimum; and a places view after the pools view, without a
`system` entity: budget, target, distance, distance_pct, spend, gap (a place in no
delegation has only spend). The order of measures was read from fundgap's CSV; no value
was.

Where docs/money-lines.md or docs/places.md is silent, the readings taken are marked
"Reading:" below.

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
        ct = tg = None
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
                g = rate_series(sd.get("growth"), period, f"'growth' in {w}")
                S = grow(base, g)
                if "target" in sd:
                    S, tg = stream_target(sd, S, g, period, w)
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
        if "target" in sd and tg is None:
            raise ModelError(f"{w} has a 'target', which needs a stream that grows at a "
                             "rate ('base' and 'growth')")
        out.append((sid, S, ct, tg))
    return out


def stream_target(sd, S, g, period, w):
    """docs/places.md, "A funding stream with a target": the stream's weighted-capitation
    target and its convergence towards it. Returns the converged stream and its rows
    target, distance, distance_pct and convergence."""
    n = period.T + 1
    td = _mapping(sd["target"], f"'target' in {w}")
    q = _mapping(td.get("share_of"), f"'target.share_of' in {w}")
    quantum = grow(parse_money(q.get("base", 0), f"'target.share_of.base' in {w}"),
                   rate_series(q.get("growth"), period, f"'target.share_of.growth' in {w}"))
    wp = parse_money(td.get("weighted_population"), f"'target.weighted_population' in {w}")
    nwp = parse_money(td.get("national_weighted_population"),
                      f"'target.national_weighted_population' in {w}")
    if wp <= 0 or nwp <= 0:
        raise ModelError(f"the weighted populations of the target in {w} must be above zero")
    T = [quantum[t] * wp / nwp for t in range(n)]
    conv = [0.0] * n
    cd = sd.get("convergence")
    if cd is not None:
        cd = _mapping(cd, f"'convergence' in {w}")
        method = cd.get("method")
        if method not in ("level_up", "pace_of_change"):
            raise ModelError(f"unknown convergence method {method!r} in {w}; expected "
                             "level_up or pace_of_change")
        close = parse_rate(cd.get("close", 0), f"'convergence.close' in {w}")
        band = parse_rate(cd.get("band", 0), f"'convergence.band' in {w}")
        # Reading: the doc gives no default for `min_growth` (nor for `close`, `band`);
        # taken as 0%: a stream above target never loses cash.
        ming = parse_rate(cd.get("min_growth", 0), f"'convergence.min_growth' in {w}")
        # Reading: the two formulas are applied as written, whichever side of the target
        # U lands on. So a stream below target whose uniform growth U overshoots T(t) is
        # pulled back towards it, and under pace_of_change a stream above target whose U
        # falls below T(t) is given more than U -- although the doc says "less growth" of
        # the latter (places.md, "A funding stream with a target").
        S = list(S)
        for t in range(1, n):
            U = S[t - 1] * (1.0 + g[t])
            d = (S[t - 1] - T[t - 1]) / T[t - 1]
            if d < -band:
                v = U + close * (T[t] - U)
            elif method == "pace_of_change" and d > band:
                v = max(S[t - 1] * (1.0 + ming), U - close * (U - T[t]))
            else:
                v = U
            S[t] = v
            conv[t] = v - U
    dist = [S[t] - T[t] for t in range(n)]
    rows = [("target", T), ("distance", dist),
            ("distance_pct", [dist[t] / T[t] for t in range(n)]), ("convergence", conv)]
    return S, rows


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
    stream_rows = {}  # partner -> stream -> [(target.S etc., values)]; streams with targets
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
        streams[p] = [(sid, S) for sid, S, _, _ in sl]
        stream_rows[p] = {sid: [(f"{m}.{sid}", v) for m, v in tg] for sid, _, _, tg in sl if tg}
        F[p] = [sum(S[t] for _, S, _, _ in sl) for t in range(n)]
        cts = [ct for _, _, ct, _ in sl if ct is not None]
        if len(cts) > 1:
            raise ModelError(f"partner '{p}' has more than one council tax stream")
        if cts:
            ctax[p] = cts[0]

    # Places (docs/places.md) --------------------------------------------
    if "places" in doc:
        needs_11(is11, "'places'")
    places = _mapping(doc.get("places"), "places")
    lids = [str(i) for i in places]
    pop, wpop = {}, {}
    for i in lids:
        ld = _mapping(places[i], f"places.{i}")
        pop[i] = parse_money(ld.get("population"), f"'population' of place '{i}'")
        # Without a weighted population, the population stands for it.
        wpop[i] = parse_money(ld.get("weighted_population", ld.get("population")),
                              f"'weighted_population' of place '{i}'")
        if pop[i] <= 0 or wpop[i] <= 0:
            raise ModelError(f"the populations of place '{i}' must be above zero")

    def population_shares(by, what):
        if by not in ("population", "weighted_population"):
            raise ModelError(f"{what}: expected population or weighted_population, not {by!r}")
        src = pop if by == "population" else wpop
        tot = sum(src[i] for i in lids)
        return {i: src[i] / tot for i in lids}

    def check_places(keys, what):
        for i in keys:
            if str(i) not in places:
                raise ModelError(f"{what}: unknown place {i}")

    # Services: baselines -------------------------------------------------
    services = _mapping(doc.get("services"), "services")
    sids = [str(s) for s in services]
    X = {}
    PR = {}  # service -> its pressures' money each year; only services with pressures
    W = {}  # service -> {partner: share}; absent for pooled services
    split = {}  # service -> {place: share}; only services split by place
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
        if "places" in sd:
            needs_11(is11, f"'places' of service '{s}'")
            sp = _mapping(sd["places"], f"'places' of service '{s}'")
            if "by" in sp:
                split[s] = population_shares(sp["by"], f"'places.by' of service '{s}'")
            else:
                check_places(sp, f"'places' of service '{s}'")
                # Reading: a percentage is a share and any other value money, as for a
                # scheme's saving; the two are not mixed in one map.
                if all(is_percent(v) for v in sp.values()):
                    sh = {str(i): parse_rate(v, f"services.{s}.places.{i}")
                          for i, v in sp.items()}
                else:
                    money = {str(i): parse_money(v, f"services.{s}.places.{i}")
                             for i, v in sp.items()}
                    if abs(sum(money.values()) - base) > 1e-9 * max(abs(base), 1.0):
                        raise ModelError(f"the money by place of service '{s}' adds up to "
                                         f"{sum(money.values())!r}, not its base {base!r}")
                    sh = {i: v / base for i, v in money.items()}
                if abs(sum(sh.values()) - 1.0) > 1e-9:
                    raise ModelError(f"the shares by place of service '{s}' add up to "
                                     f"{sum(sh.values()) * 100!r}%, not 100%")
                split[s] = {i: sh.get(i, 0.0) for i in lids}  # missing places get nothing
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
    place_saving = {}  # service -> place -> the savings of schemes rolled out by place
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
        def full(t, t0):
            if eff is not None:
                return (1.0 - (1.0 - eff) ** (t - t0 + 1)) * X[svc][t]
            if amounts is not None:
                return amounts[t]
            return frac * X[svc][t] if frac is not None else amount

        # (share, start): the whole service from `start`, or each place's share from
        # the year the scheme starts there (docs/places.md, "Schemes rolled out by place").
        rollout = [(1.0, t0, None)]
        if "places" in kd:
            needs_11(is11, f"'places' of scheme '{k}'")
            if svc not in split:
                raise ModelError(f"scheme '{k}' is rolled out by place, but its service "
                                 f"'{svc}' is not split by place")
            kp = _mapping(kd["places"], f"'places' of scheme '{k}'")
            check_places([i for i in kp if str(i) != "rest"], f"'places' of scheme '{k}'")
            named = {str(i): period.index(v, f"schemes.{k}.places.{i}")
                     for i, v in kp.items()}
            # Reading: the scheme's own `start` plays no part in a rolled-out saving:
            # each place's year is its start (it still starts the investment).
            rollout = [(split[svc][i], named.get(i, named.get("rest")), i) for i in lids
                       if i in named or "rest" in named]
        s_k = zeros()
        for share, ts, place in rollout:
            for t in range(n):
                if t >= ts:
                    v = share * conf * ramp(t, ts) * full(t, ts)
                    s_k[t] += v
                    if place is not None:  # where a rolled-out saving falls
                        by_place = place_saving.setdefault(svc, {})
                        by_place.setdefault(place, zeros())[t] += v
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
        wq = f"pool '{q}'"
        qsvcs = [str(s) for s in (qd.get("services") or [])]
        for s in qsvcs:
            if s not in X:
                raise ModelError(f"pools.{q}.services: unknown service {s}")
            if s in pooled:
                raise ModelError(f"pools.{q}.services: {s} is already pooled")
            pooled.add(s)
        contrib = _mapping(qd.get("contributions"), f"pools.{q}.contributions")
        for p in contrib:
            if str(p) not in partners:
                raise ModelError(f"pools.{q}.contributions: unknown partner {p}")
        # Pools by source (docs/places.md): a partner given plain money is one source
        # named after the partner.
        by_source = (any(isinstance(v, dict) for v in contrib.values())
                     or "allocation" in qd or "minimums" in qd)
        for key in ("allocation", "minimums", "leads", "carry_forward"):
            if key in qd:
                needs_11(is11, f"'{key}' of {wq}")
        if by_source:
            needs_11(is11, f"contributions by source in {wq}")
        srcs = []  # (source id, partner, base-year money), in file order
        for p, v in contrib.items():
            if isinstance(v, dict):
                for sid, m in v.items():
                    srcs.append((str(sid), str(p),
                                 parse_money(m, f"pools.{q}.contributions.{p}.{sid}")))
            else:
                srcs.append((str(p), str(p), parse_money(v, f"pools.{q}.contributions.{p}")))
        src_ids = [sid for sid, _, _ in srcs]
        if len(set(src_ids)) != len(src_ids):
            raise ModelError(f"{wq}: a source id is given twice")
        gv = qd.get("growth")
        # Reading: a growth map is per source when one of its keys is a source id (else
        # it is format 1's map from year to rate); it must then give every source a rate.
        if by_source and isinstance(gv, dict) and any(str(k) in src_ids for k in gv):
            gmap = {str(k): x for k, x in gv.items()}
            for sid in src_ids:
                if sid not in gmap:
                    raise ModelError(f"'growth' of {wq} gives no rate for source '{sid}'; "
                                     "give every source a rate (0% for none)")
            for k in gmap:
                if k not in src_ids:
                    raise ModelError(f"'growth' of {wq}: unknown source '{k}'")
            gsrc = {sid: rate_series(gmap[sid], period, f"pools.{q}.growth.{sid}")
                    for sid in src_ids}
        else:
            g = rate_series(gv, period, f"pools.{q}.growth")
            gsrc = {sid: g for sid in src_ids}
        M = {sid: grow(base, gsrc[sid]) for sid, _, base in srcs}  # each source's money
        K = {}
        for p in pids:
            own = [sid for sid, sp, _ in srcs if sp == p]
            K[p] = [sum(M[sid][t] for sid in own) for t in range(n)] if own else zeros()
        Ktot = [sum(K[p][t] for p in pids) for t in range(n)]
        P = [sum(N[s][t] for s in qsvcs) for t in range(n)]
        P0 = [sum(X[s][t] for s in qsvcs) for t in range(n)]

        # Allocation: target -> source -> money each year.
        alloc = {}
        land = {}  # allocation target -> the pooled service its money meets
        for tgt, ad in _mapping(qd.get("allocation"), f"pools.{q}.allocation").items():
            tgt = str(tgt)
            # Reading: a scheme's allocation meets the spend of the service its investment
            # lands on, else its own service, which must be in this pool.
            if tgt in X:
                svc_of = tgt
            elif tgt in schemes:
                sk = _mapping(schemes[tgt], f"schemes.{tgt}")
                inv = sk.get("investment")
                svc_of = str(inv.get("service")) if isinstance(inv, dict) else str(sk.get("service"))
            else:
                raise ModelError(f"unknown service or scheme '{tgt}' in 'allocation' of {wq}")
            if svc_of not in qsvcs:
                raise ModelError(f"service '{svc_of}' in 'allocation' of {wq} is not in "
                                 f"{wq}; a pool allocates only to its own services")
            land[tgt] = svc_of
            alloc[tgt] = {}
            for sid, v in _mapping(ad, f"pools.{q}.allocation.{tgt}").items():
                sid = str(sid)
                if sid not in M:
                    raise ModelError(f"unknown source '{sid}' in allocation to '{tgt}' in {wq}")
                if is_percent(v):
                    share = parse_rate(v, f"pools.{q}.allocation.{tgt}.{sid}")
                    alloc[tgt][sid] = [share * M[sid][t] for t in range(n)]
                else:
                    # Base-year money that grows with its source.
                    alloc[tgt][sid] = grow(parse_money(v, f"pools.{q}.allocation.{tgt}.{sid}"),
                                           gsrc[sid])
        unalloc = {sid: [M[sid][t] - sum(alloc[tg][sid][t] for tg in alloc if sid in alloc[tg])
                         for t in range(n)] for sid in src_ids}
        mins = []
        for mname, md in _mapping(qd.get("minimums"), f"pools.{q}.minimums").items():
            mname = str(mname)
            md = _mapping(md, f"pools.{q}.minimums.{mname}")
            sid = str(md.get("from"))
            if sid not in M:
                raise ModelError(f"unknown source '{sid}' in minimum '{mname}' of {wq}")
            to = [str(x) for x in md["to"]] if "to" in md else [mname]
            for tg in to:
                if tg not in alloc:
                    raise ModelError(f"minimum '{mname}' of {wq}: '{tg}' has no allocation")
            mg = (rate_series(md["growth"], period, f"pools.{q}.minimums.{mname}.growth")
                  if "growth" in md else gsrc[sid])
            need = grow(parse_money(md.get("amount", 0), f"pools.{q}.minimums.{mname}.amount"),
                        mg)
            give = [sum(alloc[tg][sid][t] for tg in to if sid in alloc[tg]) for t in range(n)]
            head = [give[t] - need[t] for t in range(n)]
            if head[0] < -1e-9:
                raise ModelError(f"minimum '{mname}' of {wq} needs {need[0]!r} from source "
                                 f"'{sid}' but the allocation gives {give[0]!r}")
            mins.append((mname, need, head))

        # Risk shares -------------------------------------------------------
        host = str(qd["host"]) if "host" in qd else None
        involved = set()  # partners a risk rule names
        rhos = []  # every rule's shares

        def need_host(why):
            if host is None or host not in partners:
                raise ModelError(f"pools.{q}.host: {why} needs a known host partner")
            involved.add(host)
            return host

        def rule_rho(rule, what):
            """A rule's shares: partner -> [share each year]."""
            if isinstance(rule, dict):
                fixed = {str(p): parse_rate(v, f"{what}.{p}") for p, v in rule.items()}
                for p in fixed:
                    if p not in partners:
                        raise ModelError(f"{what}: unknown partner {p}")
                r = {p: [fixed.get(p, 0.0)] * n for p in pids}
            elif rule == "host":
                h = need_host("risk_share: host")
                r = {p: [1.0 if p == h else 0.0] * n for p in pids}
            elif rule == "proportional":
                if any(v == 0 for v in Ktot):
                    raise ModelError(f"pools.{q}: risk shared in proportion to contributions, "
                                     "but the contributions total zero")
                r = {p: [K[p][t] / Ktot[t] if Ktot[t] != 0 else 0.0 for t in range(n)]
                     for p in pids}
            else:
                raise ModelError(f"{what}: unknown risk share {rule!r}")
            rhos.append(r)
            return r

        rs = qd.get("risk_share", "proportional")
        carry = qd.get("carry_forward", False)
        if carry not in (True, False):
            raise ModelError(f"'carry_forward' of {wq} is true or false")
        if isinstance(rs, dict) and "tiers" in rs:
            needs_11(is11, f"tiered risk shares in {wq}")
            tiers = rs["tiers"]
            if not isinstance(tiers, list) or not tiers:
                raise ModelError(f"'tiers' of {wq} is a list of tiers")
            bands = []  # (upper bound or None, rho)
            last_up = 0.0
            for j, tr in enumerate(tiers, start=1):
                tr = _mapping(tr, f"tier {j} of {wq}")
                up = None
                if "up_to" in tr:
                    up = parse_money(tr["up_to"], f"'up_to' of tier {j} of {wq}")
                    if up <= last_up:
                        raise ModelError(f"'up_to' of tier {j} of {wq} must be above the "
                                         "tier before it")
                    last_up = up
                elif j != len(tiers):
                    raise ModelError(f"tier {j} of {wq} has no 'up_to' but is not the last")
                bands.append((up, rule_rho(tr.get("shares"), f"'shares' of tier {j} of {wq}")))

            # Reading: the bands are of the balance's size, either way; each band keeps
            # the balance's sign. A balance beyond the last `up_to` with no open last
            # tier is shared by the last tier.
            def shares_of(t, v, spend):
                a, sign = abs(v), (1.0 if v >= 0 else -1.0)
                out_ = {p: 0.0 for p in pids}
                lower = 0.0
                for j, (up, rho_b) in enumerate(bands):
                    upper = up if (up is not None and j != len(bands) - 1) else math.inf
                    part = max(0.0, min(a, upper) - lower)
                    if part > 0:
                        for p in pids:
                            out_[p] += rho_b[p][t] * sign * part
                    lower = upper
                return out_
        elif rs == "lead":
            needs_11(is11, f"'risk_share: lead' in {wq}")
            if carry:
                raise ModelError(f"{wq} carries underspends forward but each lead "
                                 "commissioner carries its own variance; give one")
            h = need_host("risk_share: lead")
            leads = {str(s): str(p) for s, p in _mapping(qd.get("leads"),
                                                          f"pools.{q}.leads").items()}
            for s, p in leads.items():
                if s not in qsvcs:
                    raise ModelError(f"pools.{q}.leads: '{s}' is not a service of {wq}")
                if p not in partners:
                    raise ModelError(f"pools.{q}.leads: unknown partner {p}")
                involved.add(p)
            # Each pooled service's allocation: to it and to the schemes landing on it.
            svc_alloc = {s: zeros() for s in qsvcs}
            for tg, by in alloc.items():
                for sid, v in by.items():
                    for t in range(n):
                        svc_alloc[land[tg]][t] += v[t]
            for s in qsvcs:
                if not any(land[tg] == s for tg in alloc):
                    raise ModelError(f"{wq} shares risk by lead commissioner, so each pooled "
                                     f"service needs an allocation; '{s}' has none")

            def shares_of(t, v, spend):
                out_ = {p: 0.0 for p in pids}
                rest = v
                for s in qsvcs:
                    var = svc_alloc[s][t] - spend[s][t]
                    out_[leads.get(s, h)] += var
                    rest -= var
                out_[h] += rest  # money not allocated falls on the host
                return out_
        else:
            rho = rule_rho(rs, f"pools.{q}.risk_share")

            def shares_of(t, v, spend):
                return {p: rho[p][t] * v for p in pids}

        def settle(spend_tot, spend):
            """The balance each year, what is carried forward, and each partner's share.

            Reading: with carry_forward the `balance` measure is contributions + brought
            forward - spend (places.md's "balance each year"); the base year brings
            nothing forward; the do-nothing figures carry their own underspends forward.
            """
            bal, cf = zeros(), zeros()
            sh = {p: zeros() for p in pids}
            brought = 0.0
            for t in range(n):
                if carry:
                    bal[t] = Ktot[t] + brought - spend_tot[t]
                    if bal[t] > 0:  # an underspend stays in the pool
                        cf[t] = bal[t]
                        brought = bal[t]
                        continue
                    brought = 0.0
                else:
                    bal[t] = Ktot[t] - spend_tot[t]
                for p, x in shares_of(t, bal[t], spend).items():
                    sh[p][t] = x
            return bal, cf, sh

        V, CF, share = settle(P, N)
        V0, _, share0 = settle(P0, X)
        rows = [("contributions", Ktot), ("spend", P), ("balance", V)]
        for p in pids:
            cost = [K[p][t] - share[p][t] for t in range(n)]
            cost0 = [K[p][t] - share0[p][t] for t in range(n)]
            for t in range(n):
                E[p][t] += cost[t]
                E0[p][t] += cost0[t]
            # Reading: a partner has rows in the pool when it contributes or a risk rule
            # can give it a share (the host of a host, tier or lead rule, a lead, a share).
            named = p in involved or any(any(v != 0 for v in r[p]) for r in rhos)
            if any(v != 0 for v in K[p]) or named:
                rows += [(f"contribution_{p}", K[p]), (f"balance_share_{p}", share[p]),
                         (f"cost_{p}", cost)]
        if carry:
            rows.append(("carried_forward", CF))
        if by_source:
            for sid in src_ids:
                rows += [(f"source_{sid}", M[sid]), (f"unallocated_{sid}", unalloc[sid])]
            for tg in alloc:
                rows.append((f"allocation_{tg}",
                             [sum(v[t] for v in alloc[tg].values()) for t in range(n)]))
            for mname, need, head in mins:
                rows += [(f"minimum_{mname}", need), (f"minimum_headroom_{mname}", head)]
        pool_rows[q] = rows

    for s in sids:
        if s in pooled:
            continue
        for p, w in W.get(s, {}).items():
            for t in range(n):
                E[p][t] += w * N[s][t]
                E0[p][t] += w * X[s][t]

    # Delegations and places (docs/places.md) ------------------------------
    dels = _mapping(doc.get("delegations"), "delegations")
    if dels:
        needs_11(is11, "'delegations'")
    delegated = {}  # partner -> the envelopes it delegates; only delegating partners
    budget = {i: zeros() for i in lids}
    target = {i: zeros() for i in lids}
    pgap = {i: zeros() for i in lids}

    def spend_in(s, i, t):
        # A split service's spend in place i: share x (N + P_s) - P_{s,i} (places.md).
        ps = place_saving.get(s, {})
        total = sum(v[t] for v in ps.values())
        return split[s][i] * (N[s][t] + total) - ps.get(i, zeros())[t]
    in_delegation = set()
    delegated_svcs = set()
    forms = ("consultative_forum", "committee", "executive", "joint_committee")
    for d in dels:
        d = str(d)
        dd = _mapping(dels[d], f"delegations.{d}")
        wd = f"delegation '{d}'"
        frm = str(dd.get("from"))
        dp, _, dsid = frm.partition(".")
        if dp not in partners:
            raise ModelError(f"'from' of {wd}: unknown partner '{dp}'")
        if dsid:
            src = dict(streams.get(dp, [])).get(dsid)
            if src is None:
                raise ModelError(f"'from' of {wd}: partner '{dp}' has no funding stream "
                                 f"'{dsid}'")
        else:
            src = F[dp]
        if "envelope" not in dd:
            raise ModelError(f"{wd} needs an 'envelope'")
        ev = dd["envelope"]
        if is_percent(ev):
            esh = parse_rate(ev, f"'envelope' of {wd}")
            env = [esh * src[t] for t in range(n)]
        else:
            em = parse_money(ev, f"'envelope' of {wd}")
            if src[0] == 0:
                raise ModelError(f"the envelope of {wd} is money, but its source has no "
                                 "base-year funding to grow with")
            env = [em * src[t] / src[0] for t in range(n)]
        if env[0] > src[0] + 1e-9 * abs(src[0]):
            raise ModelError(f"the envelope of {wd} ({env[0]!r}) is above the base-year "
                             f"funding it is drawn from ({src[0]!r})")
        dsvcs = [str(s) for s in (dd.get("services") or [])]
        for s in dsvcs:
            if s not in X:
                raise ModelError(f"'services' of {wd}: unknown service '{s}'")
            if s not in split:
                raise ModelError(f"service '{s}' of {wd} is not split by place")
            if s in delegated_svcs:
                raise ModelError(f"service '{s}' is delegated twice")
            delegated_svcs.add(s)
        method = dd.get("method", "fair_share")
        if method not in ("historic", "fair_share", "hybrid"):
            raise ModelError(f"unknown method {method!r} of {wd}; expected historic, "
                             "fair_share or hybrid")

        def place_shares(v, what, money_ok):
            """Shares for every place: money (rescaled to shares) or percentages."""
            m = _mapping(v, what)
            check_places(m, what)
            for i in lids:
                if i not in {str(x) for x in m}:
                    raise ModelError(f"place '{i}' is missing from {what}; give every place")
            m = {str(i): x for i, x in m.items()}
            if money_ok and not all(is_percent(x) for x in m.values()):
                money = {i: parse_money(m[i], f"{what}.{i}") for i in lids}
                tot = sum(money.values())
                return {i: money[i] / tot for i in lids}
            # Reading: shares are used as given (the doc names no check that they add
            # up to 100%, and no rescaling).
            return {i: parse_rate(m[i], f"{what}.{i}") for i in lids}

        fs = dd.get("fair_share", "weighted_population")
        fair = (population_shares(fs, f"'fair_share' of {wd}") if isinstance(fs, str)
                else place_shares(fs, f"'fair_share' of {wd}", money_ok=False))
        hist = None
        if method in ("historic", "hybrid"):
            if "historic" not in dd:
                raise ModelError(f"{wd} with method {method} needs 'historic'")
            hist = place_shares(dd["historic"], f"'historic' of {wd}", money_ok=True)
        wts = [0.0 if method == "historic" else 1.0] * n
        level_up = False
        if method == "hybrid":
            gl = dd.get("glide")
            if gl is None:
                raise ModelError(f"{wd} with method hybrid needs 'glide'")
            if gl == "level_up":
                level_up = True
            elif isinstance(gl, list):
                if len(gl) != period.T:
                    raise ModelError(f"'glide' of {wd} has {len(gl)} weights for "
                                     f"{period.T} projected years")
                wts = [0.0] + [parse_rate(x, f"'glide' of {wd}") for x in gl]
            else:
                yrs = _mapping(gl, f"'glide' of {wd}").get("years")
                if not isinstance(yrs, int) or yrs < 1:
                    raise ModelError(f"'glide.years' of {wd} is a whole number above zero")
                wts = [min(t / yrs, 1.0) for t in range(n)]
        floor = parse_rate(dd["floor"], f"'floor' of {wd}") if "floor" in dd else None
        cap = parse_rate(dd["cap"], f"'cap' of {wd}") if "cap" in dd else None
        # Reading: a place without a `form` is run as a committee would be: its variance
        # stays with the delegating partner.
        lead_of = {}
        for i, fv in _mapping(dd.get("form"), f"'form' of {wd}").items():
            i = str(i)
            check_places([i], f"'form' of {wd}")
            if isinstance(fv, dict) and set(fv) == {"lead_provider"}:
                lp = str(fv["lead_provider"])
                if lp not in partners:
                    raise ModelError(f"lead provider '{lp}' for place '{i}' in {wd} is not "
                                     "a partner")
                lead_of[i] = lp
            elif fv not in forms:
                raise ModelError(f"unknown form of governance {fv!r} for place '{i}' in {wd}")

        B = {i: zeros() for i in lids}
        for t in range(n):
            Et = env[t]
            if t == 0:
                # Base year: historic shares for historic and hybrid (level_up included),
                # fair shares for fair_share; no floor or cap (there is no last year).
                wanted = {i: Et * (fair[i] if method == "fair_share" else hist[i])
                          for i in lids}
            elif level_up:
                prev = {i: B[i][t - 1] for i in lids}
                tot_prev = sum(prev.values())
                grow_by = Et - tot_prev
                if grow_by < 0:  # a shrinking envelope is cut in proportion
                    wanted = {i: prev[i] * Et / tot_prev for i in lids}
                else:
                    short = {i: max(0.0, fair[i] * Et - prev[i]) for i in lids}
                    tot_short = sum(short.values())
                    if grow_by <= tot_short:
                        wanted = {i: prev[i] + grow_by * short[i] / tot_short for i in lids}
                    else:
                        # Reading: every place is brought to its fair share and the rest
                        # of the growth goes by fair share.
                        wanted = {i: prev[i] + short[i] + (grow_by - tot_short) * fair[i]
                                  for i in lids}
            else:
                wanted = {i: Et * ((1.0 - wts[t]) * hist[i] + wts[t] * fair[i])
                          if hist is not None else Et * fair[i] for i in lids}
            if t > 0 and (floor is not None or cap is not None):
                prev = {i: B[i][t - 1] for i in lids}
                y = year_label(period.years[t])
                if floor is not None and sum(prev[i] * (1 + floor) for i in lids) > Et:
                    raise ModelError(f"in {y} the floors of {wd} need budgets of "
                                     f"{sum(prev[i] * (1 + floor) for i in lids)!r} but its "
                                     f"envelope is {Et!r}")
                if cap is not None and sum(prev[i] * (1 + cap) for i in lids) < Et:
                    raise ModelError(f"in {y} the caps of {wd} allow budgets of "
                                     f"{sum(prev[i] * (1 + cap) for i in lids)!r} but its "
                                     f"envelope is {Et!r}")
                # Reading: every place breaking a bound in a round is held at it at once;
                # the others are rescaled by one factor; rounds repeat until none breaks.
                held = {}
                while True:
                    free = [i for i in lids if i not in held]
                    rest = Et - sum(held.values())
                    tot = sum(wanted[i] for i in free)
                    if not held:
                        b = dict(wanted)
                    else:
                        b = {i: wanted[i] * rest / tot for i in free} if tot else \
                            {i: rest / len(free) for i in free}
                    broke = False
                    for i in free:
                        if floor is not None and b[i] < prev[i] * (1 + floor):
                            held[i], broke = prev[i] * (1 + floor), True
                        elif cap is not None and b[i] > prev[i] * (1 + cap):
                            held[i], broke = prev[i] * (1 + cap), True
                    if not broke or len(held) == len(lids):
                        break
                wanted = {**b, **held}
            # Pennies. Reading: "rounded down to the penny" allows a millionth of a penny
            # of binary rounding (so 202000000 computed as 201999999.99999997 is £202m), and
            # the budgets add up to the envelope rounded to the nearest penny.
            cents = {i: math.floor(wanted[i] * 100 + 1e-6) for i in lids}
            left = round(Et * 100) - sum(cents.values())
            order = sorted(lids, key=lambda i: (-(wanted[i] * 100 - cents[i]), lids.index(i)))
            for j in range(abs(left)):
                cents[order[j % len(lids)] if left > 0 else order[-1 - j % len(lids)]] += \
                    1 if left > 0 else -1
            for i in lids:
                B[i][t] = cents[i] / 100.0
        for i in lids:
            in_delegation.add(i)
            gd = [sum(spend_in(s, i, t) for s in dsvcs) - B[i][t] for t in range(n)]
            gd0 = [sum(X[s][t] * split[s][i] for s in dsvcs) - B[i][t] for t in range(n)]
            for t in range(n):
                budget[i][t] += B[i][t]
                target[i][t] += env[t] * fair[i]
                pgap[i][t] += gd[t]
            if i in lead_of:  # the lead provider carries the place's variance
                lp = lead_of[i]
                for t in range(n):
                    E[lp][t] += gd[t]
                    E[dp][t] -= gd[t]
                    # Reading: in the do-nothing figures the transfer is the do-nothing
                    # variance (X in place of N everywhere, semantics.md).
                    E0[lp][t] += gd0[t]
                    E0[dp][t] -= gd0[t]
        # places.md, "Pennies": `delegated` is the envelope E(t) rounded to the penny.
        delegated.setdefault(dp, zeros())
        for t in range(n):
            delegated[dp][t] += round(env[t] * 100) / 100

    # Reading: every place is in the places view; one in no delegation has only `spend`.
    place_rows = {}
    for i in lids:
        rows = []
        if i in in_delegation:
            dist = [budget[i][t] - target[i][t] for t in range(n)]
            # Reading: distance_pct is a fraction (0.05 for 5%), as shares are in CSV;
            # 0 where the target is 0. A place's target is its sum over delegations.
            rows += [("budget", budget[i]), ("target", target[i]), ("distance", dist),
                     ("distance_pct", [dist[t] / target[i][t] if target[i][t] else 0.0
                                       for t in range(n)])]
        # places.md, "Services split by place": share x (N + P_s) - P_{s,i}, the savings of
        # schemes rolled out by place falling where they are made.
        rows.append(("spend", [sum(spend_in(s, i, t) for s in sids if s in split)
                               for t in range(n)]))
        if i in in_delegation:
            rows.append(("gap", pgap[i]))
        place_rows[i] = rows


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
           + [row for sid, S in streams.get(p, [])
              for row in [(f"funding.{sid}", S)] + stream_rows.get(p, {}).get(sid, [])]
           + ([("delegated", delegated[p])] if p in delegated else [])
           + [("spend", E[p]), ("gap", G[p]), ("gap_do_nothing", G0[p])] + extra[p])
          for p in pids],
         ["funding", "delegated", "spend", "gap", "gap_do_nothing", "gap_annual", "reserves_used",
          "reserves", "reserves_minimum", "reserves_headroom", "gap_after_reserves"])
    emit([(s, [("baseline", X[s])] + ([("pressures", PR[s])] if s in PR else [])
           + [("savings", sav_on[s]), ("reprovided", rep_into[s]),
              ("investment", inv_into[s]), ("net", N[s])]) for s in sids],
         ["baseline", "pressures", "savings", "reprovided", "investment", "net"])
    emit([(k, [("saving", S[k]), ("reprovided", R[k]), ("investment", I[k])] + econ[k])
          for k in kids],
         [])  # no system total for schemes: it would repeat the services view's keys
    emit([(q, pool_rows[q]) for q in qids], [])  # nor for pools: system,spend is the partners' total
    # Reading: the places view comes last and has no `system` entity (places.md is
    # silent on both; a system total of place spend would repeat the services' net).
    emit([(i, place_rows[i]) for i in lids], [])
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
