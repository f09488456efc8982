"""`pressure compare A B [C ...]`: paired runs of a few scenarios without writing an experiment
file. Replicate k of every scenario uses the same seed (common random numbers, one stream per
decision), so the differences against the first scenario are paired and their intervals narrow.

Scenario references resolve against the current folder (a bare name is a shipped scenario). The
runs go through the experiment engine (resume, manifest, run files verified), into
`results/compare-<names>` unless `--out` says otherwise; the table is printed and written
beside them (`compare.csv`), with a figure of the differences (`compare.png`).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

OUTCOMES = ("vpn_availability_mean", "vpn_use_mean", "vpn_access_mean",
            "foreign_cloud_share_final", "service_domestic_share_final",
            "users_punished_total_final")


def experiment_text(paths: list[Path], replicates: int, seed: int, users: int | None,
                    days: int | None) -> str:
    """The experiment file `compare` runs (scenario paths absolute)."""
    lines = ['name = "compare"', 'description = "pressure compare: paired runs"',
             "scenarios = [" + ", ".join(f'"{p.as_posix()}"' for p in paths) + "]",
             f"replicates = {replicates}", f"seed = {seed}",
             "outcomes = [" + ", ".join(f'"{o}"' for o in OUTCOMES) + "]", "[settings]"]
    if users is not None:
        lines.append(f"users = {users}")
    if days is not None:
        lines.append(f"days = {days}")
    return "\n".join(lines) + "\n"


def default_folder(names: list[str]) -> Path:
    slug = "-".join(re.sub(r"[^A-Za-z0-9_.]+", "_", n) for n in names)
    return Path("results") / ("compare-" + (slug if len(slug) <= 80 else
                                            f"{len(names)}-scenarios"))


def load_compare_experiment(refs: list[str], replicates: int, seed: int, users: int | None,
                            days: int | None):
    """The experiment of `refs` (resolved against the current folder), validated."""
    from ..batch.experiment import load_experiment
    from ..config.loader import resolve_path

    paths = [resolve_path(r).absolute() for r in refs]
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "compare.toml"
        file.write_text(experiment_text(paths, replicates, seed, users, days))
        return load_experiment(file)


def table(summary: pd.DataFrame, scenarios: list[str]) -> pd.DataFrame:
    """Per outcome and scenario: the mean with its 95% interval, and the paired difference
    from the first scenario with its interval and p-value."""
    from .stats import mean_ci, paired_difference

    ref = scenarios[0]
    by = {s: summary[summary["scenario"] == s].sort_values("replicate") for s in scenarios}
    rows = []
    for outcome in OUTCOMES:
        if outcome not in summary:
            continue
        base = by[ref][outcome].to_numpy()
        for s in scenarios:
            values = by[s][outcome].to_numpy()
            m = mean_ci(values)
            row = {"outcome": outcome, "scenario": s, "n": m["n"], "mean": m["mean"],
                   "ci_low": m["ci_low"], "ci_high": m["ci_high"]}
            if s != ref:
                d = paired_difference(values, base)
                row.update(diff=d["mean"], diff_low=d["ci_low"], diff_high=d["ci_high"],
                           p_value=d["p_value"])
            rows.append(row)
    return pd.DataFrame(rows)


def render(frame: pd.DataFrame, reference: str) -> str:
    """The table as text: each scenario's mean [95% CI], and minus the reference."""
    def f(x):
        return "" if pd.isna(x) else f"{x:.4g}"

    out = [f"paired differences are scenario - {reference} (same seeds); 95% intervals"]
    header = f"{'outcome':<30} {'scenario':<24} {'mean [95% CI]':<32} {'difference [95% CI]':<32}"
    out.append(header)
    out.append("-" * len(header))
    for r in frame.itertuples(index=False):
        mean = f"{f(r.mean)} [{f(r.ci_low)}, {f(r.ci_high)}]"
        diff = "" if r.scenario == reference else \
            f"{f(r.diff)} [{f(r.diff_low)}, {f(r.diff_high)}]"
        out.append(f"{r.outcome:<30} {r.scenario:<24} {mean:<32} {diff:<32}")
    return "\n".join(out)


def plot(frame: pd.DataFrame, reference: str, path: Path) -> None:
    """One panel per outcome: each scenario's difference from the reference with its interval."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..outcomes import METRICS
    from ..viz import palette

    diffs = frame[frame["scenario"] != reference]
    outcomes = list(dict.fromkeys(diffs["outcome"]))
    fig, axes = plt.subplots(1, len(outcomes), figsize=(3.2 * len(outcomes), 0.9 + 0.45 *
                                                        diffs["scenario"].nunique()),
                             squeeze=False)
    units = {m.name: m.unit for m in METRICS}
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        part = diffs[diffs["outcome"] == outcome]
        y = np.arange(len(part))
        err = np.vstack([part["diff"] - part["diff_low"], part["diff_high"] - part["diff"]])
        ax.errorbar(part["diff"], y, xerr=np.nan_to_num(err), fmt="o", color=palette.INTENSITY,
                    ecolor=palette.NEUTRAL, capsize=4, ms=5)
        ax.axvline(0, color=palette.NEUTRAL, lw=0.8)
        ax.set_yticks(y, part["scenario"] if ax is axes[0][0] else [""] * len(part))
        base, stat = outcome.rsplit("_", 1)
        ax.set_title(f"{base.replace('_', ' ')} ({stat})", fontsize=9)
        ax.set_xlabel(f"difference ({units.get(base, '')})", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.set_ylim(-0.7, len(part) - 0.3)
    fig.suptitle(f"difference from {reference} (95% interval over paired seeds)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
