"""Which parameters matter: Morris (mu*, sigma) or Sobol (S1, ST) indices via SALib.

The outcome of a design point is the mean over its replicates, so replicate noise is averaged
before the indices are computed; the indices use the unrounded sample the design drew
(design.parquet, `sample.*` columns). Intervals are SALib's bootstrap intervals (1,000
resamples, 95%). A Morris trajectory with a failed point is left out whole; a Sobol design needs
every point, so failures there skip the indices.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..batch.designs import salib_problem
from ..batch.seeds import design_seed
from .figures import outcome_title, panels, save, unit_of
from .load import ExperimentData
from .tables import fmt, markdown

RESAMPLES = 1000


def section(data: ExperimentData, out: Path) -> str:
    design = data.experiment["design"]
    kind = design["kind"]
    if kind not in ("morris", "sobol") or data.summary.empty:
        return ""
    names = data.parameters
    problem = salib_problem(tuple(names), tuple(tuple(design["parameters"][n]) for n in names))
    x = data.design.sort_values("point")[[f"sample.{n}" for n in names]].to_numpy(float)
    seed = design_seed(data.experiment["seed"]) % 2**32 + 1
    title = "Morris screening" if kind == "morris" else "Sobol indices"
    text = [f"## Sensitivity: {title}\n", _explain(kind, design)]
    for scenario in data.scenarios:
        runs = data.summary[data.summary["scenario"] == scenario]
        y = runs.groupby("point")[data.outcomes].mean().reindex(range(len(x)))
        if kind == "morris":
            table, note = _morris(problem, x, y, design["levels"], seed)
        else:
            table, note = _sobol(problem, y, design["second_order"], seed)
        label = f"### {scenario}\n" if len(data.scenarios) > 1 else ""
        if table is None:
            text += [label, note]
            continue
        table.insert(0, "scenario", scenario)
        stem = f"sensitivity_{scenario}" if len(data.scenarios) > 1 else "sensitivity"
        table.to_csv(out / f"{stem}.csv", index=False)
        wide = indices_table(table, kind)
        (out / f"{stem}.md").write_text(wide, encoding="utf-8")
        _figure(table, kind, data.outcomes, out / f"{stem}.png",
                f"{data.experiment['name']}" + (f", {scenario}" if label else ""))
        text += [label, note, f"![sensitivity]({stem}.png)\n", wide,
                 f"Tables: [`{stem}.csv`]({stem}.csv) (every index and interval), "
                 f"[`{stem}.md`]({stem}.md).\n"]
    return "\n".join(t for t in text if t)


def _explain(kind: str, design: dict) -> str:
    if kind == "morris":
        return ("Elementary effects over "
                f"{design['trajectories']} trajectories on a {design['levels']}-level grid "
                "(SALib `analyze.morris`). mu* is the mean absolute effect on the outcome of "
                "moving a parameter by one step of the grid, scaled per unit of its range "
                "(outcome units); sigma is their standard deviation: large sigma means "
                "interactions or non-linearity. The bracket is mu*'s 95% bootstrap interval. "
                "Rows are sorted by mean rank across outcomes.\n")
    return ("Saltelli sampling with N = "
            f"{design['samples']} (SALib `analyze.sobol`). S1 is the share of the outcome's "
            "variance due to the parameter alone, ST the share including all its interactions; "
            "the bracket is the 95% bootstrap interval. Rows are sorted by mean rank of ST.\n")


def _morris(problem, x, y: pd.DataFrame, levels: int, seed: int):
    from SALib.analyze import morris

    step = problem["num_vars"] + 1
    complete = ~y.isna().any(axis=1).to_numpy().reshape(-1, step).any(axis=1)
    if not complete.any():
        return None, "No trajectory has all its runs finished: no Morris indices.\n"
    keep = np.repeat(complete, step)
    note = "" if complete.all() else (f"{int((~complete).sum())} of {complete.size} "
                                      "trajectories have failed runs and are left out.\n")
    rows = []
    for outcome in y.columns:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = morris.analyze(problem, x[keep], y[outcome].to_numpy(float)[keep],
                                 num_levels=levels, num_resamples=RESAMPLES, conf_level=0.95,
                                 seed=seed)
        for i, name in enumerate(problem["names"]):
            rows.append({"outcome": outcome, "parameter": name, "mu_star": res["mu_star"][i],
                         "mu_star_conf": res["mu_star_conf"][i], "mu": res["mu"][i],
                         "sigma": res["sigma"][i]})
    return pd.DataFrame(rows), note


def _sobol(problem, y: pd.DataFrame, second_order: bool, seed: int):
    from SALib.analyze import sobol

    if y.isna().any(axis=None):
        missing = int(y.isna().any(axis=1).sum())
        return None, (f"{missing} design points have no finished run; Sobol indices need "
                      "every point (resume the experiment to rerun them).\n")
    rows = []
    for outcome in y.columns:
        values = y[outcome].to_numpy(float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = sobol.analyze(problem, values, calc_second_order=second_order,
                                num_resamples=RESAMPLES, conf_level=0.95, seed=seed)
        for i, name in enumerate(problem["names"]):
            rows.append({"outcome": outcome, "parameter": name, "S1": res["S1"][i],
                         "S1_conf": res["S1_conf"][i], "ST": res["ST"][i],
                         "ST_conf": res["ST_conf"][i]})
    return pd.DataFrame(rows), ""


def indices_table(table: pd.DataFrame, kind: str) -> str:
    """One row per parameter, one column per outcome; sorted by mean rank."""
    key, conf = ("mu_star", "mu_star_conf") if kind == "morris" else ("ST", "ST_conf")
    t = table.assign(rank=table.groupby("outcome")[key].rank(ascending=False))
    order = t.groupby("parameter")["rank"].mean().sort_values().index
    if kind == "morris":
        t["cell"] = [f"{fmt(m)} ± {fmt(c)} (σ {fmt(s)})"
                     for m, c, s in zip(t["mu_star"], t["mu_star_conf"], t["sigma"])]
    else:
        t["cell"] = [f"S1 {fmt(a)} ± {fmt(b)}; ST {fmt(c)} ± {fmt(d)}"
                     for a, b, c, d in zip(t["S1"], t["S1_conf"], t["ST"], t["ST_conf"])]
    wide = t.pivot_table(index="parameter", columns="outcome", values="cell", aggfunc="first")
    outcomes = list(dict.fromkeys(table["outcome"]))
    return markdown(wide.reindex(index=order, columns=outcomes).reset_index())


def _figure(table: pd.DataFrame, kind: str, outcomes: list[str], path: Path,
            title: str = "") -> None:
    n_params = table["parameter"].nunique()
    fig, axes = panels(len(outcomes), width=4.8, height=1.2 + 0.25 * n_params)
    for ax, outcome in zip(axes, outcomes):
        r = table[table["outcome"] == outcome]
        if kind == "morris":                   # bars: readable with many parameters
            r = r.sort_values("mu_star")
            pos = np.arange(len(r))
            ax.barh(pos, r["mu_star"], height=0.6, xerr=r["mu_star_conf"], capsize=2,
                    label="mu* (95% CI)", color="tab:blue", alpha=0.8)
            ax.scatter(r["sigma"], pos, marker="x", color="tab:red", zorder=3, label="sigma")
            ax.set_yticks(pos, _words(r["parameter"]), fontsize=7)
            unit = unit_of(outcome)
            ax.set_xlabel(f"elementary effect ({unit or 'outcome units'} per range)",
                          fontsize=8)
            ax.legend(fontsize=7, loc="lower right")
        else:
            pos = np.arange(len(r))
            ax.barh(pos + 0.2, r["S1"], height=0.4, xerr=r["S1_conf"], label="S1")
            ax.barh(pos - 0.2, r["ST"], height=0.4, xerr=r["ST_conf"], label="ST")
            ax.set_yticks(pos, _words(r["parameter"]), fontsize=7)
            ax.set_xlabel("share of the outcome's variance (95% CI)", fontsize=8)
            ax.legend(fontsize=7)
        ax.set_title(outcome_title(outcome), fontsize=9)
        ax.grid(alpha=0.3)
    what = "Morris screening: mu* and sigma" if kind == "morris" else "Sobol indices S1 and ST"
    save(fig, path, f"{title}: {what}", svg=True)


def _words(names) -> list[str]:
    return [str(n).replace("_", " ") for n in names]
