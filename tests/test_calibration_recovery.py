"""Parameter recovery at a small size, through the command a user runs: calibrate to
synthetic data made at a known parameter set; the table says, per parameter, whether the truth
is inside its 95% interval and whether the moments identify it (width under half the prior's).

The size is the validation page's recovery (30 particles, 1,000 users, 3 generations, a few
minutes on 2 cores): every parameter it calls identified must come back inside its 95%
interval. Smaller is not a fair test: with a dozen survivors the weighted 95% interval is
overconfident (at 24 particles and 500 users, two of the five parameters it called identified
missed their truth). Also the calibration file's and command's bad input: one line, exit
code 2."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from experiment_support import EXPERIMENTS
from model.cli import main

CALIBRATION = EXPERIMENTS / "calibration_2017.toml"
SMALL = ["--set", "particles=30", "--set", "users=1000", "--set", "replicates=1",
         "--set", "max_generations=3"]


@pytest.fixture(scope="module")
def recovered(tmp_path_factory):
    out = tmp_path_factory.mktemp("recovery") / "out"
    assert main(["calibrate", str(CALIBRATION), *SMALL, "--recover", "--out", str(out),
                 "--workers", "2", "--quiet"]) == 0
    return out


def test_the_recovery_table_says_what_came_back_and_what_is_identified(recovered):
    table = pd.read_csv(recovered / "recovery.csv")
    truth = json.loads((recovered / "recovery.json").read_text())["truth"]
    assert list(table["parameter"]) == list(truth) and len(table) == 10
    assert (table["truth"] == [truth[p] for p in table["parameter"]]).all()
    inside = (table["low95"] <= table["truth"]) & (table["truth"] <= table["high95"])
    assert (table["recovered"] == inside).all()
    assert (table["identified"] == (table["width_ratio"] < 0.5)).all()
    log = table["prior"] == "log-uniform"
    scale = lambda x: np.where(log, np.log(x.where(log, 1.0)), x)  # noqa: E731  prior scale
    width = ((scale(table["high95"]) - scale(table["low95"]))
             / (scale(table["prior_high"]) - scale(table["prior_low"])))
    assert (abs(width - table["width_ratio"]) < 1e-9).all()
    assert set(table.loc[log, "parameter"]) == {"store_removal_rate", "seller_shutdown_rate",
                                                "user_detection_rate"}


def test_every_identified_parameter_comes_back_inside_its_interval(recovered):
    table = pd.read_csv(recovered / "recovery.csv")
    identified = table[table["identified"]]
    assert not identified.empty, "the moments identify no parameter at all"
    assert identified["recovered"].all(), identified[["parameter", "truth", "low95", "high95"]]


def test_the_posterior_is_stored_as_weighted_particles(recovered):
    post = pd.read_csv(recovered / "posterior.csv")
    assert len(post) == 15 and post["weight"].sum() == pytest.approx(1.0)
    summary = json.loads((recovered / "recovery.json").read_text())
    assert set(summary["truth"]) == set(summary["estimate"]["values"])
    assert summary["generations"] >= 2


def test_a_second_call_resumes_and_runs_nothing_again(recovered, capsys):
    before = sorted(p.stat().st_mtime_ns for p in recovered.glob("generation_*/moments.csv"))
    assert main(["calibrate", str(CALIBRATION), *SMALL, "--recover", "--out", str(recovered),
                 "--workers", "2", "--quiet"]) == 0
    after = sorted(p.stat().st_mtime_ns for p in recovered.glob("generation_*/moments.csv"))
    assert before == after


@pytest.mark.parametrize("text,key", [
    ("particles = 'many'\n", "particles"),
    ("colour = 3\n", "colour"),
    ("[prior]\nno_such_parameter = [0, 1]\n", "prior.no_such_parameter"),
    ("[prior]\ninterest_share = [0.5, 0.1]\n", "prior.interest_share"),
    ("[prior]\ninterest_share = [0.0, 2.0]\n", "prior.interest_share"),
    ("[prior]\nseller_shutdown_rate = {log_uniform = [0.0, 0.2]}\n",
     "prior.seller_shutdown_rate"),
    ("[prior]\nseller_shutdown_rate = {log = [0.01, 0.2]}\n", "prior.seller_shutdown_rate"),
    ("[cases]\nchina_2017 = 'missing.toml'\n[prior]\ninterest_share = [0.1, 0.2]\n",
     "cases.china_2017"),
])
def test_a_bad_calibration_file_is_one_line_naming_the_key(tmp_path, capsys, text, key):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    assert main(["calibrate", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and key in err
    assert not (tmp_path / "out").exists()


def test_bad_flags_are_one_line_and_exit_2(tmp_path, capsys):
    assert main(["calibrate", str(CALIBRATION), "--set", "colour=3"]) == 2
    assert "--set" in capsys.readouterr().err
    assert main(["calibrate", str(CALIBRATION), "--recover", "--apply"]) == 2
    assert "--apply" in capsys.readouterr().err
    assert main(["validate", str(tmp_path), "--recovery", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "calibration.json" in err
