#!/usr/bin/python3
"""A vectorised NumPy peer of `fundgap simulate`, for benchmarks and cross-checks.

    /usr/bin/python3 bench/peer_numpy.py SCENARIO.yaml --draws N --seed S [--chunk K]
                     [--quantiles 5,50,95] [--se-out FILE] [--blas-info]

Prints the same CSV as `fundgap simulate -f csv` (entity,measure,year,value): for every
partner and the system gap_mean, gap_pQ..., p_shortfall per year; for every pool
balance_mean, balance_pQ..., p_overspend per year. Written independently of the C++
engine, from docs/ and MISSION.md's projection model; only the small parsers of
tests/reference/reference_model.py (years, money, rates) are reused.

Monte Carlo, vectorised across draws: draws are processed in chunks of K (default
1024), each chunk held as arrays of shape (draws, years, services); the gap of every
partner and the system and every pool's balance are kept per draw (float64) and
summarised at the end with np.quantile (linear interpolation, as fundgap's
q * (n - 1) target). Numbers are statistically, not bit-, equal to fundgap's: the
generator is NumPy's default_rng (PCG64) seeded with --seed, and the draw order depends
on the chunk size.

Uncertain inputs (what bench/generate.py writes, and every other input fundgap accepts
as a distribution): a partner's funding base or growth, a service's base, demand or
inflation, a scheme's saving, ramp values, confidence, re-provided share, investment
amount or investment ramp values, a pool's contributions or growth. A distribution for a
per-year rate is one draw holding every year; in a per-year list or map, each value is
its own input. Correlation groups name inputs by fundgap's paths
(services.s1.demand, services.s1.demand[2025/26], schemes.k1.ramp[1], ...).

The model: a service's baseline compounds (1 + demand)(1 + inflation) a year at a time;
savings c * r(t - t0) * (f * X or A) leave their service, a share phi is re-provided in
another, investment follows the ramp; partner spend is the unpooled net spend by funding
share plus, per pool, the contribution less the partner's risk share of the balance;
gap = spend - funding. Everything after the baseline is linear, so the schemes' one-hot
maps are folded into the funding-share and pool-membership matrix (two matrix products
per chunk).

Sampling:
  * independent inputs: NumPy's own samplers (normal, lognormal, uniform, triangular,
    and beta for PERT). A draw outside the input's valid range (rates above -100%,
    shares in [0, 1], money >= 0) is redrawn until it falls inside, which samples the
    truncated distribution exactly (fundgap does the same by inverse CDF). When less
    than 90% of the mass is valid, inverse-CDF sampling is used instead.
  * correlated groups: a Gaussian copula, z = n L^T with L the Cholesky factor
    (np.linalg.cholesky), u = Phi(z), x = F^-1(p_lo + u (p_hi - p_lo)). SciPy is not
    available on the reference machine, so: Phi from Numerical Recipes' Chebyshev erfc
    (relative error < 1.2e-7), Phi^-1 from Acklam's rational approximation (relative
    error < 1.2e-9, as fundgap's drawing path), PERT's quantile by interpolating a
    65,537-point table of the beta CDF (trapezoid rule on the density). Untruncated
    normal and lognormal marginals map z directly (mean + sd z, median exp(sd_log z)).

--se-out FILE writes, per output, the standard error of this run's estimate (from its
own draws): sd/sqrt(n) for means, sqrt(p(1-p)/n) / f(x_p) for quantiles with the density
from the spacing of neighbouring quantiles, sqrt(p(1-p)/n) for probabilities. bench/
uses it to check agreement with fundgap within sampling error.
"""

import argparse
import ctypes
import math
import os
import sys

import numpy as np
import yaml

sys.dont_write_bytecode = True  # leave no __pycache__ in the repository
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "reference"))
import reference_model as ref  # noqa: E402  (parse_year, parse_money, parse_rate, ramps, extends)

_Z80 = 1.2815515655446004
_KINDS = ("normal", "lognormal", "uniform", "triangular", "pert", "interval")


class PeerError(Exception):
    pass


# ---------------------------------------------------------------------------
# The standard normal, vectorised (no SciPy)
# ---------------------------------------------------------------------------

def norm_cdf(z):
    """Phi(z) via Numerical Recipes' erfcc: relative error below 1.2e-7."""
    x = -np.asarray(z, dtype=float) / math.sqrt(2.0)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * a)
    poly = -a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    e = t * np.exp(poly)
    erfc = np.where(x >= 0, e, 2.0 - e)
    return 0.5 * erfc


