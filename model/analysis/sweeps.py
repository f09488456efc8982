"""Outcomes against each swept parameter, per scenario, with 95% confidence bands.

Grid and list designs: runs are grouped by the parameter's value (so with several swept
parameters, each curve averages over the others' values). Latin hypercube designs: runs are
grouped in quantile bins of the parameter and plotted over a scatter of the runs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .figures import outcome_label, panels, save
from .load import ExperimentData
from .stats import grouped_ci
from .tables import fmt, interval_wide, markdown, write_table

MAX_BINS = 8


def section(data: ExperimentData, out: Path) -> str:
    kind = data.experiment["design"]["kind"]
    if kind not in ("grid", "list", "lhs") or not data.parameters or data.summary.empty:
        return ""
    several = len(data.parameters) > 1
    text = ["## Outcomes against the swept parameters\n",
            "Each point is the mean over the runs at that value"
            + (" (replicates, and the other swept parameters' values)" if several
               else " (its replicates)")
            + "; the band and the bracketed range are its 95% confidence interval.\n"]
    for param in data.parameters:
        table, xcol = _table(data, param, kind == "lhs")
        stem = f"sweep_{param}"
        write_table(table, out, stem)
        _figure(data, table, param, xcol, kind == "lhs", out / f"{stem}.png")
        text += [f"### {param}\n", f"![{param}]({stem}.png)\n",
                 _wide(table, ["scenario", xcol], data.outcomes),
                 f"Tables: [`{stem}.csv`]({stem}.csv), [`{stem}.md`]({stem}.md).\n"]
    return "\n".join(text)


def _table(data: ExperimentData, param: str, binned: bool) -> tuple[pd.DataFrame, str]:
    frame = data.summary
    if not binned:
        return grouped_ci(frame, ["scenario", param], data.outcomes), param
    frame = frame.copy()
    bins = max(1, min(MAX_BINS, len(frame) // max(1, 5 * frame["scenario"].nunique())))
    frame["bin"] = pd.qcut(frame[param], q=bins, labels=False, duplicates="drop")
    centers = frame.groupby("bin")[param].mean()
    frame[f"{param} (bin mean)"] = frame["bin"].map(centers)
    return grouped_ci(frame, ["scenario", f"{param} (bin mean)"], data.outcomes), \
        f"{param} (bin mean)"


def _figure(data, table, param, xcol, scatter, path):
    fig, axes = panels(len(data.outcomes))
    categorical = not pd.api.types.is_numeric_dtype(table[xcol]) \
        or pd.api.types.is_bool_dtype(table[xcol])
    for ax, outcome in zip(axes, data.outcomes):
        rows = table[table["outcome"] == outcome]
        for scenario in data.scenarios:
            r = rows[rows["scenario"] == scenario]
            if r.empty:
                continue
            x = np.arange(len(r)) if categorical else r[xcol].to_numpy(dtype=float)
            if scatter:
                runs = data.summary[data.summary["scenario"] == scenario]
                ax.scatter(runs[param], runs[outcome], s=6, alpha=0.25)
            line, = ax.plot(x, r["mean"], marker="o", ms=3, label=scenario)
            ax.fill_between(x, r["ci_low"], r["ci_high"], alpha=0.2, color=line.get_color(),
                            linewidth=0)
            if categorical:
                ax.set_xticks(x, [fmt(v) for v in r[xcol]])
        ax.set_xlabel(param)
        ax.set_title(outcome_label(outcome), fontsize=9)
        ax.grid(alpha=0.3)
    if len(data.scenarios) > 1:
        axes[0].legend(fontsize=8)
    save(fig, path)


def _wide(table: pd.DataFrame, index: list[str], outcomes: list[str]) -> str:
    """Markdown: one row per group, one column per outcome: `mean (low to high)`."""
    wide = interval_wide(table, index)
    wide = wide.reindex(columns=[o for o in outcomes if o in wide.columns]).reset_index()
    runs = table.groupby(index, sort=False)["n"].max().rename("runs").reset_index()
    wide = wide.merge(runs, on=index, how="left")
    return markdown(wide[[*index, "runs", *[c for c in wide.columns
                                            if c not in (*index, "runs")]]])
