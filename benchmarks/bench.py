"""The benchmark harness: speed and memory at scale, the per-agent ratio, batch throughput.

    python -m benchmarks.bench                      # everything (make bench), about 4 min today
    python -m benchmarks.bench --sizes 10000,100000 --repeats 3
    python -m benchmarks.bench --quick --out /tmp/b.json    # tiny sizes: checks the harness
    python -m benchmarks.bench --profile 100000     # cProfile of one run, top functions

Five measurements (docs/performance.md explains each number):

1. Sizes (default 10k, 100k, 1M users; 365 days; the 2017 scenario): every run is a fresh
   subprocess, which reports the model's build seconds (`PressureModel(...)`, scenario already
   parsed), simulation seconds (`step()` to the horizon) and its peak resident memory
   (`resource.getrusage(RUSAGE_SELF).ru_maxrss`, which counts numpy's buffers; tracemalloc
   would not see all of them). Medians over the runs; same seed every run, so every run does
   the same work.
2. Per-agent ratio: the per-day cost of the whole model day with vectorized users against the
   same model with `benchmarks.per_agent.AgentUsers` (one Mesa agent per user on a Mesa
   Network), at the same size, in one subprocess, interleaved A B A B; the median of the
   pairwise ratios. The users' share of the day (`USER_METHODS`: detection, spread, installed
   apps, search, reach cost, decision, learning) is reported too.
3. Batch throughput: a fixed small experiment run with 1 and with 2 worker processes
   (interleaved), runs per minute, through the experiment engine in `model.batch` when it is
   importable (plan, run, write Parquet, combine), else `ProcessPoolExecutor` over
   `model.api.simulate`.
4. Import time: `import model` and `pressure --help`, each in a fresh interpreter
   (benchmarks/import_time.py), with the heavy libraries each loads.
5. The targets of issue 5 and the import-time target, each marked met or not (or not
   measured).

Everything is printed as a table and written to `results/benchmarks/latest.json` (`--out`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.import_time import measure_import_time
from benchmarks.import_time import target as import_target

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "results" / "benchmarks" / "latest.json"
SCHEMA = 1

FULL = dict(sizes=[10_000, 100_000, 1_000_000], days=365, repeats=5, repeats_large=2,
            large_from=500_000, ratio_sizes=[2_000, 10_000, 100_000], ratio_days=15, ratio_pairs=4,
            batch_runs=48, batch_users=10_000, batch_days=365, batch_pairs=2)
QUICK = dict(sizes=[300, 1_000], days=20, repeats=2, repeats_large=1, large_from=500_000,
             ratio_sizes=[200], ratio_days=3, ratio_pairs=2,
             batch_runs=2, batch_users=200, batch_days=10, batch_pairs=1)

TARGETS = (  # (key, text, users, field, limit): measured value must be <= limit (ratios >=)
    ("sim_100k", "100k users x 365 days: simulation <= 3 s", 100_000, "sim_s_median", 3.0),
    ("build_100k", "100k users: build <= 2 s", 100_000, "build_s_median", 2.0),
    ("sim_1m", "1M users x 365 days: simulation <= 40 s", 1_000_000, "sim_s_median", 40.0),
    ("build_1m", "1M users: build <= 10 s", 1_000_000, "build_s_median", 10.0),
    ("memory_1m", "1M users: peak memory <= 2 GB (2048 MB)", 1_000_000, "peak_rss_mb", 2048.0),
)
USER_METRICS = ("vpn_use", "vpn_access", "vpn_availability", "vpn_aware", "mean_perceived_risk",
                "users_punished_total")
USER_METHODS = ("detect_and_punish", "spread", "keep_up_installs", "search", "reach_cost",
                "decide", "learn")
"""The users' rules the model calls each day, the same on `Users` and `AgentUsers` (none calls
another, so their times add up without counting anything twice)."""


# --- workers: each runs in its own process ------------------------------------------------------
def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0   # kB on Linux


def worker_size(users: int, days: int, scenario: str, seed: int) -> dict:
    """One run in this (fresh) process: build, simulate, peak memory."""
    t0 = time.perf_counter()
    from model.config.loader import load_scenario
    from model.simulation import PressureModel
    import_s = time.perf_counter() - t0
    rss_import = _maxrss_mb()
    loaded = load_scenario(scenario)
    t0, c0 = time.perf_counter(), time.process_time()
    model = PressureModel(loaded, rng=seed, users=users, days=days)
    build_s, build_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    rss_build = _maxrss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    while model.running:
        model.step()
    sim_s, sim_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    final = {m: float(model.recorder.latest(m)) for m in USER_METRICS}
    return {"users": users, "days": model.day, "import_s": import_s, "build_s": build_s,
            "sim_s": sim_s, "build_cpu_s": build_cpu_s, "sim_cpu_s": sim_cpu_s,
            "load_average": os.getloadavg()[0], "rss_after_import_mb": rss_import, "rss_after_build_mb": rss_build,
            "peak_rss_mb": _maxrss_mb(), "final": final}


def _timed_users(model, clock: list[float]) -> None:
    """Accumulate the seconds spent in the users' methods into clock[0] (instance wrappers)."""
    users = model.users
    for name in USER_METHODS:
        method = getattr(users, name)

        def timed(*args, _method=method, **kwargs):
            t = time.perf_counter()
            try:
                return _method(*args, **kwargs)
            finally:
                clock[0] += time.perf_counter() - t
        setattr(users, name, timed)