def norm_ppf(p):
    """Phi^-1(p), Acklam's approximation: relative error below 1.2e-9."""
    p = np.asarray(p, dtype=float)
    a = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
         1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00)
    b = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
         6.680131188771972e+01, -1.328068155288572e+01)
    c = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
         -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00)
    d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
         3.754408661907416e+00)
    low = 0.02425
    q = p - 0.5
    r = q * q
    out = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / \
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    tail = (p < low) | (p > 1 - low)
    if tail.any():
        pt = p[tail]
        lower = pt < 0.5
        with np.errstate(divide="ignore", invalid="ignore"):
            qq = np.sqrt(-2 * np.log(np.where(lower, pt, 1 - pt)))
        v = (((((c[0] * qq + c[1]) * qq + c[2]) * qq + c[3]) * qq + c[4]) * qq + c[5]) / \
            ((((d[0] * qq + d[1]) * qq + d[2]) * qq + d[3]) * qq + 1)
        out[tail] = np.where(lower, v, -v)
    return out


def norm_cdf_scalar(z):
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


# ---------------------------------------------------------------------------
# Distributions
# ---------------------------------------------------------------------------

class Dist:
    """One uncertain input: its distribution truncated to the valid range [lo, hi]."""

    def __init__(self, kind, args, valid):
        self.kind = kind
        self.lo, self.hi = valid
        if kind in ("normal", "interval"):
            if kind == "normal":
                self.m, self.s = args
            else:
                self.m, self.s = (args[0] + args[1]) / 2, (args[1] - args[0]) / (2 * _Z80)
            self.degenerate = self.s == 0
            self.mean = self.m
        elif kind == "lognormal":
            self.med, self.s = args
            self.degenerate = self.s == 0
            self.mean = self.med * math.exp(self.s ** 2 / 2)
        elif kind == "uniform":
            self.a, self.b = args
            self.degenerate = self.a == self.b
            self.mean = (self.a + self.b) / 2
        else:  # triangular, pert
            self.a, self.mode, self.b = args
            self.degenerate = self.a == self.b
            self.mean = (self.a + self.mode + self.b) / 3 if kind == "triangular" else \
                (self.a + 4 * self.mode + self.b) / 6
            if kind == "pert" and not self.degenerate:
                w = self.b - self.a
                self.alpha = 1 + 4 * (self.mode - self.a) / w
                self.beta = 1 + 4 * (self.b - self.mode) / w
                n = 65536
                x = np.linspace(0.0, 1.0, n + 1)
                with np.errstate(divide="ignore", invalid="ignore"):
                    dens = np.exp((self.alpha - 1) * np.log(x) + (self.beta - 1) * np.log1p(-x))
                dens = np.nan_to_num(dens, nan=0.0, posinf=0.0)
                if self.alpha == 1:
                    dens[0] = 1.0 * (1 - 0) ** (self.beta - 1)
                if self.beta == 1:
                    dens[-1] = 1.0
                cdf = np.concatenate(([0.0], np.cumsum((dens[1:] + dens[:-1]) / 2)))
                self.grid, self.table = x, cdf / cdf[-1]
        if self.degenerate:
            if not (self.lo <= self.mean <= self.hi):
                raise PeerError(f"a {kind} distribution has no probability in its valid range")
            self.p_lo, self.p_hi = 0.0, 1.0
            return
        self.p_lo = self.cdf(self.lo) if math.isfinite(self.lo) else 0.0
        self.p_hi = self.cdf(self.hi) if math.isfinite(self.hi) else 1.0
        if not self.p_hi > self.p_lo:
            raise PeerError(f"a {kind} distribution has no probability in its valid range")
        self.untruncated = self.p_lo == 0.0 and self.p_hi == 1.0

    def cdf(self, x):
        k = self.kind
        if k in ("normal", "interval"):
            return norm_cdf_scalar((x - self.m) / self.s)
        if k == "lognormal":
            return 0.0 if x <= 0 else norm_cdf_scalar(math.log(x / self.med) / self.s)
        if k == "uniform":
            return min(max((x - self.a) / (self.b - self.a), 0.0), 1.0)
        if x <= self.a:
            return 0.0
        if x >= self.b:
            return 1.0
        if k == "triangular":
            a, m, b = self.a, self.mode, self.b
            if x <= m:
                return (x - a) ** 2 / ((b - a) * (m - a))
            return 1 - (b - x) ** 2 / ((b - a) * (b - m))
        return float(np.interp((x - self.a) / (self.b - self.a), self.grid, self.table))

    def quantile(self, p):
        """F^-1 of the distribution as written, vectorised."""
        k = self.kind
        if k in ("normal", "interval"):
            return self.m + self.s * norm_ppf(p)
        if k == "lognormal":
            return self.med * np.exp(self.s * norm_ppf(p))
        if k == "uniform":
            return self.a + p * (self.b - self.a)
        if k == "triangular":
            a, m, b = self.a, self.mode, self.b
            f = (m - a) / (b - a)
            return np.where(p < f, a + np.sqrt(p * (b - a) * (m - a)),
                            b - np.sqrt((1 - p) * (b - a) * (b - m)))
        return self.a + (self.b - self.a) * np.interp(p, self.table, self.grid)

    def _raw(self, rng, n):
        k = self.kind
        if k in ("normal", "interval"):
            return rng.normal(self.m, self.s, n)
        if k == "lognormal":
            return self.med * np.exp(self.s * rng.standard_normal(n))
        if k == "uniform":
            return rng.uniform(self.a, self.b, n)
        if k == "triangular":
            return rng.triangular(self.a, self.mode, self.b, n)
        return self.a + (self.b - self.a) * rng.beta(self.alpha, self.beta, n)

    def sample(self, rng, n):
        """n independent draws from the truncated distribution."""
        if self.degenerate:
            return np.full(n, self.mean)
        if self.p_hi - self.p_lo < 0.9:
            return self.quantile(self.p_lo + rng.random(n) * (self.p_hi - self.p_lo))
        x = self._raw(rng, n)
        bad = (x < self.lo) | (x > self.hi)
        while bad.any():  # redraw: exactly the truncated distribution
            x[bad] = self._raw(rng, int(bad.sum()))
            bad = (x < self.lo) | (x > self.hi)
        return x

    def from_normal(self, z):
        """The copula's map from a standard normal z to this input."""
        if self.degenerate:
            return np.full(z.shape, self.mean)
        if self.untruncated and self.kind in ("normal", "interval"):
            return self.m + self.s * z
        if self.untruncated and self.kind == "lognormal":
            return self.med * np.exp(self.s * z)
        u = np.clip(norm_cdf(z), 1e-300, 1 - 1e-16)
        return self.quantile(self.p_lo + u * (self.p_hi - self.p_lo))


