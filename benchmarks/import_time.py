"""Import cost: wall seconds of `import model` and of `pressure --help`, each in a fresh
interpreter (so nothing is cached in the process), median of `repeats`; and the heavy libraries
each loaded. A run pays the first on every start, so it matters for short runs and batch
workers; the target of the researcher-experience issue is `import model` under 0.5 s."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "scipy", "mesa", "matplotlib", "dask")
PROBES = {
    "import_model": "import model",
    "pressure_help": "import sys, model.cli\nsys.argv = ['pressure', '--help']\n"
                     "try:\n    model.cli.main(['--help'])\nexcept SystemExit:\n    pass",
}
TARGET_S = 0.5


def _once(code: str) -> tuple[float, list[str]]:
    probe = (f"import sys\n{code}\n"
             f"print('LOADED', ' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("LOADED"))
    return wall, line.split()[1:]


def measure_import_time(repeats: int = 5) -> dict:
    """{probe: {wall_s_median, wall_s_all, heavy_loaded}} plus the bare interpreter's start-up
    (`python -c pass`), which every probe includes."""
    bare = statistics.median(_once("pass")[0] for _ in range(repeats))
    out = {"interpreter_s_median": bare}
    for name, code in PROBES.items():
        runs = [_once(code) for _ in range(repeats)]
        walls = [w for w, _ in runs]
        out[name] = {"wall_s_median": statistics.median(walls), "wall_s_all": walls,
                     "heavy_loaded": runs[-1][1]}
    return out


def target(result: dict) -> dict:
    measured = result["import_model"]["wall_s_median"]
    return {"key": "import_model", "target": f"`import model` <= {TARGET_S} s (fresh process, "
            "interpreter start included)", "measured": measured, "met": measured <= TARGET_S}
