"""Each scenario against the reference scenario: paired differences with 95% intervals.

Runs are paired on (design point, replicate). With common random numbers (the default) the two
runs of a pair share their seed, so the random draws that do not depend on the scenario cancel in
the difference and the interval is much narrower than one comparing two independent samples.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .figures import outcome_title, panels, save, unit_of
from .load import ExperimentData
from .stats import paired_difference
from .tables import write_table


def section(data: ExperimentData, out: Path) -> str:
    if len(data.scenarios) < 2 or data.summary.empty:
        return ""
    ref = data.experiment["reference"]
    overall = contrast_table(data, ref, by_point=False)
    write_table(overall, out, "contrasts")
    text = [f"## Scenarios against `{ref}`\n",
            f"Difference = scenario − {ref}, averaged over pairs of runs that share the design "
            "point and replicate"
            + (" (and so the seed: common random numbers)"
               if data.experiment["common_random_numbers"] else "")
            + ". The 95% confidence interval is the t-interval of the mean paired difference, "
            "mean(d) ± t(0.975, n−1)·sd(d)/√n; p is the paired t-test's two-sided p-value.\n",
            "![contrasts](contrasts.png)\n",
            "The figure also as [`contrasts.svg`](contrasts.svg).\n",
            (out / "contrasts.md").read_text(encoding="utf-8"),
            "Tables: [`contrasts.csv`](contrasts.csv), [`contrasts.md`](contrasts.md)."]
    if len(data.design) > 1:
        write_table(contrast_table(data, ref, by_point=True), out, "contrasts_by_point")
        text[-1] += (" Per design point: [`contrasts_by_point.csv`](contrasts_by_point.csv), "
                     "[`contrasts_by_point.md`](contrasts_by_point.md).")
    text[-1] += "\n"
    _figure(data, overall, ref, out / "contrasts.png")
    return "\n".join(text)


def contrast_table(data: ExperimentData, ref: str, by_point: bool) -> pd.DataFrame:
    """Each scenario's paired difference from `ref` per outcome (and per design point), with
    its 95% interval, p-value and number of pairs."""
    s = data.summary
    base = s[s["scenario"] == ref].set_index(["point", "replicate"])[data.outcomes]
    rows = []
    for scenario in data.scenarios:
        if scenario == ref:
            continue
        other = s[s["scenario"] == scenario].set_index(["point", "replicate"])[data.outcomes]
        pairs = base.merge(other, left_index=True, right_index=True, how="inner",
                           suffixes=("__ref", ""))
        groups = pairs.groupby(level="point") if by_point else [(None, pairs)]
        for point, group in groups:
            for outcome in data.outcomes:
                d = paired_difference(group[outcome], group[f"{outcome}__ref"])
                rows.append({"scenario": scenario, **({"point": point} if by_point else {}),
                             "outcome": outcome,
                             "reference_mean": float(np.nanmean(group[f"{outcome}__ref"]))
                             if len(group) else np.nan,
                             "scenario_mean": float(np.nanmean(group[outcome]))
                             if len(group) else np.nan,
                             "difference": d["mean"], "ci_low": d["ci_low"],
                             "ci_high": d["ci_high"], "pairs": d["n"], "p_value": d["p_value"]})
    return pd.DataFrame(rows)


def _figure(data: ExperimentData, table: pd.DataFrame, ref: str, path: Path) -> None:
    from matplotlib.ticker import MaxNLocator

    fig, axes = panels(len(data.outcomes), width=4.2,
                       height=max(2.0, 0.9 + 0.4 * len(data.scenarios)))
    for ax, outcome in zip(axes, data.outcomes):
        r = table[table["outcome"] == outcome].reset_index(drop=True)
        y = np.arange(len(r))[::-1]
        err = np.vstack([r["difference"] - r["ci_low"], r["ci_high"] - r["difference"]])
        ax.errorbar(r["difference"], y, xerr=np.nan_to_num(err), fmt="o", capsize=4, ms=4)
        ax.axvline(0.0, color="grey", linewidth=0.8)
        ax.set_yticks(y, r["scenario"], fontsize=8)
        ax.set_ylim(-0.6, len(r) - 0.4)
        ax.set_title(outcome_title(outcome), fontsize=9)
        unit = unit_of(outcome)
        ax.set_xlabel(f"difference from {ref}" + (f" ({unit})" if unit else ""), fontsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.grid(alpha=0.3, axis="x")
    save(fig, path, f"{data.experiment['name']}: each scenario minus {ref}, mean paired "
         "difference and 95% interval", svg=True)
