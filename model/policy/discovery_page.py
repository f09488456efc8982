"""`pressure discover`: scenario discovery on an experiment folder, written as a Markdown page,
tables and figures in one folder, all or nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..config.errors import ScenarioError
from ..config.loader import did_you_mean

MIN_RUNS = 20
"""Fewer runs than this cannot support a box (PRIM peels 5% of them at a time)."""


def default_out(folder: Path, outcome: str, above: float | None, below: float | None) -> Path:
    side, value = ("above", above) if above is not None else ("below", below)
    return Path(folder) / "discovery" / f"{outcome}-{side}-{value:g}"


def run_discovery(folder: Path, outcome: str, above: float | None = None,
                  below: float | None = None, density: float | None = None,
                  scenario: str | None = None, out: Path | None = None) -> Path:
    """Read the folder, find the boxes, write the page; returns the page's path."""
    from ..analysis.load import load_experiment_folder
    from ..outputs.files import write_atomically
    from .discovery import discover

    data = load_experiment_folder(Path(folder))
    runs, x = _inputs(data, scenario)
    if outcome not in runs.columns or outcome in ("point", "replicate", "seed"):
        known = [c for c in runs.columns if c.endswith(("_mean", "_final"))]
        raise ScenarioError(str(folder), "--outcome", "an outcome of the experiment's summary "
                            "table" + did_you_mean(outcome, known), outcome)
    values = runs[outcome].to_numpy(dtype=float)
    y = values > above if above is not None else values < below
    flag, threshold = ("--above", above) if above is not None else ("--below", below)
    if y.all() or not y.any():
        raise ScenarioError(str(folder), flag, f"a threshold some runs pass and some do not "
                            f"({outcome} runs from {np.nanmin(values):.4g} to "
                            f"{np.nanmax(values):.4g} over {len(values)} runs)", threshold)
    found = discover(x, y, density=density)
    out = Path(out) if out is not None else default_out(folder, outcome, above, below)
    words = _words(data, runs, outcome, flag, threshold, density)
    write_atomically(out, {
        "discovery.md": lambda p: p.write_text(_page(found, words), encoding="utf-8"),
        "prim_trajectory.csv": lambda p: found.trajectory.to_csv(p, index=False),
        "prim_box.csv": lambda p: _limits_table(found.prim, found.p_values).to_csv(p,
                                                                                    index=False),
        "cart_boxes.csv": lambda p: _cart_table(found.cart).to_csv(p, index=False),
        "tradeoff.png": lambda p: _tradeoff_figure(found, words, p),
        "box.png": lambda p: _box_figure(found, words, p),
    })
    return out / "discovery.md"