def worker_ratio(sizes: list[int], days: int, pairs: int, scenario: str, seed: int) -> dict:
    """Per-day cost, vectorized (A) against per-agent (B), interleaved A B A B in this process."""
    from benchmarks.per_agent import per_agent_model
    from model.config.loader import load_scenario
    from model.simulation import PressureModel

    loaded = load_scenario(scenario)
    builders = {"vectorized": lambda n: PressureModel(loaded, rng=seed, users=n, days=days),
                "per_agent": lambda n: per_agent_model(loaded, rng=seed, users=n, days=days)}
    for build in builders.values():                       # warm up: first-call costs
        model = build(100)
        model.step()
    out = []
    for n in sizes:
        rec = {k: {"build_s": [], "day_s": [], "users_day_s": []} for k in builders}
        for _ in range(pairs):
            for kind, build in builders.items():          # A then B, pair after pair
                t0 = time.perf_counter()
                model = build(n)
                rec[kind]["build_s"].append(time.perf_counter() - t0)
                clock = [0.0]
                _timed_users(model, clock)
                t0 = time.perf_counter()
                while model.running:
                    model.step()
                elapsed = time.perf_counter() - t0
                rec[kind]["day_s"].append(elapsed / model.day)
                rec[kind]["users_day_s"].append(clock[0] / model.day)
                del model
        vec, agent = rec["vectorized"], rec["per_agent"]
        ratios = [b / a for a, b in zip(vec["day_s"], agent["day_s"])]
        users_ratios = [b / a for a, b in zip(vec["users_day_s"], agent["users_day_s"])]
        out.append({
            "users": n, "days": days, "pairs": pairs,
            "vectorized_day_s": vec["day_s"], "per_agent_day_s": agent["day_s"],
            "vectorized_day_s_median": statistics.median(vec["day_s"]),
            "per_agent_day_s_median": statistics.median(agent["day_s"]),
            "ratio": ratios, "ratio_median": statistics.median(ratios),
            "vectorized_users_day_s_median": statistics.median(vec["users_day_s"]),
            "per_agent_users_day_s_median": statistics.median(agent["users_day_s"]),
            "users_ratio_median": statistics.median(users_ratios),
            "vectorized_build_s_median": statistics.median(vec["build_s"]),
            "per_agent_build_s_median": statistics.median(agent["build_s"]),
            "per_agent_user_days_per_s": n / statistics.median(agent["day_s"]),
            "vectorized_user_days_per_s": n / statistics.median(vec["day_s"]),
        })
    return {"order": "interleaved: vectorized, per-agent, vectorized, per-agent, ...",
            "scenario": scenario, "seed": seed, "sizes": out}


