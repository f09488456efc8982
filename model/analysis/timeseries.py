"""Daily outcomes with 95% confidence bands, per scenario (and per design point when few), with
the reference scenario's events marked.

Each band is the t-interval of the mean across the group's runs, day by day. With more than
`MAX_LINES` scenario-point combinations the runs are grouped by scenario alone, and the band
then also spans the design's parameter values.
"""

from __future__ import annotations

from pathlib import Path

from . import events as calendar_events
from .figures import band, outcome_title, panels, param_label, save, unit_of
from .load import ExperimentData
from .stats import grouped_ci
from .tables import fmt

MAX_LINES = 8


def section(data: ExperimentData, out: Path) -> str:
    ts = data.timeseries
    if ts.empty:
        return ""
    metrics = list(dict.fromkeys(o.rsplit("_", 1)[0] for o in data.outcomes))
    n_points = len(data.design)
    per_point = 1 < n_points and len(data.scenarios) * n_points <= MAX_LINES
    labels = _labels(data) if per_point else None
    ts = ts.assign(group=[labels[s, p] for s, p in zip(ts["scenario"], ts["point"])]
                   if per_point else ts["scenario"])
    same_start = ts.groupby("scenario")["date"].min().nunique() == 1
    x = "date" if same_start else "day"
    bands = grouped_ci(ts, ["group", x], metrics)
    bands.to_csv(out / "timeseries_bands.csv", index=False)
    events = calendar_events.reference_events(data) if x == "date" else []

    fig, axes = panels(len(metrics), width=4.8)
    order = list(dict.fromkeys(ts["group"]))
    for ax, metric in zip(axes, metrics):
        rows = bands[bands["outcome"] == metric]
        for group in order:
            r = rows[rows["group"] == group]
            line, = ax.plot(r[x], r["mean"], label=group, linewidth=1.2)
            band(ax, r[x], r["mean"], r["ci_low"], r["ci_high"], line.get_color())
        ax.set_title(outcome_title(metric), fontsize=9, pad=10 if events else 6)
        ax.set_ylabel(unit_of(metric), fontsize=8)
        ax.set_xlabel("date" if x == "date" else "day of the run", fontsize=8)
        ax.grid(alpha=0.3)
        if x == "date":
            ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    calendar_events.mark(axes, events, until=ts[x].max() if events else None)
    axes[0].legend(fontsize=7)
    save(fig, out / "timeseries.png", f"{data.experiment['name']}: daily outcomes, mean and "
         "95% interval over runs", svg=True)
    grouping = "scenario and design point" if per_point else "scenario"
    return "\n".join([
        "## Time series\n",
        f"Daily mean over the runs of each {grouping}, with the 95% confidence band of that "
        "mean (t-interval across runs, day by day).\n",
        "![time series](timeseries.png)\n",
        calendar_events.legend(events),
        "The bands as a table: [`timeseries_bands.csv`](timeseries_bands.csv); the figure also "
        "as [`timeseries.svg`](timeseries.svg).\n"])


def _labels(data: ExperimentData) -> dict[tuple[str, int], str]:
    params = data.parameters
    labels = {}
    for scenario in data.scenarios:
        for _, row in data.design.iterrows():
            values = ", ".join(f"{param_label(p).split(' (')[0]} {fmt(row[p])}"
                               for p in params)
            name = f"{scenario}, {values}" if len(data.scenarios) > 1 else values
            labels[scenario, int(row["point"])] = name
    return labels