def _inputs(data, scenario: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The runs (of one scenario) and their varying numeric design inputs."""
    runs = data.summary
    if scenario is not None:
        if scenario not in data.scenarios:
            raise ScenarioError(str(data.folder), "--scenario", "a scenario of the experiment"
                                + did_you_mean(scenario, data.scenarios), scenario)
        runs = runs[runs["scenario"] == scenario]
    elif len(data.scenarios) > 1:
        raise ScenarioError(str(data.folder), "--scenario", "one of the experiment's scenarios "
                            f"({', '.join(data.scenarios)}): boxes are over one scenario's "
                            "inputs")
    if len(runs) < MIN_RUNS:
        raise ScenarioError(str(data.folder), None, f"an experiment of at least {MIN_RUNS} runs "
                            "(a sampled design: lhs, sobol or morris)", len(runs))
    varying = [p for p in data.parameters if p in runs.columns and runs[p].nunique() > 1]
    numeric = [p for p in varying if pd.api.types.is_numeric_dtype(runs[p])
               or pd.api.types.is_bool_dtype(runs[p])]
    if not numeric:
        raise ScenarioError(str(data.folder), "experiment.design", "a design that varies at "
                            "least one numeric input", data.parameters)
    return runs.reset_index(drop=True), runs[numeric].astype(float).reset_index(drop=True)


def _words(data, runs, outcome, flag, threshold, density) -> dict:
    design = data.experiment["design"]
    return {"experiment": data.experiment["name"], "folder": str(data.folder),
            "runs": len(runs), "points": int(runs["point"].nunique()),
            "kind": design["kind"], "outcome": outcome,
            "condition": f"{outcome} {'>' if flag == '--above' else '<'} {threshold:g}",
            "rule": (f"the largest box on the trajectory with density at least {density:g}"
                     if density is not None else "the box with the best balance of coverage "
                     "and density (their harmonic mean)")}


def _limits_table(box, p_values: dict[str, float]) -> pd.DataFrame:
    table = box.limits.reset_index()
    table["quasi_p"] = [p_values.get(name, np.nan) for name in table["input"]]
    return table


def _cart_table(leaves) -> pd.DataFrame:
    rows = []
    for i, leaf in enumerate(leaves, 1):
        for name, r in leaf.limits.iterrows():
            rows.append({"leaf": i, "coverage": leaf.coverage, "density": leaf.density,
                         "mass": leaf.mass, "input": name, "low": r["low"], "high": r["high"]})
    return pd.DataFrame(rows, columns=["leaf", "coverage", "density", "mass", "input", "low",
                                       "high"])


def _range(low: float, high: float, full_low: float, full_high: float) -> str:
    if low > full_low and high < full_high:
        return f"{low:.4g} to {high:.4g}"
    return f"at least {low:.4g}" if low > full_low else f"at most {high:.4g}"


def _page(found, w: dict) -> str:
    box = found.prim
    chosen = int(found.trajectory.loc[found.trajectory["chosen"], "step"].iloc[0])
    lines = [
        f"# Scenario discovery: {w['condition']}\n",
        f"Experiment `{w['experiment']}` ({w['folder']}): {w['runs']} runs at {w['points']} "
        f"design points ({w['kind']} design). Runs of interest ({w['condition']}): "
        f"**{found.interest} of {found.total}** ({found.interest / found.total:.0%}). Written by "
        "`pressure discover`; PRIM and CART are EMA Workbench's (Kwakkel 2017).\n",
        "## PRIM box\n",
        f"Step {chosen} of the peeling trajectory ({len(found.trajectory)} steps), {w['rule']}: "
        f"**coverage {box.coverage:.0%}** of the runs of interest are inside it, **density "
        f"{box.density:.0%}** of the runs inside are of interest, mass {box.mass:.0%} of all "
        f"runs ({box.runs}).\n",
    ]
    if box.limits.empty:
        lines.append("The box restricts no input: the runs of interest are not concentrated "
                     "in any region of this design.\n")
    else:
        lines += ["| input | inside the box | range sampled | quasi-p |", "|---|---|---|---|"]
        for name, r in box.limits.iterrows():
            p = found.p_values.get(name, np.nan)
            lines.append(f"| `{name}` | {_range(r['low'], r['high'], r['full_low'], r['full_high'])}"
                         f" | {r['full_low']:.4g} to {r['full_high']:.4g} | {p:.2g} |")
        lines.append("\nA quasi-p value above 0.05 says the restriction could be chance "
                     "(Bryant & Lempert 2010): read that input's bound as weak.\n")
    lines += ["![coverage against density along the peeling trajectory](tradeoff.png)\n",
              "![the box's limits on each restricted input, as a share of the range "
              "sampled](box.png)\n",
              "The whole trajectory is in `prim_trajectory.csv`: a box further along is denser "
              "and covers less.\n",
              "## CART leaves\n",
              "The leaves of a classification tree where runs of interest are the majority "
              "(another partition of the same runs; agreement with PRIM's box is a check).\n"]
    if not found.cart:
        lines.append("No leaf has a majority of runs of interest.\n")
    else:
        lines += ["| leaf | coverage | density | mass | limits |", "|---|---|---|---|---|"]
        for i, leaf in enumerate(found.cart, 1):
            limits = "; ".join(f"`{n}` {_range(r['low'], r['high'], r['full_low'], r['full_high'])}"
                               for n, r in leaf.limits.iterrows()) or "none"
            lines.append(f"| {i} | {leaf.coverage:.0%} | {leaf.density:.0%} | {leaf.mass:.0%} | "
                         f"{limits} |")
        lines.append("")
    lines += ["## How to read this\n",
              "Coverage: the share of all runs of interest inside the box. Density: the share of "
              "the box's runs that are of interest. Mass: the share of all runs inside. Each run "
              "is one point, so replicates of a design point weigh its noise in. A box "
              "describes this design's ranges only: inputs held fixed or not sampled are not "
              "in it.\n"]
    return "\n".join(lines)


def _tradeoff_figure(found, w: dict, path: Path) -> None:
    from ..analysis.figures import plt, save

    t = found.trajectory
    fig, ax = plt.subplots(figsize=(5.2, 4.0))
    points = ax.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=18)
    pick = t[t["chosen"]]
    ax.scatter(pick["coverage"], pick["density"], s=120, facecolors="none", edgecolors="red",
               label="box read")
    fig.colorbar(points, ax=ax, label="inputs restricted",
                 ticks=range(int(t["res_dim"].max()) + 1))
    ax.set_xlabel("coverage (share of runs of interest inside)")
    ax.set_ylabel("density (share inside of interest)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left")
    save(fig, path, f"PRIM peeling trajectory: {w['condition']}")


def _box_figure(found, w: dict, path: Path) -> None:
    from ..analysis.figures import param_label, plt, save

    limits = found.prim.limits
    fig, ax = plt.subplots(figsize=(7.0, 0.6 * max(len(limits), 1) + 1.6))
    for i, (name, r) in enumerate(limits.iterrows()):
        span = (r["full_high"] - r["full_low"]) or 1.0
        low, high = (r["low"] - r["full_low"]) / span, (r["high"] - r["full_low"]) / span
        ax.barh(i, 1.0, height=0.5, color="0.88")
        ax.barh(i, high - low, left=low, height=0.5, color="tab:blue")
        ax.text(1.03, i, f"{r['low']:.3g} to {r['high']:.3g}", va="center", fontsize=8)
    ax.set_yticks(range(len(limits)), [param_label(n) for n in limits.index] or [])
    ax.set_xlim(0, 1.45)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xlabel("position in the range sampled (0: lowest, 1: highest)")
    if limits.empty:
        ax.text(0.5, 0.5, "no input restricted", ha="center", va="center")
        ax.set_yticks([])
    save(fig, path, f"PRIM box (blue) in the range sampled (grey): {w['condition']}")