def worker_profile(users: int, days: int, scenario: str, seed: int, top: int) -> str:
    """cProfile of one run: the top functions by own time and by cumulative time."""
    import cProfile
    import io
    import pstats

    from model.config.loader import load_scenario
    from model.simulation import PressureModel

    loaded = load_scenario(scenario)
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.enable()
    model = PressureModel(loaded, rng=seed, users=users, days=days)
    build_s = time.perf_counter() - t0
    while model.running:
        model.step()
    profiler.disable()
    total = time.perf_counter() - t0
    text = io.StringIO()
    text.write(f"cProfile: {users} users x {model.day} days, {scenario}, seed {seed}: "
               f"build {build_s:.2f} s, total {total:.2f} s (under the profiler)\n")
    for key in ("tottime", "cumulative"):
        text.write(f"\n--- top {top} by {key} ---\n")
        pstats.Stats(profiler, stream=text).sort_stats(key).print_stats(top)
    return text.getvalue()


# --- the parent: orchestration ------------------------------------------------------------------
def _subprocess(args: list[str], timeout: float = 7200) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark worker {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_sizes(cfg: dict, scenario: str, seed: int, log) -> list[dict]:
    out = []
    for n in cfg["sizes"]:
        runs = cfg["repeats_large"] if n >= cfg["large_from"] else cfg["repeats"]
        results = []
        for k in range(runs):
            log(f"  size {n:>9,} run {k + 1}/{runs} ...")
            results.append(_subprocess(["--worker-size", str(n), "--days", str(cfg["days"]),
                                        "--scenario", scenario, "--seed", str(seed)]))
        sims = [r["sim_s"] for r in results]
        builds = [r["build_s"] for r in results]
        sim_med = statistics.median(sims)
        out.append({
            "users": n, "days": results[0]["days"], "runs": runs,
            "build_s": builds, "build_s_median": statistics.median(builds),
            "sim_s": sims, "sim_s_median": sim_med,
            "sim_cpu_s_median": statistics.median(r["sim_cpu_s"] for r in results),
            "build_cpu_s_median": statistics.median(r["build_cpu_s"] for r in results),
            "load_average": [r["load_average"] for r in results],
            "user_days_per_s": n * results[0]["days"] / sim_med,
            "peak_rss_mb": max(r["peak_rss_mb"] for r in results),
            "peak_rss_mb_median": statistics.median(r["peak_rss_mb"] for r in results),
            "rss_after_import_mb": statistics.median(r["rss_after_import_mb"] for r in results),
            "rss_after_build_mb": statistics.median(r["rss_after_build_mb"] for r in results),
            "import_s_median": statistics.median(r["import_s"] for r in results),
            "final": results[0]["final"],
            "identical_across_runs": all(r["final"] == results[0]["final"] for r in results),
        })
    return out


def _experiment_file(folder: Path, runs: int, users: int, days: int, scenario: str,
                     seed: int) -> Path:
    scenario_path = ROOT / "scenarios" / f"{scenario}.toml"
    path = folder / "bench_throughput.toml"
    path.write_text(f'name = "bench_throughput"\n'
                    f'scenarios = ["{scenario_path.as_posix()}"]\n'
                    f"replicates = {runs}\nseed = {seed}\n\n"
                    f"[settings]\nusers = {users}\ndays = {days}\n\n"
                    f'[design]\nkind = "grid"\n[design.parameters]\n'
                    f"enforcement_intensity = [0.5]\n", encoding="utf-8")
    return path


def _batch_engine(workers: int, folder: Path, spec: Path, layout: str = "batched"
                  ) -> tuple[float, float, int, float]:
    """One experiment through model.batch, its runs stored in `layout`: (wall seconds, summed
    in-run seconds, runs done, summed in-run CPU seconds as the workers measured them)."""
    from model.batch.engine import plan_experiment, run_experiment
    from model.batch.executors import ProcessExecutor
    from model.batch.experiment import load_experiment
    from model.batch.storage import Storage

    plan = plan_experiment(load_experiment(spec), folder, storage=Storage(layout))
    t0 = time.perf_counter()
    outcome = run_experiment(plan, ProcessExecutor(workers), quiet=True)
    wall = time.perf_counter() - t0
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    in_run = sum(float(r.get("elapsed_s") or 0.0) for r in manifest["runs"])
    run_cpu = sum(float(r.get("cpu_s") or 0.0) for r in manifest["runs"])
    if outcome.failed:
        raise RuntimeError(f"{outcome.failed} benchmark runs failed: {outcome.failures[:2]}")
    return wall, in_run, outcome.done, run_cpu


def _simulate_one(args: tuple) -> float:
    from model.api import simulate

    seed, scenario, users, days = args
    t0 = time.perf_counter()
    simulate(seed=seed, scenario=scenario, users=users, days=days)
    return time.perf_counter() - t0


def _batch_pool(workers: int, runs: int, users: int, days: int, scenario: str,
                seed: int) -> tuple[float, float, int]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    t0 = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        times = list(pool.map(_simulate_one,
                              [(seed + k, scenario, users, days) for k in range(runs)]))
    return time.perf_counter() - t0, sum(times), runs


def _cpu_s(children: bool = True) -> float:
    """CPU seconds (user + system) of this process and, unless told not to, of its finished,
    reaped children (the pool's workers once the pool has shut down)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    total = own.ru_utime + own.ru_stime
    if children:
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        total += kids.ru_utime + kids.ru_stime
    return total


def measure_batch(cfg: dict, scenario: str, seed: int, log, via: str = "engine",
                  layouts: tuple[str, ...] = ("batched",)) -> dict:
    """Runs/min and engine overhead with 1 and 2 workers, interleaved pair by pair; with more
    than one storage layout, each layout's pair in turn (the first is the headline)."""
    runs, users, days = cfg["batch_runs"], cfg["batch_users"], cfg["batch_days"]
    engine = ("model.batch: plan_experiment + run_experiment with ProcessExecutor(workers) "
              "(worker processes from a fork server, one BLAS thread each; runs stored in "
              f"{' and '.join(layouts)} layout, tables combined)")
    pool = "ProcessPoolExecutor (spawn) + model.api.simulate"
    if via == "pool":
        engine = f"{pool} (--batch-via pool)"
    else:
        try:
            import model.batch.engine  # noqa: F401
            import model.batch.executors  # noqa: F401
        except ImportError as exc:
            engine = f"{pool} (model.batch not importable: {exc})"

    def measure_all(use_engine: bool) -> dict[tuple[int, str], list[dict]]:
        kinds = layouts if use_engine else layouts[:1]
        rec: dict[tuple[int, str], list[dict]] = {(w, x): [] for w in (1, 2) for x in kinds}
        with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
            tmp = Path(tmp)
            spec = _experiment_file(tmp, runs, users, days, scenario, seed)
            for k, layout, workers in ((k, x, w) for k in range(cfg["batch_pairs"])
                                       for x in kinds for w in (1, 2)):
                    log(f"  batch {runs} runs x {users:,} users, {workers} worker(s), "
                        f"{layout}, pair {k + 1}/{cfg['batch_pairs']} ...")
                    cpu0 = _cpu_s(children=not use_engine)   # the same basis as below
                    if use_engine:     # workers come from a fork server, not reaped here:
                        wall, in_run, done, run_cpu = _batch_engine(   # they report their CPU
                            workers, tmp / f"w{workers}-{layout}-{k}", spec, layout)
                        cpu = _cpu_s(children=False) - cpu0 + run_cpu
                    else:
                        wall, in_run, done = _batch_pool(workers, runs, users, days, scenario,
                                                         seed)
                        cpu = _cpu_s() - cpu0
                    rec[workers, layout].append({"wall_s": wall, "in_run_s": in_run, "runs": done,
                                         "cpu_s": cpu,
                                         "load_average": os.getloadavg()[0]})
        return rec

    if engine.startswith("model.batch"):
        try:
            rec = measure_all(True)
        except Exception as exc:  # noqa: BLE001 - the engine is another engineer's, in progress
            engine = f"{pool} (model.batch failed: {type(exc).__name__}: {exc})"
            rec = measure_all(False)
    else:
        rec = measure_all(False)

    def summary(items: list[dict], workers: int) -> dict:
        walls = [r["wall_s"] for r in items]
        return {"wall_s": walls, "wall_s_median": statistics.median(walls),
                "runs_per_min": [60.0 * r["runs"] / r["wall_s"] for r in items],
                "runs_per_min_median": statistics.median(60.0 * r["runs"] / r["wall_s"]
                                                         for r in items),
                "in_run_s_median": statistics.median(r["in_run_s"] / r["runs"] for r in items),
                "cpu_per_run_s": statistics.median(r["cpu_s"] / r["runs"] for r in items),
                "cpu_utilisation": statistics.median(r["cpu_s"] / r["wall_s"] for r in items),
                "load_average": [r["load_average"] for r in items],
                "overhead_per_run_s": statistics.median(
                    (r["wall_s"] * workers - r["in_run_s"]) / r["runs"] for r in items)}

    first = layouts[0]
    one, two = summary(rec[1, first], 1), summary(rec[2, first], 2)
    speedups = [60 * b["runs"] / b["wall_s"] / (60 * a["runs"] / a["wall_s"])
                for a, b in zip(rec[1, first], rec[2, first])]
    storage = {x: {"workers_1": summary(rec[1, x], 1), "workers_2": summary(rec[2, x], 2)}
               for x in layouts if rec.get((1, x))}
    # what an idle machine would give if both workers had a core each: CPU per run decides
    cpu_estimate = 2.0 * one["cpu_per_run_s"] / two["cpu_per_run_s"]
    return {"engine": engine, "runs": runs, "users": users, "days": days, "scenario": scenario,
            "pairs": cfg["batch_pairs"], "order": "interleaved: 1 worker, 2 workers, ...",
            "workers_1": one, "workers_2": two, "speedup": speedups,
            "speedup_median": statistics.median(speedups), "storage": storage,
            "speedup_cpu_estimate": cpu_estimate}


def evaluate_targets(sizes: list[dict], ratio: dict | None, batch: dict | None) -> list[dict]:
    by_users = {s["users"]: s for s in sizes}
    out = []
    for key, text, users, field, limit in TARGETS:
        s = by_users.get(users)
        if s is None or s["days"] != 365:
            out.append({"key": key, "target": text, "measured": None, "met": None})
        else:
            out.append({"key": key, "target": text, "measured": s[field],
                        "met": s[field] <= limit})
    if ratio and ratio["sizes"]:
        largest = max(ratio["sizes"], key=lambda r: r["users"])
        out.append({"key": "per_agent_ratio",
                    "target": f">= 100x the per-agent reference per simulated day (same size; "
                              f"judged at the largest size measured, {largest['users']:,} users)",
                    "measured": largest["ratio_median"],
                    "met": largest["ratio_median"] >= 100.0,
                    "by_size": {str(r["users"]): r["ratio_median"] for r in ratio["sizes"]}})
    else:
        out.append({"key": "per_agent_ratio", "target": ">= 100x the per-agent reference",
                    "measured": None, "met": None})
    if batch:
        out.append({"key": "batch_speedup", "target": "2 workers >= 1.8x the runs/min of 1",
                    "measured": batch["speedup_median"],
                    "met": batch["speedup_median"] >= 1.8})
    else:
        out.append({"key": "batch_speedup", "target": "2 workers >= 1.8x the runs/min of 1",
                    "measured": None, "met": None})
    return out


def environment() -> dict:
    import mesa
    import numpy
    import scipy

    def git(*args):
        try:
            return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True,
                                  text=True, timeout=10, check=True).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None

    digest = hashlib.sha256()
    for path in sorted((ROOT / "model").rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    status = git("status", "--porcelain", "--", "model")
    return {"python": platform.python_version(), "platform": platform.platform(), "cpu": cpu,
            "cores": cores, "numpy": numpy.__version__, "scipy": scipy.__version__,
            "mesa": mesa.__version__, "git_revision": git("rev-parse", "HEAD"),
            "model_dirty": None if status is None else bool(status),
            "model_sha256": digest.hexdigest()}


def print_table(result: dict) -> None:
    print("\nSizes (median; each run a fresh process)")
    print(f"{'users':>10} {'days':>5} {'runs':>4} {'build s':>8} {'sim s':>8} "
          f"{'user-days/s':>12} {'peak MB':>8} {'sim CPU s':>10} {'load':>5}")
    for s in result["sizes"]:
        print(f"{s['users']:>10,} {s['days']:>5} {s['runs']:>4} {s['build_s_median']:>8.2f} "
              f"{s['sim_s_median']:>8.2f} {s['user_days_per_s']:>12.3g} "
              f"{s['peak_rss_mb']:>8.0f} {s['sim_cpu_s_median']:>10.2f} "
              f"{max(s['load_average']):>5.1f}")
    ratio = result.get("per_agent_ratio")
    if ratio:
        print("\nPer-agent reference (per-day cost, same size, interleaved; median)")
        print(f"{'users':>10} {'days':>5} {'pairs':>5} {'vector s/day':>12} "
              f"{'agent s/day':>12} {'ratio':>7} {'users-only ratio':>17}")
        for r in ratio["sizes"]:
            print(f"{r['users']:>10,} {r['days']:>5} {r['pairs']:>5} "
                  f"{r['vectorized_day_s_median']:>12.4g} {r['per_agent_day_s_median']:>12.4g} "
                  f"{r['ratio_median']:>7.1f} {r['users_ratio_median']:>17.1f}")
    batch = result.get("batch")
    if batch:
        print(f"\nBatch throughput ({batch['runs']} runs x {batch['users']:,} users x "
              f"{batch['days']} days; {batch['engine'].split(':')[0]})")
        for w in (1, 2):
            b = batch[f"workers_{w}"]
            print(f"  {w} worker(s): {b['runs_per_min_median']:.1f} runs/min "
                  f"(wall {b['wall_s_median']:.1f} s, overhead/run {b['overhead_per_run_s']:.2f} s, "
                  f"CPU/run {b['cpu_per_run_s']:.2f} s, CPU/wall {b['cpu_utilisation']:.2f}, "
                  f"load {max(b['load_average']):.1f})")
        print(f"  speedup 2 vs 1: {batch['speedup_median']:.2f} measured; "
              f"{batch['speedup_cpu_estimate']:.2f} estimated for two free cores "
              f"(2 x CPU/run with 1 worker / CPU/run with 2)")
        for layout, by in (batch.get("storage") or {}).items():
            if len(batch["storage"]) < 2:
                break
            print(f"  {layout:<8} overhead/run: " + ", ".join(
                f"{w} worker(s) {by[f'workers_{w}']['overhead_per_run_s']:.3f} s "
                f"({by[f'workers_{w}']['overhead_per_run_s'] / by[f'workers_{w}']['in_run_s_median']:.1%} "
                "of a run)" for w in (1, 2)))
    imports = result.get("import_time")
    if imports:
        print(f"\nImport time (fresh process, median; interpreter alone "
              f"{imports['interpreter_s_median']:.2f} s)")
        for name in ("import_model", "pressure_help"):
            i = imports[name]
            print(f"  {name:<14} {i['wall_s_median']:.2f} s  heavy libraries loaded: "
                  f"{', '.join(i['heavy_loaded']) or 'none'}")
    print("\nTargets")
    for t in result["targets"]:
        mark = {True: "met", False: "NOT met",
                None: "not measured" if t["measured"] is None else "not judged"}[t["met"]]
        value = "" if t["measured"] is None else f" (measured {t['measured']:.3g})"
        print(f"  [{mark}] {t['target']}{value}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ints = lambda text: [int(float(x)) for x in text.split(",") if x.strip()]  # noqa: E731
    ap.add_argument("--sizes", type=ints, help="users per size, e.g. 10000,100000,1000000")
    ap.add_argument("--days", type=int, help="simulated days (default 365)")
    ap.add_argument("--repeats", type=int, help="runs per size (default 5)")
    ap.add_argument("--repeats-large", type=int,
                    help="runs per size from 500k users (default 2)")
    ap.add_argument("--ratio-sizes", type=ints, help="per-agent ratio sizes (default 2000,10000,100000)")
    ap.add_argument("--ratio-days", type=int, help="days per per-agent ratio run (default 15)")
    ap.add_argument("--ratio-pairs", type=int, help="A/B pairs per ratio size (default 4)")
    ap.add_argument("--batch-runs", type=int, help="runs in the throughput batch (default 48)")
    ap.add_argument("--batch-users", type=int, help="users per batch run (default 10000)")
    ap.add_argument("--batch-days", type=int, help="days per batch run (default 365)")
    ap.add_argument("--batch-pairs", type=int, help="1-worker/2-worker pairs (default 2)")
    ap.add_argument("--batch-via", choices=("engine", "pool"), default="engine",
                    help="batch through model.batch's engine (default; falls back to the pool "
                         "when it is missing or fails) or a bare ProcessPoolExecutor")
    ap.add_argument("--batch-storage", choices=("batched", "per-run", "both"),
                    default="batched", help="how the batch's runs are stored (both: each pair "
                                            "runs both layouts, side by side)")
    ap.add_argument("--skip", default="",
                    help="comma list of parts to skip: sizes,ratio,import,batch")
    ap.add_argument("--quick", action="store_true", help="tiny sizes: checks the harness only")
    ap.add_argument("--scenario", default="china_2017")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--profile", type=int, metavar="USERS",
                    help="instead: cProfile one run at USERS users, print the top functions")
    ap.add_argument("--top", type=int, default=25, help="functions listed by --profile")
    # internal: one measurement in a fresh process
    ap.add_argument("--worker-size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--worker-ratio", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    cfg = dict(QUICK if args.quick else FULL)
    for key in cfg:
        value = getattr(args, key, None)
        if value is not None:
            cfg[key] = value

    if args.worker_size:
        print(json.dumps(worker_size(args.worker_size, cfg["days"], args.scenario, args.seed)))
        return 0
    if args.worker_ratio:
        print(json.dumps(worker_ratio(cfg["ratio_sizes"], cfg["ratio_days"],
                                      cfg["ratio_pairs"], args.scenario, args.seed)))
        return 0
    if args.profile:
        print(worker_profile(args.profile, cfg["days"], args.scenario, args.seed, args.top))
        return 0

    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    layouts = ("batched", "per-run") if args.batch_storage == "both" else (args.batch_storage,)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    started = time.perf_counter()
    result = {"schema": SCHEMA,
              "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
              "command": "python -m benchmarks.bench " + " ".join(argv if argv is not None
                                                                  else sys.argv[1:]),
              "quick": args.quick, "scenario": args.scenario, "seed": args.seed,
              "config": cfg, "environment": environment(),
              "load_average_start": list(os.getloadavg())}
    log("sizes ...")
    result["sizes"] = [] if "sizes" in skip else measure_sizes(cfg, args.scenario, args.seed, log)
    log("per-agent ratio ...")
    result["per_agent_ratio"] = None if "ratio" in skip else _subprocess(
        ["--worker-ratio", "--ratio-sizes", ",".join(map(str, cfg["ratio_sizes"])),
         "--ratio-days", str(cfg["ratio_days"]), "--ratio-pairs", str(cfg["ratio_pairs"]),
         "--scenario", args.scenario, "--seed", str(args.seed)])
    log("import time ...")
    result["import_time"] = None if "import" in skip else measure_import_time(
        2 if args.quick else 5)
    log("batch throughput ...")
    result["batch"] = None if "batch" in skip else measure_batch(cfg, args.scenario, args.seed,
                                                                 log, args.batch_via,
                                                                 layouts)
    result["targets"] = evaluate_targets(result["sizes"], result["per_agent_ratio"],
                                         result["batch"])
    if result["import_time"]:
        result["targets"].append(import_target(result["import_time"]))
    if args.quick:                       # tiny sizes say nothing about the targets
        for target in result["targets"]:
            target["met"] = None
    result["load_average_end"] = list(os.getloadavg())
    result["wall_s"] = time.perf_counter() - started
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, args.out)
    print_table(result)
    print(f"\nwritten {args.out} ({result['wall_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
