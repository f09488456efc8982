"""docs/sensitivity.md and docs/results.md, written from experiment results.

The interpretation is written from the numbers (which parameters lead, how much of the variance
first-order effects explain, which differences have intervals clear of zero), so a rerun with
other results says what those results show; nothing here is typed in by hand.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.figures import outcome_label
from ..analysis.load import ExperimentData
from ..analysis.sensitivity import indices_table
from ..analysis.tables import fmt, interval_wide, markdown
from . import posterior_sweep

NEGLIGIBLE = 0.05       # Morris: mu* below this share of the outcome's largest mu*
LEVER = "enforcement_intensity"


def sensitivity(morris: ExperimentData, sobol: ExperimentData, screening: pd.DataFrame,
                indices: pd.DataFrame, top: list[str], size: str) -> str:
    me, se = morris.experiment, sobol.experiment
    k = screening["parameter"].nunique()
    scaled = screening["mu_star"] / screening.groupby("outcome")["mu_star"].transform("max")
    small = scaled.groupby(screening["parameter"]).max()
    negligible = sorted(small[small < NEGLIGIBLE].index)
    lines = [
        "# Sensitivity: which uncertain parameters drive the outcomes\n",
        _generated(size, "sensitivity"),
        "The calibrated 2017 case (`scenarios/china_2017.toml`) with its uncertain parameters "
        f"varied over their plausible ranges (the {len(_calibrated())} calibrated ones over "
        "their prior ranges). Outcomes: mean share of users who could get a working VPN over "
        "2017 (availability, from the users' side), mean share using one, mean foreign share "
        "of cloud customers.\n",
        "## 1. Morris screening of every uncertain parameter\n",
        f"`experiments/sensitivity.toml`: {k} parameters, {me['design']['trajectories']} "
        f"trajectories on a {me['design']['levels']}-level grid, "
        f"{len(morris.summary)} runs of {me['settings'].get('users', '?'):,} users "
        f"(seed {me['seed']}). mu* is the mean absolute elementary effect (outcome units per "
        "range) with its 95% bootstrap interval; sigma, their spread, signals interactions or "
        "non-linearity.\n",
        "![Morris screening](figures/sensitivity_morris.png)\n",
        f"Table: [`data/sensitivity_morris.csv`](data/sensitivity_morris.csv). "
        f"Reproduce: `{_command('sensitivity', size)}` (or `pressure experiment "
        "experiments/sensitivity.toml` and `pressure report results/sensitivity`).\n",
        "The ten parameters with the largest effects (mu* scaled by each outcome's largest, "
        "averaged over the outcomes), listed by their mean rank across outcomes; cell: mu* ± "
        "its 95% interval, then sigma:\n",
        indices_table(screening[screening["parameter"].isin(ranking(screening).index[:10])],
                      "morris"),
        "**Reading.** " + _morris_reading(screening, top, negligible, k),
        "",
        "## 2. Sobol indices of the most influential\n",
        f"`experiments/sensitivity_sobol.toml` (written from the screening): the {len(top)} "
        f"parameters with the largest scaled mu*, Saltelli's sample with N = "
        f"{se['design']['samples']} ({len(sobol.summary)} runs of "
        f"{se['settings'].get('users', '?'):,} users). S1: share of the outcome's variance due "
        "to the parameter alone; ST: including its interactions; ± the 95% bootstrap "
        "half-width.\n",
        "![Sobol indices](figures/sensitivity_sobol.png)\n",
        indices_table(indices, "sobol"),
        "Table: [`data/sensitivity_sobol.csv`](data/sensitivity_sobol.csv).\n",
        "**Reading.** " + _sobol_reading(indices),
        "",
        "## Caveats\n",
        "Indices describe the model over these ranges, not the world; ranges for parameters no "
        "document pins down are our judgement (comments in `experiments/sensitivity.toml`). "
        "Each design point is one run, so replicate noise adds to every parameter's apparent "
        "effect (a parameter with no effect at all still shows a small mu* or ST); bootstrap "
        "intervals include that noise only in part. The other parameters stay at their "
        "calibrated defaults. Slightly negative S1 values are estimation noise around "
        "zero.\n",
    ]
    return "\n".join(lines)


def _calibrated() -> tuple[str, ...]:
    """The calibration's parameters, from its file (they get their prior ranges)."""
    from ..calibration.config import load

    from .pipeline import ROOT

    return load(ROOT / "experiments" / "calibration_2017.toml").prior.names


