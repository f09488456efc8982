"""`pressure reproduce`: every step end to end at a tiny size, in a workspace of its own."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from experiment_support import ROOT
from model.calibration import page
from model.calibration.validation import observations
from model.cli import main
from model.reproduce.pipeline import STEPS, context, reproduce
from model.reproduce.sizes import Size
from model.reproduce.steps import most_influential

TINY = Size(
    "tiny",
    calibration=["particles=6", "replicates=1", "users=300", "max_generations=2"],
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
    shipped = {f: (ROOT / "scenarios" / f).read_text() for f in ("china_2017.toml",
                                                                 "behaviour.toml")}
    ctx = context(TINY, workers=1, quiet=True, resume=False,
                  workspace=tmp_path_factory.mktemp("reproduce") / "ws")
    timings = reproduce(ctx)
    assert list(timings) == list(STEPS)
    assert {f: (ROOT / "scenarios" / f).read_text() for f in shipped} == shipped  # untouched
    return ctx.root


def test_every_page_is_written_and_every_link_in_it_exists(workspace):
    for page in PAGES:
        text = (workspace / "docs" / page).read_text()
        links = re.findall(r"\]\(([^)#]+)\)", text)
        assert links, page
        for link in links:
            assert (workspace / "docs" / link).exists(), (page, link)


def test_the_calibration_wrote_its_defaults_into_the_workspace_scenarios(workspace):
    case = (workspace / "scenarios" / "china_2017.toml").read_text()
    shared = (workspace / "scenarios" / "behaviour.toml").read_text()
    for text in (case, shared):
        assert "calibrated defaults" in text and "6 particles, 2 generations" in text
    assert "store_removal_rate" in case and "store_removal_rate" not in shared
    assert "interest_share" in shared and "interest_share" not in case


def test_the_validation_page_regenerates_and_sobol_took_the_screenings_leaders(workspace):
    docs = workspace / "docs"
    assert page.render(docs / "data", docs / "validation.md", observations()) == \
        (docs / "validation.md").read_text()
    assert "Out of sample" in (docs / "validation.md").read_text()
    screening = pd.read_csv(docs / "data" / "sensitivity_morris.csv")
    sobol = pd.read_csv(docs / "data" / "sensitivity_sobol.csv")
    assert set(sobol["parameter"]) == set(most_influential(screening, 2))
    assert screening["parameter"].nunique() == 32


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


def test_the_screening_varies_each_calibrated_parameter_over_its_prior():
    import tomllib

    from model.calibration.config import load

    prior = load(ROOT / "experiments" / "calibration_2017.toml").prior
    with open(ROOT / "experiments" / "sensitivity.toml", "rb") as f:
        ranges = tomllib.load(f)["design"]["parameters"]
    for name, low, high in zip(prior.names, prior.low, prior.high):
        assert ranges[name] == [low, high], name
