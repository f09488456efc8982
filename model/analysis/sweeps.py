"""Outcomes against each swept parameter, per scenario, with 95% confidence intervals.

Grid and list designs: runs are grouped by the parameter's value (so with several swept
parameters, each curve averages over the others' values). Sampled designs (Latin hypercube,
Sobol): every run is a point of a scatter, and a kernel smoother (smooth.py) with its interval
is drawn over it, since no two runs share a value.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .figures import band, outcome_title, panels, param_label, save, unit_of
from .load import ExperimentData
from .smooth import kernel_smooth, smoothed_table
from .stats import grouped_ci
from .tables import fmt, interval_wide, markdown, write_table

SCATTERED = ("lhs", "sobol")


def section(data: ExperimentData, out: Path) -> str:
    kind = data.experiment["design"]["kind"]
    if kind not in ("grid", "list", *SCATTERED) or not data.parameters or data.summary.empty:
        return ""
    scattered = kind in SCATTERED
    several = len(data.parameters) > 1
    if scattered:
        how = ("Each dot is a run; the line is a kernel smoother of the runs (Gaussian kernel, "
               "bandwidth 12% of the sampled range) and the band its 95% interval, with the "
               "effective number of runs near each value; the other parameters vary too.\n")
    else:
        how = ("Each point is the mean over the runs at that value"
               + (" (replicates, and the other swept parameters' values)" if several
                  else " (its replicates)")
               + "; the band, the error bar and the bracketed range are its 95% confidence "
               "interval.\n")
    text = ["## Outcomes against the swept parameters\n", how]
    for param in data.parameters:
        if scattered:
            table = smoothed_table(data.summary, param, data.outcomes)
        else:
            table = grouped_ci(data.summary, ["scenario", param], data.outcomes)
        stem = f"sweep_{param}"
        write_table(table, out, stem)
        _figure(data, table, param, scattered, out / f"{stem}.png")
        words = param_label(param)
        text += [f"### {words[0].upper() + words[1:]}\n", f"![{words}]({stem}.png)\n",
                 _wide(table, ["scenario", param], data.outcomes),
                 f"Tables: [`{stem}.csv`]({stem}.csv), [`{stem}.md`]({stem}.md); figure also "
                 f"as [`{stem}.svg`]({stem}.svg).\n"]
    return "\n".join(text)


def _figure(data, table, param, scattered, path):
    fig, axes = panels(len(data.outcomes))
    categorical = not pd.api.types.is_numeric_dtype(table[param]) \
        or pd.api.types.is_bool_dtype(table[param])
    for ax, outcome in zip(axes, data.outcomes):
        rows = table[table["outcome"] == outcome]
        for scenario in data.scenarios:
            r = rows[rows["scenario"] == scenario]
            if r.empty:
                continue
            if scattered:
                runs = data.summary[data.summary["scenario"] == scenario]
                dots = ax.scatter(runs[param], runs[outcome], s=8, alpha=0.35, linewidths=0)
                at = np.linspace(runs[param].min(), runs[param].max(), 60)
                curve = kernel_smooth(runs[param], runs[outcome], at)
                line, = ax.plot(curve["x"], curve["mean"], color=dots.get_facecolor()[0][:3],
                                label=scenario, linewidth=1.6)
                band(ax, curve["x"], curve["mean"], curve["ci_low"], curve["ci_high"],
                     line.get_color())
                continue
            x = np.arange(len(r)) if categorical else r[param].to_numpy(dtype=float)
            line, = ax.plot(x, r["mean"], marker="o", ms=3, label=scenario)
            band(ax, x, r["mean"], r["ci_low"], r["ci_high"], line.get_color(), points=True)
            if categorical:
                ax.set_xticks(x, [fmt(v) for v in r[param]])
        ax.set_xlabel(param_label(param), fontsize=8)
        ax.set_ylabel(unit_of(outcome), fontsize=8)
        ax.set_title(outcome_title(outcome), fontsize=9)
        ax.grid(alpha=0.3)
    if len(data.scenarios) > 1:
        axes[0].legend(fontsize=8)
    save(fig, path, f"{data.experiment['name']}: outcomes against {param_label(param)}",
         svg=True)


def _wide(table: pd.DataFrame, index: list[str], outcomes: list[str]) -> str:
    """Markdown: one row per group, one column per outcome: `mean (low to high)`."""
    wide = interval_wide(table, index)
    wide = wide.reindex(columns=[o for o in outcomes if o in wide.columns]).reset_index()
    runs = table.groupby(index, sort=False)["n"].max().rename("runs").reset_index()
    runs["runs"] = runs["runs"].round(1)
    wide = wide.merge(runs, on=index, how="left")
    return markdown(wide[[*index, "runs", *[c for c in wide.columns
                                            if c not in (*index, "runs")]]])