def ranking(screening: pd.DataFrame) -> pd.Series:
    """Mean over outcomes of mu* scaled by the outcome's largest mu*, largest first."""
    scaled = screening["mu_star"] / screening.groupby("outcome")["mu_star"].transform(
        "max").clip(lower=1e-12)
    return scaled.groupby(screening["parameter"]).mean().sort_values(ascending=False)


def _morris_reading(screening: pd.DataFrame, top: list[str], negligible: list[str],
                    k: int) -> str:
    parts = []
    for outcome, rows in screening.groupby("outcome", sort=False):
        best = rows.sort_values("mu_star", ascending=False).head(3)
        parts.append(f"for {outcome_label(outcome).lower()} the largest effects are "
                     + ", ".join(f"`{p}` ({fmt(m)})" for p, m in
                                 zip(best["parameter"], best["mu_star"])))
    text = _sentence("; ".join(parts)) + ". "
    text += ("Averaged over the three outcomes, the leaders are "
             + ", ".join(f"`{p}`" for p in top) + ", which go on to the Sobol analysis. ")
    order = list(ranking(screening).index)
    if LEVER in order:
        text += (f"The policy lever `{LEVER}` ranks {order.index(LEVER) + 1} of {k} over its "
                 "prior range: within what the 2017 record allows, the base intensity "
                 + ("is among the main drivers. " if order.index(LEVER) < len(top) else
                    f"matters less than the {len(top)} leaders; results.md shows its effect over "
                    "the whole range from 0 to 1. "))
    if negligible:
        text += (f"{len(negligible)} of the {k} parameters never reach "
                 f"{NEGLIGIBLE:.0%} of the largest effect on any outcome and could be fixed "
                 "without changing these conclusions: " + ", ".join(f"`{p}`" for p in negligible)
                 + ".")
    return text


def _sobol_reading(indices: pd.DataFrame) -> str:
    parts = []
    for outcome, rows in indices.groupby("outcome", sort=False):
        lead = rows.sort_values("ST", ascending=False).iloc[0]
        s1 = rows["S1"].clip(lower=0).sum()
        parts.append(
            f"{outcome_label(outcome).lower()}: `{lead['parameter']}` leads (ST "
            f"{fmt(lead['ST'])} ± {fmt(lead['ST_conf'])}, S1 {fmt(lead['S1'])}); first-order "
            f"effects together explain about {min(s1, 1.0):.0%} of the variance"
            + (", so interactions matter" if s1 < 0.8 else ", so the effects are mostly "
               "additive"))
    return _sentence("; ".join(parts)) + "."


def results(sweep: ExperimentData, counter: ExperimentData, posterior: ExperimentData,
            curve: pd.DataFrame, spread: pd.DataFrame, contrasts: pd.DataFrame,
            size: str) -> str:
    ref = counter.experiment["reference"]
    sw, ce = sweep.experiment, counter.experiment
    lines = [
        "# Policy results from the calibrated model\n",
        _generated(size, "results"),
        "All runs use the calibrated 2017 case (`scenarios/china_2017.toml`, defaults from "
        "[the calibration](validation.md)). Two kinds of uncertainty are shown: 95% "
        "t-intervals over replicates (seeds) at the calibrated defaults, which describe the "
        "model's randomness, and, for the intensity curves, the spread over the parameter sets "
        "the calibration accepted, which describes what the 2017 record leaves undetermined. "
        "Which parameters drive the outcomes is in [sensitivity.md](sensitivity.md).\n",
        "## 1. VPN availability and foreign market share against enforcement intensity\n",
        f"`experiments/intensity_sweep.toml`: base intensity "
        f"{', '.join(fmt(v) for v in sw['design']['parameters']['enforcement_intensity'])}, "
        f"{sw['replicates']} replicates each, {sw['settings'].get('users', '?'):,} users, the "
        "2017 calendar (laws, directives and sensitive periods raise the effective intensity "
        "above the base).\n",
        f"Across the calibration's uncertainty, `experiments/{posterior.experiment['name']}"
        f".toml` runs every intensity once with each of {_sets(posterior, sw)} accepted "
        "parameter sets "
        f"({posterior.experiment['settings'].get('users', '?'):,} users; orange band: 2.5th to "
        "97.5th percentile of those runs).\n",
        "![outcomes against intensity](figures/results_intensity.png)\n",
        f"Reproduce: `{_command('results', size)}` (after the calibration), or "
        "at the calibrated defaults alone `pressure experiment "
        "experiments/intensity_sweep.toml` and `pressure report results/intensity_sweep`. "
        "Tables: [`data/results_intensity.csv`](data/results_intensity.csv), "
        "[`data/results_intensity_posterior.csv`](data/results_intensity_posterior.csv).\n",
        "At the calibrated defaults, mean (95% CI over replicates):\n",
        _curve_table(curve),
        "Across the accepted parameter sets, median (2.5th to 97.5th percentile of runs):\n",
        posterior_sweep.table(spread),
        "**Reading.** " + _curve_reading(curve) + " " + _robustness(spread),
        "",
        "## 2. Each counterfactual against the 2017 case\n",
        f"`experiments/counterfactuals.toml`: {', '.join(f'`{s}`' for s in ce['scenarios'])}; "
        f"{ce['replicates']} replicates, {ce['settings'].get('users', '?'):,} users; "
        f"differences are scenario − `{ref}` over pairs of runs sharing a seed (common random "
        "numbers), with the t-interval of the mean paired difference.\n",
        "![counterfactuals against 2017](figures/results_counterfactuals.png)\n",
        "![time series](figures/results_timeseries.png)\n",
        f"Reproduce: `{_command('results', size)}` (or `pressure experiment "
        "experiments/counterfactuals.toml` and `pressure report results/counterfactuals`). "
        "Table: [`data/results_counterfactuals.csv`](data/results_counterfactuals.csv).\n",
        _contrast_table(contrasts),
        "**Reading.** " + _contrast_reading(contrasts, ref),
        "",
    ]
    return "\n".join(lines)


