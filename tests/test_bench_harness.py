"""The benchmark harness runs end to end (tiny sizes, `--quick`) and its JSON has every field.

No timing is asserted: speed is measured by `make bench`, not by the tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TOP = {"schema", "created", "command", "quick", "scenario", "seed", "config", "environment",
       "load_average_start", "load_average_end", "sizes", "per_agent_ratio", "batch",
       "import_time", "targets", "wall_s"}
ENVIRONMENT = {"python", "platform", "cpu", "cores", "numpy", "scipy", "mesa", "git_revision",
               "model_dirty", "model_sha256"}
SIZE = {"users", "days", "runs", "build_s", "build_s_median", "sim_s", "sim_s_median",
        "user_days_per_s", "peak_rss_mb", "peak_rss_mb_median", "rss_after_import_mb",
        "rss_after_build_mb", "import_s_median", "final", "identical_across_runs",
        "sim_cpu_s_median", "build_cpu_s_median", "load_average"}
RATIO = {"users", "days", "pairs", "vectorized_day_s", "per_agent_day_s",
         "vectorized_day_s_median", "per_agent_day_s_median", "ratio", "ratio_median",
         "vectorized_users_day_s_median", "per_agent_users_day_s_median", "users_ratio_median",
         "vectorized_build_s_median", "per_agent_build_s_median", "per_agent_user_days_per_s",
         "vectorized_user_days_per_s"}
BATCH = {"engine", "runs", "users", "days", "scenario", "pairs", "order", "workers_1",
         "workers_2", "speedup", "speedup_median", "speedup_cpu_estimate"}
WORKERS = {"wall_s", "wall_s_median", "runs_per_min", "runs_per_min_median", "in_run_s_median",
           "overhead_per_run_s", "cpu_per_run_s", "cpu_utilisation", "load_average"}
TARGET_KEYS = {"sim_100k", "build_100k", "sim_1m", "build_1m", "memory_1m", "per_agent_ratio",
               "batch_speedup", "import_model"}


def test_quick_run_writes_every_field(tmp_path):
    out = tmp_path / "bench" / "latest.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench", "--quick", "--sizes",
                           "200,400", "--out", str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Targets" in done.stdout and str(out) in done.stdout
    result = json.loads(out.read_text(encoding="utf-8"))

    assert TOP <= result.keys()
    assert result["quick"] is True and result["schema"] == 1
    assert ENVIRONMENT <= result["environment"].keys()

    assert [s["users"] for s in result["sizes"]] == [200, 400]
    for size in result["sizes"]:
        assert SIZE <= size.keys()
        assert size["runs"] == len(size["sim_s"]) == len(size["build_s"]) >= 1
        assert size["days"] == result["config"]["days"]
        assert size["sim_s_median"] > 0 and size["user_days_per_s"] > 0
        assert size["peak_rss_mb"] >= size["rss_after_build_mb"] > 0
        assert size["identical_across_runs"] is True        # same seed, same result

    ratio = result["per_agent_ratio"]
    assert ratio["sizes"]
    for row in ratio["sizes"]:
        assert RATIO <= row.keys()
        assert len(row["ratio"]) == row["pairs"]
        assert row["ratio_median"] > 0

    batch = result["batch"]
    assert BATCH <= batch.keys()
    for workers in ("workers_1", "workers_2"):
        assert WORKERS <= batch[workers].keys()
        assert batch[workers]["runs_per_min_median"] > 0
    assert batch["speedup_median"] > 0

    imports = result["import_time"]
    for probe in ("import_model", "pressure_help"):
        assert imports[probe]["wall_s_median"] > 0
        assert imports[probe]["heavy_loaded"] == []       # nothing heavy before it is needed
    assert {t["key"] for t in result["targets"]} == TARGET_KEYS
    for target in result["targets"]:
        assert {"key", "target", "measured", "met"} <= target.keys()
        assert target["met"] is None                         # quick mode judges nothing
    by_key = {t["key"]: t for t in result["targets"]}
    assert set(by_key["per_agent_ratio"]["by_size"]) == {str(r["users"]) for r in ratio["sizes"]}


def test_skip_parts_and_plain_pool(tmp_path):
    """Parts can be skipped; the batch can run on a bare ProcessPoolExecutor (the fallback
    when model.batch is missing) and reports the same fields."""
    out = tmp_path / "b.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench", "--quick", "--sizes", "150",
                           "--repeats", "1", "--skip", "ratio,import", "--batch-via", "pool",
                           "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["per_agent_ratio"] is None and result["import_time"] is None
    assert len(result["sizes"]) == 1 and result["sizes"][0]["runs"] == 1
    assert result["batch"]["engine"].startswith("ProcessPoolExecutor")
    assert BATCH <= result["batch"].keys()
