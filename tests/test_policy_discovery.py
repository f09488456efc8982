"""Scenario discovery: PRIM finds a box it was not told, its statistics are those of the runs
inside it, and `pressure discover` on a real sampled experiment writes its page whole or, on bad
input, one line and nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiment_support import files, write_experiment
from model.cli import main
from model.policy.discovery import discover

LHS = """
name = "lhs_test"
scenarios = ["{scenarios}/china_2017.toml"]
replicates = 1
seed = 3
outcomes = ["vpn_availability_mean", "vpn_use_mean"]
[settings]
users = 300
days = 60
[design]
kind = "lhs"
samples = 30
[design.parameters]
enforcement_intensity = [0.1, 0.9]
store_removal_rate = [0.005, 0.3]
"""


def exit_code(argv: list[str]) -> int:
    """The command's exit code, whether argparse (SystemExit) or the command gives it."""
    try:
        return main(argv)
    except SystemExit as stop:
        return stop.code


def synthetic(n: int, seed: int, flip: float = 0.0):
    """Inputs on [0, 1]^3 and the known box 0.2 < a < 0.6, b > 0.5 (c plays no part), with a
    share `flip` of the labels flipped as noise."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame({"a": rng.random(n), "b": rng.random(n), "c": rng.random(n)})
    y = ((x["a"] > 0.2) & (x["a"] < 0.6) & (x["b"] > 0.5)).to_numpy()
    return x, y ^ (rng.random(n) < flip)


@pytest.mark.parametrize("flip", [0.0, 0.1])
def test_prim_recovers_a_known_box_within_five_hundredths(flip):
    x, y = synthetic(1000, seed=1, flip=flip)
    box = discover(x, y).prim
    assert set(box.limits.index) == {"a", "b"}, box.limits
    a_low, a_high = box.bounds("a")
    b_low, b_high = box.bounds("b")
    assert abs(a_low - 0.2) < 0.05 and abs(a_high - 0.6) < 0.05
    assert abs(b_low - 0.5) < 0.05 and b_high == pytest.approx(x["b"].max())


def test_the_box_statistics_are_those_of_the_runs_inside_it():
    x, y = synthetic(600, seed=7, flip=0.05)
    found = discover(x, y)
    inside = np.ones(len(x), dtype=bool)
    for name, r in found.prim.limits.iterrows():
        inside &= (x[name] >= r["low"]) & (x[name] <= r["high"])
    assert found.prim.mass == pytest.approx(inside.mean())
    assert found.prim.density == pytest.approx(y[inside].mean())
    assert found.prim.coverage == pytest.approx(y[inside].sum() / y.sum())
    assert found.trajectory["chosen"].sum() == 1
    assert found.cart and all(leaf.density > 0.5 for leaf in found.cart)


def test_asking_for_a_density_reads_the_largest_box_that_reaches_it():
    x, y = synthetic(600, seed=2, flip=0.15)
    found = discover(x, y, density=0.8)
    t = found.trajectory
    step = int(t.loc[t["chosen"], "step"].iloc[0])
    assert t.loc[step, "density"] >= 0.8 and (t.loc[:step - 1, "density"] < 0.8).all()


def test_runs_of_interest_everywhere_give_a_box_that_restricts_nothing(tmp_path):
    from model.policy.discovery_page import _limits_table, _page

    rng = np.random.default_rng(4)
    x = pd.DataFrame({"a": rng.random(200), "b": rng.random(200)})
    y = np.ones(200, dtype=bool)
    y[rng.choice(200, 3, replace=False)] = False            # a few scattered misses
    found = discover(x, y)
    assert found.prim.limits.empty and found.prim.coverage == 1.0   # the whole space is best
    assert list(_limits_table(found.prim, found.p_values).columns)[0] == "input"
    text = _page(found, {"condition": "y", "experiment": "e", "folder": "f", "runs": 200,
                         "points": 200, "kind": "lhs", "rule": "r"})
    assert "restricts no input" in text and "| input |" not in text


def test_nothing_to_separate_is_refused():
    x, y = synthetic(100, seed=3)
    with pytest.raises(ValueError):
        discover(x, np.zeros(len(x), dtype=bool))


@pytest.fixture(scope="module")
def sampled(tmp_path_factory):
    root = tmp_path_factory.mktemp("discover")
    path = write_experiment(root, LHS)
    assert main(["experiment", str(path), "--workers", "2", "--out", str(root / "lhs"),
                 "--quiet"]) == 0
    return root / "lhs"


def test_discover_writes_the_page_tables_and_figures(sampled, capsys):
    threshold = float(pd.read_parquet(sampled / "summary.parquet")["vpn_availability_mean"]
                      .median())
    out = sampled.parent / "found"
    assert main(["discover", str(sampled), "--outcome", "vpn_availability_mean", "--above",
                 f"{threshold:.6f}", "--out", str(out)]) == 0
    assert str(out / "discovery.md") in capsys.readouterr().out
    assert {p.name for p in out.iterdir()} == {"discovery.md", "prim_trajectory.csv",
                                               "prim_box.csv", "cart_boxes.csv", "tradeoff.png",
                                               "box.png"}
    page = (out / "discovery.md").read_text()
    assert "vpn_availability_mean >" in page and "of 30** " in page and "CART leaves" in page
    trajectory = pd.read_csv(out / "prim_trajectory.csv")
    assert trajectory["coverage"].iloc[0] == 1.0 and trajectory["chosen"].sum() == 1


@pytest.mark.parametrize("args, says", [
    (["--outcome", "vpn_availabilty_mean", "--above", "0.3"], "did you mean vpn_availability_mean"),
    (["--outcome", "vpn_availability_mean", "--above", "5"], "some runs pass and some do not"),
    (["--outcome", "vpn_availability_mean", "--below", "0.3", "--scenario", "india"],
     "a scenario of the experiment"),
    (["--outcome", "vpn_availability_mean", "--above", "0.3", "--density", "0"], "(0, 1]"),
    (["--outcome", "vpn_availability_mean"], "one of the arguments --above --below"),
])
def test_bad_input_is_one_line_and_writes_nothing(sampled, capsys, args, says):
    before = files(sampled)
    assert exit_code(["discover", str(sampled), *args]) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1, err
    assert files(sampled) == before


def test_a_design_too_small_for_a_box_is_refused(tmp_path, capsys):
    path = write_experiment(tmp_path, LHS.replace("samples = 30", "samples = 6"))
    assert main(["experiment", str(path), "--workers", "1", "--out", str(tmp_path / "small"),
                 "--quiet"]) == 0
    assert main(["discover", str(tmp_path / "small"), "--outcome", "vpn_use_mean", "--above",
                 "0.01"]) == 2
    assert "at least 20 runs" in capsys.readouterr().err
    assert not (tmp_path / "small" / "discovery").exists()