def is_distribution(v):
    return isinstance(v, dict) and len(v) == 1 and next(iter(v)) in _KINDS


def first_number(v):
    """The first number written in a value or a distribution (to tell a share from money)."""
    if is_distribution(v):
        (_, args), = v.items()
        return args[0] if isinstance(args, list) else next(iter(args.values()))
    return v


def parse_distribution(v, kind, what):
    """{normal: {mean, sd}} etc. in base units; `kind` is rate, share or money."""
    (name, args), = v.items()

    def num(x, k=kind):
        if k == "money":
            return ref.parse_money(x, what)
        if k == "factor":
            return float(x)
        return ref.parse_rate(x, what)

    if name == "normal":
        vals = (num(args["mean"]), num(args["sd"]))
    elif name == "lognormal":
        vals = (num(args["median"]), num(args["sd_log"], "factor"))
    elif name in ("uniform", "interval"):
        vals = tuple(num(x) for x in args)
        if len(vals) != 2:
            raise PeerError(f"{what}: {name} needs 2 values")
    else:
        vals = tuple(num(x) for x in args)
        if len(vals) != 3:
            raise PeerError(f"{what}: {name} needs 3 values")
    valid = {"rate": (-1.0, math.inf), "share": (0.0, 1.0), "money": (0.0, math.inf)}[kind]
    return Dist(name, vals, valid)


# ---------------------------------------------------------------------------
# The scenario
# ---------------------------------------------------------------------------