def _curve_table(curve: pd.DataFrame) -> str:
    return markdown(interval_wide(curve, "enforcement_intensity").reset_index()) + "\n"


def _curve_reading(curve: pd.DataFrame) -> str:
    parts = []
    for outcome, rows in curve.groupby("outcome", sort=False):
        rows = rows.sort_values("enforcement_intensity")
        lo, hi = rows.iloc[0], rows.iloc[-1]
        parts.append(f"{outcome_label(outcome).lower()} goes from {fmt(lo['mean'])} "
                     f"({fmt(lo['ci_low'])} to {fmt(lo['ci_high'])}) at intensity "
                     f"{fmt(lo['enforcement_intensity'])} to {fmt(hi['mean'])} "
                     f"({fmt(hi['ci_low'])} to {fmt(hi['ci_high'])}) at "
                     f"{fmt(hi['enforcement_intensity'])}")
    return _sentence("; ".join(parts)) + "."


def _sets(posterior: ExperimentData, sweep: dict) -> int:
    return len(posterior.summary) // max(1, len(sweep["design"]["parameters"]
                                                ["enforcement_intensity"]))


def _robustness(spread: pd.DataFrame) -> str:
    """Does the direction of the effect hold for every accepted set's band?"""
    parts = []
    for outcome, rows in spread.groupby("outcome", sort=False):
        rows = rows.sort_values(posterior_sweep.PARAM)
        lo, hi = rows.iloc[0], rows.iloc[-1]
        if hi["high"] < lo["low"] or hi["low"] > lo["high"]:
            verdict = "the bands at the two ends do not overlap"
        else:
            verdict = "the bands at the two ends overlap"
        parts.append(f"{outcome_label(outcome).lower()}: {verdict}")
    return ("Across the accepted parameter sets, between the lowest and the highest "
            "intensity, " + "; ".join(parts) + ".")


def _contrast_table(contrasts: pd.DataFrame) -> str:
    wide = interval_wide(contrasts, "scenario", mean="difference")
    return markdown(wide.reset_index()) + "\n"


def _contrast_reading(contrasts: pd.DataFrame, ref: str) -> str:
    parts = []
    for scenario, rows in contrasts.groupby("scenario", sort=False):
        clear = rows[(rows["ci_low"] > 0) | (rows["ci_high"] < 0)]
        if clear.empty:
            parts.append(f"`{scenario}` differs from `{ref}` in no outcome beyond chance")
            continue
        parts.append(f"`{scenario}` " + ", ".join(
            f"{'raises' if d > 0 else 'lowers'} {outcome_label(o).lower()} by {fmt(abs(d))}"
            for o, d in zip(clear["outcome"], clear["difference"])))
    return "; ".join(parts) + " (differences whose 95% interval excludes zero)."


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _command(step: str, size: str) -> str:
    flag = " --size full" if size == "full" else ""
    return f"pressure reproduce{flag} --step {step} --resume"


def _generated(size: str, step: str) -> str:
    note = "" if size == "full" else f" **This is a {size}-size check, not the shipped page.**"
    return (f"Written by `{_command(step, size)}` from the results of the experiments "
            f"named below; do not edit by hand.{note}\n")
