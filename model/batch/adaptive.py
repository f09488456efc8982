"""`pressure experiment FILE --precision W`: replicates added in rounds until every contrast's
95% interval is narrower than W, or a cap.

The contrasts are what the report gives intervals for: with a reference and other scenarios,
each scenario's paired difference from the reference per design point and outcome; with one
scenario, each design point's mean per outcome. After each round the widest interval sets the
next round's size: the replicates at which a t-interval with the present standard deviation
would be narrower than W, at most twice the present number (a standard deviation from a few
replicates is itself uncertain), at least one more. Seeds depend on the replicate only, so more
replicates grow the same folder (the finished runs stay) and an interrupted command, run again,
resumes from the round it was in. The manifest's `precision` record says why it stopped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import stats

from .experiment import Experiment

LEVEL = 0.95


@dataclass
class Precision:
    target: float                # the width every 95% interval must be under
    max_replicates: int
    rounds: list[dict] = field(default_factory=list)
    stopped: str = ""

    def record(self, contrasts: str) -> dict:
        return {"target": self.target, "statistic": "width of the 95% interval (high - low)",
                "contrasts": contrasts, "max_replicates": self.max_replicates,
                "rounds": self.rounds, "stopped": self.stopped}


def widths(data) -> tuple[list[dict], str]:
    """Every contrast's interval width (inf where fewer than two replicates), widest first."""
    from ..analysis.contrasts import contrast_table
    from ..analysis.stats import grouped_ci

    if len(data.scenarios) > 1:
        table = contrast_table(data, data.experiment["reference"], by_point=True)
        rows = [{"contrast": f"{r.scenario} - {data.experiment['reference']}, point {r.point}",
                 "outcome": r.outcome, "width": r.ci_high - r.ci_low, "n": int(r.pairs)}
                for r in table.itertuples()]
        what = "paired difference from the reference per design point and outcome"
    else:
        table = grouped_ci(data.summary, ["scenario", "point"], data.outcomes)
        rows = [{"contrast": f"{r.scenario}, point {r.point}", "outcome": r.outcome,
                 "width": r.ci_high - r.ci_low, "n": int(r.n)} for r in table.itertuples()]
        what = "mean per design point and outcome"
    for r in rows:
        r["width"] = math.inf if not np.isfinite(r["width"]) else float(r["width"])
    return sorted(rows, key=lambda r: -r["width"]), what


def needed(width: float, n: int, target: float) -> int:
    """Replicates at which a t-interval with this interval's standard deviation is under
    `target` wide."""
    if not math.isfinite(width) or n < 2:
        return 2 * max(n, 1)
    sd = width * math.sqrt(n) / (2 * stats.t.ppf(0.5 + LEVEL / 2, n - 1))
    if sd == 0:
        return n
    m = n
    while 2 * stats.t.ppf(0.5 + LEVEL / 2, m - 1) * sd / math.sqrt(m) >= target:
        m += max(1, m // 8)
    return m


def run_to_precision(load, out: Path | None, target: float, max_replicates: int,
                     run, on_note=lambda note: None):
    """`load(replicates)` gives the experiment at that many replicates; `run(experiment, out)`
    runs it into the folder (resuming) and returns the engine's outcome. Returns the last
    outcome and the `Precision` record (also written into the manifest)."""
    from ..analysis.load import load_experiment_folder
    from ..config.errors import ScenarioError
    from .manifest import read_manifest

    first: Experiment = load(None)
    folder = Path(out) if out is not None else Path("results") / first.name
    replicates = first.replicates
    held = read_manifest(folder) if (folder / "manifest.json").is_file() else None
    if held is not None:                  # resuming: start from the round it was in
        replicates = max(replicates, int(held["experiment"].get("replicates", replicates)))
    if replicates > max_replicates:
        raise ScenarioError("--max-replicates", None, f"at least the {replicates} replicates "
                            "the experiment (or its folder) already has", max_replicates)
    record = Precision(target, max_replicates)
    earlier = (held or {}).get("precision") or {}
    if earlier.get("target") == target:  # the rounds of an interrupted command
        record.rounds = list(earlier.get("rounds", []))
    what = ""
    while True:
        outcome = run(load(replicates), folder)
        if outcome.failed:
            record.stopped = f"{outcome.failed} runs failed: run the command again to retry them"
            break
        rows, what = widths(load_experiment_folder(folder))
        widest = rows[0]
        if record.rounds and record.rounds[-1]["replicates"] == replicates:
            record.rounds.pop()           # this round again (a resumed or repeated command)
        record.rounds.append({"replicates": replicates, "widest": widest["width"],
                              "contrast": widest["contrast"], "outcome": widest["outcome"]})
        if widest["width"] < target:
            record.stopped = (f"reached: every interval narrower than {target:g} at "
                              f"{replicates} replicates")
            break
        if replicates >= max_replicates:
            record.stopped = (f"cap: {max_replicates} replicates reached with the widest "
                              f"interval {widest['width']:.4g} ({widest['outcome']}, "
                              f"{widest['contrast']})")
            break
        nxt = max(needed(r["width"], r["n"], target) for r in rows if r["width"] >= target)
        nxt = min(max_replicates, max(replicates + 1, min(nxt, 2 * replicates)))
        on_note(f"widest interval {widest['width']:.4g} ({widest['outcome']}, "
                f"{widest['contrast']}): {replicates} -> {nxt} replicates")
        record.stopped = f"running: round of {nxt} replicates"
        _write_record(folder, record.record(what))
        replicates = nxt
    _write_record(folder, record.record(what))
    return outcome, record


def _write_record(folder: Path, record: dict) -> None:
    from .folder_lock import FolderLock
    from .manifest import read_manifest, write_manifest

    lock = FolderLock.acquire(folder / ".lock")
    try:
        manifest = read_manifest(folder)
        manifest["precision"] = record
        write_manifest(folder, manifest)
    finally:
        lock.release()
