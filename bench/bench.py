#!/usr/bin/python3
"""fundgap's performance benchmark: one command, every target of docs/performance.md.

    /usr/bin/python3 bench/bench.py [--fundgap build/release/cli/fundgap] [--scenario FILE]
                                    [--draws 100000] [--threads 2] [--runs 5] [--out DIR]

1. Generates the reference scenario with bench/generate.py (its defaults: 200 services,
   10 partners, 60 schemes, 4 pools, 100 uncertain inputs, a correlated block of 20,
   10 projected years) unless --scenario is given.
2. Times `fundgap simulate -n DRAWS -j THREADS` and the NumPy peer (bench/peer_numpy.py)
   on it with hyperfine, interleaved (RUNS rounds of one run each, the order alternating),
   and prints both medians, their ratio and the median of the per-round ratios. The
   peer runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (`env -u`), in that
   command alone; which BLAS kernel NumPy then runs is printed.
3. Checks that the two agree within sampling error: for every output, z = |fundgap -
   numpy| / (the standard error of the difference, from the peer's draws); the limit is
   the Bonferroni bound for all outputs at 1% family-wise error (about 4.4 for 825).
4. Peak RSS of `fundgap simulate -n 1000000 -j THREADS` (/usr/bin/time -f %M).
5. Times `fundgap run` (parsing included), the fixed cost of `simulate -n 1 -j THREADS`
   and `fundgap sensitivity` with hyperfine.
Prints a summary with each target of issue 13 and PASS or MISS. Intermediate files go to --out (a
temporary directory unless given).
"""

