"""`pressure reproduce`: every step end to end at a tiny size, in a workspace of its own."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from experiment_support import ROOT
from model.calibration.validation import regenerate
from model.cli import main
from model.reproduce.pipeline import STEPS, context, reproduce
from model.reproduce.sizes import Size
from model.reproduce.steps import most_influential

TINY = Size(
    "tiny",
    calibration=["design.samples=10", "replicates=1", "users=300"],
    validation={"sets": 2, "replicates": 1, "users": 300},
    morris=["design.trajectories=2", "users=300"],
    sobol_top=2, sobol={"samples": 4, "users": 300},
    sweep=["replicates=2", "users=300"],
    counterfactuals=["replicates=2", "users=300"],
    posterior_sweep={"sets": 2, "users": 300},
)
PAGES = ("validation.md", "sensitivity.md", "results.md")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    shipped = (ROOT / "scenarios" / "china_2017.toml").read_text()
    ctx = context(TINY, workers=1, quiet=True, resume=False,
                  workspace=tmp_path_factory.mktemp("reproduce") / "ws")
    timings = reproduce(ctx)
    assert list(timings) == list(STEPS)
    assert (ROOT / "scenarios" / "china_2017.toml").read_text() == shipped   # untouched
    return ctx.root


def test_every_page_is_written_and_every_link_in_it_exists(workspace):
    for page in PAGES:
        text = (workspace / "docs" / page).read_text()
        links = re.findall(r"\]\(([^)#]+)\)", text)
        assert links, page
        for link in links:
            assert (workspace / "docs" / link).exists(), (page, link)


def test_the_calibration_wrote_its_defaults_into_the_workspace_scenario(workspace):
    text = (workspace / "scenarios" / "china_2017.toml").read_text()
    assert "calibrated defaults" in text and "10 points x 1 replicates" in text


def test_the_validation_page_regenerates_and_sobol_took_the_screenings_leaders(workspace):
    docs = workspace / "docs"
    assert regenerate(docs / "validation.md", docs / "data" / "validation_2017.csv") == \
        (docs / "validation.md").read_text()
    screening = pd.read_csv(docs / "data" / "sensitivity_morris.csv")
    sobol = pd.read_csv(docs / "data" / "sensitivity_sobol.csv")
    assert set(sobol["parameter"]) == set(most_influential(screening, 2))
    assert screening["parameter"].nunique() == 29


def test_the_results_page_covers_the_sweep_and_every_counterfactual(workspace):
    text = (workspace / "docs" / "results.md").read_text()
    for scenario in ("no_partner_requirement", "platforms_refuse", "maximal_enforcement",
                     "relaxed"):
        assert f"| {scenario} |" in text
    band = pd.read_csv(workspace / "docs" / "data" / "results_intensity_posterior.csv")
    assert (band["low"] <= band["median"]).all() and (band["median"] <= band["high"]).all()
    assert sorted(band["enforcement_intensity"].unique()) == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_most_influential_scales_each_outcome_so_units_do_not_decide():
    table = pd.DataFrame({
        "outcome": ["big"] * 3 + ["small"] * 3,
        "parameter": ["a", "b", "c"] * 2,
        "mu_star": [100.0, 50.0, 1.0, 0.001, 0.002, 0.01],
    })
    # scaled: a (1 + 0.1) / 2, b (0.5 + 0.2) / 2, c (0.01 + 1) / 2; raw mu* would pick a, b
    assert most_influential(table, 2) == ["a", "c"]


@pytest.mark.parametrize("argv,expected", [
    (["--step", "validation"], "--resume"),
    (["--workers", "0"], "--workers"),
    (["--size", "huge"], "invalid choice"),
])
def test_bad_flags_are_one_line_and_exit_2(argv, expected, capsys):
    try:
        code = main(["reproduce", *argv])
    except SystemExit as exc:            # argparse's own usage errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and expected in err and err.count("\n") == 1
