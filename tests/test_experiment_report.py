"""`pressure report DIR`: report.md, figures and tables for each kind of design."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from experiment_support import GRID, write_experiment
from model.batch import load_experiment
from model.batch.cli import main
from model.batch.engine import plan_experiment, run_experiment
from model.batch.executors import SerialExecutor


def _run(tmp_path, text, *sets) -> tuple:
    path = write_experiment(tmp_path, text)
    out = tmp_path / "out"
    assert main(["experiment", str(path), "--workers", "1", "--out", str(out), "--quiet",
                 *[f for s in sets for f in ("--set", s)]]) == 0
    assert main(["report", str(out)]) == 0
    return out, out / "report"


def test_grid_report_has_sweep_time_series_and_paired_contrasts(tmp_path, capsys):
    out, report = _run(tmp_path, GRID)
    assert "report.md" in capsys.readouterr().out
    text = (report / "report.md").read_text()
    for heading in ("# Experiment report: grid_test", "## Outcomes against the swept parameters",
                    "## Time series", "## Scenarios against `baseline`"):
        assert heading in text
    assert "t(0.975, n−1)" in text and "common random numbers" in text
    for name in ("sweep_enforcement_intensity.png", "timeseries.png", "contrasts.png",
                 "sweep_enforcement_intensity.csv", "sweep_enforcement_intensity.md",
                 "contrasts.csv", "contrasts.md", "contrasts_by_point.csv",
                 "timeseries_bands.csv"):
        assert (report / name).stat().st_size > 0, name
    assert (report / "timeseries.png").read_bytes()[:4] == b"\x89PNG"

    # the contrast is the paired t-interval over (point, replicate) pairs
    summary = pd.read_parquet(out / "summary.parquet")
    base = summary[summary.scenario == "baseline"].set_index(["point", "replicate"])
    other = summary[summary.scenario == "china_2017"].set_index(["point", "replicate"])
    d = (other["vpn_use_mean"] - base["vpn_use_mean"]).to_numpy()
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / len(d) ** 0.5
    row = pd.read_csv(report / "contrasts.csv").set_index("outcome").loc["vpn_use_mean"]
    assert row["pairs"] == 4
    assert row["difference"] == pytest.approx(d.mean())
    assert row["ci_high"] - row["difference"] == pytest.approx(half)

    # the sweep's interval is the t-interval over the replicates at each value
    sweep = pd.read_csv(report / "sweep_enforcement_intensity.csv")
    cell = sweep[(sweep.scenario == "china_2017") & (sweep.enforcement_intensity == 0.9)
                 & (sweep.outcome == "vpn_access_mean")].iloc[0]
    runs = summary[(summary.scenario == "china_2017") & (summary.enforcement_intensity == 0.9)]
    assert cell["n"] == 2 and cell["mean"] == pytest.approx(runs["vpn_access_mean"].mean())

    # a second report replaces the first
    assert main(["report", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".report")) == []


MORRIS = """
name = "morris_test"
scenarios = ["{scenarios}/china_2017.toml"]
replicates = 1
seed = 5
outcomes = ["vpn_use_mean", "foreign_cloud_share_final"]
[settings]
users = 300
days = 20
[design]
kind = "morris"
trajectories = 3
[design.parameters]
enforcement_intensity = [0.0, 1.0]
demand_median = [0.2, 1.2]
fear_memory_days = [10, 90]
"""


def test_morris_report_has_mu_star_and_sigma(tmp_path):
    _, report = _run(tmp_path, MORRIS)
    text = (report / "report.md").read_text()
    assert "## Sensitivity: Morris screening" in text
    table = pd.read_csv(report / "sensitivity.csv")
    assert set(table["parameter"]) == {"enforcement_intensity", "demand_median",
                                       "fear_memory_days"}
    assert {"mu_star", "mu_star_conf", "mu", "sigma"} <= set(table.columns)
    assert (table["mu_star"] >= 0).all() and len(table) == 2 * 3
    assert (report / "sensitivity.png").exists()
    assert "## Outcomes against" not in text          # not for sampled sensitivity designs


SOBOL = MORRIS.replace('kind = "morris"\ntrajectories = 3', 'kind = "sobol"\nsamples = 4') \
    .replace("fear_memory_days = [10, 90]\n", "").replace("morris_test", "sobol_test")


def test_sobol_report_has_s1_and_st_with_intervals(tmp_path):
    out, report = _run(tmp_path, SOBOL)
    assert len(pd.read_parquet(out / "summary.parquet")) == 4 * (2 + 2)
    table = pd.read_csv(report / "sensitivity.csv")
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(table.columns)
    assert "## Sensitivity: Sobol indices" in (report / "report.md").read_text()


LHS = MORRIS.replace('kind = "morris"\ntrajectories = 3', 'kind = "lhs"\nsamples = 10') \
    .replace("morris_test", "lhs_test")


def test_lhs_report_smooths_over_the_sampled_parameter(tmp_path):
    _, report = _run(tmp_path, LHS)
    sweep = pd.read_csv(report / "sweep_demand_median.csv")
    assert {"demand_median", "mean", "ci_low", "ci_high", "n"} <= set(sweep.columns)
    assert (report / "sweep_fear_memory_days.png").exists()


class _Interrupted(SerialExecutor):
    """Stops (as Ctrl-C would) after three runs."""

    def run(self, specs):
        for i, result in enumerate(super().run(specs)):
            if i == 3:
                raise KeyboardInterrupt
            yield result


def test_an_interrupted_experiment_is_reported_only_with_partial(tmp_path, capsys):
    experiment = load_experiment(write_experiment(tmp_path, GRID))
    plan = plan_experiment(experiment, tmp_path / "out")
    with pytest.raises(KeyboardInterrupt):
        run_experiment(plan, _Interrupted())
    assert main(["report", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "expected a complete experiment (5 of 8 runs not run yet" \
        in err and "pass --partial for a report on the 3 finished so far" in err
    assert not (tmp_path / "out" / "report").exists()
    assert main(["report", str(tmp_path / "out"), "--partial"]) == 0
    text = (tmp_path / "out" / "report" / "report.md").read_text()
    assert "**Incomplete experiment** (`--partial`): this report covers the 3 runs" in text
    assert "5 not run, of 8" in text