class Model:
    """The scenario as arrays, with a list of uncertain parameters and where they go."""

    def __init__(self, path):
        doc = self._load(path)
        per = doc["period"]
        self.base_year = ref.parse_year(per["base"])
        self.T = ref.parse_year(per["to"]) - self.base_year
        Y = self.Y = self.T + 1
        self.labels = [ref.year_label(self.base_year + t) for t in range(Y)]
        self.params = []  # (path, Dist, target)

        partners = doc.get("partners") or {}
        self.pids = [str(p) for p in partners]
        pidx = {p: i for i, p in enumerate(self.pids)}
        P = self.P = len(self.pids)
        self.f_base = np.zeros(P)
        self.f_growth = np.zeros((Y, P))
        for i, p in enumerate(self.pids):
            fd = partners[p].get("funding") or {}
            self.f_base[i] = self._scalar(fd.get("base", 0), "money", f"partners.{p}.funding.base", ("f_base", i))
            self.f_growth[:, i] = self._rates(fd.get("growth"), f"partners.{p}.funding.growth", ("f_growth", i))

        services = doc.get("services") or {}
        self.sids = [str(s) for s in services]
        sidx = {s: i for i, s in enumerate(self.sids)}
        S = self.S = len(self.sids)
        self.s_base = np.zeros(S)
        self.demand = np.zeros((Y, S))
        self.inflation = np.zeros((Y, S))
        self.W = np.zeros((S, P))  # funding shares of unpooled services
        for i, s in enumerate(self.sids):
            sd = services[s]
            self.s_base[i] = self._scalar(sd.get("base", 0), "money", f"services.{s}.base", ("s_base", i))
            self.demand[:, i] = self._rates(sd.get("demand"), f"services.{s}.demand", ("demand", i))
            self.inflation[:, i] = self._rates(sd.get("inflation"), f"services.{s}.inflation", ("inflation", i))
            funder = sd.get("funder")
            if isinstance(funder, dict):
                for p, w in funder.items():
                    self.W[i, pidx[str(p)]] = ref.parse_rate(w)
            elif funder is not None:
                self.W[i, pidx[str(funder)]] = 1.0

        schemes = doc.get("schemes") or {}
        self.kids = [str(k) for k in schemes]
        K = self.K = len(self.kids)
        self.k_svc = np.zeros(K, dtype=int)
        self.k_absolute = np.zeros(K, dtype=bool)
        self.k_amount = np.zeros(K)      # a share of spend, or money
        self.k_conf = np.ones(K)
        self.k_ramp = np.zeros((Y, K))   # ramp at t - t0 for t >= t0, else 0
        self.k_phi = np.zeros(K)
        self.k_rep = np.full(K, -1)
        self.k_inv = np.zeros(K)
        self.k_inv_svc = np.full(K, -1)
        self.k_inv_ramp = np.zeros((Y, K))
        self.k_inv_follows = np.zeros(K, dtype=bool)  # investment follows the scheme's ramp
        for j, k in enumerate(self.kids):
            kd = schemes[k]
            self.k_svc[j] = sidx[str(kd["service"])]
            t0 = ref.parse_year(kd["start"]) - self.base_year if "start" in kd else 1
            ramp = self._ramp(kd.get("ramp"), f"schemes.{k}.ramp", ("ramp", j), t0)
            sv = kd.get("saving")
            percent = ref.is_percent(first_number(sv))
            self.k_absolute[j] = not percent
            self.k_amount[j] = self._scalar(sv, "share" if percent else "money", f"schemes.{k}.saving", ("k_amount", j))
            self.k_conf[j] = self._scalar(kd.get("confidence", 1.0), "share", f"schemes.{k}.confidence",
                                          ("k_conf", j))
            for t in range(max(t0, 0), Y):
                self.k_ramp[t, j] = ramp[min(t - t0, len(ramp) - 1)]
            rp = kd.get("reprovide")
            if rp is not None:
                self.k_rep[j] = sidx[str(rp["service"])]
                self.k_phi[j] = self._scalar(rp.get("share", 0), "share", f"schemes.{k}.reprovide.share",
                                             ("k_phi", j))
            inv = kd.get("investment")
            if inv is not None:
                self.k_inv_svc[j] = sidx[str(inv["service"])]
                self.k_inv[j] = self._scalar(inv.get("amount", 0), "money", f"schemes.{k}.investment.amount",
                                             ("k_inv", j))
                self.k_inv_follows[j] = "ramp" not in inv
                iramp = ramp if "ramp" not in inv else \
                    self._ramp(inv["ramp"], f"schemes.{k}.investment.ramp", ("inv_ramp", j), t0)
                for t in range(max(t0, 0), Y):
                    self.k_inv_ramp[t, j] = iramp[min(t - t0, len(iramp) - 1)]

        pools = doc.get("pools") or {}
        self.qids = [str(q) for q in pools]
        Q = self.Q = len(self.qids)
        self.M = np.zeros((S, Q))        # pool membership
        self.contrib0 = np.zeros((Q, P))  # base-year contributions
        self.q_growth = np.zeros((Y, Q))
        self.q_proportional = np.zeros(Q, dtype=bool)
        self.rho = np.zeros((Q, P))
        for q, qid in enumerate(self.qids):
            qd = pools[qid]
            for s in qd.get("services") or []:
                self.M[sidx[str(s)], q] = 1.0
                self.W[sidx[str(s)], :] = 0.0
            if self._has_distribution(qd.get("risk_share")):
                raise PeerError(f"pools.{qid}.risk_share: must be plain numbers")
            self.q_growth[:, q] = self._rates(qd.get("growth"), f"pools.{qid}.growth", ("q_growth", q))
            for p, v in (qd.get("contributions") or {}).items():
                self.contrib0[q, pidx[str(p)]] = self._scalar(v, "money", f"pools.{qid}.contributions.{p}",
                                                              ("contrib", (q, pidx[str(p)])))
            rs = qd.get("risk_share", "proportional")
            if isinstance(rs, dict):
                for p, v in rs.items():
                    self.rho[q, pidx[str(p)]] = ref.parse_rate(v)
            elif rs == "host":
                self.rho[q, pidx[str(qd["host"])]] = 1.0
            else:  # proportional: to contributions, which share one growth rate
                self.q_proportional[q] = True
                self.rho[q] = self.contrib0[q] / self.contrib0[q].sum()
        g = np.vstack([np.ones((1, Q)), 1 + self.q_growth[1:]])
        self.contrib = np.cumprod(g, axis=0)[:, :, None] * self.contrib0  # (Y, Q, P)

        # Correlated groups.
        self.groups = []
        by_path = {path: i for i, (path, _, _) in enumerate(self.params)}
        for g in doc.get("correlations") or []:
            idx = [by_path[str(n)] for n in g["parameters"]]
            n = len(idx)
            if "matrix" in g:
                R = np.array(g["matrix"], dtype=float)
            else:
                R = np.full((n, n), float(g["correlation"]))
                np.fill_diagonal(R, 1.0)
            self.groups.append((idx, np.linalg.cholesky(R)))

    # -- helpers --------------------------------------------------------
    @staticmethod
    def _load(path):
        with open(path, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        if isinstance(doc, dict) and "extends" in doc:
            base = Model._load(os.path.join(os.path.dirname(path), doc.pop("extends")))
            doc = ref._merge(base, doc)
        return doc

    @staticmethod
    def _has_distribution(v):
        if is_distribution(v):
            return True
        if isinstance(v, dict):
            return any(Model._has_distribution(x) for x in v.values())
        if isinstance(v, list):
            return any(Model._has_distribution(x) for x in v)
        return False

    def _scalar(self, v, kind, path, target):
        if is_distribution(v):
            d = parse_distribution(v, kind, path)
            self.params.append((path, d, target + (0, self.Y)))
            return d.mean
        if kind == "money":
            return ref.parse_money(v, path)
        return ref.parse_rate(v, path)

    def _ramp(self, v, path, target, t0):
        """A ramp's values; a distribution in it applies to the years that use its value."""
        if v is None:
            return [1.0]
        items = v if isinstance(v, list) else [v]
        out = []
        for n, x in enumerate(items):
            label = f"{path}[{n + 1}]"
            out.append(self._scalar(x, "share", label, target))
            if is_distribution(x):
                years = [t for t in range(max(t0, 0), self.Y) if min(t - t0, len(items) - 1) == n]
                self.params[-1] = (label, self.params[-1][1], target + (years,))
        return out

    def _rates(self, v, path, target):
        """A per-year rate as a column (year 0 unused); registers distributions."""
        Y = self.Y
        out = np.zeros(Y)
        if v is None:
            return out
        if is_distribution(v) or not isinstance(v, (list, dict)):
            out[1:] = self._scalar(v, "rate", path, target)
            if is_distribution(v):
                self.params[-1] = (path, self.params[-1][1], target + (1, Y))
            return out
        if isinstance(v, list):
            if len(v) != self.T:
                raise PeerError(f"{path}: {len(v)} values for {self.T} years")
            for i, x in enumerate(v):
                label = f"{path}[{self.labels[i + 1]}]"
                out[i + 1] = self._scalar(x, "rate", label, target)
                if is_distribution(x):
                    self.params[-1] = (label, self.params[-1][1], target + (i + 1, i + 2))
            return out
        keyed = sorted((ref.parse_year(k) - self.base_year, x) for k, x in v.items())
        for n, (t, x) in enumerate(keyed):
            end = keyed[n + 1][0] if n + 1 < len(keyed) else Y
            label = f"{path}[{self.labels[t]}]" if 0 <= t < Y else path
            val = self._scalar(x, "rate", label, target)
            lo = max(t, 1)
            if lo < min(end, Y):
                out[lo:min(end, Y)] = val
            if is_distribution(x):
                self.params[-1] = (label, self.params[-1][1], target + (lo, min(end, Y)))
        return out


# ---------------------------------------------------------------------------
# Simulation
# ---------------------------------------------------------------------------

class Simulator:
    def __init__(self, m):
        self.m = m
        S, K = m.S, m.K
        rows = np.arange(K)
        # Unpooled spend by funding share, and pool spend: N @ [W | M].
        self.A = np.hstack([m.W, m.M])                             # (S, P + Q)
        # N = X - savings + re-provision + investment is linear in the schemes' savings,
        # and so is everything after it: fold the schemes' one-hot maps into A.
        svc, rep, inv = (np.zeros((K, S)) for _ in range(3))
        svc[rows, m.k_svc] = 1.0
        rep[rows[m.k_rep >= 0], m.k_rep[m.k_rep >= 0]] = 1.0
        inv[rows[m.k_inv_svc >= 0], m.k_inv_svc[m.k_inv_svc >= 0]] = 1.0
        self.svc_A, self.rep_A = svc @ self.A, rep @ self.A        # (K, P + Q)
        self.save_A = (rep * m.k_phi[:, None] - svc) @ self.A      # with phi as written
        self.inv_A = inv @ self.A
        self.inv_det = (m.k_inv_ramp * m.k_inv) @ self.inv_A       # (Y, P + Q)
        self.ktot = m.contrib.sum(axis=2)                          # (Y, Q)
        self.kpartner = m.contrib.sum(axis=1)                      # (Y, P)
        self.fac0 = (1 + m.demand) * (1 + m.inflation)             # (Y, S)
        self.fac0[0] = 1.0
        self.kinds = {}
        for i, (_, _, target) in enumerate(m.params):
            self.kinds.setdefault(target[0], []).append(i)
        grouped = {i for idx, _ in m.groups for i in idx}
        self.independent = [i for i in range(len(m.params)) if i not in grouped]
        # Savings per service, for the check that they never exceed its spend: the first
        # scheme on each service, then the others added.
        self.check_services, first = np.unique(m.k_svc, return_index=True)
        self.check_first = first
        where = {s: j for j, s in enumerate(self.check_services)}
        self.check_more = [(where[m.k_svc[k]], k) for k in range(K) if k not in set(first)]
        self.varied = {}  # service -> the demand/inflation parameters drawn for it
        for kind in ("demand", "inflation"):
            for i in self.kinds.get(kind, []):
                self.varied.setdefault(m.params[i][2][1], []).append(i)

    def draw_parameters(self, rng, D):
        """A (D, n_params) array of this chunk's draws."""
        m = self.m
        x = np.empty((D, len(m.params)))
        for i in self.independent:
            x[:, i] = m.params[i][1].sample(rng, D)
        for idx, L in m.groups:
            z = rng.standard_normal((D, len(idx))) @ L.T
            for j, i in enumerate(idx):
                x[:, i] = m.params[i][1].from_normal(z[:, j])
        return x

    def chunk(self, x):
        """Gaps (D, Y, P) and pool balances (D, Y, Q) for a chunk of parameter draws."""
        m = self.m
        D, Y, P = x.shape[0], m.Y, m.P
        tg = [p[2] for p in m.params]

        def per_draw(base, kind):  # (D, n): a deterministic vector with this chunk's draws
            out = np.broadcast_to(base, (D, base.shape[0])).copy()
            for i in self.kinds.get(kind, []):
                out[:, tg[i][1]] = x[:, i]
            return out

        # Baseline X (D, Y, S): base * the running product of (1 + demand)(1 + inflation).
        X = np.broadcast_to(self.fac0, (D, Y, m.S)).copy()
        for s, idx in self.varied.items():
            d = np.broadcast_to(m.demand[:, s], (D, Y)).copy()
            f = np.broadcast_to(m.inflation[:, s], (D, Y)).copy()
            for i in idx:
                _, _, a, b = tg[i]
                (d if tg[i][0] == "demand" else f)[:, a:b] = x[:, i:i + 1]
            col = (1 + d) * (1 + f)
            col[:, 0] = 1.0
            X[:, :, s] = col
        X[:, 0, :] = per_draw(m.s_base, "s_base")
        for t in range(1, Y):  # compound a year at a time, across draws and services
            X[:, t, :] *= X[:, t - 1, :]

        # Schemes: saving = confidence * ramp * (share * X[service], or an amount).
        coef = per_draw(m.k_conf, "k_conf") * per_draw(m.k_amount, "k_amount")
        sav = np.take(X, m.k_svc, axis=2)                          # (D, Y, K)
        sav[:, :, m.k_absolute] = 1.0
        sav *= coef[:, None, :]
        ramp_drawn = np.zeros(m.K, dtype=bool)
        if "ramp" in self.kinds:
            ramp = np.broadcast_to(m.k_ramp, (D, Y, m.K)).copy()
            for i in self.kinds["ramp"]:
                ramp[:, tg[i][2], tg[i][1]] = x[:, i:i + 1]
                ramp_drawn[tg[i][1]] = True
            sav *= ramp
        else:
            ramp = m.k_ramp
            sav *= ramp
        on = np.take(sav, self.check_first, axis=2)
        for u, k in self.check_more:
            on[:, :, u] += sav[:, :, k]
        over = on > np.take(X, self.check_services, axis=2) * (1 + 1e-12)
        if over.any():
            d, t, u = np.argwhere(over)[0]
            raise PeerError(f"savings on service {m.sids[self.check_services[u]]} exceed its spend "
                            f"in {m.labels[t]} (a draw)")

        # Unpooled partner spend and pool spend: (X - savings + re-provision + investment) @ A.
        out = X @ self.A                                           # (D, Y, P + Q)
        if "k_phi" in self.kinds:
            phi = per_draw(m.k_phi, "k_phi")
            out += sav @ -self.svc_A
            out += (sav * phi[:, None, :]) @ self.rep_A
        else:
            out += sav @ self.save_A
        if {"k_inv", "ramp", "inv_ramp"} & self.kinds.keys():
            inv_ramp = np.broadcast_to(m.k_inv_ramp, (D, Y, m.K)).copy()
            follows = m.k_inv_follows & ramp_drawn
            inv_ramp[:, :, follows] = ramp[:, :, follows]
            for i in self.kinds.get("inv_ramp", []):
                inv_ramp[:, tg[i][2], tg[i][1]] = x[:, i:i + 1]
            out += (per_draw(m.k_inv, "k_inv")[:, None, :] * inv_ramp) @ self.inv_A
        else:
            out += self.inv_det

        # Pools: balance V = contributions - spend; partner cost K_qp - rho_qp V_q.
        if {"contrib", "q_growth"} & self.kinds.keys():
            c0 = np.broadcast_to(m.contrib0, (D, m.Q, P)).copy()
            for i in self.kinds.get("contrib", []):
                c0[:, tg[i][1][0], tg[i][1][1]] = x[:, i]
            g = np.broadcast_to(1 + m.q_growth, (D, Y, m.Q)).copy()
            for i in self.kinds.get("q_growth", []):
                _, q, a, b = tg[i]
                g[:, a:b, q] = 1 + x[:, i:i + 1]
            g[:, 0, :] = 1.0
            contrib = np.cumprod(g, axis=1)[:, :, :, None] * c0[:, None, :, :]   # (D, Y, Q, P)
            rho = np.broadcast_to(m.rho, (D, m.Q, P)).copy()
            rho[:, m.q_proportional] = c0[:, m.q_proportional] / c0[:, m.q_proportional].sum(axis=2, keepdims=True)
            balance = contrib.sum(axis=3) - out[:, :, P:]
            spend = out[:, :, :P] + contrib.sum(axis=2) - np.einsum("dyq,dqp->dyp", balance, rho)
        else:
            balance = self.ktot - out[:, :, P:]
            spend = out[:, :, :P] + self.kpartner - balance @ m.rho

        # Funding: base * the running product of (1 + growth).
        funding = np.broadcast_to(1 + m.f_growth, (D, Y, P)).copy()
        for i in self.kinds.get("f_growth", []):
            _, p, a, b = tg[i]
            funding[:, a:b, p] = 1 + x[:, i:i + 1]
        funding[:, 0, :] = per_draw(m.f_base, "f_base")
        for t in range(1, Y):
            funding[:, t, :] *= funding[:, t - 1, :]
        return spend - funding, balance


def quantile_se(v, q, n):
    """Asymptotic standard error of the q-quantile from draws v (axis 0)."""
    h = min(0.01, q / 2, (1 - q) / 2)
    lo, hi = np.quantile(v, [q - h, q + h], axis=0)
    return math.sqrt(q * (1 - q) / n) * (hi - lo) / (2 * h)


def blas_info():
    """Which OpenBLAS kernel NumPy's BLAS runs, read from the library itself."""
    lines = []
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        lines.append(f"{name}={os.environ.get(name, '(unset)')}")
    np.dot(np.ones((64, 64)), np.ones((64, 64)))  # make sure the library is loaded
    with open("/proc/self/maps") as f:
        libs = sorted({ln.split()[-1] for ln in f if "blas" in ln.lower() and ln.split()[-1].startswith("/")})
    lines.append("numpy " + np.__version__ + ", BLAS libraries mapped: " + (", ".join(libs) or "none"))
    for lib in libs:
        try:
            h = ctypes.CDLL(lib)
        except OSError:
            continue
        for fn in ("openblas_get_corename", "openblas_get_config"):
            f = getattr(h, fn, None)
            if f is not None:
                f.restype = ctypes.c_char_p
                lines.append(f"{fn}() = {f().decode()}")
        f = getattr(h, "openblas_get_num_threads", None)
        if f is not None:
            lines.append(f"openblas_get_num_threads() = {f()}")
    return "\n".join(lines)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?")
    ap.add_argument("--draws", "-n", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--chunk", type=int, default=1024)
    ap.add_argument("--quantiles", "-q", default="5,50,95")
    ap.add_argument("--se-out", help="write each output's standard error (CSV) to this file")
    ap.add_argument("--blas-info", action="store_true", help="print which BLAS kernel NumPy runs, and exit")
    a = ap.parse_args(argv)
    if a.blas_info:
        print(blas_info())
        return 0
    if not a.scenario:
        ap.error("a scenario file is required")
    qs = [float(q) for q in a.quantiles.split(",")]
    try:
        m = Model(a.scenario)
        sim = Simulator(m)
    except (PeerError, ref.ModelError, KeyError, ValueError, TypeError) as e:
        print(f"{a.scenario}: error: {e}", file=sys.stderr)
        return 2
    rng = np.random.default_rng(a.seed)
    n, Y, P, Q = a.draws, m.Y, m.P, m.Q
    gaps = np.empty((n, Y, P + 1))     # partners, then the system
    balances = np.empty((n, Y, Q))
    try:
        for start in range(0, n, a.chunk):
            D = min(a.chunk, n - start)
            g, b = sim.chunk(sim.draw_parameters(rng, D))
            gaps[start:start + D, :, :P] = g
            gaps[start:start + D, :, P] = g.sum(axis=2)
            balances[start:start + D] = b
    except PeerError as e:
        print(f"{a.scenario}: error: {e}", file=sys.stderr)
        return 2

    lines = ["entity,measure,year,value"]
    se_lines = ["entity,measure,year,se"]

    def emit(entity, measure, values, ses=None):
        for t in range(Y):
            lines.append(f"{entity},{measure},{m.labels[t]},{float(values[t])!r}")
            if ses is not None:
                se_lines.append(f"{entity},{measure},{m.labels[t]},{float(ses[t])!r}")

    def summarise(entity, v, measure, adverse):
        pennies = np.round(v * 100)
        emit(entity, f"{measure}_mean", pennies.mean(axis=0) / 100,
             v.std(axis=0) / math.sqrt(n) if a.se_out else None)
        quant = np.quantile(v, [q / 100 for q in qs], axis=0)
        for q, row in zip(qs, quant):
            ses = None
            if a.se_out:
                ses = [quantile_se(v[:, t], q / 100, n) for t in range(Y)]
            emit(entity, f"{measure}_p{q:g}", row, ses)
        p = ((pennies > 0) if adverse == "above" else (pennies < 0)).mean(axis=0)
        emit(entity, "p_shortfall" if measure == "gap" else "p_overspend", p,
             np.sqrt(p * (1 - p) / n) if a.se_out else None)

    for i, pid in enumerate(m.pids + ["system"]):
        summarise(pid, gaps[:, :, i], "gap", "above")
    for q, qid in enumerate(m.qids):
        summarise(qid, balances[:, :, q], "balance", "below")
    sys.stdout.write("\n".join(lines) + "\n")
    if a.se_out:
        with open(a.se_out, "w") as f:
            f.write("\n".join(se_lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