import argparse
import csv
import datetime
import json
import math
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"
UNSET_BLAS = ["env", "-u", "OPENBLAS_CORETYPE", "-u", "OPENBLAS_L2_SIZE"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sh(cmd):
    return " ".join(shlex.quote(c) for c in cmd)


def run(cmd, **kw):
    log("$ " + sh(cmd))
    return subprocess.run(cmd, check=True, **kw)


def machine():
    info = {"nproc": os.cpu_count()}
    with open("/proc/cpuinfo") as f:
        models = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")]
    info["cpu"] = models[0] if models else platform.processor()
    with open("/proc/meminfo") as f:
        for ln in f:
            if ln.startswith("MemTotal"):
                info["memory"] = f"{int(ln.split()[1]) / 1024 / 1024:.1f} GiB"
    try:
        with open("/etc/os-release") as f:
            info["os"] = dict(ln.rstrip().split("=", 1) for ln in f if "=" in ln)["PRETTY_NAME"].strip('"')
    except (OSError, KeyError):
        info["os"] = platform.platform()
    info["kernel"] = platform.release()
    return info


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class OtherLoad:
    """How busy the CPUs were with other processes than ours between start() and stop():
    all busy CPU time (/proc/stat) less our children's (getrusage), over wall x CPUs."""

    @staticmethod
    def _busy():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        idle = v[3] + v[4]
        return (sum(v[:8]) - idle) / os.sysconf("SC_CLK_TCK")

    def start(self):
        t = os.times()
        self.t0, self.busy0, self.kids0 = time.monotonic(), self._busy(), t.children_user + t.children_system
        return self

    def stop(self):
        t = os.times()
        wall = time.monotonic() - self.t0
        other = (self._busy() - self.busy0) - (t.children_user + t.children_system - self.kids0)
        return max(other, 0.0) / (wall * (os.cpu_count() or 1))


def wait_quiet(limit_s, threshold=0.10, window=3.0):
    """Waits (up to limit_s) for a window in which other processes use < threshold of the CPUs."""
    deadline = time.monotonic() + limit_s
    while True:
        probe = OtherLoad().start()
        time.sleep(window)
        load = probe.stop()
        if load < threshold or time.monotonic() >= deadline:
            if load >= threshold:
                log(f"bench: still busy ({load:.0%} of the CPUs used by other processes); measuring anyway")
            return load


def norm_ppf_upper(alpha):
    """z with P(Z > z) = alpha, by bisection on erfc (alpha small)."""
    lo, hi = 0.0, 40.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if 0.5 * math.erfc(mid / math.sqrt(2)) > alpha:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def read_csv(path):
    with open(path) as f:
        rows = list(csv.reader(f))[1:]
    return {(r[0], r[1], r[2]): float(r[3]) for r in rows}


def agreement(fg_csv, np_csv, se_csv, n_fg, n_np):
    """Per output z-scores of fundgap - numpy; returns (rows sorted by z, limit)."""
    fg, npv, se = read_csv(fg_csv), read_csv(np_csv), read_csv(se_csv)
    if set(fg) != set(npv):
        missing = sorted(set(fg) ^ set(npv))[:5]
        raise SystemExit(f"bench: fundgap and the peer print different outputs, e.g. {missing}")
    rows = []
    for k in fg:
        a, b = fg[k], npv[k]
        if k[1].startswith("p_"):  # a probability: the pooled binomial standard error
            p = (a * n_fg + b * n_np) / (n_fg + n_np)
            s = math.sqrt(p * (1 - p) * (1 / n_fg + 1 / n_np))
        else:  # fundgap's own error is the peer's at fundgap's number of draws
            s = se[k] * math.sqrt(1 + n_np / n_fg)
        d = abs(a - b)
        if s > 0:
            z = d / s
        else:  # no spread at all: both must give the same number, to the penny
            z = 0.0 if d <= 0.01 + 1e-9 * abs(a) else math.inf
        rows.append((z, k, a, b, s))
    rows.sort(key=lambda r: -r[0])
    limit = norm_ppf_upper(0.01 / (2 * len(rows)))
    return rows, limit


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def hyperfine(commands, names, runs, warmup, json_path):
    cmd = ["hyperfine", "-N", "--style", "basic", "--warmup", str(warmup), "--runs", str(runs),
           "--export-json", json_path]
    for name, c in zip(names, commands):
        cmd += ["-n", name, sh(c)]
    run(cmd, stdout=sys.stderr)
    with open(json_path) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fundgap", default=os.path.join(ROOT, "build/release/cli/fundgap"),
                    help="the fundgap binary (default: build/release/cli/fundgap)")
    ap.add_argument("--scenario", help="scenario to run (default: bench/generate.py's reference size)")
    ap.add_argument("--draws", type=int, default=100000)
    ap.add_argument("--big-draws", type=int, default=1000000, help="draws for the peak-memory run")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5, help="hyperfine runs of each Monte Carlo command")
    ap.add_argument("--run-runs", type=int, default=50, help="hyperfine runs of `fundgap run`")
    ap.add_argument("--out", help="directory for the intermediate files (default: a temporary one)")
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                    help="before each timing, wait up to SECONDS for the other processes to use < 10%% of the CPUs")
    a = ap.parse_args()

    fundgap = os.path.abspath(a.fundgap)
    if not os.access(fundgap, os.X_OK):
        raise SystemExit(f"bench: no fundgap binary at {fundgap} (build it, or pass --fundgap)")
    out = os.path.abspath(a.out) if a.out else tempfile.mkdtemp(prefix="fundgap-bench-")
    os.makedirs(out, exist_ok=True)
    m = machine()
    load_before = loadavg()
    log(f"bench: {m['nproc']} CPUs, {m['cpu']}, {m['memory']}, {m['os']}; load average {load_before}")

    # 1. The scenario.
    if a.scenario:
        scenario = os.path.abspath(a.scenario)
    else:
        scenario = os.path.join(out, "reference.yaml")
        with open(scenario, "w") as f:
            run([PY, os.path.join(HERE, "generate.py")], stdout=f)

    # BLAS: what the environment sets, and what NumPy runs with it unset.
    blas_env = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    blas = subprocess.run(UNSET_BLAS + [PY, os.path.join(HERE, "peer_numpy.py"), "--blas-info"],
                          check=True, capture_output=True, text=True).stdout.strip()

    # 2. Monte Carlo: fundgap and the peer, side by side.
    fg_cmd = [fundgap, "simulate", scenario, "-n", str(a.draws), "-j", str(a.threads), "--seed", str(a.seed),
              "-f", "csv"]
    np_cmd = UNSET_BLAS + [PY, os.path.join(HERE, "peer_numpy.py"), scenario, "--draws", str(a.draws),
                           "--seed", str(a.seed)]
    wait_quiet(a.wait_quiet)
    probe = OtherLoad().start()
    # Interleaved: one hyperfine run of each per round, the order alternating, so that a
    # slow spell of a noisy machine hits both and each round gives a paired ratio.
    times = {"fundgap": [], "numpy": []}
    cpu = {"fundgap": [], "numpy": []}
    for r in range(a.runs):
        order = [("fundgap", fg_cmd), ("numpy", np_cmd)]
        if r % 2:
            order.reverse()
        res = hyperfine([c for _, c in order], [n for n, _ in order], 1, 1 if r == 0 else 0,
                        os.path.join(out, f"simulate-{r + 1}.json"))
        for name in times:
            times[name].append(res[name]["times"][0])
            cpu[name].append(res[name]["user"] + res[name]["system"])
    other_mc = probe.stop()
    fg_med, np_med = median(times["fundgap"]), median(times["numpy"])
    ratio = np_med / fg_med
    paired = sorted(n / f for n, f in zip(times["numpy"], times["fundgap"]))
    with open(os.path.join(out, "simulate.json"), "w") as f:
        json.dump({"times": times, "cpu": cpu}, f, indent=1)

    # 3. Agreement within sampling error (one more run of each, outside the timing).
    fg_csv, np_csv, se_csv = (os.path.join(out, n) for n in ("fundgap.csv", "numpy.csv", "numpy_se.csv"))
    with open(fg_csv, "w") as f:
        run(fg_cmd, stdout=f)
    with open(np_csv, "w") as f:
        run(np_cmd + ["--se-out", se_csv], stdout=f)
    rows, limit = agreement(fg_csv, np_csv, se_csv, a.draws, a.draws)
    worst = rows[0]
    over3 = sum(1 for r in rows if r[0] > 3)

    # 4. Peak memory at a million draws.
    rss_file = os.path.join(out, "rss.txt")
    wait_quiet(a.wait_quiet)
    probe = OtherLoad().start()
    run(["/usr/bin/time", "-f", "%M %e", "-o", rss_file, fundgap, "simulate", scenario, "-n", str(a.big_draws),
         "-j", str(a.threads), "--seed", str(a.seed), "-f", "csv"], stdout=subprocess.DEVNULL)
    with open(rss_file) as f:
        kb, big_wall = f.read().split()[-2:]
    other_big = probe.stop()
    rss_mb = int(kb) * 1024 / 1e6
    rss_mib = int(kb) / 1024

    # 5. A deterministic run, parsing included.
    wait_quiet(a.wait_quiet)
    probe = OtherLoad().start()
    det = hyperfine([[fundgap, "run", scenario, "-f", "csv"]], ["run"], a.run_runs, 5, os.path.join(out, "run.json"))
    run_med = det["run"]["median"]
    # The fixed cost of a simulation (reading, tables, pilot, statistics set-up) and a
    # tornado, each on its own.
    fixed = hyperfine([[fundgap, "simulate", scenario, "-n", "1", "-j", str(a.threads), "--seed", str(a.seed),
                        "-f", "csv"], [fundgap, "sensitivity", scenario, "-f", "csv"]], ["fixed", "sensitivity"],
                      a.run_runs // 2, 3, os.path.join(out, "fixed.json"))
    fixed_med, sens_med = fixed["fixed"]["median"], fixed["sensitivity"]["median"]
    other_run = probe.stop()
    load_after = loadavg()

    # Summary.
    sys.dont_write_bytecode = True  # leave no __pycache__ in the repository
    sys.path.insert(0, HERE)
    import peer_numpy  # noqa: PLC0415 (for the scenario's size, `extends` included)
    model = peer_numpy.Model(scenario)
    S, Y = model.S, model.Y
    cells = a.draws * S * Y / fg_med

    def verdict(ok):
        return "PASS" if ok else "MISS"

    w = worst
    version = subprocess.run([fundgap, "--version"], capture_output=True, text=True).stdout.strip()
    git = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%h %s"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--short", "--", "lib", "cli"], capture_output=True,
                           text=True).stdout.strip()
    built = datetime.datetime.fromtimestamp(os.path.getmtime(fundgap)).strftime("%Y-%m-%d %H:%M:%S")
    print(f"binary: {fundgap} ({version}, built {built}); source: {git}"
          + (" with uncommitted changes in lib/ or cli/" if dirty else ""))
    print(f"machine: {m['nproc']} CPUs, {m['cpu']}, {m['memory']} RAM, {m['os']}, Linux {m['kernel']}")
    print(f"load average: {load_before} before, {load_after} after; other processes used {other_mc:.0%} of the "
          f"CPUs while simulate was timed, {other_big:.0%} during the 1M-draw run, {other_run:.0%} while run was timed")
    print(f"scenario: {scenario} ({S} services, {Y} years)")
    print("BLAS environment: " + ", ".join(f"{k}={v if v is not None else '(unset)'}" for k, v in blas_env.items())
          + "; the peer runs with both unset:")
    for ln in blas.splitlines():
        print("  " + ln)
    print(f"fundgap simulate -n {a.draws} -j {a.threads}: median {fg_med:.3f} s "
          f"(min {min(times['fundgap']):.3f}, max {max(times['fundgap']):.3f}, {a.runs} runs); "
          f"{cells / 1e6:.0f}M draw-cells/s")
    print(f"numpy peer --draws {a.draws}:        median {np_med:.3f} s "
          f"(min {min(times['numpy']):.3f}, max {max(times['numpy']):.3f}, {a.runs} runs)")
    cpu_fg, cpu_np = median(cpu["fundgap"]), median(cpu["numpy"])
    print(f"ratio numpy / fundgap: {ratio:.1f}x wall (medians); paired per round: median {median(paired):.1f}x, "
          f"range {paired[0]:.1f}-{paired[-1]:.1f}x; CPU time (user + system, medians) "
          f"{cpu_np:.2f} s / {cpu_fg:.2f} s = {cpu_np / cpu_fg:.1f}x")
    print(f"agreement: {len(rows)} figures, worst z = {w[0]:.2f} at {w[1][0]} {w[1][1]} {w[1][2]} "
          f"(fundgap {w[2]:.6g}, numpy {w[3]:.6g}, se {w[4]:.3g}); {over3} above 3; limit {limit:.2f}")
    print(f"fundgap simulate -n {a.big_draws} -j {a.threads}: peak RSS {rss_mb:.1f} MB ({rss_mib:.1f} MiB), "
          f"wall {float(big_wall):.2f} s")
    print(f"fundgap run: median {run_med * 1000:.1f} ms (mean {det['run']['mean'] * 1000:.1f} "
          f"± {det['run']['stddev'] * 1000:.1f} ms, {a.run_runs} runs)")
    print(f"fundgap simulate -n 1 -j {a.threads}: median {fixed_med * 1000:.1f} ms; fundgap sensitivity: median "
          f"{sens_med * 1000:.1f} ms ({a.run_runs // 2} runs each)")
    print()
    print(f"{'target':<52} {'measured':<26} result")
    table = [
        (f"simulate {a.draws:,} draws, -j {a.threads}: <= 0.2 s wall", f"{fg_med:.3f} s", fg_med <= 0.2),
        ("simulate >= 25x faster than the NumPy peer", f"{ratio:.1f}x", ratio >= 25),
        (f"simulate {a.big_draws:,} draws: <= 2 s wall", f"{float(big_wall):.2f} s", float(big_wall) <= 2),
        (f"peak RSS at {a.big_draws:,} draws < 64 MB", f"{rss_mb:.1f} MB", rss_mb < 64),
        ("fixed cost, simulate --draws 1: <= 40 ms", f"{fixed_med * 1000:.1f} ms", fixed_med <= 0.040),
        ("sensitivity: <= 50 ms", f"{sens_med * 1000:.1f} ms", sens_med <= 0.050),
        ("run (parsing included) <= 10 ms wall", f"{run_med * 1000:.1f} ms", run_med <= 0.010),
        ("quantiles agree within sampling error", f"worst z {w[0]:.2f} <= {limit:.2f}", w[0] <= limit),
    ]
    for name, value, ok in table:
        print(f"{name:<52} {value:<26} {verdict(ok)}")
    print(f"\nfiles: {out}")
    return 0 if all(ok for _, _, ok in table) else 1


if __name__ == "__main__":
    sys.exit(main())
